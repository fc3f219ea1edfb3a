package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
)

// TestFailuresPageShowsParkedEventsAndReplaysThem: a consumer that keeps
// failing parks its event; the clerk sees it under "Storingen" and, once the
// cause is fixed, tries it again; the work is then done once.
func TestFailuresPageShowsParkedEventsAndReplaysThem(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	a, err := newApp(ctx, log, demo.Town(), wiring.NewBackendWithPolicy(log, nil, nil, event.RetryPolicy{MaxAttempts: 1}), false)
	require.NoError(t, err)
	var broken atomic.Bool
	var done atomic.Int32
	broken.Store(true)
	require.NoError(t, a.be.On(ctx, "test: make the invoice", func(context.Context, event.Event) error {
		if broken.Load() {
			return errors.New("payment service unreachable")
		}
		done.Add(1)
		return nil
	}, "test.granted"))
	ev := event.Event{ID: uuid.Must(uuid.NewV7()), Type: "test.granted", AggregateID: uuid.Must(uuid.NewV7()), Time: time.Now()}
	require.NoError(t, a.be.Sink().Publish(ctx, ev))
	require.NoError(t, a.be.Settle(ctx))

	c := serve(t, a)
	c.signIn("an")
	status, _ := c.get("/balie/storingen")
	assert.Equal(t, http.StatusNotFound, status, "only clerks")

	clerk := c.another()
	clerk.signIn("balie")
	status, page := clerk.get("/balie/storingen")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "test: make the invoice")
	assert.Contains(t, page, "payment service unreachable")
	assert.Contains(t, page, "Wacht op u")

	fs, err := a.be.Events.Failures(ctx, "")
	require.NoError(t, err)
	require.Len(t, fs, 1)
	seq := strconv.FormatInt(fs[0].Seq, 10)
	status, _ = clerk.post("/balie/storingen/opnieuw", url.Values{"consumer": {"test: make the invoice"}, "seq": {seq}})
	assert.Equal(t, http.StatusForbidden, status, "no CSRF token")

	broken.Store(false)
	status, page = clerk.post("/balie/storingen/opnieuw", url.Values{"csrf": {csrf(t, page)}, "consumer": {"test: make the invoice"}, "seq": {seq}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "wordt opnieuw verwerkt")
	require.NoError(t, a.be.Settle(ctx))
	_, page = clerk.get("/balie/storingen")
	assert.Contains(t, page, "Er zijn geen storingen")
	assert.EqualValues(t, 1, done.Load())
}
