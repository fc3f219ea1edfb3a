package entitlementtest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// granted counts the committed grant events of a subject.
func granted(t *testing.T, h Harness, subject string) int {
	n := 0
	for _, e := range h.Committed(t) {
		if e.Type != entitlement.EventGranted {
			continue
		}
		p, err := event.Decode[entitlement.GrantEvent](e)
		require.NoError(t, err)
		if p.SubjectID == subject {
			n++
		}
	}
	return n
}

// testIdempotentRun: a run retried with its key grants nobody twice, not
// even a subject whose grant was revoked in between; the key reused for
// another run is ErrConflict.
func testIdempotentRun(t *testing.T, h Harness) {
	ctx := context.Background()
	svc := entitlement.NewService(rules, h.Store, clock.NewSettable(t0))
	all := func(int) bool { return true }
	o := opts(calendar.NewDate(2026, 3, 1))
	o.IdempotencyKey = "run:2026-03"
	rep, err := svc.Run(ctx, people(4, all), o)
	require.NoError(t, err)
	require.Equal(t, 4, rep.Granted)

	g, err := svc.Current(ctx, "person-000", entitlement.BenefitUiTPASKansentarief)
	require.NoError(t, err)
	_, err = svc.Revoke(ctx, entitlement.RevokeRequest{GrantID: g.ID, Reason: "wrong data", Actor: "clerk-7"})
	require.NoError(t, err)

	// The run is retried (its first try seemed to fail): the revoked
	// subject is not granted again, the others still hold their grant.
	rep, err = svc.Run(ctx, people(4, all), o)
	require.NoError(t, err)
	assert.Equal(t, 0, rep.Granted)
	assert.Equal(t, 1, rep.Skipped)
	assert.Equal(t, 1, granted(t, h, "person-000"), "one grant event for one grant")
	_, err = svc.Current(ctx, "person-000", entitlement.BenefitUiTPASKansentarief)
	assert.ErrorIs(t, err, entitlement.ErrNotFound)

	// Ten retries at once change nothing either.
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Go(func() { _, errs[i] = svc.Run(ctx, people(4, all), o) })
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	assert.Equal(t, 1, granted(t, h, "person-000"))

	// The key of this run used for another decision is a conflict.
	other := o
	other.DecisionRef = "CBS 2026-04-01"
	_, err = svc.Run(ctx, people(4, all), other)
	assert.ErrorIs(t, err, entitlement.ErrConflict)
	assert.Equal(t, 1, granted(t, h, "person-000"))

	// Another run, with its own key, may grant the right anew.
	next := opts(calendar.NewDate(2026, 4, 1))
	next.IdempotencyKey = "run:2026-04"
	rep, err = svc.Run(ctx, people(4, all), next)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Granted)
	assert.Equal(t, 2, granted(t, h, "person-000"))

	// A key too long to keep is refused before anything is stored.
	next.IdempotencyKey = strings.Repeat("k", 256)
	_, err = svc.Run(ctx, people(4, all), next)
	assert.ErrorIs(t, err, entitlement.ErrValidation)
}

// testUpdateKeepsIdentity: a store applies CheckUpdate, so no update
// moves a grant to another subject or benefit, or revives a grant that
// stopped; such an update stores nothing.
func testUpdateKeepsIdentity(t *testing.T, h Harness) {
	ctx := context.Background()
	st := h.Store
	g, ch := newGrant("p1", "b1")
	require.NoError(t, st.Create(ctx, g, ch))
	before := len(h.Committed(t))
	withEvent := func(g *entitlement.Grant) entitlement.GrantChange {
		return entitlement.GrantChange{Events: []event.Event{{ID: id.New(), Type: entitlement.EventRevoked, AggregateID: g.ID, Time: t0}}}
	}
	for name, change := range map[string]func(*entitlement.Grant){
		"subject": func(g *entitlement.Grant) { g.SubjectID = "p2" },
		"benefit": func(g *entitlement.Grant) { g.Benefit = "b2" },
		"key":     func(g *entitlement.Grant) { g.IdempotencyKey = "later" },
	} {
		_, err := st.Update(ctx, g.ID, func(g *entitlement.Grant) (entitlement.GrantChange, error) {
			change(g)
			return withEvent(g), nil
		})
		assert.ErrorIs(t, err, entitlement.ErrInvalidTransition, name)
	}
	got, err := st.Get(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, "p1", got.SubjectID)
	assert.Equal(t, "b1", got.Benefit)
	assert.Empty(t, got.IdempotencyKey)
	assert.Equal(t, 1, got.Version)
	cur, err := st.Current(ctx, "p1", "b1")
	require.NoError(t, err)
	assert.Equal(t, g.ID, cur.ID)
	_, err = st.Current(ctx, "p2", "b1")
	assert.ErrorIs(t, err, entitlement.ErrNotFound)
	assert.Len(t, h.Committed(t), before, "a refused update commits no event")

	_, err = st.Update(ctx, g.ID, func(g *entitlement.Grant) (entitlement.GrantChange, error) {
		g.Status = entitlement.GrantRevoked
		return withEvent(g), nil
	})
	require.NoError(t, err)
	_, err = st.Update(ctx, g.ID, func(g *entitlement.Grant) (entitlement.GrantChange, error) {
		g.Status = entitlement.GrantActive
		return withEvent(g), nil
	})
	assert.ErrorIs(t, err, entitlement.ErrInvalidTransition, "a revoked grant is not revived")
	_, err = st.Current(ctx, "p1", "b1")
	assert.ErrorIs(t, err, entitlement.ErrNotFound)
}

// raceStore grants the right, as a concurrent run would, just before the
// opt-out reaches the store.
type raceStore struct {
	entitlement.Store
	t *testing.T
}

func (s raceStore) OptOut(ctx context.Context, o entitlement.OptOut, fn func(*entitlement.Grant) (entitlement.GrantChange, error)) error {
	g, ch := newGrant(o.SubjectID, o.Benefit)
	require.NoError(s.t, s.Store.Create(ctx, g, ch))
	return s.Store.OptOut(ctx, o, fn)
}

// testOptOutUnderLock: an opt-out stops the grant the store holds when it
// commits, and its audit entry and event name that grant, even when a run
// granted it a moment before.
func testOptOutUnderLock(t *testing.T, h Harness) {
	ctx := context.Background()
	svc := entitlement.NewService(rules, raceStore{h.Store, t}, clock.NewSettable(t0))
	b := entitlement.BenefitUiTPASKansentarief
	require.NoError(t, svc.OptOut(ctx, "p1", b, "not needed", "citizen"))
	var stopped []entitlement.Grant
	for g, err := range svc.Grants(ctx, "p1") {
		require.NoError(t, err)
		stopped = append(stopped, g)
	}
	require.Len(t, stopped, 1)
	g := stopped[0]
	assert.Equal(t, entitlement.GrantOptedOut, g.Status)
	var events []entitlement.GrantEvent
	for _, e := range h.Committed(t) {
		if e.Type == entitlement.EventOptedOut {
			assert.Equal(t, g.ID, e.AggregateID)
			p, err := event.Decode[entitlement.GrantEvent](e)
			require.NoError(t, err)
			events = append(events, p)
		}
	}
	require.Len(t, events, 1)
	assert.Equal(t, g.ID, events[0].GrantID, "the event names the grant that stopped")
	assert.Equal(t, entitlement.GrantOptedOut, events[0].Status)
	var audit []entitlement.AuditEntry
	for a, err := range svc.Audit(ctx, "p1") {
		require.NoError(t, err)
		audit = append(audit, a)
	}
	require.Len(t, audit, 2)
	assert.Equal(t, g.ID, audit[1].GrantID)
}
