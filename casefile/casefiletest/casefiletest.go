// Package casefiletest is the conformance suite every casefile.Store
// passes: the in-memory store and the PostgreSQL store run the very same
// tests, the concurrency ones included.
package casefiletest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// listed is a store under test with the events its harness saw committed.
type listed struct {
	casefile.Store
	committed func(t *testing.T) []event.Event
	t         *testing.T
}

// Events returns the committed events of one case, oldest first.
func (l listed) Events(_ context.Context, caseID uuid.UUID) ([]event.Event, error) {
	var out []event.Event
	for _, e := range l.committed(l.t) {
		if e.AggregateID == caseID {
			out = append(out, e)
		}
	}
	return out, nil
}

// storeHarness hands the shared event subtests casefile's operations.
func storeHarness(t *testing.T, h Harness) eventtest.StoreHarness {
	f := newFixture(t, func(*testing.T) casefile.Store { return h.Store })
	get := func(ctx context.Context, id uuid.UUID) *casefile.Case {
		c, err := f.svc.Get(ctx, id)
		require.NoError(t, err)
		return c
	}
	return eventtest.StoreHarness{
		Committed: h.Committed,
		Create: func(ctx context.Context, key string) (uuid.UUID, error) {
			r := Report("street_lighting", "lamp_out")
			r.IdempotencyKey = key
			c, err := f.svc.Create(ctx, r)
			if err != nil {
				return uuid.Nil, err
			}
			return c.ID, nil
		},
		Change: func(ctx context.Context, id uuid.UUID) error {
			c := get(ctx, id)
			_, err := f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: id, Version: c.Version, Transition: "accept", Actor: clerk})
			return err
		},
		FailingChange: func(ctx context.Context, id uuid.UUID) error {
			c := get(ctx, id)
			// A citizen's reply to a case that waits for none breaks the
			// lifecycle: the rule fails inside the store's update.
			_, err := f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: id, Version: c.Version, Transition: "citizen_replied", Actor: clerk})
			return err
		},
		StaleChange: func(ctx context.Context, id uuid.UUID) error {
			_, err := f.svc.Assign(ctx, casefile.AssignRequest{CaseID: id, Version: 1, Team: "lighting", Actor: clerk})
			return err
		},
	}
}

// Start is the suite's clock start: Monday 2 March 2026, 09:00 in Brussels.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)

type fixture struct {
	store casefile.Store
	svc   *casefile.Service
	clock *clock.Settable
}

func newFixture(t *testing.T, newStore func(t *testing.T) casefile.Store) *fixture {
	st := newStore(t)
	clk := clock.NewSettable(Start)
	svc, err := casefile.NewService(casefile.Config{
		Municipality: "44021", Store: st, Clock: clk, Calendar: calendar.Flanders(),
		Types: []*casefile.CaseType{casefile.PublicSpaceReports()},
		Routing: []casefile.RoutingRule{
			{Team: "lighting", Category: "street_lighting"},
			{Team: "clean-north", Category: "waste", PostalCodes: []string{"9030", "9032"}},
			{Team: "clean-centre", Category: "waste", District: casefile.Polygon{{Lat: 51.04, Lon: 3.70}, {Lat: 51.04, Lon: 3.74}, {Lat: 51.07, Lon: 3.74}, {Lat: 51.07, Lon: 3.70}}},
		},
		DefaultTeam: "public-space",
	})
	require.NoError(t, err)
	return &fixture{store: st, svc: svc, clock: clk}
}

var (
	clerk   = casefile.Actor{ID: "clerk-1", Role: casefile.RoleClerk}
	handler = casefile.Actor{ID: "handler-1", Role: casefile.RoleHandler}
	citizen = casefile.Actor{Role: casefile.RoleCitizen}
)

// Report returns a valid public-space report request used by the suite.
func Report(category, subcategory string) casefile.CreateRequest {
	return casefile.CreateRequest{
		Type: "meldingen", Category: category, Subcategory: subcategory,
		Requester: casefile.Requester{Name: pii.Name{Given: "An", Family: "Peeters"}, Email: "an.peeters@example.be"},
		Channel:   casefile.ChannelWeb,
		Location: casefile.Location{
			Address: pii.Address{Street: "Korenmarkt", Number: "1", PostalCode: "9000", Municipality: "Gent"},
			Point:   casefile.Point{Lat: 51.0545, Lon: 3.7215},
		},
		Description: "De straatlamp voor nummer 1 brandt niet meer.",
		Actor:       citizen,
	}
}

func (f *fixture) create(t *testing.T, category, subcategory string) *casefile.Case {
	t.Helper()
	c, err := f.svc.Create(context.Background(), Report(category, subcategory))
	require.NoError(t, err)
	return c
}

func eventTypes(t *testing.T, st casefile.Store, id uuid.UUID) []string {
	t.Helper()
	evs, err := st.(listed).Events(context.Background(), id)
	require.NoError(t, err)
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type
	}
	return out
}

// Harness is one store under test, in the manner of Go CDK's drivertest:
// the store, and the events it committed so far in commit order (recorded
// for a memory store, read from the outbox for PostgreSQL). A store that
// drops or invents events fails the suite.
type Harness struct {
	Store     casefile.Store
	Committed func(t *testing.T) []event.Event
}

// Run runs the suite against stores made by newHarness (a fresh, empty
// store per call).
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	newStore := func(t *testing.T) casefile.Store {
		h := newHarness(t)
		return listed{Store: h.Store, committed: h.Committed, t: t}
	}
	eventtest.StoreEvents(t, func(t *testing.T) eventtest.StoreHarness { return storeHarness(t, newHarness(t)) })
	t.Run("CreateAndRead", func(t *testing.T) { testCreate(t, newStore) })
	t.Run("ReferencesUniqueUnderConcurrency", func(t *testing.T) { testReferences(t, newStore) })
	t.Run("ConcurrentTransitionsOneWins", func(t *testing.T) { testConcurrentTransitions(t, newStore) })
	t.Run("BadTransitionsChangeNothing", func(t *testing.T) { testBadTransitions(t, newStore) })
	t.Run("BadInputStoresNothing", func(t *testing.T) { testBadCreate(t, newStore) })
	t.Run("Lifecycle", func(t *testing.T) { testLifecycle(t, newStore) })
	t.Run("SuspendAndResume", func(t *testing.T) { testSuspend(t, newStore) })
	t.Run("OverdueAndDueWithin", func(t *testing.T) { testOverdue(t, newStore) })
	t.Run("MergeDuplicates", func(t *testing.T) { testMerge(t, newStore) })
	t.Run("QueriesAndPagination", func(t *testing.T) { testQueries(t, newStore) })
	t.Run("Views", func(t *testing.T) { testViews(t, newStore) })
	t.Run("ListByRequester", func(t *testing.T) { testListByRequester(t, newStore) })
	t.Run("IdempotentCreate", func(t *testing.T) { testIdempotentCreate(t, newStore) })
	t.Run("Reopen", func(t *testing.T) { testReopen(t, newStore) })
	t.Run("AmendCategoryAndLocation", func(t *testing.T) { testAmend(t, newStore) })
	t.Run("Questions", func(t *testing.T) { testQuestions(t, newStore) })
	t.Run("Satisfaction", func(t *testing.T) { testSatisfaction(t, newStore) })
	t.Run("CaseTypeVersions", func(t *testing.T) { testVersions(t, newStore) })
	t.Run("Retention", func(t *testing.T) { testRetention(t, newStore) })
	t.Run("PurgeRacesReopen", func(t *testing.T) { testPurgeRace(t, newStore) })
	t.Run("RateAndReopenOnce", func(t *testing.T) { testRateOnce(t, newStore) })
	t.Run("Nearby", func(t *testing.T) { testNearby(t, newHarness) })
	t.Run("Attributes", func(t *testing.T) { testAttributes(t, newStore) })
}

func testCreate(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	c := f.create(t, "street_lighting", "lamp_out")
	assert.Equal(t, "2026-000001", c.Reference)
	assert.Equal(t, 1, c.Version)
	assert.Equal(t, "reported", c.Status)
	assert.Equal(t, "lighting", c.Team)
	assert.Equal(t, casefile.PriorityNormal, c.Priority)
	// 5 working days from Monday 2 March 2026 09:00: Monday 9 March 09:00.
	assert.True(t, c.Due.Equal(time.Date(2026, 3, 9, 9, 0, 0, 0, clock.Brussels)), "due %s", c.Due)

	got, err := f.store.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.Reference, got.Reference)
	assert.Equal(t, c.Description, got.Description)
	assert.Equal(t, c.Requester, got.Requester)
	assert.Equal(t, c.Location.Point, got.Location.Point)
	assert.Equal(t, c.Location.Address, got.Location.Address)
	assert.True(t, got.CreatedAt.Equal(c.CreatedAt))
	assert.True(t, got.Due.Equal(c.Due))

	byRef, err := f.svc.GetByReference(ctx, c.Reference)
	require.NoError(t, err)
	assert.Equal(t, c.ID, byRef.ID)
	_, err = f.svc.GetByReference(ctx, "2026-999999")
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	_, err = f.store.Get(ctx, uuid.New())
	assert.ErrorIs(t, err, casefile.ErrNotFound)

	tl, err := f.store.Timeline(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, tl, 1)
	assert.Equal(t, casefile.EntryCreated, tl[0].Kind)
	assert.Equal(t, []string{casefile.EventCreated}, eventTypes(t, f.store, c.ID))

	// Routing by postal code and by district polygon.
	r := Report("waste", "illegal_dump")
	r.Location.Address.PostalCode = "9030"
	r.Location.Point = casefile.Point{}
	north, err := f.svc.Create(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, "clean-north", north.Team)
	centre := f.create(t, "waste", "graffiti")
	assert.Equal(t, "clean-centre", centre.Team)
	other := f.create(t, "other", "")
	assert.Equal(t, "public-space", other.Team)
	assert.Equal(t, "2026-000004", other.Reference)
}

func testReferences(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	const n = 16
	refs := make([]string, n)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			c, err := f.svc.Create(context.Background(), Report("other", ""))
			errs[i] = err
			if err == nil {
				refs[i] = c.Reference
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	slices.Sort(refs)
	for i, ref := range refs {
		assert.Equal(t, fmt.Sprintf("2026-%06d", i+1), ref)
	}
	// A new year starts a new series.
	f.clock.Set(time.Date(2027, 1, 4, 10, 0, 0, 0, clock.Brussels))
	c := f.create(t, "other", "")
	assert.Equal(t, "2027-000001", c.Reference)
}

func testConcurrentTransitions(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	for round := range 3 {
		c := f.create(t, "roads", "pothole")
		reqs := []casefile.TransitionRequest{
			{CaseID: c.ID, Version: 1, Transition: "accept", Actor: clerk},
			{CaseID: c.ID, Version: 1, Transition: "reject", Result: "not_municipal", Actor: clerk},
		}
		results := make([]error, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range reqs {
			wg.Go(func() {
				<-start
				_, results[i] = f.svc.Transition(ctx, reqs[i])
			})
		}
		close(start)
		wg.Wait()
		wins := 0
		winner := -1
		for i, err := range results {
			if err == nil {
				wins++
				winner = i
			} else {
				assert.ErrorIs(t, err, casefile.ErrConflict, "round %d", round)
			}
		}
		require.Equal(t, 1, wins, "round %d: exactly one transition must win: %v", round, results)
		got, err := f.store.Get(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, got.Version)
		want := map[int]string{0: "in_progress", 1: "rejected"}[winner]
		assert.Equal(t, want, got.Status)
		tl, err := f.store.Timeline(ctx, c.ID)
		require.NoError(t, err)
		assert.Len(t, tl, 2)
		types := eventTypes(t, f.store, c.ID)
		assert.Equal(t, 1, countOf(types, casefile.EventTransitioned), "events %v", types)
	}
}

func countOf(xs []string, x string) int {
	n := 0
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}

func testBadTransitions(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	c := f.create(t, "roads", "pothole")
	tests := []struct {
		name string
		req  casefile.TransitionRequest
		kind error
	}{
		{"unknown transition", casefile.TransitionRequest{Transition: "teleport", Actor: clerk}, casefile.ErrInvalidTransition},
		{"wrong from-status", casefile.TransitionRequest{Transition: "plan", Actor: handler}, casefile.ErrInvalidTransition},
		{"role not allowed", casefile.TransitionRequest{Transition: "accept", Actor: citizen}, casefile.ErrForbidden},
		{"guard: no result", casefile.TransitionRequest{Transition: "resolve", Actor: handler}, casefile.ErrInvalidTransition},
		{"unknown result", casefile.TransitionRequest{Transition: "resolve", Result: "magic", Actor: handler}, casefile.ErrValidation},
		{"stale version", casefile.TransitionRequest{Version: 7, Transition: "accept", Actor: clerk}, casefile.ErrConflict},
		{"missing transition", casefile.TransitionRequest{Actor: clerk}, casefile.ErrValidation},
		{"missing actor role", casefile.TransitionRequest{Transition: "accept"}, casefile.ErrValidation},
		{"missing version", casefile.TransitionRequest{Version: -1, Transition: "accept", Actor: clerk}, casefile.ErrValidation},
		{"unknown case", casefile.TransitionRequest{CaseID: uuid.New(), Transition: "accept", Actor: clerk}, casefile.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.req
			if r.CaseID == uuid.Nil {
				r.CaseID = c.ID
			}
			if r.Version == 0 {
				r.Version = 1
			}
			_, err := f.svc.Transition(ctx, r)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.kind)
			got, err := f.store.Get(ctx, c.ID)
			require.NoError(t, err)
			assert.Equal(t, 1, got.Version)
			assert.Equal(t, "reported", got.Status)
		})
	}
	var ve *casefile.ValidationError
	_, err := f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: 1, Transition: "resolve", Result: "magic", Actor: handler})
	require.ErrorAs(t, err, &ve)
	_, ok := ve.Field("result")
	assert.True(t, ok)
	tl, err := f.store.Timeline(ctx, c.ID)
	require.NoError(t, err)
	assert.Len(t, tl, 1)
	assert.Equal(t, []string{casefile.EventCreated}, eventTypes(t, f.store, c.ID))
}

func testBadCreate(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	long := make([]byte, casefile.MaxDescription+1)
	for i := range long {
		long[i] = 'a'
	}
	tests := []struct {
		name   string
		modify func(r *casefile.CreateRequest)
		field  string
		rule   string
	}{
		{"unknown type", func(r *casefile.CreateRequest) { r.Type = "parking" }, "type", "oneof"},
		{"unknown category", func(r *casefile.CreateRequest) { r.Category = "aliens" }, "category", "oneof"},
		{"unknown subcategory", func(r *casefile.CreateRequest) { r.Subcategory = "ufo" }, "category", "oneof"},
		{"no description", func(r *casefile.CreateRequest) { r.Description = "  " }, "description", "required"},
		{"description too long", func(r *casefile.CreateRequest) { r.Description = string(long) }, "description", "max"},
		{"bad channel", func(r *casefile.CreateRequest) { r.Channel = "pigeon" }, "channel", "oneof"},
		{"outside Belgium", func(r *casefile.CreateRequest) { r.Location.Point = casefile.Point{Lat: 48.8566, Lon: 2.3522} }, "location.point", "belgium"},
		{"no location", func(r *casefile.CreateRequest) { r.Location = casefile.Location{} }, "location", "required"},
		{"bad postal code", func(r *casefile.CreateRequest) { r.Location.Address.PostalCode = "123" }, "location.address.postal_code", "be_postcode"},
		{"bad INSZ", func(r *casefile.CreateRequest) {
			r.Requester.Kind, r.Requester.ID = casefile.PartyPerson, "12345678901"
		}, "requester.id", "insz"},
		{"bad e-mail", func(r *casefile.CreateRequest) { r.Requester.Email = "nope" }, "requester.email", "email"},
		{"bad attachment", func(r *casefile.CreateRequest) {
			r.Attachments = []casefile.Attachment{{Name: "photo.jpg", MediaType: "image/jpeg", Size: 10, SHA256: "xyz", URI: "s3://bucket/photo.jpg"}}
		}, "attachments[0].sha256", "sha256"},
		{"no actor", func(r *casefile.CreateRequest) { r.Actor = casefile.Actor{} }, "actor.role", "required"},
		// Text PostgreSQL cannot keep is refused by the service, so every store behaves the same.
		{"NUL in description", func(r *casefile.CreateRequest) { r.Description = "lamp\x00kapot" }, "description", "text"},
		{"invalid UTF-8", func(r *casefile.CreateRequest) { r.Description = "caf\xe9" }, "description", "utf8"},
		{"escape in street", func(r *casefile.CreateRequest) { r.Location.Address.Street = "Kerkstraat\x1b[2J" }, "location.address.street", "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Report("street_lighting", "lamp_out")
			tt.modify(&r)
			_, err := f.svc.Create(ctx, r)
			var ve *casefile.ValidationError
			require.ErrorAs(t, err, &ve)
			fe, ok := ve.Field(tt.field)
			require.True(t, ok, "no error for %s in %v", tt.field, err)
			assert.Equal(t, tt.rule, fe.Rule)
		})
	}
	p, err := f.svc.List(ctx, casefile.Query{})
	require.NoError(t, err)
	assert.Empty(t, p.Cases)
	// The numbering did not move either.
	defer func() {
		// Lookups with text no store can hold answer alike in every store.
		for _, ref := range []string{"2026-00000\x001", "caf\xe9", "2026-000001\x00", "", "2026-1"} {
			_, err := f.svc.GetByReference(ctx, ref)
			assert.ErrorIs(t, err, casefile.ErrNotFound, "reference %q", ref)
			_, err = f.svc.CitizenView(ctx, ref, "nl")
			assert.ErrorIs(t, err, casefile.ErrNotFound, "citizen view of %q", ref)
		}
		_, err := f.svc.List(ctx, casefile.Query{RequesterID: "a\x00b"})
		assert.ErrorIs(t, err, casefile.ErrValidation, "a listing filter with a NUL byte")
		_, err = f.svc.List(ctx, casefile.Query{Team: "caf\xe9"})
		assert.ErrorIs(t, err, casefile.ErrValidation, "a listing filter that is not UTF-8")
		c := f.create(t, "other", "")
		_, err = f.svc.Comment(ctx, casefile.CommentRequest{CaseID: c.ID, Text: "nog\x00steeds", Actor: clerk})
		assert.ErrorIs(t, err, casefile.ErrValidation, "a comment with a NUL byte")
		_, err = f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "accept", Text: "caf\xe9", Actor: clerk})
		assert.ErrorIs(t, err, casefile.ErrValidation, "a transition text that is not UTF-8")
		got, err := f.svc.Get(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, c.Version, got.Version, "nothing stored")
	}()
	assert.Equal(t, "2026-000001", f.create(t, "other", "").Reference)
}

func testLifecycle(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	c := f.create(t, "street_lighting", "lamp_out")
	c, err := f.svc.Assign(ctx, casefile.AssignRequest{CaseID: c.ID, Version: c.Version, Team: "lighting", Assignee: "handler-1", Actor: clerk})
	require.NoError(t, err)
	c, err = f.svc.Assign(ctx, casefile.AssignRequest{CaseID: c.ID, Version: c.Version, Team: "lighting", Assignee: "handler-2", Reason: "holiday", Actor: clerk})
	require.NoError(t, err)
	assert.Equal(t, "handler-2", c.Assignee)
	_, err = f.svc.Assign(ctx, casefile.AssignRequest{CaseID: c.ID, Version: c.Version, Team: "x", Actor: citizen})
	assert.ErrorIs(t, err, casefile.ErrForbidden)
	c, err = f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "accept", Actor: handler})
	require.NoError(t, err)
	c, err = f.svc.AddAttachment(ctx, casefile.AttachmentRequest{CaseID: c.ID, Actor: handler, Public: true, Attachment: casefile.Attachment{
		Name: "after.jpg", MediaType: "image/jpeg", Size: 2048,
		SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", URI: "https://files.gent.be/after.jpg"}})
	require.NoError(t, err)
	require.Len(t, c.Attachments, 1)
	c, err = f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "resolve", Result: "repaired", Text: "Lamp vervangen.", Actor: handler})
	require.NoError(t, err)
	assert.True(t, c.Closed)
	assert.Equal(t, "repaired", c.Result)
	got, err := f.store.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.Version, got.Version)
	assert.True(t, got.Closed)
	require.Len(t, got.Attachments, 1)
	assert.Equal(t, "after.jpg", got.Attachments[0].Name)
	_, err = f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "accept", Actor: handler})
	assert.ErrorIs(t, err, casefile.ErrInvalidTransition)

	tl, err := f.store.Timeline(ctx, c.ID)
	require.NoError(t, err)
	kinds := make([]casefile.EntryKind, len(tl))
	for i, e := range tl {
		kinds[i] = e.Kind
	}
	assert.Equal(t, []casefile.EntryKind{casefile.EntryCreated, casefile.EntryAssigned, casefile.EntryAssigned,
		casefile.EntryTransitioned, casefile.EntryAttachmentAdded, casefile.EntryTransitioned}, kinds)
	assert.Equal(t, "handler-1", tl[1].Assignee, "reassignment keeps the history")
	assert.Equal(t, []string{casefile.EventCreated, casefile.EventAssigned, casefile.EventAssigned,
		casefile.EventTransitioned, casefile.EventRequesterNotice, casefile.EventAttachmentAdded,
		casefile.EventTransitioned, casefile.EventRequesterNotice}, eventTypes(t, f.store, c.ID))
}

func testSuspend(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	c := f.create(t, "street_lighting", "lamp_out") // due Monday 9 March 09:00
	due := c.Due
	c, err := f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: 1, Transition: "accept", Actor: clerk})
	require.NoError(t, err)
	c, err = f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "ask_citizen", Text: "Welk paalnummer?", Actor: clerk})
	require.NoError(t, err)
	assert.False(t, c.SuspendedAt.IsZero())
	f.clock.Set(time.Date(2026, 3, 12, 9, 0, 0, 0, clock.Brussels)) // past the old due date
	p, err := f.svc.Overdue(ctx, casefile.Query{})
	require.NoError(t, err)
	assert.Empty(t, p.Cases, "a suspended case is not overdue")
	c, err = f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "citizen_replied", Actor: citizen})
	require.NoError(t, err)
	assert.True(t, c.SuspendedAt.IsZero())
	// Suspended Monday 2 March, resumed Thursday 12 March: 8 working days later.
	assert.True(t, c.Due.Equal(time.Date(2026, 3, 19, 9, 0, 0, 0, clock.Brussels)), "due %s (was %s)", c.Due, due)
	got, err := f.store.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.True(t, got.Due.Equal(c.Due))
	types := eventTypes(t, f.store, c.ID)
	assert.Equal(t, 1, countOf(types, casefile.EventDeadlineSuspended))
	assert.Equal(t, 1, countOf(types, casefile.EventDeadlineResumed))

	// By hand: calendar days move by the duration of the stop.
	n := f.create(t, "nuisance", "") // due 30 days later, same wall clock
	n, err = f.svc.SuspendDeadline(ctx, casefile.DeadlineRequest{CaseID: n.ID, Version: 1, Reason: "advies politie", Actor: clerk})
	require.NoError(t, err)
	_, err = f.svc.SuspendDeadline(ctx, casefile.DeadlineRequest{CaseID: n.ID, Version: n.Version, Actor: clerk})
	assert.ErrorIs(t, err, casefile.ErrInvalidTransition)
	_, err = f.svc.ResumeDeadline(ctx, casefile.DeadlineRequest{CaseID: n.ID, Version: n.Version, Actor: citizen})
	assert.ErrorIs(t, err, casefile.ErrForbidden)
	f.clock.Advance(48 * time.Hour)
	before := n.Due
	n, err = f.svc.ResumeDeadline(ctx, casefile.DeadlineRequest{CaseID: n.ID, Version: n.Version, Actor: clerk})
	require.NoError(t, err)
	assert.Equal(t, 48*time.Hour, n.Due.Sub(before))
	got, err = f.store.Get(ctx, n.ID)
	require.NoError(t, err)
	assert.True(t, got.Due.Equal(n.Due))
	assert.True(t, got.SuspendedAt.IsZero())
}

func testOverdue(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	fallen := f.create(t, "greenery", "fallen_tree") // 1 working day: Tue 3 March
	bin := f.create(t, "waste", "overflowing_bin")   // 2 working days: Wed 4 March
	dump := f.create(t, "waste", "illegal_dump")     // 3 working days: Thu 5 March
	_ = f.create(t, "other", "")                     // 20 working days
	nuisance := f.create(t, "nuisance", "")          // 30 calendar days: 1 April
	assert.True(t, nuisance.Due.Equal(time.Date(2026, 4, 1, 9, 0, 0, 0, clock.Brussels)))
	// A closed case is never overdue.
	closed, err := f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: dump.ID, Version: 1, Transition: "reject", Result: "no_action", Actor: clerk})
	require.NoError(t, err)
	require.True(t, closed.Closed)

	f.clock.Set(time.Date(2026, 3, 4, 12, 0, 0, 0, clock.Brussels))
	p, err := f.svc.Overdue(ctx, casefile.Query{})
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{fallen.ID, bin.ID}, ids(p.Cases))
	p, err = f.svc.Overdue(ctx, casefile.Query{Team: "clean-centre"})
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{bin.ID}, ids(p.Cases))

	p, err = f.svc.DueWithin(ctx, 1, casefile.Query{})
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{fallen.ID, bin.ID}, ids(p.Cases))
	p, err = f.svc.DueWithin(ctx, 30, casefile.Query{})
	require.NoError(t, err)
	assert.Len(t, p.Cases, 4)
	_, err = f.svc.DueWithin(ctx, -1, casefile.Query{})
	assert.ErrorIs(t, err, casefile.ErrValidation)

	// Cursor pages in due order.
	var seen []uuid.UUID
	for c, err := range f.svc.All(ctx, casefile.Query{DueBefore: f.clock.Now().AddDate(0, 1, 0), Limit: 1}) {
		require.NoError(t, err)
		seen = append(seen, c.ID)
	}
	require.Len(t, seen, 4)
	assert.Equal(t, []uuid.UUID{fallen.ID, bin.ID}, seen[:2])
	assert.Equal(t, nuisance.ID, seen[3])
}

func ids(cs []*casefile.Case) []uuid.UUID {
	out := make([]uuid.UUID, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func testMerge(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	parent := f.create(t, "waste", "illegal_dump")
	child := f.create(t, "waste", "illegal_dump")
	other := f.create(t, "waste", "illegal_dump")

	_, err := f.svc.Merge(ctx, casefile.MergeRequest{CaseID: child.ID, Version: 1, Into: child.ID, Actor: clerk})
	assert.ErrorIs(t, err, casefile.ErrValidation)
	_, err = f.svc.Merge(ctx, casefile.MergeRequest{CaseID: child.ID, Version: 1, Into: parent.ID, Actor: citizen})
	assert.ErrorIs(t, err, casefile.ErrForbidden)
	_, err = f.svc.Merge(ctx, casefile.MergeRequest{CaseID: child.ID, Version: 1, Into: uuid.New(), Actor: clerk})
	assert.ErrorIs(t, err, casefile.ErrNotFound)

	child, err = f.svc.Merge(ctx, casefile.MergeRequest{CaseID: child.ID, Version: 1, Into: parent.ID, Actor: clerk})
	require.NoError(t, err)
	assert.Equal(t, parent.ID, child.MergedInto)
	_, err = f.svc.Merge(ctx, casefile.MergeRequest{CaseID: other.ID, Version: 1, Into: child.ID, Actor: clerk})
	assert.ErrorIs(t, err, casefile.ErrValidation, "no merging into a duplicate")
	_, err = f.svc.Merge(ctx, casefile.MergeRequest{CaseID: parent.ID, Version: 2, Into: other.ID, Actor: clerk})
	assert.ErrorIs(t, err, casefile.ErrHasDuplicates)
	_, err = f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: child.ID, Version: child.Version, Transition: "accept", Actor: clerk})
	assert.ErrorIs(t, err, casefile.ErrInvalidTransition, "a duplicate follows its parent")

	f.clock.Set(time.Date(2026, 3, 20, 9, 0, 0, 0, clock.Brussels))
	p, err := f.svc.Overdue(ctx, casefile.Query{})
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{parent.ID, other.ID}, ids(p.Cases), "a duplicate has no deadline of its own")

	parent, err = f.svc.Get(ctx, parent.ID)
	require.NoError(t, err)
	_, err = f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: parent.ID, Version: parent.Version, Transition: "resolve", Result: "cleaned", Actor: handler})
	require.NoError(t, err)
	child, err = f.svc.Get(ctx, child.ID)
	require.NoError(t, err)
	assert.True(t, child.Closed)
	assert.Equal(t, "resolved", child.Status)
	assert.Equal(t, "cleaned", child.Result)
	assert.Equal(t, []string{casefile.EventCreated, casefile.EventMerged, casefile.EventRequesterNotice,
		casefile.EventTransitioned, casefile.EventRequesterNotice}, eventTypes(t, f.store, child.ID))
	evs, err := f.store.(listed).Events(ctx, child.ID)
	require.NoError(t, err)
	notice, err := event.Decode[casefile.RequesterNotice](evs[4])
	require.NoError(t, err)
	assert.Equal(t, parent.Reference, notice.ParentReference)
	assert.Equal(t, "an.peeters@example.be", string(notice.Requester.Email))
	assert.Equal(t, "Afgehandeld", notice.StatusLabel.NL)
	require.NoError(t, f.svc.FollowParent(ctx, parent.ID), "following again is harmless")
	assert.Len(t, eventTypes(t, f.store, child.ID), 5)
}

func testQueries(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	var all []*casefile.Case
	for i := range 7 {
		r := Report("street_lighting", "")
		if i%2 == 1 {
			r = Report("roads", "pothole")
			r.Requester.Kind, r.Requester.ID = casefile.PartyEnterprise, "0207.446.772"
		}
		c, err := f.svc.Create(ctx, r)
		require.NoError(t, err)
		all = append(all, c)
	}
	c, err := f.svc.Assign(ctx, casefile.AssignRequest{CaseID: all[2].ID, Version: 1, Team: "lighting", Assignee: "handler-9", Actor: clerk})
	require.NoError(t, err)
	_, err = f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "accept", Actor: clerk})
	require.NoError(t, err)

	count := func(q casefile.Query) int {
		n := 0
		for _, err := range f.svc.All(ctx, q) {
			require.NoError(t, err)
			n++
		}
		return n
	}
	assert.Equal(t, 7, count(casefile.Query{}))
	assert.Equal(t, 1, count(casefile.Query{Status: "in_progress"}))
	assert.Equal(t, 6, count(casefile.Query{Status: "reported"}))
	assert.Equal(t, 4, count(casefile.Query{Team: "lighting"}))
	assert.Equal(t, 1, count(casefile.Query{Assignee: "handler-9"}))
	assert.Equal(t, 3, count(casefile.Query{Category: "roads"}))
	assert.Equal(t, 3, count(casefile.Query{RequesterID: "0207.446.772"}))
	for _, q := range []casefile.Query{{Type: "permits"}, {Status: "lost"}, {Category: "aliens"}, {Limit: -1}} {
		_, err := f.svc.List(ctx, q)
		assert.ErrorIs(t, err, casefile.ErrValidation, "%+v", q)
	}

	var pages [][]uuid.UUID
	q := casefile.Query{Limit: 3}
	for {
		p, err := f.svc.List(ctx, q)
		require.NoError(t, err)
		pages = append(pages, ids(p.Cases))
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	require.Len(t, pages, 3)
	assert.Equal(t, ids(all), slices.Concat(pages...), "creation order, no gaps or repeats")
	_, err = f.svc.List(ctx, casefile.Query{Cursor: "garbage"})
	assert.ErrorIs(t, err, casefile.ErrValidation)
}

func testViews(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	c := f.create(t, "street_lighting", "lamp_out")
	_, err := f.svc.Comment(ctx, casefile.CommentRequest{CaseID: c.ID, Text: "Netbeheerder al verwittigd.", Actor: handler})
	require.NoError(t, err)
	_, err = f.svc.Comment(ctx, casefile.CommentRequest{CaseID: c.ID, Text: "We komen deze week langs.", Public: true, Actor: handler})
	require.NoError(t, err)
	_, err = f.svc.Comment(ctx, casefile.CommentRequest{CaseID: c.ID, Actor: handler})
	assert.ErrorIs(t, err, casefile.ErrValidation)

	cv, err := f.svc.CitizenView(ctx, c.Reference, "en")
	require.NoError(t, err)
	assert.Equal(t, "Reported", cv.StatusLabel)
	require.Len(t, cv.Timeline, 2)
	assert.Equal(t, "We komen deze week langs.", cv.Timeline[1].Text)
	nl, err := f.svc.CitizenView(ctx, c.Reference, "nl")
	require.NoError(t, err)
	assert.Equal(t, "Gemeld", nl.StatusLabel)

	kv, err := f.svc.ClerkView(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, kv.Timeline, 3)
	assert.Equal(t, "Netbeheerder al verwittigd.", kv.Timeline[1].Text)
	assert.False(t, kv.Timeline[1].Public)
	assert.Regexp(t, regexp.MustCompile(`^2026-\d{6}$`), kv.Case.Reference)
	assert.False(t, errors.Is(err, casefile.ErrNotFound))
}

// testListByRequester pages through one requester's cases, alone and with
// other filters, in creation and in due order, and follows a requester that
// an update changes.
func testListByRequester(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	const a, b = "0403.000.059", "0887.123.495"
	// Categories with different deadlines, so due order differs from
	// creation order: 30 calendar days, 1, 3, 20 and 2 working days.
	kinds := [][2]string{{"nuisance", ""}, {"greenery", "fallen_tree"}, {"waste", "illegal_dump"}, {"other", ""}, {"waste", "overflowing_bin"}}
	var all []*casefile.Case
	for i := range 15 {
		k := kinds[i%len(kinds)]
		r := Report(k[0], k[1])
		switch i % 3 {
		case 0:
			r.Requester.Kind, r.Requester.ID = casefile.PartyEnterprise, a
		case 1:
			r.Requester.Kind, r.Requester.ID = casefile.PartyEnterprise, b
		} // and the rest are filed without an ID
		c, err := f.svc.Create(ctx, r)
		require.NoError(t, err)
		all = append(all, c)
		f.clock.Set(f.clock.Now().Add(time.Minute))
	}
	// Close one of a's cases: it stays listed, but has no running deadline.
	_, err := f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: all[3].ID, Version: 1, Transition: "reject", Result: "no_action", Actor: clerk})
	require.NoError(t, err)

	// wantCases returns, in the listing's order, the stored cases that
	// match q, read back one by one; want their IDs.
	wantCases := func(q casefile.Query) []*casefile.Case {
		var cs []*casefile.Case
		for _, c := range all {
			got, err := f.store.Get(ctx, c.ID)
			require.NoError(t, err)
			if q.Matches(got) {
				cs = append(cs, got)
			}
		}
		if !q.DueBefore.IsZero() {
			slices.SortStableFunc(cs, func(x, y *casefile.Case) int {
				if d := x.Due.UnixMicro() - y.Due.UnixMicro(); d != 0 {
					return int(d / max(d, -d))
				}
				return slices.Compare(x.ID[:], y.ID[:])
			})
		}
		return cs
	}
	want := func(q casefile.Query) []uuid.UUID { return ids(wantCases(q)) }
	// summaries lists q's summaries in pages of limit, checking each
	// page's size; the deadlines are kept to the microsecond, as stores
	// keep them.
	summaries := func(q casefile.Query, limit int) []casefile.Summary {
		q.Limit = limit
		got := []casefile.Summary{}
		for range 20 {
			p, err := f.svc.ListSummaries(ctx, q)
			require.NoError(t, err)
			assert.LessOrEqual(t, len(p.Summaries), limit)
			for _, s := range p.Summaries {
				s.Due = s.Due.UTC().Truncate(time.Microsecond)
				got = append(got, s)
			}
			if p.Next == "" {
				return got
			}
			assert.Len(t, p.Summaries, limit, "only the last page is short")
			q.Cursor = p.Next
		}
		t.Fatalf("no end to the summary pages of %+v", q)
		return nil
	}
	// paged lists q in pages of limit, checking each page's size.
	paged := func(q casefile.Query, limit int) []uuid.UUID {
		q.Limit = limit
		got := []uuid.UUID{}
		for range 20 {
			p, err := f.svc.List(ctx, q)
			require.NoError(t, err)
			assert.LessOrEqual(t, len(p.Cases), limit)
			got = append(got, ids(p.Cases)...)
			if p.Next == "" {
				return got
			}
			assert.Len(t, p.Cases, limit, "only the last page is short")
			q.Cursor = p.Next
		}
		t.Fatalf("no end to the pages of %+v", q)
		return nil
	}
	check := func(q casefile.Query, n int) {
		t.Helper()
		cs := wantCases(q)
		exp := ids(cs)
		require.Len(t, exp, n, "%+v", q)
		sums := []casefile.Summary{}
		for _, c := range cs {
			s := casefile.SummaryOf(c)
			s.Due = s.Due.UTC().Truncate(time.Microsecond)
			sums = append(sums, s)
		}
		for _, limit := range []int{1, 2, 50} {
			assert.Equal(t, exp, paged(q, limit), "%+v by %d", q, limit)
			assert.Equal(t, sums, summaries(q, limit), "summaries of %+v by %d", q, limit)
		}
		var all []casefile.Summary
		for s, err := range f.svc.Summaries(ctx, q) {
			require.NoError(t, err)
			s.Due = s.Due.UTC().Truncate(time.Microsecond)
			all = append(all, s)
		}
		assert.Equal(t, sums, append([]casefile.Summary{}, all...), "Summaries iterates over every page of %+v", q)
	}
	soon := f.clock.Now().AddDate(0, 0, 10) // all but the 20- and 30-day deadlines
	check(casefile.Query{RequesterID: a}, 5)
	check(casefile.Query{RequesterID: b}, 5)
	check(casefile.Query{RequesterID: "0207.446.772"}, 0)
	check(casefile.Query{RequesterID: a, Category: "waste"}, 2)
	check(casefile.Query{RequesterID: a, OpenOnly: true}, 4)
	check(casefile.Query{RequesterID: a, DueBefore: soon}, 3)
	check(casefile.Query{RequesterID: b, DueBefore: soon.AddDate(1, 0, 0)}, 5)
	assert.Equal(t, []uuid.UUID{all[6].ID, all[9].ID, all[12].ID}, want(casefile.Query{RequesterID: a, DueBefore: soon}),
		"earliest due first: 1, 2, then 3 working days")

	// An update that changes the requester moves the case between listings.
	move := func(id uuid.UUID, kind casefile.PartyKind, to string) {
		_, err := f.store.Update(ctx, id, func(c *casefile.Case) (casefile.Change, error) {
			c.Requester.Kind, c.Requester.ID = kind, to
			return casefile.Change{}, nil
		})
		require.NoError(t, err)
	}
	move(all[1].ID, casefile.PartyEnterprise, a) // from b
	move(all[2].ID, casefile.PartyEnterprise, a) // from no one
	move(all[6].ID, "", "")                      // from a to no one
	check(casefile.Query{RequesterID: a}, 6)
	check(casefile.Query{RequesterID: b}, 4)
	check(casefile.Query{RequesterID: a, DueBefore: soon}, 4)
	assert.Equal(t, []uuid.UUID{all[0].ID, all[1].ID, all[2].ID, all[3].ID, all[9].ID, all[12].ID}, want(casefile.Query{RequesterID: a}))
	assert.NotContains(t, want(casefile.Query{RequesterID: b}), all[1].ID)
	// An update that keeps the requester keeps the case listed once.
	_, err = f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: all[9].ID, Version: 1, Transition: "accept", Actor: clerk})
	require.NoError(t, err)
	check(casefile.Query{RequesterID: a}, 6)
	check(casefile.Query{RequesterID: a, Status: "in_progress"}, 1)
}

func testIdempotentCreate(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	r := Report("street_lighting", "lamp_out")
	r.IdempotencyKey = "open311:client-7:req-1"
	first, err := f.svc.Create(ctx, r)
	require.NoError(t, err)
	again, err := f.svc.Create(ctx, r)
	require.NoError(t, err, "a retry with the same key and request")
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, first.Reference, again.Reference)

	other := r
	other.Description = "Een andere lamp."
	_, err = f.svc.Create(ctx, other)
	assert.ErrorIs(t, err, casefile.ErrConflict, "the same key for a different request")

	// One hundred clients retrying at once file one case.
	r.IdempotencyKey = "portal:double-click"
	ids := make([]uuid.UUID, 100)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			c, err := f.svc.Create(ctx, r)
			if assert.NoError(t, err) {
				ids[i] = c.ID
			}
		})
	}
	wg.Wait()
	for _, id := range ids {
		assert.Equal(t, ids[0], id)
	}
	p, err := f.svc.List(ctx, casefile.Query{})
	require.NoError(t, err)
	assert.Len(t, p.Cases, 2, "two keys, two cases")
	assert.Equal(t, "2026-000003", f.create(t, "other", "").Reference, "repeats used no reference number")
	events := 0
	for _, c := range p.Cases {
		events += len(eventTypes(t, f.store, c.ID))
	}
	assert.Equal(t, 2, events, "one created event per case, none for the repeats")
}
