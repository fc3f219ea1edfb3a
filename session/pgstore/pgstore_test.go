package pgstore_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/session"
	"github.com/lokaalbestuur/bouwstenen/session/pgstore"
	"github.com/lokaalbestuur/bouwstenen/session/sessiontest"
)

func newStore(t testing.TB, pool *pgxpool.Pool) *pgstore.Store {
	t.Helper()
	st := pgstore.New(pool)
	require.NoError(t, st.Migrate(context.Background()))
	return st
}

func TestPgStore(t *testing.T) {
	sessiontest.Run(t, func(t *testing.T) session.Store { return newStore(t, pgtest.Pool(t, 0)) })
}
