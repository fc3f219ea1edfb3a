package pgstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/permit/permittest"
	"github.com/lokaalbestuur/bouwstenen/permit/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConformance(t *testing.T) {
	permittest.Run(t, func(t *testing.T) permittest.Harness {
		pool := pgtest.Pool(t, 8)
		require.NoError(t, pgstore.New(pool).Migrate(context.Background()))
		return permittest.Harness{Store: pgstore.New(pool), Committed: func(t *testing.T) []event.Event { return pgtest.OutboxEvents(t, pool) }}
	})
}

// explain returns the plan of a query with sequential scans discouraged,
// so the planner uses an index where it can.
func explain(t *testing.T, pool *pgxpool.Pool, query string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "SET enable_seqscan = off")
	require.NoError(t, err)
	rows, err := conn.Query(ctx, "EXPLAIN "+query)
	require.NoError(t, err)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	_, err = conn.Exec(ctx, "RESET enable_seqscan")
	require.NoError(t, err)
	return strings.Join(lines, "\n")
}

func TestByApplicantUsesItsIndex(t *testing.T) {
	pool := pgtest.Pool(t, 2)
	require.NoError(t, pgstore.New(pool).Migrate(context.Background()))
	plan := explain(t, pool, `SELECT doc FROM permit_applications
		WHERE applicant = ANY('{insz:85073003328,kbo:0403170701}') AND applicant <> '' AND id < 'ffffffff-ffff-ffff-ffff-ffffffffffff'
		ORDER BY id DESC LIMIT 100`)
	assert.Contains(t, plan, "permit_applications_applicant", plan)
}

func TestCandidatesUseGiST(t *testing.T) {
	pool := pgtest.Pool(t, 2)
	require.NoError(t, pgstore.New(pool).Migrate(context.Background()))
	// With sequential scans discouraged the planner must be able to answer
	// the overlap from the GiST index.
	plan := explain(t, pool, `SELECT doc FROM permit_applications
		WHERE occupies AND bbox && box '((1,1),(0,0))' AND span && tstzrange(now(), now() + interval '1 day')`)
	require.Contains(t, plan, "permit_applications_conflicts", plan)
}

func TestEventsGoToTheOutboxWithTheChange(t *testing.T) {
	pool := pgtest.Pool(t, 2)
	ctx := context.Background()
	require.NoError(t, pgstore.New(pool).Migrate(ctx))
	store := pgstore.New(pool)
	svc := permit.NewService(permit.Config{Store: store, Clock: clock.NewSettable(permittest.Now)})
	a, err := svc.Draft(ctx, permittest.Input(permittest.Square(4.40, 51.21, 5), permittest.Now.AddDate(0, 0, 14), 2))
	require.NoError(t, err)
	_, err = svc.Submit(ctx, a.ID)
	require.NoError(t, err)
	_, err = svc.Withdraw(ctx, a.ID)
	require.NoError(t, err)
	_, err = svc.Grant(ctx, a.ID, nil) // refused: nothing written
	require.ErrorIs(t, err, permit.ErrInvalidTransition)

	rows, err := pool.Query(ctx, `SELECT type FROM outbox WHERE aggregate_id = $1 ORDER BY occurred_at, type`, a.ID)
	require.NoError(t, err)
	types, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{permit.EventDrafted, permit.EventSubmitted, permit.EventWithdrawn}, types)
}

func TestListPages(t *testing.T) {
	pool := pgtest.Pool(t, 2)
	ctx := context.Background()
	require.NoError(t, pgstore.New(pool).Migrate(ctx))
	store := pgstore.New(pool)
	svc := permit.NewService(permit.Config{Store: store, Clock: clock.NewSettable(permittest.Now)})
	for i := range 105 {
		_, err := svc.Draft(ctx, permittest.Input(permittest.Square(4.40+float64(i)*0.001, 51.21, 5), permittest.Now.AddDate(0, 0, 14), 2))
		require.NoError(t, err)
	}
	n := 0
	for a, err := range store.List(ctx, permit.StatusDraft) {
		require.NoError(t, err)
		require.NotNil(t, a)
		n++
	}
	assert.Equal(t, 105, n)
}

// TestRatingLocksItsPartyFirst checks the ordering promise for ratings:
// their events are the party application's, so SaveRating takes that
// application's row lock before it writes; it waits for a transaction
// holding it.
func TestRatingLocksItsPartyFirst(t *testing.T) {
	pool := pgtest.Pool(t, 4)
	ctx := context.Background()
	require.NoError(t, pgstore.New(pool).Migrate(ctx))
	store := pgstore.New(pool)
	svc := permit.NewService(permit.Config{Store: store, Clock: clock.NewSettable(permittest.Now)})
	a, err := svc.Draft(ctx, permittest.Input(permittest.Square(4.40, 51.21, 5), permittest.Now.AddDate(0, 0, 14), 2))
	require.NoError(t, err)
	b, err := svc.Draft(ctx, permittest.Input(permittest.Square(4.40, 51.21, 5), permittest.Now.AddDate(0, 0, 14), 2))
	require.NoError(t, err)

	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, `SELECT 1 FROM permit_applications WHERE id = $1 FOR UPDATE`, a.ID)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- svc.RateConflict(ctx, a.ID, b.ID, a.ID, permit.Accepted) }()
	select {
	case err := <-done:
		t.Fatalf("the rating did not wait for the party's row lock (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	require.NoError(t, tx.Commit(ctx))
	require.NoError(t, <-done)
}
