package casefiletest

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// reporterID is the INSZ of the reporter of the loop's cases.
const reporterID = "85073003328"

var (
	reporter = casefile.Actor{ID: reporterID, Role: casefile.RoleCitizen}
	stranger = casefile.Actor{ID: "90020199768", Role: casefile.RoleCitizen}
)

// reported files a case whose reporter is known by their INSZ.
func (f *fixture) reported(t *testing.T, svc *casefile.Service, category, subcategory string) *casefile.Case {
	t.Helper()
	r := Report(category, subcategory)
	r.Requester.Kind, r.Requester.ID = casefile.PartyPerson, reporterID
	r.Actor = reporter
	c, err := svc.Create(context.Background(), r)
	require.NoError(t, err)
	return c
}

// with returns a service on the fixture's store and clock with other case types.
func (f *fixture) with(t *testing.T, types ...*casefile.CaseType) *casefile.Service {
	t.Helper()
	svc, err := casefile.NewService(casefile.Config{Municipality: "44021", Store: f.store, Clock: f.clock,
		Calendar: calendar.Flanders(), Types: types, DefaultTeam: "public-space",
		Routing: []casefile.RoutingRule{{Team: "lighting", Category: "street_lighting"},
			{Team: "clean-north", Category: "waste", PostalCodes: []string{"9030", "9032"}}}})
	require.NoError(t, err)
	return svc
}

// variant returns the ready public-space type changed by change, loaded.
func variant(t *testing.T, change func(*casefile.CaseType)) *casefile.CaseType {
	t.Helper()
	def := *casefile.PublicSpaceReports()
	change(&def)
	ct, err := casefile.LoadCaseType(def)
	require.NoError(t, err)
	return ct
}

func (f *fixture) resolve(t *testing.T, svc *casefile.Service, c *casefile.Case) *casefile.Case {
	t.Helper()
	c, err := svc.Transition(context.Background(), casefile.TransitionRequest{CaseID: c.ID, Version: c.Version,
		Transition: "resolve", Result: "repaired", Text: "Hersteld.", Actor: handler})
	require.NoError(t, err)
	require.True(t, c.Closed)
	return c
}

func kinds(t *testing.T, st casefile.Store, id uuid.UUID) []casefile.EntryKind {
	t.Helper()
	tl, err := st.Timeline(context.Background(), id)
	require.NoError(t, err)
	out := make([]casefile.EntryKind, len(tl))
	for i, e := range tl {
		out[i] = e.Kind
	}
	return out
}

func at(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, clock.Brussels)
}

// testReopen: the reporter within the period, a clerk any time, refusals
// for the others; the deadline runs anew and the public timeline shows it.
func testReopen(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	c := f.reported(t, f.svc, "street_lighting", "lamp_out")
	_, err := f.svc.Reopen(ctx, casefile.ReopenRequest{CaseID: c.ID, Reason: "x", Actor: reporter})
	assert.ErrorIs(t, err, casefile.ErrNotReopenable, "an open case")
	f.clock.Set(at(2026, 3, 3, 9))
	c = f.resolve(t, f.svc, c)
	assert.True(t, c.ClosedAt.Equal(at(2026, 3, 3, 9)))

	_, err = f.svc.Reopen(ctx, casefile.ReopenRequest{CaseID: c.ID, Reason: "x", Actor: stranger})
	assert.ErrorIs(t, err, casefile.ErrNotReporter)
	assert.ErrorIs(t, err, casefile.ErrForbidden)
	_, err = f.svc.Reopen(ctx, casefile.ReopenRequest{CaseID: c.ID, Actor: reporter})
	assert.ErrorIs(t, err, casefile.ErrValidation, "a reason is required")
	_, err = f.svc.Reopen(ctx, casefile.ReopenRequest{CaseID: c.ID, Version: c.Version - 1, Reason: "x", Actor: reporter})
	assert.ErrorIs(t, err, casefile.ErrConflict)

	f.clock.Set(at(2026, 3, 17, 9)) // the tenth working day after closing: still in time
	c, err = f.svc.Reopen(ctx, casefile.ReopenRequest{CaseID: c.ID, Reason: "De lamp brandt nog steeds niet.", Actor: reporter})
	require.NoError(t, err)
	assert.Equal(t, "in_progress", c.Status)
	assert.False(t, c.Closed)
	assert.True(t, c.ClosedAt.IsZero())
	assert.Empty(t, c.Result)
	assert.Equal(t, 1, c.Reopened)
	assert.True(t, c.Due.Equal(at(2026, 3, 24, 9)), "5 working days from the reopening, got %s", c.Due)
	got, err := f.store.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, got.Reopened)
	assert.True(t, got.ReopenedAt.Equal(at(2026, 3, 17, 9)))
	assert.True(t, got.Due.Equal(c.Due))
	p, err := f.svc.Overdue(ctx, casefile.Query{})
	require.NoError(t, err)
	assert.Empty(t, p.Cases)
	f.clock.Set(at(2026, 3, 25, 9))
	p, err = f.svc.Overdue(ctx, casefile.Query{})
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{c.ID}, ids(p.Cases), "a reopened case's deadline runs again")

	cv, err := f.svc.CitizenView(ctx, c.Reference, "nl")
	require.NoError(t, err)
	last := cv.Timeline[len(cv.Timeline)-1]
	assert.Equal(t, casefile.EntryReopened, last.Kind)
	assert.Equal(t, "De lamp brandt nog steeds niet.", last.Text)
	assert.Equal(t, "In behandeling", last.StatusLabel)
	assert.Equal(t, 1, countOf(eventTypes(t, f.store, c.ID), casefile.EventReopened))

	// Closed again, past the reporter's period: only a clerk may reopen.
	c = f.resolve(t, f.svc, c)
	f.clock.Set(at(2026, 4, 20, 9))
	_, err = f.svc.Reopen(ctx, casefile.ReopenRequest{CaseID: c.ID, Reason: "x", Actor: reporter})
	assert.ErrorIs(t, err, casefile.ErrReopenPeriodOver)
	assert.ErrorIs(t, err, casefile.ErrInvalidTransition)
	c, err = f.svc.Reopen(ctx, casefile.ReopenRequest{CaseID: c.ID, Version: c.Version, Reason: "Nazicht bij controle.", Actor: clerk})
	require.NoError(t, err)
	assert.Equal(t, 2, c.Reopened)

	// A status the policy does not reopen.
	r := f.reported(t, f.svc, "other", "")
	r, err = f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: r.ID, Version: r.Version, Transition: "reject", Result: "not_municipal", Actor: clerk})
	require.NoError(t, err)
	_, err = f.svc.Reopen(ctx, casefile.ReopenRequest{CaseID: r.ID, Reason: "x", Actor: clerk})
	assert.ErrorIs(t, err, casefile.ErrNotReopenable)
	got, err = f.store.Get(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, r.Version, got.Version, "a refusal stores nothing")
}

// testAmend: a new category or place routes anew and recomputes the deadline.
func testAmend(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	c := f.create(t, "street_lighting", "lamp_out")
	c, err := f.svc.Assign(ctx, casefile.AssignRequest{CaseID: c.ID, Version: c.Version, Team: "lighting", Assignee: "handler-1", Actor: clerk})
	require.NoError(t, err)
	_, err = f.svc.Amend(ctx, casefile.AmendRequest{CaseID: c.ID, Version: c.Version, Category: "waste", Subcategory: "illegal_dump", Actor: citizen})
	assert.ErrorIs(t, err, casefile.ErrForbidden)
	_, err = f.svc.Amend(ctx, casefile.AmendRequest{CaseID: c.ID, Version: c.Version, Category: "waste", Subcategory: "nope", Actor: clerk})
	assert.ErrorIs(t, err, casefile.ErrValidation)
	_, err = f.svc.Amend(ctx, casefile.AmendRequest{CaseID: c.ID, Version: c.Version, Category: "street_lighting", Subcategory: "lamp_out", Actor: clerk})
	assert.ErrorIs(t, err, casefile.ErrValidation, "nothing changes")
	brussels := casefile.Location{Point: casefile.Point{Lat: 48.85, Lon: 2.35}}
	_, err = f.svc.Amend(ctx, casefile.AmendRequest{CaseID: c.ID, Version: c.Version, Location: &brussels, Actor: clerk})
	assert.ErrorIs(t, err, casefile.ErrValidation, "a point outside Belgium")

	f.clock.Set(at(2026, 3, 4, 9))
	north := casefile.Location{Address: pii.Address{Street: "Frans Rensstraat", Number: "2", PostalCode: "9030", Municipality: "Gent"}}
	c, err = f.svc.Amend(ctx, casefile.AmendRequest{CaseID: c.ID, Version: c.Version, Category: "waste", Subcategory: "illegal_dump",
		Location: &north, Reason: "Geen lamp maar een sluikstort.", Actor: clerk})
	require.NoError(t, err)
	assert.Equal(t, "waste", c.Category)
	assert.Equal(t, "illegal_dump", c.Subcategory)
	assert.Equal(t, "clean-north", c.Team, "routed anew")
	assert.Empty(t, c.Assignee, "a new team drops the assignee")
	assert.True(t, c.Due.Equal(at(2026, 3, 5, 9)), "3 working days from filing, got %s", c.Due)
	got, err := f.store.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, north, got.Location)
	assert.Equal(t, "clean-north", got.Team)
	assert.True(t, got.Due.Equal(c.Due))
	assert.Equal(t, []casefile.EntryKind{casefile.EntryCreated, casefile.EntryAssigned, casefile.EntryCategoryChanged,
		casefile.EntryLocationChanged, casefile.EntryCommented}, kinds(t, f.store, c.ID))
	cv, err := f.svc.CitizenView(ctx, c.Reference, "nl")
	require.NoError(t, err)
	require.Len(t, cv.Timeline, 3, "the reason stays internal")
	assert.Equal(t, casefile.EntryCategoryChanged, cv.Timeline[1].Kind)
	assert.Equal(t, "categorie gewijzigd", cv.Timeline[1].Text)
	assert.Equal(t, casefile.EntryLocationChanged, cv.Timeline[2].Kind)
	assert.Equal(t, 1, countOf(eventTypes(t, f.store, c.ID), casefile.EventAmended))
	p, err := f.svc.List(ctx, casefile.Query{Category: "waste"})
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{c.ID}, ids(p.Cases), "listings see the new category")

	c = f.resolve(t, f.svc, c)
	_, err = f.svc.Amend(ctx, casefile.AmendRequest{CaseID: c.ID, Version: c.Version, Category: "other", Actor: clerk})
	assert.ErrorIs(t, err, casefile.ErrInvalidTransition)
}

// testQuestions: the clerk asks, the deadline stops, the reporter answers
// and it runs again; a question case gets its answer.
func testQuestions(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	c := f.reported(t, f.svc, "street_lighting", "lamp_out") // due Monday 9 March 09:00
	c, err := f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "accept", Actor: clerk})
	require.NoError(t, err)
	_, err = f.svc.AnswerReporterQuestion(ctx, casefile.ReporterAnswerRequest{CaseID: c.ID, Text: "?", Actor: reporter})
	assert.ErrorIs(t, err, casefile.ErrNotWaiting)
	_, err = f.svc.AskReporter(ctx, casefile.AskRequest{CaseID: c.ID, Version: c.Version, Question: "Welk paalnummer?", Actor: reporter})
	assert.ErrorIs(t, err, casefile.ErrForbidden)
	_, err = f.svc.AskReporter(ctx, casefile.AskRequest{CaseID: c.ID, Version: c.Version, Question: " ", Actor: clerk})
	assert.ErrorIs(t, err, casefile.ErrValidation)
	c, err = f.svc.AskReporter(ctx, casefile.AskRequest{CaseID: c.ID, Version: c.Version, Question: "Welk paalnummer staat op de lamp?", Actor: clerk})
	require.NoError(t, err)
	assert.Equal(t, "waiting", c.Status)
	assert.False(t, c.SuspendedAt.IsZero(), "the case type suspends while waiting")

	f.clock.Set(at(2026, 3, 5, 9)) // three working days later
	_, err = f.svc.AnswerReporterQuestion(ctx, casefile.ReporterAnswerRequest{CaseID: c.ID, Text: "Paal 12", Actor: stranger})
	assert.ErrorIs(t, err, casefile.ErrNotReporter)
	c, err = f.svc.AnswerReporterQuestion(ctx, casefile.ReporterAnswerRequest{CaseID: c.ID, Text: "Paal 12.", Actor: reporter})
	require.NoError(t, err)
	assert.Equal(t, "in_progress", c.Status)
	assert.True(t, c.SuspendedAt.IsZero())
	assert.True(t, c.Due.Equal(at(2026, 3, 12, 9)), "moved by three working days, got %s", c.Due)

	cv, err := f.svc.CitizenView(ctx, c.Reference, "nl")
	require.NoError(t, err)
	var texts []string
	for _, e := range cv.Timeline {
		if e.Kind == casefile.EntryQuestionAsked || e.Kind == casefile.EntryReporterAnswered {
			texts = append(texts, e.Text)
		}
	}
	assert.Equal(t, []string{"Welk paalnummer staat op de lamp?", "Paal 12."}, texts)
	types := eventTypes(t, f.store, c.ID)
	for _, typ := range []string{casefile.EventQuestionAsked, casefile.EventReporterAnswered, casefile.EventDeadlineSuspended, casefile.EventDeadlineResumed} {
		assert.Equal(t, 1, countOf(types, typ), typ)
	}
	evs, err := f.store.(listed).Events(ctx, c.ID)
	require.NoError(t, err)
	var asked string
	for _, e := range evs {
		if n := asNotice(t, e); e.Type == casefile.EventRequesterNotice && n.Reason == casefile.EntryQuestionAsked {
			asked = n.Text
		}
	}
	assert.Equal(t, "Welk paalnummer staat op de lamp?", asked, "the notice carries the question")

	// The clerk answers a question and closes it in one change.
	q := f.reported(t, f.svc, "other", "")
	_, err = f.svc.Answer(ctx, casefile.AnswerRequest{CaseID: q.ID, Version: q.Version, Text: "x", Actor: reporter})
	assert.ErrorIs(t, err, casefile.ErrForbidden)
	q, err = f.svc.Answer(ctx, casefile.AnswerRequest{CaseID: q.ID, Version: q.Version, Text: "Het containerpark is zaterdag open tot 16 uur.",
		Transition: "resolve", Result: "no_action", Actor: handler})
	require.NoError(t, err)
	assert.True(t, q.Closed)
	assert.Equal(t, "no_action", q.Result)
	assert.Equal(t, []casefile.EntryKind{casefile.EntryCreated, casefile.EntryAnswered}, kinds(t, f.store, q.ID))
	tl, err := f.store.Timeline(ctx, q.ID)
	require.NoError(t, err)
	assert.True(t, tl[1].Public)
	assert.Equal(t, "resolved", tl[1].ToStatus)
	assert.Equal(t, "Het containerpark is zaterdag open tot 16 uur.", tl[1].Text)
	types = eventTypes(t, f.store, q.ID)
	assert.Equal(t, 1, countOf(types, casefile.EventAnswered))
	assert.Equal(t, 1, countOf(types, casefile.EventRequesterNotice))
	_, err = f.svc.Answer(ctx, casefile.AnswerRequest{CaseID: q.ID, Version: q.Version, Text: "Nog iets.", Actor: handler})
	assert.ErrorIs(t, err, casefile.ErrInvalidTransition, "a closed case")
}

// testSatisfaction: once, by the reporter, after closing; a low score reopens.
func testSatisfaction(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	c := f.reported(t, f.svc, "street_lighting", "lamp_out")
	_, err := f.svc.Rate(ctx, casefile.RateRequest{CaseID: c.ID, Score: 4, Actor: reporter})
	assert.ErrorIs(t, err, casefile.ErrRatingClosed, "an open case")
	c = f.resolve(t, f.svc, c)
	for _, score := range []int{0, 6, -1} {
		_, err = f.svc.Rate(ctx, casefile.RateRequest{CaseID: c.ID, Score: score, Actor: reporter})
		assert.ErrorIs(t, err, casefile.ErrValidation, "score %d", score)
	}
	_, err = f.svc.Rate(ctx, casefile.RateRequest{CaseID: c.ID, Score: 4, Actor: stranger})
	assert.ErrorIs(t, err, casefile.ErrNotReporter)
	c, err = f.svc.Rate(ctx, casefile.RateRequest{CaseID: c.ID, Score: 4, Comment: "Snel hersteld.", Actor: reporter})
	require.NoError(t, err)
	assert.True(t, c.Closed)
	got, err := f.store.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, 4, got.Satisfaction.Score)
	assert.Equal(t, "Snel hersteld.", got.Satisfaction.Comment)
	assert.True(t, got.Satisfaction.At.Equal(f.clock.Now()))
	_, err = f.svc.Rate(ctx, casefile.RateRequest{CaseID: c.ID, Score: 1, Actor: reporter})
	assert.ErrorIs(t, err, casefile.ErrAlreadyRated)

	u := f.reported(t, f.svc, "street_lighting", "lamp_out")
	u = f.resolve(t, f.svc, u)
	u, err = f.svc.Rate(ctx, casefile.RateRequest{CaseID: u.ID, Score: 2, Comment: "Lamp flikkert nog.", Actor: reporter})
	require.NoError(t, err)
	assert.False(t, u.Closed, "an unhappy answer reopens")
	assert.Equal(t, 1, u.Reopened)
	assert.Equal(t, 2, u.Satisfaction.Score)
	types := eventTypes(t, f.store, u.ID)
	assert.Equal(t, 1, countOf(types, casefile.EventRated))
	assert.Equal(t, 1, countOf(types, casefile.EventReopened))

	// Past the reporter's period to reopen, an unhappy answer is kept
	// and the case stays closed.
	l := f.reported(t, f.svc, "street_lighting", "lamp_out")
	l = f.resolve(t, f.svc, l)
	f.clock.Advance(20 * 24 * time.Hour)
	l, err = f.svc.Rate(ctx, casefile.RateRequest{CaseID: l.ID, Score: 1, Actor: reporter})
	require.NoError(t, err)
	assert.True(t, l.Closed)
	f.clock.Advance(20 * 24 * time.Hour)
	late := f.reported(t, f.svc, "other", "")
	late = f.resolve(t, f.svc, late)
	f.clock.Advance(31 * 24 * time.Hour)
	_, err = f.svc.Rate(ctx, casefile.RateRequest{CaseID: late.ID, Score: 5, Actor: reporter})
	assert.ErrorIs(t, err, casefile.ErrRatingClosed, "past the questionnaire's period")
}

// testVersions: a running case keeps the rules of its version; new cases
// get the newest.
func testVersions(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	v1 := casefile.PublicSpaceReports()
	old := f.reported(t, f.svc, "street_lighting", "lamp_out")
	assert.Equal(t, 0, old.TypeVersion)
	v2 := variant(t, func(ct *casefile.CaseType) {
		ct.Version = 2
		ct.Reopen = casefile.ReopenPolicy{}
		ct.Categories = append([]casefile.Category(nil), ct.Categories...)
		ct.Categories[0].Subcategories = []casefile.Subcategory{{Code: "lamp_out", Label: ct.Categories[0].Subcategories[0].Label, Deadline: calendar.Deadline{Days: 2, WorkingDays: true}}}
	})
	_, err := casefile.NewService(casefile.Config{Municipality: "44021", Store: f.store, Types: []*casefile.CaseType{v2, v2}})
	assert.ErrorIs(t, err, casefile.ErrValidation, "a version given twice")
	svc := f.with(t, v2, v1)
	latest, ok := svc.CaseType("meldingen")
	require.True(t, ok)
	assert.Equal(t, 2, latest.Version)
	assert.Len(t, svc.CaseTypeVersions("meldingen"), 2)

	neu := f.reported(t, svc, "street_lighting", "lamp_out")
	assert.Equal(t, 2, neu.TypeVersion)
	assert.True(t, neu.Due.Equal(at(2026, 3, 4, 9)), "version 2's deadline, got %s", neu.Due)
	got, err := f.store.Get(ctx, neu.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, got.TypeVersion)

	old = f.resolve(t, svc, old)
	_, err = svc.Reopen(ctx, casefile.ReopenRequest{CaseID: old.ID, Reason: "x", Actor: reporter})
	require.NoError(t, err, "version 0 allows reopening, and the old case keeps it")
	neu = f.resolve(t, svc, neu)
	_, err = svc.Reopen(ctx, casefile.ReopenRequest{CaseID: neu.ID, Reason: "x", Actor: reporter})
	assert.ErrorIs(t, err, casefile.ErrNotReopenable, "version 2 does not")
	ct, err := svc.CaseTypeOf(neu)
	require.NoError(t, err)
	assert.Equal(t, 2, ct.Version)

	only1 := f.with(t, v1)
	_, err = only1.Reopen(ctx, casefile.ReopenRequest{CaseID: neu.ID, Reason: "x", Actor: clerk})
	assert.ErrorIs(t, err, casefile.ErrInvalidTransition, "a service without the case's version refuses to guess")
}

// purgeRecorder is a Purger that records the cases it was asked about and
// fails for those in fail.
type purgeRecorder struct {
	mu   sync.Mutex
	seen []uuid.UUID
	fail map[uuid.UUID]bool
}

func (p *purgeRecorder) PurgeAttachments(_ context.Context, c *casefile.Case) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, c.ID)
	if p.fail[c.ID] {
		return errors.New("blob store down")
	}
	return nil
}

// testRetention: closed cases past their retention are anonymised or
// deleted, their files purged first, and every run leaves an audit record.
func testRetention(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	purger := &purgeRecorder{fail: map[uuid.UUID]bool{}}
	del := variant(t, func(ct *casefile.CaseType) {
		ct.Code = "vragen"
		ct.Retention = casefile.RetentionPolicy{Days: 365, Action: casefile.RetainDelete}
	})
	svc, err := casefile.NewService(casefile.Config{Municipality: "44021", Store: f.store, Clock: f.clock,
		Types: []*casefile.CaseType{casefile.PublicSpaceReports(), del}, Purger: purger})
	require.NoError(t, err)

	anon := f.reported(t, svc, "street_lighting", "lamp_out")
	anon, err = svc.AddAttachment(ctx, casefile.AttachmentRequest{CaseID: anon.ID, Actor: reporter, Attachment: casefile.Attachment{
		Name: "lamp-An-Peeters.jpg", MediaType: "image/jpeg", Size: 2048,
		SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", URI: "blob://photos/1"}})
	require.NoError(t, err)
	_, err = svc.Comment(ctx, casefile.CommentRequest{CaseID: anon.ID, Text: "Ik woon op nummer 3.", Actor: reporter})
	require.NoError(t, err)
	anon, err = svc.Get(ctx, anon.ID)
	require.NoError(t, err)
	anon = f.resolve(t, svc, anon)
	open := f.reported(t, svc, "other", "")
	r := Report("other", "")
	r.Type = "vragen"
	gone, err := svc.Create(ctx, r)
	require.NoError(t, err)
	gone = f.resolve(t, svc, gone)
	failing := f.reported(t, svc, "waste", "graffiti")
	failing, err = svc.AddAttachment(ctx, casefile.AttachmentRequest{CaseID: failing.ID, Actor: reporter, Attachment: casefile.Attachment{
		Name: "g.jpg", MediaType: "image/jpeg", Size: 1, SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", URI: "blob://photos/2"}})
	require.NoError(t, err)
	failing = f.resolve(t, svc, failing)
	purger.fail[failing.ID] = true

	// A year on: only the deleting type's retention has run out.
	f.clock.Set(Start.AddDate(1, 0, 1))
	run, err := svc.Purge(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, run.Deleted)
	assert.Equal(t, 0, run.Anonymised)
	_, err = f.store.Get(ctx, gone.ID)
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	_, err = f.store.GetByReference(ctx, "44021", gone.Reference)
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	_, err = f.store.Timeline(ctx, gone.ID)
	assert.ErrorIs(t, err, casefile.ErrNotFound)
	assert.Equal(t, 1, countOf(eventTypes(t, f.store, gone.ID), casefile.EventPurged))

	// Past two years: the reports are anonymised, except the one whose
	// photos could not be deleted; the open one is kept.
	f.clock.Set(Start.AddDate(2, 0, 1))
	run, err = svc.Purge(ctx, f.clock.Now())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "blob store down")
	assert.Equal(t, casefile.PurgeRun{ID: run.ID, Municipality: "44021", At: run.At, Anonymised: 1, Failed: 1}, run)
	assert.ElementsMatch(t, []uuid.UUID{anon.ID, failing.ID}, purger.seen)

	got, err := f.store.Get(ctx, anon.ID)
	require.NoError(t, err)
	assert.Empty(t, got.Description)
	assert.Equal(t, casefile.Requester{}, got.Requester)
	assert.Empty(t, got.Attachments)
	assert.False(t, got.Location.HasPoint())
	assert.Empty(t, got.Location.Address.Street)
	assert.Equal(t, "9000", got.Location.Address.PostalCode, "the area stays for statistics")
	assert.Equal(t, "street_lighting", got.Category)
	assert.Equal(t, "resolved", got.Status)
	assert.Equal(t, "repaired", got.Result)
	assert.True(t, got.CreatedAt.Equal(anon.CreatedAt))
	assert.True(t, got.ClosedAt.Equal(anon.ClosedAt))
	assert.False(t, got.AnonymisedAt.IsZero())
	tl, err := f.store.Timeline(ctx, anon.ID)
	require.NoError(t, err)
	for _, e := range tl {
		assert.Empty(t, e.Text, "entry %s", e.Kind)
		assert.Empty(t, e.Attachment, "entry %s", e.Kind)
		if e.Actor.Role == casefile.RoleCitizen {
			assert.Empty(t, e.Actor.ID, "entry %s", e.Kind)
		}
	}
	assert.Equal(t, casefile.EntryAnonymised, tl[len(tl)-1].Kind)
	stillThere, err := f.store.Get(ctx, failing.ID)
	require.NoError(t, err)
	assert.NotEmpty(t, stillThere.Description, "a failed purge leaves the case")
	kept, err := f.store.Get(ctx, open.ID)
	require.NoError(t, err)
	assert.NotEmpty(t, kept.Description)

	// Again, with the blob store back: the failed one now, nothing twice.
	delete(purger.fail, failing.ID)
	run, err = svc.Purge(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, run.Anonymised)
	run, err = svc.Purge(ctx, f.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, 0, run.Anonymised+run.Deleted+run.Failed)

	runs, err := f.store.PurgeRuns(ctx, "44021")
	require.NoError(t, err)
	require.Len(t, runs, 4)
	assert.Equal(t, 1, runs[0].Deleted)
	assert.Equal(t, 1, runs[1].Failed)
	assert.Equal(t, run.ID, runs[3].ID)
	assert.Equal(t, []string{casefile.EventPurgeRun}, eventTypes(t, f.store, run.ID))
	other, err := f.store.PurgeRuns(ctx, "11002")
	require.NoError(t, err)
	assert.Empty(t, other)
}

// testPurgeRace: a purge and a reopening of the same case at once; the
// reopened case is never anonymised after it reopened.
func testPurgeRace(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	var cs []*casefile.Case
	for range 6 {
		c := f.reported(t, f.svc, "street_lighting", "lamp_out")
		cs = append(cs, f.resolve(t, f.svc, c))
	}
	f.clock.Set(Start.AddDate(2, 0, 1))
	var reopened atomic.Int32
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.svc.Reopen(ctx, casefile.ReopenRequest{CaseID: c.ID, Reason: "Nazicht.", Actor: clerk}); err == nil {
				reopened.Add(1)
			}
		}()
	}
	run, err := f.svc.Purge(ctx, f.clock.Now())
	wg.Wait()
	require.NoError(t, err)
	assert.Equal(t, len(cs), run.Anonymised+int(reopened.Load()), "each case is either reopened or anonymised")
	for _, c := range cs {
		got, err := f.store.Get(ctx, c.ID)
		require.NoError(t, err)
		assert.True(t, got.Closed == !got.AnonymisedAt.IsZero(), "case %s closed=%v anonymised=%v", got.Reference, got.Closed, got.AnonymisedAt)
	}
}

// asNotice decodes a requester notice's payload, whether the store hands
// back the value or its JSON.
func asNotice(t *testing.T, e event.Event) casefile.RequesterNotice {
	t.Helper()
	data, err := json.Marshal(e.Payload)
	require.NoError(t, err)
	var n casefile.RequesterNotice
	require.NoError(t, json.Unmarshal(data, &n))
	return n
}

// testRateOnce: of concurrent ratings and reopenings of one case, exactly
// one rating and one reopening win.
func testRateOnce(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	f := newFixture(t, newStore)
	ctx := context.Background()
	c := f.reported(t, f.svc, "street_lighting", "lamp_out")
	c = f.resolve(t, f.svc, c)
	var rated, reopened atomic.Int32
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := f.svc.Rate(ctx, casefile.RateRequest{CaseID: c.ID, Score: 3 + i%3, Actor: reporter})
			if err == nil {
				rated.Add(1)
			} else {
				assert.True(t, errors.Is(err, casefile.ErrAlreadyRated) || errors.Is(err, casefile.ErrRatingClosed), "%v", err)
			}
		}()
		go func() {
			defer wg.Done()
			_, err := f.svc.Reopen(ctx, casefile.ReopenRequest{CaseID: c.ID, Reason: "Niet opgelost.", Actor: reporter})
			if err == nil {
				reopened.Add(1)
			} else {
				assert.ErrorIs(t, err, casefile.ErrNotReopenable)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), reopened.Load())
	// A rating that came after the reopening found the case open.
	assert.LessOrEqual(t, rated.Load(), int32(1))
	got, err := f.store.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, got.Reopened)
	assert.Equal(t, int(rated.Load()), countOf(eventTypes(t, f.store, c.ID), casefile.EventRated))
}
