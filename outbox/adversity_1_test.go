package outbox_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

func rev(typ string) event.Event {
	return event.Event{ID: uuid.Must(uuid.NewV7()), Type: typ, AggregateID: uuid.New(), Time: time.Now()}
}

// A thousand parked events do not stop a consumer: a later event is handled.
func TestConsumersParkedThousandDoNotStall(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 8)
	require.NoError(t, outbox.Migrate(ctx, pool))
	var evs []event.Event
	for i := 0; i < 1000; i++ {
		evs = append(evs, rev("bad"))
	}
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return outbox.Write(ctx, tx, evs...) }))
	cs := outbox.NewConsumers(pool, clock.Real{}, event.RetryPolicy{MaxAttempts: 1})
	var good atomic.Int32
	require.NoError(t, cs.Subscribe(ctx, event.Consumer{Name: "c", Handle: func(_ context.Context, e event.Event) error {
		if e.Type == "bad" {
			return errors.New("bug")
		}
		good.Add(1)
		return nil
	}}))
	for i := 0; i < 10; i++ {
		_, err := cs.Step(ctx)
		require.NoError(t, err)
	}
	good1 := rev("good")
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return outbox.Write(ctx, tx, good1) }))
	sctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	err := cs.Settle(sctx)
	t.Logf("Settle: %v; good handled: %d", err, good.Load())
	require.NoError(t, err, "Settle should terminate")
	require.EqualValues(t, 1, good.Load(), "the later event of another aggregate is never handled")
}

// A pass whose ctx is cancelled after a handler succeeded records its
// progress: the event is not handled again.
func TestConsumersCancelKeepsProgress(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 8)
	require.NoError(t, outbox.Migrate(ctx, pool))
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return outbox.Write(ctx, tx, rev("a"), rev("a")) }))
	cs := outbox.NewConsumers(pool, clock.Real{}, event.RetryPolicy{})
	var calls atomic.Int32
	cctx, cancel := context.WithCancel(ctx)
	require.NoError(t, cs.Subscribe(ctx, event.Consumer{Name: "c", Handle: func(_ context.Context, e event.Event) error {
		calls.Add(1)
		cancel() // shutdown arrives while the first handler finishes its work
		return nil
	}}))
	_, err := cs.Step(cctx)
	t.Logf("step: %v", err)
	var txid string
	var seq int64
	require.NoError(t, pool.QueryRow(ctx, "SELECT txid::text, seq FROM outbox_consumer WHERE name='c'").Scan(&txid, &seq))
	t.Logf("progress after cancelled pass: txid=%s seq=%d (calls %d)", txid, seq, calls.Load())
	require.NoError(t, cs.Settle(ctx))
	require.EqualValues(t, 2, calls.Load(), "the first event was handled twice after a graceful cancel")
}
