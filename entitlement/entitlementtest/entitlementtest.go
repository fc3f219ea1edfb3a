// Package entitlementtest is the conformance suite every entitlement.Store
// passes: the in-memory store and the PostgreSQL store run the same tests,
// including the concurrent ones.
package entitlementtest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// Harness is one store under test, in the manner of Go CDK's drivertest:
// the store, and the events it committed so far in commit order (recorded
// for a memory store, read from the outbox for PostgreSQL). A store that
// drops or invents events fails the suite.
type Harness struct {
	Store     entitlement.Store
	Committed func(t *testing.T) []event.Event
}

// Run runs the suite against stores made by newHarness (a fresh, empty
// store per call).
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	newStore := func(t *testing.T) entitlement.Store { return newHarness(t).Store }
	eventtest.StoreEvents(t, func(t *testing.T) eventtest.StoreHarness { return storeHarness(t, newHarness(t)) })
	t.Run("CreateGetCurrent", func(t *testing.T) { testCreate(t, newStore(t)) })
	t.Run("NoSecondCurrentGrant", func(t *testing.T) { testDuplicate(t, newStore(t)) })
	t.Run("UpdateEndsCurrent", func(t *testing.T) { testUpdate(t, newStore(t)) })
	t.Run("OptOutStopsAndBlocks", func(t *testing.T) { testOptOut(t, newStore(t)) })
	t.Run("ConcurrentCreateOneWins", func(t *testing.T) { testConcurrentCreate(t, newStore(t)) })
	t.Run("ConcurrentRunsGrantOnce", func(t *testing.T) { testConcurrentRuns(t, newStore(t)) })
	t.Run("RunLifecycle", func(t *testing.T) { testRunLifecycle(t, newStore(t)) })
	t.Run("AbsentHolders", func(t *testing.T) { testAbsentHolders(t, newStore(t)) })
	t.Run("InputAtTheEdges", func(t *testing.T) { testInputAtTheEdges(t, newStore(t)) })
	t.Run("LookupWithBadText", func(t *testing.T) { testLookupWithBadText(t, newStore(t)) })
	t.Run("IdempotentRun", func(t *testing.T) { testIdempotentRun(t, newHarness(t)) })
	t.Run("UpdateKeepsIdentity", func(t *testing.T) { testUpdateKeepsIdentity(t, newHarness(t)) })
	t.Run("OptOutFindsTheGrantUnderLock", func(t *testing.T) { testOptOutUnderLock(t, newHarness(t)) })
	t.Run("ReadsOfASubject", func(t *testing.T) { testReads(t, newStore(t)) })
}

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, clock.Brussels)

func newGrant(subject, benefit string) (*entitlement.Grant, entitlement.GrantChange) {
	g := &entitlement.Grant{ID: id.New(), SubjectID: subject, Benefit: benefit, From: calendar.NewDate(2026, 3, 1),
		Status: entitlement.GrantActive, DecisionRef: "CBS 2026-02-20", DecidedBy: "test", CreatedAt: t0, UpdatedAt: t0,
		Reason: &entitlement.Result{SubjectID: subject, Benefit: benefit, Outcome: entitlement.Eligible}}
	a := entitlement.AuditEntry{ID: id.New(), At: t0, Actor: "test", Action: entitlement.EventGranted, SubjectID: subject, Benefit: benefit, GrantID: g.ID}
	e := event.Event{ID: id.New(), Type: entitlement.EventGranted, AggregateID: g.ID, Time: t0, Payload: entitlement.GrantEvent{GrantID: g.ID}}
	return g, entitlement.GrantChange{Audit: a, Events: []event.Event{e}}
}

func testCreate(t *testing.T, st entitlement.Store) {
	ctx := context.Background()
	g, ch := newGrant("p1", "b1")
	require.NoError(t, st.Create(ctx, g, ch))
	got, err := st.Get(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, g.SubjectID, got.SubjectID)
	assert.Equal(t, g.From, got.From)
	assert.Equal(t, entitlement.GrantActive, got.Status)
	require.NotNil(t, got.Reason)
	assert.Equal(t, entitlement.Eligible, got.Reason.Outcome)
	cur, err := st.Current(ctx, "p1", "b1")
	require.NoError(t, err)
	assert.Equal(t, g.ID, cur.ID)
	_, err = st.Current(ctx, "p1", "b2")
	assert.ErrorIs(t, err, entitlement.ErrNotFound)
	_, err = st.Get(ctx, id.New())
	assert.ErrorIs(t, err, entitlement.ErrNotFound)
	n := 0
	for a, err := range st.Audit(ctx, "p1") {
		require.NoError(t, err)
		assert.Equal(t, entitlement.EventGranted, a.Action)
		n++
	}
	assert.Equal(t, 1, n)
}

func testDuplicate(t *testing.T, st entitlement.Store) {
	ctx := context.Background()
	g, ch := newGrant("p1", "b1")
	require.NoError(t, st.Create(ctx, g, ch))
	g2, ch2 := newGrant("p1", "b1")
	assert.ErrorIs(t, st.Create(ctx, g2, ch2), entitlement.ErrAlreadyGranted)
	assert.ErrorIs(t, st.Create(ctx, g2, ch2), entitlement.ErrConflict)
}

func testUpdate(t *testing.T, st entitlement.Store) {
	ctx := context.Background()
	g, ch := newGrant("p1", "b1")
	require.NoError(t, st.Create(ctx, g, ch))
	boom := errors.New("boom")
	_, err := st.Update(ctx, g.ID, func(*entitlement.Grant) (entitlement.GrantChange, error) {
		return entitlement.GrantChange{}, boom
	})
	assert.ErrorIs(t, err, boom)
	updated, err := st.Update(ctx, g.ID, func(g *entitlement.Grant) (entitlement.GrantChange, error) {
		g.Status, g.Until, g.EndReason = entitlement.GrantRevoked, calendar.NewDate(2026, 4, 1), "fraud"
		return entitlement.GrantChange{Audit: entitlement.AuditEntry{ID: id.New(), At: t0, Actor: "clerk", Action: entitlement.EventRevoked, SubjectID: g.SubjectID, Benefit: g.Benefit, GrantID: g.ID}}, nil
	})
	require.NoError(t, err)
	assert.Equal(t, 2, updated.Version)
	assert.Equal(t, entitlement.GrantRevoked, updated.Status)
	got, err := st.Get(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, entitlement.GrantRevoked, got.Status)
	assert.Equal(t, calendar.NewDate(2026, 4, 1), got.Until)
	assert.Equal(t, 2, got.Version)
	_, err = st.Current(ctx, "p1", "b1")
	assert.ErrorIs(t, err, entitlement.ErrNotFound)
	g2, ch2 := newGrant("p1", "b1")
	require.NoError(t, st.Create(ctx, g2, ch2), "a revoked grant is not current, a new one may be made")
	_, err = st.Update(ctx, id.New(), func(*entitlement.Grant) (entitlement.GrantChange, error) {
		return entitlement.GrantChange{}, nil
	})
	assert.ErrorIs(t, err, entitlement.ErrNotFound)
}

func testOptOut(t *testing.T, st entitlement.Store) {
	ctx := context.Background()
	g, ch := newGrant("p1", "b1")
	require.NoError(t, st.Create(ctx, g, ch))
	oa := entitlement.AuditEntry{ID: id.New(), At: t0, Actor: "citizen", Action: entitlement.EventOptedOut, SubjectID: "p1", Benefit: "b1", GrantID: g.ID}
	end := func(g *entitlement.Grant) (entitlement.GrantChange, error) {
		if g != nil {
			g.Status = entitlement.GrantOptedOut
		}
		return entitlement.GrantChange{Audit: oa}, nil
	}
	require.NoError(t, st.OptOut(ctx, entitlement.OptOut{SubjectID: "p1", Benefit: "b1", At: t0, Reason: "first", RecordedBy: "citizen"}, end))
	got, err := st.Get(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, entitlement.GrantOptedOut, got.Status)
	out, err := st.OptOutOf(ctx, "p1", "b1")
	require.NoError(t, err)
	assert.Equal(t, "first", out.Reason)
	g2, ch2 := newGrant("p1", "b1")
	assert.ErrorIs(t, st.Create(ctx, g2, ch2), entitlement.ErrOptedOut)
	// Opting out twice, or without a grant, is fine.
	oa.ID = id.New()
	require.NoError(t, st.OptOut(ctx, entitlement.OptOut{SubjectID: "p1", Benefit: "b1", At: t0, Reason: "second", RecordedBy: "citizen"}, end))
	out, err = st.OptOutOf(ctx, "p1", "b1")
	require.NoError(t, err)
	assert.Equal(t, "first", out.Reason, "the first refusal stays")
	oa.ID, oa.SubjectID = id.New(), "p2"
	require.NoError(t, st.OptOut(ctx, entitlement.OptOut{SubjectID: "p2", Benefit: "b1", At: t0, RecordedBy: "citizen"}, end))
	_, err = st.OptOutOf(ctx, "p3", "b1")
	assert.ErrorIs(t, err, entitlement.ErrNotFound)
	// A failing function records nothing, not even the refusal.
	boom := errors.New("boom")
	assert.ErrorIs(t, st.OptOut(ctx, entitlement.OptOut{SubjectID: "p4", Benefit: "b1", At: t0, RecordedBy: "citizen"},
		func(*entitlement.Grant) (entitlement.GrantChange, error) { return entitlement.GrantChange{}, boom }), boom)
	_, err = st.OptOutOf(ctx, "p4", "b1")
	assert.ErrorIs(t, err, entitlement.ErrNotFound)
}

func testConcurrentCreate(t *testing.T, st entitlement.Store) {
	ctx := context.Background()
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g, ch := newGrant("p1", "b1")
			errs[i] = st.Create(ctx, g, ch)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			assert.ErrorIs(t, err, entitlement.ErrAlreadyGranted)
		}
	}
	assert.Equal(t, 1, ok)
}

var rules = entitlement.MustCompile(entitlement.GhentExample())

func people(n int, eligible func(i int) bool) iter.Seq[*entitlement.Subject] {
	return func(yield func(*entitlement.Subject) bool) {
		s := rules.Schema().NewSubject("")
		p := entitlement.Provenance{Source: entitlement.SourceCrossroadsBank}
		for i := range n {
			s.Reset(fmt.Sprintf("person-%03d", i))
			_ = s.Set(entitlement.FactResident, entitlement.Bool(true), p)
			_ = s.Set(entitlement.FactIncreasedAllowance, entitlement.Bool(eligible(i)), p)
			_ = s.Set(entitlement.FactDebtMediation, entitlement.Bool(false), p)
			if i%10 != 9 {
				_ = s.Set(entitlement.FactHouseholdIncome, entitlement.Money(decimalOf(50000)), p)
			}
			if !yield(s) {
				return
			}
		}
	}
}

func opts(day calendar.Date) entitlement.RunOptions {
	return entitlement.RunOptions{Date: day, Actor: "batch:test", DecisionRef: "CBS 2026-02-20", Benefits: []string{entitlement.BenefitUiTPASKansentarief}}
}

func testConcurrentRuns(t *testing.T, st entitlement.Store) {
	ctx := context.Background()
	svc := entitlement.NewService(rules, st, clock.NewSettable(t0))
	const n, runs = 40, 3
	var wg sync.WaitGroup
	reps := make([]entitlement.RunReport, runs)
	errs := make([]error, runs)
	for r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[r], errs[r] = svc.Run(ctx, people(n, func(i int) bool { return i%2 == 0 }), opts(calendar.NewDate(2026, 3, 1)))
		}()
	}
	wg.Wait()
	granted := 0
	for r := range runs {
		require.NoError(t, errs[r])
		granted += reps[r].Granted
	}
	assert.Equal(t, n/2, granted, "every eligible subject granted exactly once over all runs")
	held := 0
	for _, err := range st.Held(ctx, entitlement.BenefitUiTPASKansentarief) {
		require.NoError(t, err)
		held++
	}
	assert.Equal(t, n/2, held)
	rep, err := svc.Run(ctx, people(n, func(i int) bool { return i%2 == 0 }), opts(calendar.NewDate(2026, 3, 2)))
	require.NoError(t, err)
	assert.Equal(t, 0, rep.Granted, "a re-run grants nothing")
}

func testRunLifecycle(t *testing.T, st entitlement.Store) {
	ctx := context.Background()
	clk := clock.NewSettable(t0)
	svc := entitlement.NewService(rules, st, clk)
	const n = 10
	rep, err := svc.Run(ctx, people(n, func(i int) bool { return i < 4 }), opts(calendar.NewDate(2026, 3, 1)))
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Granted)
	require.Len(t, rep.Unknown, 1, "person-009 has no income and no allowance")
	assert.Equal(t, []string{"household_income"}, rep.Unknown[0].Missing)

	g, err := st.Current(ctx, "person-000", entitlement.BenefitUiTPASKansentarief)
	require.NoError(t, err)
	require.NotNil(t, g.Reason)
	assert.Equal(t, entitlement.Eligible, g.Reason.Outcome)
	assert.Equal(t, "batch:test", g.DecidedBy)

	// person-001 opts out, person-002 loses the allowance.
	require.NoError(t, svc.OptOut(ctx, "person-001", entitlement.BenefitUiTPASKansentarief, "not needed", "citizen"))
	rep, err = svc.Run(ctx, people(n, func(i int) bool { return i < 2 || i == 3 }), opts(calendar.NewDate(2026, 4, 1)))
	require.NoError(t, err)
	assert.Equal(t, 0, rep.Granted, "the opted-out person is not granted again")
	assert.Equal(t, 1, rep.Skipped)
	assert.Equal(t, 1, rep.Ending)
	g, err = st.Current(ctx, "person-002", entitlement.BenefitUiTPASKansentarief)
	require.NoError(t, err)
	assert.Equal(t, entitlement.GrantEnding, g.Status)
	assert.Equal(t, calendar.NewDate(2026, 5, 1), g.Until, "30 days' notice")

	// Qualifying again during the notice period takes the notice back.
	rep, err = svc.Run(ctx, people(n, func(i int) bool { return i < 4 }), opts(calendar.NewDate(2026, 4, 10)))
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Reinstated)
	assert.Equal(t, 0, rep.Granted)
	g, err = st.Current(ctx, "person-002", entitlement.BenefitUiTPASKansentarief)
	require.NoError(t, err)
	assert.Equal(t, entitlement.GrantActive, g.Status)
	assert.True(t, g.Until.IsZero())

	// Losing it again gives new notice; after the notice period the grant ends.
	rep, err = svc.Run(ctx, people(n, func(i int) bool { return i < 2 || i == 3 }), opts(calendar.NewDate(2026, 4, 20)))
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Ending)
	rep, err = svc.Run(ctx, people(n, func(i int) bool { return i < 2 || i == 3 }), opts(calendar.NewDate(2026, 5, 20)))
	require.NoError(t, err)
	assert.Equal(t, 0, rep.Ended, "the last day of the notice period is still covered")
	rep, err = svc.Run(ctx, people(n, func(i int) bool { return i < 2 || i == 3 }), opts(calendar.NewDate(2026, 5, 21)))
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Ended)
	_, err = st.Current(ctx, "person-002", entitlement.BenefitUiTPASKansentarief)
	assert.ErrorIs(t, err, entitlement.ErrNotFound)

	// Revocation.
	g, err = st.Current(ctx, "person-003", entitlement.BenefitUiTPASKansentarief)
	require.NoError(t, err)
	_, err = svc.Revoke(ctx, entitlement.RevokeRequest{GrantID: g.ID, Reason: "wrong data", Actor: "clerk-7"})
	require.NoError(t, err)
	_, err = svc.Revoke(ctx, entitlement.RevokeRequest{GrantID: g.ID, Reason: "again", Actor: "clerk-7"})
	assert.ErrorIs(t, err, entitlement.ErrInvalidTransition)
	_, err = svc.Revoke(ctx, entitlement.RevokeRequest{GrantID: g.ID})
	assert.ErrorIs(t, err, entitlement.ErrValidation)

	var actions []string
	for a, err := range st.Audit(ctx, "person-002") {
		require.NoError(t, err)
		actions = append(actions, a.Action)
	}
	assert.Equal(t, []string{entitlement.EventGranted, entitlement.EventEnding, entitlement.EventReinstated,
		entitlement.EventEnding, entitlement.EventEnded}, actions)
}

// testAbsentHolders: a holder missing from the population is listed, and
// given notice only when the population is declared complete.
func testAbsentHolders(t *testing.T, st entitlement.Store) {
	ctx := context.Background()
	svc := entitlement.NewService(rules, st, clock.NewSettable(t0))
	all := func(int) bool { return true }
	rep, err := svc.Run(ctx, people(3, all), opts(calendar.NewDate(2026, 3, 1)))
	require.NoError(t, err)
	require.Equal(t, 3, rep.Granted)

	// person-002 is left out of a partial feed: listed, not touched.
	rep, err = svc.Run(ctx, people(2, all), opts(calendar.NewDate(2026, 3, 2)))
	require.NoError(t, err)
	assert.Equal(t, []entitlement.Holder{{SubjectID: "person-002", Benefit: entitlement.BenefitUiTPASKansentarief}}, rep.Absent)
	assert.Zero(t, rep.Ending)
	g, err := st.Current(ctx, "person-002", entitlement.BenefitUiTPASKansentarief)
	require.NoError(t, err)
	assert.Equal(t, entitlement.GrantActive, g.Status)

	// The same run over the complete population gives notice.
	o := opts(calendar.NewDate(2026, 3, 3))
	o.CompletePopulation = true
	rep, err = svc.Run(ctx, people(2, all), o)
	require.NoError(t, err)
	assert.Len(t, rep.Absent, 1)
	assert.Equal(t, 1, rep.Ending)
	g, err = st.Current(ctx, "person-002", entitlement.BenefitUiTPASKansentarief)
	require.NoError(t, err)
	assert.Equal(t, entitlement.GrantEnding, g.Status)
	for _, id := range []string{"person-000", "person-001"} {
		g, err = st.Current(ctx, id, entitlement.BenefitUiTPASKansentarief)
		require.NoError(t, err)
		assert.Equal(t, entitlement.GrantActive, g.Status, id)
	}

	// A cancelled run judges no one absent.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	rep, err = svc.Run(cancelled, people(2, all), o)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, rep.Absent)

	// An empty "complete" population is refused rather than ending every right.
	rep, err = svc.Run(ctx, people(0, all), o)
	assert.ErrorIs(t, err, entitlement.ErrValidation)
	assert.Empty(t, rep.Absent)
	g, err = st.Current(ctx, "person-000", entitlement.BenefitUiTPASKansentarief)
	require.NoError(t, err)
	assert.Equal(t, entitlement.GrantActive, g.Status)
}
