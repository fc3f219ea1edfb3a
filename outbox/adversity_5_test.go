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

// One parked event of a busy aggregate: an Ordered consumer holds its
// later events, a thousand of them, and other aggregates go on.
func TestConsumersOrderedOneParkedEventStallsNoOtherAggregate(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 8)
	require.NoError(t, outbox.Migrate(ctx, pool))
	x := uuid.New()
	evx := func() event.Event {
		return event.Event{ID: uuid.Must(uuid.NewV7()), Type: "x", AggregateID: x, Time: time.Now()}
	}
	var all []event.Event
	for i := 0; i < 1001; i++ {
		all = append(all, evx())
	}
	cs := outbox.NewConsumers(pool, clock.Real{}, event.RetryPolicy{MaxAttempts: 1})
	var y atomic.Int32
	first := all[0].ID
	require.NoError(t, cs.Subscribe(ctx, event.Consumer{Name: "o", Ordered: true, Handle: func(_ context.Context, e event.Event) error {
		if e.ID == first {
			return errors.New("bad data in the first event of x")
		}
		if e.AggregateID != x {
			y.Add(1)
		}
		return nil
	}}))
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return outbox.Write(ctx, tx, all...) }))
	for i := 0; i < 10; i++ {
		_, err := cs.Step(ctx)
		require.NoError(t, err)
	}
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return outbox.Write(ctx, tx, rev("y")) }))
	for i := 0; i < 10; i++ {
		_, err := cs.Step(ctx)
		require.NoError(t, err)
	}
	t.Logf("events of another aggregate handled: %d", y.Load())
	require.EqualValues(t, 1, y.Load(), "other aggregates go on (ARCHITECTURE.md)")
}

// Memory mode, same scenario: for comparison.
func TestConsumersOrderedOneParkedEventMemory(t *testing.T) {
	ctx := context.Background()
	l := event.NewLog(clock.Real{}, event.RetryPolicy{MaxAttempts: 1})
	x := uuid.New()
	var all []event.Event
	for i := 0; i < 1001; i++ {
		all = append(all, event.Event{ID: uuid.New(), Type: "x", AggregateID: x, Time: time.Now()})
	}
	var y atomic.Int32
	require.NoError(t, l.Subscribe(ctx, event.Consumer{Name: "o", Ordered: true, Handle: func(_ context.Context, e event.Event) error {
		if e.ID == all[0].ID {
			return errors.New("bad")
		}
		if e.AggregateID != x {
			y.Add(1)
		}
		return nil
	}}))
	require.NoError(t, l.Publish(ctx, all...))
	require.NoError(t, l.Settle(ctx))
	require.NoError(t, l.Publish(ctx, rev("y")))
	require.NoError(t, l.Settle(ctx))
	require.EqualValues(t, 1, y.Load())
}
