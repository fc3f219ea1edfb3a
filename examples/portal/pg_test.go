package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
)

// pgEnv names the PostgreSQL server the tests of the -postgres mode use.
const pgEnv = "BOUWSTENEN_TEST_POSTGRES"

// testPool returns a pool whose connections use a new, empty schema of
// their own, dropped when t ends, so tests running at once never meet. It
// skips t when BOUWSTENEN_TEST_POSTGRES is not set. Pass maxConns 0 for
// pgx's default.
func testPool(t testing.TB, maxConns int32) *pgxpool.Pool {
	t.Helper()
	return testPoolWith(t, maxConns, nil)
}

// testPoolWith is testPool with tweak applied to the pool's configuration
// before the pool is made (a query tracer, say); tweak may be nil.
func testPoolWith(t testing.TB, maxConns int32, tweak func(*pgxpool.Config)) *pgxpool.Pool {
	t.Helper()
	url := os.Getenv(pgEnv)
	if url == "" {
		t.Skipf("skipping PostgreSQL test: %s is not set (e.g. %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", pgEnv, pgEnv)
	}
	ctx := context.Background()
	schema := "t_portal_" + strings.ReplaceAll(uuid.Must(uuid.NewV7()).String(), "-", "")
	admin, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer admin.Close(ctx)
	_, err = admin.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), url)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	cfg, err := pgxpool.ParseConfig(url)
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	if tweak != nil {
		tweak(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool
}

// currentSchema is the schema pool's connections use.
func currentSchema(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	var s string
	require.NoError(t, pool.QueryRow(context.Background(), "SELECT current_schema()").Scan(&s))
	return s
}
