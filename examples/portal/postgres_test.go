package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

// TestPortalOnPostgres composes the portal with every store in PostgreSQL
// (a fresh schema), as -postgres does, and walks the main pages.
func TestPortalOnPostgres(t *testing.T) {
	ctx, pool, log := postgresTest(t, 8)
	be := wiring.NewBackend(log, pool)
	a, err := newApp(ctx, log, demo.Town(), be, false)
	require.NoError(t, err)

	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	c := &client{t: t, srv: srv, c: srv.Client()}
	c.c.Jar = newJar(t)
	body := c.signIn("an")
	assert.Contains(t, body, "Straatverlichting", "the seeded reports are in PostgreSQL")

	// A second start on the same database does not seed again.
	a2, err := newApp(ctx, log, demo.Town(), wiring.NewBackend(log, pool), false)
	require.NoError(t, err)
	var n int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM casefile_cases").Scan(&n))
	assert.Equal(t, 4, n)
	_ = a2
	require.NoError(t, be.Settle(ctx))
}

// postgresTest gives a test of the -postgres mode a fresh PostgreSQL schema
// with the outbox in it, a context that ends with the test, and a quiet
// logger. It skips the test when BOUWSTENEN_TEST_POSTGRES is not set.
func postgresTest(t testing.TB, conns int32) (context.Context, *pgxpool.Pool, *slog.Logger) {
	t.Helper()
	pool := testPool(t, conns)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	require.NoError(t, outbox.Migrate(ctx, pool))
	return ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil))
}
