package delivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
	"github.com/lokaalbestuur/bouwstenen/event"
)

func TestStatusCallbackRetries(t *testing.T) {
	ctx := context.Background()
	var got []delivery.StatusChanged
	fails := 2
	var waits []time.Duration
	cb := &delivery.StatusCallback{
		Deliver: func(_ context.Context, s delivery.StatusChanged) error {
			if fails > 0 {
				fails--
				return errors.New("webhook down")
			}
			got = append(got, s)
			return nil
		},
		Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
	}
	// Wired as the store's sink, the callback sees every status change.
	clk := clock.NewSettable(t0)
	s := delivery.NewMemStore(cb)
	svc := delivery.NewService(s, clk, nil)
	_, err := svc.PutRule(ctx, deliverytest.TaxRule())
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "loket", paperPref)
	require.NoError(t, err)
	d, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{100 * time.Millisecond, 200 * time.Millisecond}, waits)
	require.Len(t, got, 1)
	assert.Equal(t, d.ID, got[0].DocumentID)
	assert.Equal(t, delivery.StatusQueued, got[0].Status)

	// From the outbox the payload arrives as JSON; all tries failing is an
	// error so the relay keeps the event.
	raw, _ := json.Marshal(delivery.StatusChanged{DocumentID: d.ID, Channel: delivery.ChannelPaper, Status: delivery.StatusReturned})
	cb.Attempts = 3
	fails = 10
	err = cb.Publish(ctx, event.Event{ID: uuid.New(), Type: delivery.EventStatusChanged, Payload: json.RawMessage(raw)})
	assert.Error(t, err)
	fails = 0
	require.NoError(t, cb.Publish(ctx, event.Event{ID: uuid.New(), Type: delivery.EventStatusChanged, Payload: json.RawMessage(raw)}))
	assert.Equal(t, delivery.StatusReturned, got[len(got)-1].Status)
}

func TestRetainUntil(t *testing.T) {
	d := delivery.Delivery{CreatedAt: t0, Rule: delivery.Rule{RetentionDays: 30}}
	assert.Equal(t, "2026-04-01 09:00", d.RetainUntil().Format("2006-01-02 15:04"), "30 days on, same wall clock across DST")
}
