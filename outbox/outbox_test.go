package outbox

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

type payload struct {
	Status string `json:"status"`
}

func TestWriteAndRelay(t *testing.T) {
	pool := pgtest.Pool(t, 0)
	ctx := context.Background()
	require.NoError(t, Migrate(ctx, pool))
	require.NoError(t, Migrate(ctx, pool), "migrating twice is harmless")

	agg := id.New()
	mk := func(typ string) event.Event {
		return event.Event{ID: id.New(), Type: typ, AggregateID: agg, Time: time.Now(), Payload: payload{typ}}
	}
	// A rolled-back transaction leaves no event behind.
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		require.NoError(t, Write(ctx, tx, mk("rolled.back")))
		return errors.New("abort")
	})
	require.Error(t, err)
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return Write(ctx, tx, mk("one"), mk("two"))
	}))
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return Write(ctx, tx, mk("three")) }))

	// A sink that fails leaves the events for the next step.
	failing := &Relay{Pool: pool, Sink: event.SinkFunc(func(context.Context, ...event.Event) error { return errors.New("down") })}
	_, err = failing.Step(ctx)
	require.Error(t, err)

	var rec event.Recorder
	r := &Relay{Pool: pool, Sink: &rec, Batch: 2}
	n, err := r.Step(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	n, err = r.Step(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = r.Step(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Equal(t, []string{"one", "two", "three"}, rec.Types())
	p, err := event.Decode[payload](rec.Events()[2])
	require.NoError(t, err)
	assert.Equal(t, "three", p.Status)
	assert.Equal(t, agg, rec.Events()[0].AggregateID)
}

func TestQueueAllKeepsOrderAndPayloads(t *testing.T) {
	pool := pgtest.Pool(t, 0)
	ctx := context.Background()
	require.NoError(t, Migrate(ctx, pool))
	agg := id.New()
	var events []event.Event
	for i := range 300 {
		events = append(events, event.Event{ID: id.New(), Type: fmt.Sprint("e", i), AggregateID: agg, Time: time.Now(), Payload: payload{fmt.Sprint(i)}})
	}
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		if err := QueueAll(b, events); err != nil {
			return err
		}
		return tx.SendBatch(ctx, b).Close()
	}))
	var rec event.Recorder
	r := &Relay{Pool: pool, Sink: &rec, Batch: 1000}
	n, err := r.Step(ctx)
	require.NoError(t, err)
	require.Equal(t, 300, n)
	for i, e := range rec.Events() {
		assert.Equal(t, events[i].ID, e.ID, "in the order given")
		p, err := event.Decode[payload](e)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprint(i), p.Status)
	}
	b := &pgx.Batch{}
	require.NoError(t, QueueAll(b, nil))
	assert.Zero(t, b.Len(), "no events, no statement")
}
