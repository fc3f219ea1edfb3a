package pgstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/entitlement"

	"github.com/lokaalbestuur/bouwstenen/entitlement/entitlementtest"
	"github.com/lokaalbestuur/bouwstenen/entitlement/pgstore"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

func TestPGStore(t *testing.T) {
	entitlementtest.Run(t, func(t *testing.T) entitlementtest.Harness {
		pool := pgtest.Pool(t, 8)
		st := pgstore.New(pool)
		require.NoError(t, st.Migrate(context.Background()))
		return entitlementtest.Harness{Store: st, Committed: func(t *testing.T) []event.Event { return pgtest.OutboxEvents(t, pool) }}
	})
}

// TestOptOutLocksTheGrantFirst: an opt-out locks the grant's row before it
// writes anything (the refusal, the audit, the outbox), so a grant's
// events commit in the order of their changes; ARCHITECTURE.md's
// ordering promise rests on it. The test holds the row lock and looks at
// what the waiting opt-out holds.
func TestOptOutLocksTheGrantFirst(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 4)
	st := pgstore.New(pool)
	require.NoError(t, st.Migrate(ctx))
	rules := entitlement.MustCompile(entitlement.GhentExample())
	svc := entitlement.NewService(rules, st, clock.NewSettable(time.Date(2026, 3, 1, 9, 0, 0, 0, clock.Brussels)))
	b := entitlement.BenefitUiTPASKansentarief
	subj := rules.Schema().NewSubject("p1")
	p := entitlement.Provenance{Source: entitlement.SourceCrossroadsBank}
	require.NoError(t, subj.Set(entitlement.FactResident, entitlement.Bool(true), p))
	require.NoError(t, subj.Set(entitlement.FactIncreasedAllowance, entitlement.Bool(true), p))
	rep, err := svc.Run(ctx, func(yield func(*entitlement.Subject) bool) { yield(subj) },
		entitlement.RunOptions{Date: calendar.NewDate(2026, 3, 1), Actor: "batch", DecisionRef: "CBS", Benefits: []string{b}})
	require.NoError(t, err)
	require.Equal(t, 1, rep.Granted, "%+v", rep)

	locker, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = locker.Rollback(ctx) }()
	var lockerPID int
	require.NoError(t, locker.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&lockerPID))
	_, err = locker.Exec(ctx, "SELECT 1 FROM entitlement_grant WHERE subject_id = 'p1' FOR UPDATE")
	require.NoError(t, err)

	done := make(chan error, 1)
	go func() { done <- svc.OptOut(ctx, "p1", b, "", "citizen") }()
	var waiting int
	require.Eventually(t, func() bool {
		err := pool.QueryRow(ctx, "SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", lockerPID).Scan(&waiting)
		return err == nil
	}, 10*time.Second, 10*time.Millisecond, "the opt-out waits for the grant's row")
	rows, err := pool.Query(ctx, `SELECT relation::regclass::text FROM pg_locks WHERE pid = $1 AND mode = 'RowExclusiveLock'
		AND relation IN ('entitlement_opt_out'::regclass, 'entitlement_audit'::regclass, 'outbox'::regclass)`, waiting)
	require.NoError(t, err)
	written, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	assert.Empty(t, written, "nothing is written before the grant's row is locked")
	require.NoError(t, locker.Rollback(ctx))
	require.NoError(t, <-done)
	_, err = svc.Current(ctx, "p1", b)
	assert.ErrorIs(t, err, entitlement.ErrNotFound, "the grant stopped")
	_, err = svc.OptOutOf(ctx, "p1", b)
	assert.NoError(t, err)
}
