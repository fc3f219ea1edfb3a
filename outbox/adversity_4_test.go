package outbox_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

// Replay while another process is retrying the same event: the pass that
// ran meanwhile must not write its attempt count over the replay.
func TestConsumersReplayDuringARetryHolds(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 8)
	require.NoError(t, outbox.Migrate(ctx, pool))
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return outbox.Write(ctx, tx, rev("x")) }))
	pol := event.RetryPolicy{MaxAttempts: 2, Backoff: func(int) time.Duration { return 0 }}
	a := outbox.NewConsumers(pool, clock.Real{}, pol)
	var calls atomic.Int32
	in := make(chan struct{}, 1)
	release := make(chan struct{})
	require.NoError(t, a.Subscribe(ctx, event.Consumer{Name: "c", Handle: func(context.Context, event.Event) error {
		if calls.Add(1) == 2 {
			in <- struct{}{}
			<-release
		}
		return errors.New("down")
	}}))
	_, err := a.Step(ctx) // attempt 1 fails
	require.NoError(t, err)
	f, _ := a.Failures(ctx, "c")
	require.Len(t, f, 1)
	done := make(chan struct{})
	go func() { a.Step(ctx); close(done) }() // attempt 2 running
	<-in
	b := outbox.NewConsumers(pool, clock.Real{}, pol) // the clerk's portal instance
	require.NoError(t, b.Replay(ctx, "c", f[0].Seq))
	close(release)
	<-done
	f, _ = a.Failures(ctx, "c")
	for _, x := range f {
		require.False(t, x.Parked, "the clerk's replay (accepted) must not be overwritten by the pass that ran meanwhile")
	}
	_, err = a.Step(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 3, calls.Load(), "the replay gives the event another try")
}
