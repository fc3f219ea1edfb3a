package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/crashtest"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

// The crash tests run a consumer in a child process (this test binary,
// started again with crashChildEnv set) and kill it with SIGKILL at the
// worst moment: after a handler did its work, before the consumer's
// progress committed.
const (
	crashChildEnv  = "BOUWSTENEN_OUTBOX_CRASH_CHILD"
	crashSchemaEnv = "BOUWSTENEN_OUTBOX_CRASH_SCHEMA"
	crashStallEnv  = "BOUWSTENEN_OUTBOX_CRASH_STALL"
)

// invoiceHandler is the consumer under test: for every granted permit it
// creates one invoice, idempotently (the permit's aggregate ID is the
// invoice's key), and counts its calls.
func invoiceHandler(pool *pgxpool.Pool, stall bool) event.Handler {
	return func(ctx context.Context, e event.Event) error {
		if _, err := pool.Exec(ctx, "INSERT INTO handler_calls (event_id) VALUES ($1)", e.ID); err != nil {
			return err
		}
		if _, err := pool.Exec(ctx, "INSERT INTO invoices (permit_id) VALUES ($1) ON CONFLICT DO NOTHING", e.AggregateID); err != nil {
			return err
		}
		if stall {
			fmt.Printf("handled %s\n", e.ID)
			time.Sleep(time.Minute) // the parent kills us here
		}
		return nil
	}
}

// TestCrashChild is the child's body; it does nothing in a normal run.
func TestCrashChild(t *testing.T) {
	if os.Getenv(crashChildEnv) == "" {
		t.Skip("runs only as the child of the crash tests")
	}
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(pgtest.URL(t))
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = os.Getenv(crashSchemaEnv)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	defer pool.Close()
	cs := outbox.NewConsumers(pool, clock.Real{}, event.RetryPolicy{})
	require.NoError(t, cs.Subscribe(ctx, event.Consumer{Name: "invoice granted permits", Types: []string{"permit.granted"},
		Handle: invoiceHandler(pool, os.Getenv(crashStallEnv) != "")}))
	require.NoError(t, cs.Settle(ctx))
	fmt.Println("settled")
}

func TestKilledAfterHandlerBeforeProgressHandlesAgainAndCreatesOnce(t *testing.T) {
	pool := pgtest.Pool(t, 4)
	ctx := context.Background()
	require.NoError(t, outbox.Migrate(ctx, pool))
	_, err := pool.Exec(ctx, `CREATE TABLE invoices (permit_id uuid PRIMARY KEY);
		CREATE TABLE handler_calls (event_id uuid NOT NULL)`)
	require.NoError(t, err)
	const permits = 5
	var granted []event.Event
	for range permits {
		granted = append(granted, event.Event{ID: id.New(), Type: "permit.granted", AggregateID: id.New(), Time: time.Now()})
	}
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return outbox.Write(ctx, tx, granted...) }))
	schema := pgtest.Schema(t, pool)

	// First life: killed right after the first invoice was created.
	cmd, out := crashtest.Start(t, "TestCrashChild", crashChildEnv+"=1", crashSchemaEnv+"="+schema, crashStallEnv+"=1")
	line := crashtest.Line(t, out, "handled ")
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	err = cmd.Wait()
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "the child was killed: %v", err)
	killed := strings.TrimPrefix(line, "handled ")

	// Second life: a restart settles the rest.
	cmd, out = crashtest.Start(t, "TestCrashChild", crashChildEnv+"=1", crashSchemaEnv+"="+schema)
	crashtest.Line(t, out, "settled")
	require.NoError(t, cmd.Wait())

	var invoices, calls, callsForKilled int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM invoices").Scan(&invoices))
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM handler_calls").Scan(&calls))
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM handler_calls WHERE event_id = $1", killed).Scan(&callsForKilled))
	assert.Equal(t, permits, invoices, "every granted permit has exactly one invoice")
	assert.Equal(t, 2, callsForKilled, "the event whose progress died with the process was handled again")
	assert.Equal(t, permits+1, calls)
}
