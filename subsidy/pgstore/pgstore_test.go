package pgstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
	"github.com/lokaalbestuur/bouwstenen/subsidy/pgstore"
	"github.com/lokaalbestuur/bouwstenen/subsidy/subsidytest"
)

func newStore(t *testing.T) subsidy.Store {
	pool := pgtest.Pool(t, 8)
	require.NoError(t, pgstore.New(pool).Migrate(context.Background()))
	return pgstore.New(pool)
}

func TestConformance(t *testing.T) {
	subsidytest.Run(t, func(t *testing.T) subsidytest.Harness {
		pool := pgtest.Pool(t, 8)
		require.NoError(t, pgstore.New(pool).Migrate(context.Background()))
		return subsidytest.Harness{Store: pgstore.New(pool), Committed: func(t *testing.T) []event.Event { return pgtest.OutboxEvents(t, pool) }}
	})
}

func TestPagedApplicationsAndCalls(t *testing.T) {
	pool := pgtest.Pool(t, 4)
	ctx := context.Background()
	require.NoError(t, pgstore.New(pool).Migrate(ctx))
	st := pgstore.New(pool)
	st.PageSize = 2
	svc := subsidy.NewService(st, nil)
	sc, err := svc.CreateScheme(ctx, subsidy.SchemeInput{Name: "n", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
	require.NoError(t, err)
	rules := subsidytest.Rules()
	rules.Opens = rules.Opens.AddDate(-10, 0, 0)
	rules.Closes = rules.Closes.AddDate(10, 0, 0)
	call, err := svc.CreateCall(ctx, sc.ID, rules)
	require.NoError(t, err)
	for range 5 {
		_, err := svc.CreateDraft(ctx, subsidytest.Input(call.ID, "100"))
		require.NoError(t, err)
	}
	n := 0
	for _, err := range st.Applications(ctx, call.ID) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 5, n)
	for range 4 {
		_, err := svc.CreateCall(ctx, sc.ID, rules)
		require.NoError(t, err)
	}
	n = 0
	for _, err := range st.Calls(ctx) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 5, n, "calls over three pages of two")

	// the events of every change reach the outbox in the same transaction
	var count int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM outbox WHERE type = $1", subsidy.EventDrafted).Scan(&count))
	assert.Equal(t, 5, count)
}

// The CHECK constraint holds the ledger's invariant even against a buggy rule.
func TestBudgetConstraint(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	svc := subsidy.NewService(st, nil)
	sc, err := svc.CreateScheme(ctx, subsidy.SchemeInput{Name: "n", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
	require.NoError(t, err)
	call, err := svc.CreateCall(ctx, sc.ID, subsidytest.Rules())
	require.NoError(t, err)
	err = st.Update(ctx, call.ID, nil, func(c *subsidy.Call, _ []*subsidy.Application) ([]event.Event, error) {
		c.Ledger.Reserved = c.Budget.Add(decimal.NewFromInt(1))
		return nil, nil
	})
	assert.ErrorIs(t, err, subsidy.ErrBudgetExceeded)
	got, err := st.Call(ctx, call.ID)
	require.NoError(t, err)
	assert.True(t, got.Ledger.Reserved.IsZero())
	assert.Equal(t, call.Version, got.Version)
}

// "My applications" reads the index by applicant reference, not the table:
// with sequential scans off the plan names the index, and with them on it
// still finds the applicant's rows.
func TestApplicationsOfUsesTheIndex(t *testing.T) {
	pool := pgtest.Pool(t, 2)
	ctx := context.Background()
	require.NoError(t, pgstore.New(pool).Migrate(ctx))
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "SET enable_seqscan = off")
	require.NoError(t, err)
	var plan []string
	rows, err := conn.Query(ctx, `EXPLAIN SELECT seq, doc FROM subsidy_application WHERE applicant_ref = ANY($1) AND seq > $2 ORDER BY seq LIMIT $3`,
		[]string{"a", "b"}, int64(0), 200)
	require.NoError(t, err)
	for rows.Next() {
		var line string
		require.NoError(t, rows.Scan(&line))
		plan = append(plan, line)
	}
	require.NoError(t, rows.Err())
	assert.Contains(t, strings.Join(plan, "\n"), "subsidy_application_applicant")
}
