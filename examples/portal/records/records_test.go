package records_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records/recordstest"
)

func TestMemPermits(t *testing.T) {
	recordstest.RunPermits(t, func(*testing.T) records.Permits { return records.NewMemPermits() })
}

func TestMemConfirmations(t *testing.T) {
	recordstest.RunConfirmations(t, func(*testing.T) records.Confirmations { return records.NewMemConfirmations() })
}

func TestPgPermits(t *testing.T) {
	recordstest.RunPermits(t, func(t *testing.T) records.Permits {
		s, err := records.NewPgPermits(context.Background(), testPool(t))
		require.NoError(t, err)
		return s
	})
}

func TestPgConfirmations(t *testing.T) {
	recordstest.RunConfirmations(t, func(t *testing.T) records.Confirmations {
		s, err := records.NewPgConfirmations(context.Background(), testPool(t))
		require.NoError(t, err)
		return s
	})
}

func TestMigrateTwiceAndAtOnce(t *testing.T) {
	pool := testPool(t)
	ctx := context.Background()
	errs := make(chan error, 4)
	for range 4 {
		go func() { errs <- records.Migrate(ctx, pool) }()
	}
	for range 4 {
		require.NoError(t, <-errs, "portals starting at once on one database")
	}
	require.NoError(t, records.Migrate(ctx, pool), "a restart")
}

// pgEnv names the PostgreSQL server the tests use.
const pgEnv = "BOUWSTENEN_TEST_POSTGRES"

// testPool returns a pool on a new, empty schema of its own, dropped when
// t ends. It skips t when BOUWSTENEN_TEST_POSTGRES is not set.
func testPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	url := os.Getenv(pgEnv)
	if url == "" {
		t.Skipf("skipping PostgreSQL test: %s is not set (e.g. %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", pgEnv, pgEnv)
	}
	ctx := context.Background()
	schema := "t_records_" + strings.ReplaceAll(uuid.Must(uuid.NewV7()).String(), "-", "")
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
	cfg.MaxConns = 8
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool
}
