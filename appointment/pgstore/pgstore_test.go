package pgstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment/appointmenttest"
	"github.com/lokaalbestuur/bouwstenen/appointment/pgstore"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

func newStore(t testing.TB, conns int32) *pgstore.Store {
	pool := pgtest.Pool(t, conns)
	require.NoError(t, pgstore.New(pool).Migrate(context.Background()))
	return pgstore.New(pool)
}

func TestConformance(t *testing.T) {
	appointmenttest.Run(t, func(t *testing.T) appointmenttest.Harness {
		pool := pgtest.Pool(t, 16)
		require.NoError(t, pgstore.New(pool).Migrate(context.Background()))
		return appointmenttest.Harness{Store: pgstore.New(pool), Committed: func(t *testing.T) []event.Event { return pgtest.OutboxEvents(t, pool) }}
	})
}
