// Package pgtest gives each PostgreSQL test its own schema in the database
// named by BOUWSTENEN_TEST_POSTGRES, and drops it when the test ends. When
// the variable is unset the test is skipped, saying why.
package pgtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// EnvVar names the variable that holds the connection URL of the test database.
const EnvVar = "BOUWSTENEN_TEST_POSTGRES"

// URL returns the test database URL, or skips t when none is set.
func URL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(EnvVar)
	if url == "" {
		t.Skipf("skipping PostgreSQL test: %s is not set (e.g. %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", EnvVar, EnvVar)
	}
	return url
}

// Pool returns a pool whose connections use a new, empty schema of their
// own; the schema and everything in it is dropped when t ends. Pass
// maxConns 0 for pgx's default.
func Pool(t testing.TB, maxConns int32) *pgxpool.Pool {
	t.Helper()
	url := URL(t)
	ctx := context.Background()
	schema := "t_" + strings.ReplaceAll(id.New().String(), "-", "")

	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("pgtest: connect to %s: %v", EnvVar, err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("pgtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), url)
		if err != nil {
			t.Errorf("pgtest: connect to drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("pgtest: drop schema %s: %v", schema, err)
		}
	})

	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatalf("pgtest: parse %s: %v", EnvVar, err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("pgtest: open pool: %v", err)
	}
	t.Cleanup(pool.Close) // runs before the schema is dropped
	if err := pool.Ping(ctx); err != nil {
		t.Fatalf("pgtest: ping: %v", err)
	}
	return pool
}

// Schema returns the schema the pool's connections use.
func Schema(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	var s string
	if err := pool.QueryRow(context.Background(), "SELECT current_schema()").Scan(&s); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return s
}

// Describe names the database a test ran against, for logs.
func Describe(pool *pgxpool.Pool) string {
	c := pool.Config().ConnConfig
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// OutboxEvents returns every event in the pool's outbox, in commit order:
// what a PostgreSQL store committed, for the conformance suites.
func OutboxEvents(t testing.TB, pool *pgxpool.Pool) []event.Event {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT id, type, aggregate_id, occurred_at, payload FROM outbox ORDER BY txid, seq`)
	if err != nil {
		t.Fatalf("pgtest: read outbox: %v", err)
	}
	defer rows.Close()
	var out []event.Event
	for rows.Next() {
		var e event.Event
		var payload []byte
		if err := rows.Scan(&e.ID, &e.Type, &e.AggregateID, &e.Time, &payload); err != nil {
			t.Fatalf("pgtest: read outbox: %v", err)
		}
		if payload != nil {
			e.Payload = json.RawMessage(payload)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("pgtest: read outbox: %v", err)
	}
	return out
}

// PlanCounts returns how often PostgreSQL planned the prepared statement
// whose text contains fragment on the pool's connection (of several, the
// one planned most often for its call), as generic plans
// (planned once, reused) and as custom plans (planned again for every
// execution): pg_prepared_statements. pgx prepares each statement once per
// connection, so give the pool one connection and run the read repeatedly
// first. PostgreSQL tries five custom plans and then keeps the generic one
// when it is not dearer; a read whose generic plan cannot use its index
// (a partial index whose predicate the query does not repeat, say) stays on
// custom plans and pays for planning on every call.
func PlanCounts(t testing.TB, pool *pgxpool.Pool, fragment string) (generic, custom int64) {
	t.Helper()
	err := pool.QueryRow(context.Background(), `SELECT generic_plans, custom_plans FROM pg_prepared_statements
		WHERE strpos(statement, $1) > 0 ORDER BY custom_plans DESC LIMIT 1`, fragment).Scan(&generic, &custom)
	if err != nil {
		t.Fatalf("pgtest: read pg_prepared_statements: %v", err)
	}
	return generic, custom
}
