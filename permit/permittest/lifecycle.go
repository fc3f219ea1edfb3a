package permittest

import (
	"context"
	"testing"
	"time"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testLifecycle(t *testing.T, store permit.Store) {
	ctx := context.Background()
	svc, clk := newService(store)

	// Scaffolding needs 10 working days, a situation plan and insurance,
	// and advice from mobility.
	in := Input(Square(4.41, 51.22, 4), start.AddDate(0, 0, -4), 20)
	in.Type = "scaffolding"
	a, err := svc.Draft(ctx, in)
	require.NoError(t, err)

	_, err = svc.Submit(ctx, a.ID)
	var ve *permit.ValidationError
	require.ErrorAs(t, err, &ve, "attachments missing and lead time not respected")
	lead, ok := ve.Field("periods")
	require.True(t, ok)
	assert.Equal(t, "lead_time", lead.Rule)
	_, ok = ve.Field("attachments")
	assert.True(t, ok)
	got, err := store.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, permit.StatusDraft, got.Status, "nothing changed")

	later := time.Date(2026, 3, 23, 0, 0, 0, 0, clock.Brussels)
	in.Periods = []permit.Period{{Start: later, End: later.AddDate(0, 0, 20)}}
	in.Attachments = []permit.Attachment{
		{Kind: "situation_plan", Filename: "plan.pdf", MediaType: "application/pdf", Size: 1000},
		{Kind: "insurance", Filename: "polis.pdf", MediaType: "application/pdf", Size: 1000},
	}
	_, err = svc.Modify(ctx, a.ID, in)
	require.NoError(t, err)
	a, err = svc.Submit(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, permit.StatusSubmitted, a.Status)

	_, err = svc.Resubmit(ctx, a.ID)
	assert.ErrorIs(t, err, permit.ErrInvalidTransition)

	a, err = svc.RequestCompletion(ctx, a.ID, []string{"the plan lacks the pavement width"})
	require.NoError(t, err)
	assert.Equal(t, permit.StatusIncomplete, a.Status)
	assert.Equal(t, []string{"the plan lacks the pavement width"}, a.Missing)
	a, err = svc.Resubmit(ctx, a.ID)
	require.NoError(t, err)
	assert.Empty(t, a.Missing)

	a, err = svc.StartAdvice(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, a.Advice, 1)
	assert.Equal(t, permit.Mobility, a.Advice[0].Department)
	// Ten working days from Monday 2 March is Monday 16 March.
	assert.Equal(t, time.Date(2026, 3, 16, 9, 0, 0, 0, clock.Brussels), a.Advice[0].Due.In(clock.Brussels))

	_, err = svc.Grant(ctx, a.ID, nil)
	assert.ErrorIs(t, err, permit.ErrInvalidTransition, "advice pending")

	n, err := svc.RemindOverdue(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, n)
	clk.Set(time.Date(2026, 3, 17, 8, 0, 0, 0, clock.Brussels))
	n, err = svc.RemindOverdue(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = svc.RemindOverdue(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, n, "reminded once")

	_, err = svc.GiveAdvice(ctx, a.ID, permit.AdviceInput{Department: permit.Police, Opinion: permit.Favourable})
	assert.ErrorIs(t, err, permit.ErrValidation, "police was not asked")
	_, err = svc.GiveAdvice(ctx, a.ID, permit.AdviceInput{Department: permit.Mobility, Opinion: permit.FavourableWithConditions})
	assert.ErrorIs(t, err, permit.ErrValidation, "conditions missing")
	a, err = svc.GiveAdvice(ctx, a.ID, permit.AdviceInput{Department: permit.Mobility, Opinion: permit.FavourableWithConditions, Conditions: []string{"keep 1.5 m for pedestrians"}})
	require.NoError(t, err)
	_, err = svc.GiveAdvice(ctx, a.ID, permit.AdviceInput{Department: permit.Mobility, Opinion: permit.Favourable})
	assert.ErrorIs(t, err, permit.ErrInvalidTransition, "advice given once")

	_, err = svc.Refuse(ctx, a.ID, nil)
	assert.ErrorIs(t, err, permit.ErrValidation, "reasons required")
	a, err = svc.Grant(ctx, a.ID, []string{"work only on weekdays"})
	require.NoError(t, err)
	assert.Equal(t, permit.StatusGranted, a.Status)
	assert.Equal(t, []string{"work only on weekdays", "keep 1.5 m for pedestrians"}, a.Conditions)

	_, err = svc.Grant(ctx, a.ID, nil)
	assert.ErrorIs(t, err, permit.ErrInvalidTransition)

	changed, err := svc.Tick(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, changed)
	clk.Set(later.Add(time.Hour))
	changed, err = svc.Tick(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, changed)
	a, err = svc.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, permit.StatusActive, a.Status)

	_, err = svc.Withdraw(ctx, a.ID)
	assert.ErrorIs(t, err, permit.ErrInvalidTransition, "active permits cannot be withdrawn")
	_, err = svc.Modify(ctx, a.ID, in)
	assert.ErrorIs(t, err, permit.ErrInvalidTransition)

	clk.Set(later.AddDate(0, 0, 21))
	_, err = svc.Tick(ctx)
	require.NoError(t, err)
	a, err = svc.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, permit.StatusEnded, a.Status)
}

func testCandidates(t *testing.T, store permit.Store) {
	ctx := context.Background()
	svc, _ := newService(store)
	g := grantedAt(t, svc, Square(4.42, 51.23, 5), start, 3)
	draft, err := svc.Draft(ctx, Input(Square(4.4201, 51.2301, 5), start, 3))
	require.NoError(t, err)

	near, err := permit.ParseGeometry(Square(4.42005, 51.23005, 2), permit.WGS84)
	require.NoError(t, err)
	far, err := permit.ParseGeometry(Square(4.45, 51.25, 2), permit.WGS84)
	require.NoError(t, err)
	during := permit.Period{Start: start.Add(time.Hour), End: start.Add(2 * time.Hour)}
	after := permit.Period{Start: start.AddDate(0, 0, 3), End: start.AddDate(0, 0, 4)}

	ids := func(g permit.Geometry, p permit.Period) []string {
		occs, err := store.Candidates(ctx, g, 10, p)
		require.NoError(t, err)
		var out []string
		for _, o := range occs {
			out = append(out, o.ID.String())
		}
		return out
	}
	assert.Equal(t, []string{g.ID.String()}, ids(near, during), "drafts are not indexed")
	assert.Empty(t, ids(far, during))
	assert.Empty(t, ids(near, after), "half-open: ending at midnight does not touch the next day")
	_ = draft
}

func testConflictsAndRatings(t *testing.T, store permit.Store) {
	ctx := context.Background()
	svc, _ := newService(store)
	a := grantedAt(t, svc, Square(4.43, 51.24, 5), start, 10) // spans b's whole window

	b, err := svc.Draft(ctx, Input(Square(4.43002, 51.24002, 3), start.AddDate(0, 0, 2), 2))
	require.NoError(t, err)
	cs, err := svc.Conflicts(ctx, b.ID)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	c := cs[0]
	assert.Equal(t, a.ID, c.With)
	assert.Equal(t, permit.KindPermit, c.WithKind)
	assert.Equal(t, 0.0, c.Distance)
	assert.Equal(t, permit.Block, c.Severity)
	require.Len(t, c.When, 1)
	assert.True(t, c.When[0].Start.Equal(start.AddDate(0, 0, 2)))
	assert.True(t, c.When[0].End.Equal(start.AddDate(0, 0, 4)))
	assert.Equal(t, permit.NotRated, c.Ratings[b.ID])

	// Starting exactly when a ends is no conflict.
	touching, err := svc.Draft(ctx, Input(Square(4.43002, 51.24002, 3), start.AddDate(0, 0, 10), 2))
	require.NoError(t, err)
	cs, err = svc.Conflicts(ctx, touching.ID)
	require.NoError(t, err)
	assert.Empty(t, cs)

	// 8 m east of a, within the 10 m buffer: a warning, not a block.
	near, err := svc.Draft(ctx, Input(Square(4.43+5.0/(111200*0.63)+8.0/(111200*0.63), 51.24, 3), start, 2))
	require.NoError(t, err)
	cs, err = svc.Conflicts(ctx, near.ID)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.InDelta(t, 8, cs[0].Distance, 0.5)
	assert.Equal(t, permit.Warn, cs[0].Severity)

	_, err = svc.Submit(ctx, b.ID)
	require.NoError(t, err)
	_, err = svc.Grant(ctx, b.ID, nil)
	assert.ErrorIs(t, err, permit.ErrBlockingConflict)
	assert.ErrorIs(t, err, permit.ErrConflict)

	require.NoError(t, svc.RateConflict(ctx, b.ID, a.ID, b.ID, permit.Accepted))
	require.NoError(t, svc.RateConflict(ctx, a.ID, b.ID, a.ID, permit.Accepted))
	assert.ErrorIs(t, svc.RateConflict(ctx, a.ID, b.ID, near.ID, permit.Accepted), permit.ErrValidation)
	cs, err = svc.Conflicts(ctx, b.ID)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.Equal(t, permit.Accepted, cs[0].Ratings[a.ID])
	assert.Equal(t, permit.Accepted, cs[0].Ratings[b.ID])

	// Moving b by a metre changes the occupation: both ratings must be redone.
	in := Input(Square(4.43003, 51.24002, 3), start.AddDate(0, 0, 2), 2)
	_, err = svc.Modify(ctx, b.ID, in)
	require.NoError(t, err)
	cs, err = svc.Conflicts(ctx, b.ID)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.Equal(t, permit.ToRerate, cs[0].Ratings[a.ID])
	assert.Equal(t, permit.ToRerate, cs[0].Ratings[b.ID])
	_, err = svc.Grant(ctx, b.ID, nil)
	assert.ErrorIs(t, err, permit.ErrBlockingConflict)

	require.NoError(t, svc.RateConflict(ctx, b.ID, a.ID, b.ID, permit.Accepted))
	require.NoError(t, svc.RateConflict(ctx, b.ID, a.ID, a.ID, permit.Accepted))
	b, err = svc.Grant(ctx, b.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, permit.StatusGranted, b.Status)
}

func testPlannedWorks(t *testing.T, store permit.Store) {
	ctx := context.Background()
	svc, _ := newService(store)
	loc, err := permit.ParseGeometry([]byte(`{"type":"LineString","coordinates":[[4.44,51.25],[4.441,51.25]]}`), permit.WGS84)
	require.NoError(t, err)
	w := permit.PlannedWorks{ID: [16]byte{1}, Owner: "Fluvius", Description: "Gas mains", Location: loc,
		Periods: []permit.Period{{Start: start.AddDate(0, 0, -30), End: start.AddDate(0, 0, 30)}}}
	require.NoError(t, svc.LoadWorks(ctx, w))
	assert.ErrorIs(t, svc.LoadWorks(ctx, permit.PlannedWorks{ID: [16]byte{2}, Location: loc}), permit.ErrValidation)

	a, err := svc.Draft(ctx, Input(Square(4.4405, 51.24999, 3), start, 2))
	require.NoError(t, err)
	cs, err := svc.Conflicts(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.Equal(t, permit.KindWorks, cs[0].WithKind)
	assert.Equal(t, "Gas mains", cs[0].WithLabel)
	assert.Equal(t, permit.Block, cs[0].Severity)
	_, err = svc.Submit(ctx, a.ID)
	require.NoError(t, err)
	_, err = svc.Grant(ctx, a.ID, nil)
	assert.ErrorIs(t, err, permit.ErrBlockingConflict)
	require.NoError(t, svc.RateConflict(ctx, a.ID, w.ID, a.ID, permit.Accepted))
	_, err = svc.Grant(ctx, a.ID, nil)
	assert.NoError(t, err)
}

func testWorksRevision(t *testing.T, store permit.Store) {
	ctx := context.Background()
	svc, _ := newService(store)
	loc, err := permit.ParseGeometry([]byte(`{"type":"Point","coordinates":[4.45,51.26]}`), permit.WGS84)
	require.NoError(t, err)
	w := permit.PlannedWorks{ID: [16]byte{9}, Owner: "AWV", Description: "Resurfacing", Location: loc,
		Periods: []permit.Period{{Start: start, End: start.AddDate(0, 1, 0)}}}
	require.NoError(t, svc.LoadWorks(ctx, w))
	got, err := store.Works(ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, got.Revision)
	require.NoError(t, svc.LoadWorks(ctx, w)) // unchanged: same revision
	got, err = store.Works(ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, got.Revision)

	a, err := svc.Draft(ctx, Input(Square(4.44999, 51.25999, 3), start, 2))
	require.NoError(t, err)
	require.NoError(t, svc.RateConflict(ctx, a.ID, w.ID, a.ID, permit.Accepted))
	cs, err := svc.Conflicts(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.Equal(t, permit.Accepted, cs[0].Ratings[a.ID])

	w.Periods[0].End = start.AddDate(0, 2, 0)
	require.NoError(t, svc.LoadWorks(ctx, w))
	got, err = store.Works(ctx, w.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, got.Revision)
	cs, err = svc.Conflicts(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.Equal(t, permit.ToRerate, cs[0].Ratings[a.ID], "changed works must be re-rated")
}
