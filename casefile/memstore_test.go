package casefile_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/casefiletest"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

func TestMemStore(t *testing.T) {
	casefiletest.Run(t, func(t *testing.T) casefiletest.Harness {
		rec := &event.Recorder{}
		return casefiletest.Harness{Store: casefile.NewMemStore(rec), Committed: func(*testing.T) []event.Event { return rec.Events() }}
	})
}

// fullCase sets every field of a case, with times in several zones, text
// long enough to need multi-byte lengths and, with long, a description
// that gets a text chunk of its own.
func fullCase(t *testing.T, i int, long bool) *casefile.Case {
	t.Helper()
	zone := []*time.Location{time.UTC, time.Local, clock.Brussels, time.FixedZone("X", -5*3600)}[i%4]
	at := time.Date(2026, 3, 2, 9, 0, 0, 123456789, zone).Add(time.Duration(i) * time.Minute)
	desc := strings.Repeat("é", 100+i%7) // 200+ bytes: a two-byte length
	if long {
		desc = strings.Repeat("lang ", 5000)
	}
	c := &casefile.Case{
		ID: uuid.New(), Municipality: "44021", Type: "meldingen", Category: fmt.Sprint("cat-", i%3), Subcategory: "sub",
		Requester: casefile.Requester{Kind: casefile.PartyPerson, ID: "85073003328",
			Name: pii.Name{Given: "Ann", Family: fmt.Sprint("Peeters-", i)}, Email: "ann@example.be", Phone: "+32 9 123 45 67"},
		Channel: casefile.ChannelApp,
		Location: casefile.Location{
			Address: pii.Address{Street: "Korenmarkt", Number: fmt.Sprint(i), Box: "b", PostalCode: "9000", Municipality: "Gent", Country: "BE"},
			Point:   casefile.Point{Lat: 51.05, Lon: 3.72}, Text: "aan de kerk"},
		Description: desc,
		Attachments: []casefile.Attachment{{Name: "a.jpg", MediaType: "image/jpeg", Size: 3, SHA256: "ab", URI: "https://x/a.jpg", AddedAt: at}},
		Status:      "reported", Result: "none", Team: "team", Assignee: "handler-1", Priority: casefile.PriorityHigh,
		Due: at.Add(48 * time.Hour), SuspendedAt: at.Add(time.Hour), MergedInto: uuid.New(), Closed: i%2 == 0,
		CreatedAt: at, UpdatedAt: at.Add(time.Second),
	}
	if i%3 == 1 { // the parts only some cases have: versions, closings, reopenings, ratings
		c.TypeVersion, c.Reopened = 3, 2
		c.ClosedAt, c.ReopenedAt, c.AnonymisedAt = at.Add(2*time.Hour), at.Add(3*time.Hour), at.Add(4*time.Hour)
		c.Satisfaction = casefile.Satisfaction{Score: 2, Comment: fmt.Sprint("Nog niet ", i), At: at.Add(5 * time.Hour)}
	}
	return c
}

func fullEntries(c *casefile.Case) []casefile.Entry {
	return []casefile.Entry{
		{ID: uuid.New(), CaseID: c.ID, Kind: casefile.EntryCreated, Actor: casefile.Actor{ID: "clerk-1", Role: casefile.RoleClerk},
			At: c.CreatedAt, Public: true, ToStatus: c.Status, Team: c.Team, Version: c.Version},
		{ID: uuid.New(), CaseID: uuid.New(), Kind: casefile.EntryMerged, Actor: casefile.Actor{ID: "x", Role: "odd-role"},
			At: c.UpdatedAt, Text: "Merged into 2026-000001", Transition: "t", FromStatus: "a", ToStatus: "b", Result: "r",
			Team: "t2", Assignee: "someone", Attachment: "a.jpg", Related: uuid.New(), Version: 7},
	}
}

// TestMemStoreKeepsEveryField checks that the packed form the memstore keeps
// gives back exactly what it was given, across chunk boundaries.
func TestMemStoreKeepsEveryField(t *testing.T) {
	ctx := context.Background()
	st := casefile.NewMemStore(nil)
	type kept struct {
		c       casefile.Case
		entries []casefile.Entry
	}
	var all []kept
	for i := range 2100 { // more than two chunks of cases and of entries
		c := fullCase(t, i, i%500 == 7)
		var entries []casefile.Entry
		require.NoError(t, st.Create(ctx, c, func(c *casefile.Case) (casefile.Change, error) {
			entries = fullEntries(c)
			return casefile.Change{Entries: slices.Clone(entries)}, nil
		}))
		want := *c
		want.Attachments = slices.Clone(c.Attachments)
		all = append(all, kept{want, entries})
		c.Attachments[0].Name = "changed after the store returned"
	}
	for i, k := range all {
		got, err := st.Get(ctx, k.c.ID)
		require.NoError(t, err)
		require.Equal(t, k.c, *got, "case %d", i)
		byRef, err := st.GetByReference(ctx, "44021", k.c.Reference)
		require.NoError(t, err)
		require.Equal(t, k.c.ID, byRef.ID)
		tl, err := st.Timeline(ctx, k.c.ID)
		require.NoError(t, err)
		require.Equal(t, k.entries, tl, "timeline of case %d", i)
	}

	// An update that changes text, symbols, times and attachments.
	k := all[3]
	var extra []casefile.Entry
	updated, err := st.Update(ctx, k.c.ID, casefile.AtVersion(k.c.Version, func(c *casefile.Case) (casefile.Change, error) {
		c.Description, c.Requester.Email, c.Location.Text = "Nieuwe beschrijving", "other@example.be", ""
		c.Status, c.Team, c.Assignee, c.Result, c.Category = "closed", "other-team", "", "fixed", "brand-new-category"
		c.Due, c.SuspendedAt, c.MergedInto, c.Closed = time.Time{}, time.Time{}, uuid.Nil, true
		c.TypeVersion, c.ClosedAt, c.Satisfaction = 0, c.UpdatedAt, casefile.Satisfaction{Score: 5, At: c.UpdatedAt}
		c.Attachments = append(c.Attachments, casefile.Attachment{Name: "b.pdf"})
		extra = []casefile.Entry{{ID: uuid.New(), CaseID: c.ID, Kind: casefile.EntryCommented, At: c.UpdatedAt, Version: c.Version}}
		return casefile.Change{Entries: slices.Clone(extra)}, nil
	}))
	require.NoError(t, err)
	assert.Equal(t, k.c.Version+1, updated.Version)
	got, err := st.Get(ctx, k.c.ID)
	require.NoError(t, err)
	assert.Equal(t, *updated, *got)
	tl, err := st.Timeline(ctx, k.c.ID)
	require.NoError(t, err)
	assert.Equal(t, append(k.entries, extra...), tl)
	for _, other := range []kept{all[2], all[4]} { // neighbours are untouched
		got, err := st.Get(ctx, other.c.ID)
		require.NoError(t, err)
		assert.Equal(t, other.c, *got)
	}

	// Filters on symbols and on the packed requester ID.
	p, err := st.List(ctx, casefile.Query{Category: "brand-new-category"})
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{k.c.ID}, caseIDs(p.Cases))
	p, err = st.List(ctx, casefile.Query{Category: "never-seen"})
	require.NoError(t, err)
	assert.Empty(t, p.Cases)
	p, err = st.List(ctx, casefile.Query{RequesterID: "85073003328", Limit: 3})
	require.NoError(t, err)
	assert.Len(t, p.Cases, 3)
	p, err = st.List(ctx, casefile.Query{RequesterID: "85073003329"})
	require.NoError(t, err)
	assert.Empty(t, p.Cases)
}

func caseIDs(cs []*casefile.Case) []uuid.UUID {
	out := make([]uuid.UUID, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func TestMemStoreReferences(t *testing.T) {
	ctx := context.Background()
	st := casefile.NewMemStore(nil)
	none := func(*casefile.Case) (casefile.Change, error) { return casefile.Change{}, nil }
	c := &casefile.Case{ID: uuid.New(), Municipality: "44021", CreatedAt: time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)}
	require.NoError(t, st.Create(ctx, c, none))
	assert.Equal(t, "2027-000001", c.Reference, "the year is Brussels's")
	d := &casefile.Case{ID: uuid.New(), Municipality: "44021", CreatedAt: time.Date(2026, 12, 31, 22, 30, 0, 0, time.UTC)}
	require.NoError(t, st.Create(ctx, d, none))
	assert.Equal(t, "2026-000001", d.Reference)
	e := &casefile.Case{ID: uuid.New(), Municipality: "11002", CreatedAt: d.CreatedAt}
	require.NoError(t, st.Create(ctx, e, none))
	assert.Equal(t, "2026-000001", e.Reference, "each municipality counts on its own")

	got, err := st.GetByReference(ctx, "11002", "2026-000001")
	require.NoError(t, err)
	assert.Equal(t, e.ID, got.ID)
	for _, ref := range []string{"2026-1", "2026-0000001", "2026-000002", "2025-000001", "2026-+00001", "-000001", "", "x"} {
		_, err := st.GetByReference(ctx, "44021", ref)
		assert.ErrorIs(t, err, casefile.ErrNotFound, ref)
	}
	_, err = st.GetByReference(ctx, "99999", "2026-000001")
	assert.ErrorIs(t, err, casefile.ErrNotFound)

	// A failed build hands out no number and keeps no ID.
	f := &casefile.Case{ID: uuid.New(), Municipality: "44021", CreatedAt: d.CreatedAt}
	boom := errors.New("boom")
	require.ErrorIs(t, st.Create(ctx, f, func(*casefile.Case) (casefile.Change, error) { return casefile.Change{}, boom }), boom)
	_, err = st.Get(ctx, f.ID)
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	require.NoError(t, st.Create(ctx, f, none))
	assert.Equal(t, "2026-000002", f.Reference)
	assert.ErrorIs(t, st.Create(ctx, &casefile.Case{ID: f.ID, Municipality: "44021"}, none), casefile.ErrConflict)
	got, err = st.Get(ctx, f.ID)
	require.NoError(t, err)
	assert.Equal(t, "2026-000002", got.Reference, "a duplicate ID changes nothing")
}
