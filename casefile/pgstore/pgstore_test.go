package pgstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile/casefiletest"
	"github.com/lokaalbestuur/bouwstenen/casefile/pgstore"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

func newStore(t testing.TB, conns int32) *pgstore.Store {
	st := pgstore.New(pgtest.Pool(t, conns))
	require.NoError(t, st.Migrate(context.Background()))
	return st
}

func TestPGStore(t *testing.T) {
	casefiletest.Run(t, func(t *testing.T) casefiletest.Harness {
		pool := pgtest.Pool(t, 8)
		st := pgstore.New(pool)
		require.NoError(t, st.Migrate(context.Background()))
		return casefiletest.Harness{Store: st, Committed: func(t *testing.T) []event.Event { return pgtest.OutboxEvents(t, pool) }}
	})
}

func TestMigrateTwice(t *testing.T) {
	st := newStore(t, 2)
	require.NoError(t, st.Migrate(context.Background()))
}
