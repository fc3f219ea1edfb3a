package pgstore_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/permit/permittest"
	"github.com/lokaalbestuur/bouwstenen/permit/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConformance(t *testing.T) {
	permittest.Run(t, func(t *testing.T) permit.Store {
		pool := pgtest.Pool(t, 8)
		require.NoError(t, pgstore.New(pool).Migrate(context.Background()))
		return pgstore.New(pool)
	})
}

func TestCandidatesUseGiST(t *testing.T) {
	pool := pgtest.Pool(t, 2)
	ctx := context.Background()
	require.NoError(t, pgstore.New(pool).Migrate(ctx))
	// With sequential scans discouraged the planner must be able to answer
	// the overlap from the GiST index.
	_, err := pool.Exec(ctx, "SET enable_seqscan = off")
	require.NoError(t, err)
	var plan string
	rows, err := pool.Query(ctx, `EXPLAIN SELECT doc FROM permit_applications
		WHERE status IN ('granted','active') AND bbox && box '((1,1),(0,0))' AND span && tstzrange(now(), now() + interval '1 day')`)
	require.NoError(t, err)
	for rows.Next() {
		var line string
		require.NoError(t, rows.Scan(&line))
		plan += line + "\n"
	}
	require.NoError(t, rows.Err())
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
