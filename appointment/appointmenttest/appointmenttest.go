// Package appointmenttest is the conformance suite every appointment.Store
// passes: the in-memory store and the PostgreSQL store run the same tests,
// concurrency included.
package appointmenttest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Start is the suite's "now": Monday 2 March 2026, 07:00 in Brussels.
var Start = time.Date(2026, 3, 2, 7, 0, 0, 0, clock.Brussels)

// Monday is the date of Start.
var Monday = calendar.NewDate(2026, 3, 2)

func at(d calendar.Date, h, m int) time.Time { return d.At(h, m, clock.Brussels) }

// Fixture is a scheduler over a fresh store with a settable clock, the
// service "eid" (15 minutes, capacity 1, at most 2 open per citizen), the
// group service "info" (capacity 3, only at counter G) and a town hall open
// 09:00–12:00 on weekdays with counters L1, L2 (eid) and G (info).
type Fixture struct {
	Store     appointment.Store
	Clock     *clock.Settable
	Scheduler *appointment.Scheduler
	// Committed returns the events the store committed so far, in commit
	// order; Run sets it from the harness, NewFixture leaves it nil.
	Committed func(t *testing.T) []event.Event
}

// EID is the suite's single-citizen service.
func EID() appointment.Service {
	return appointment.Service{
		ID: "eid", Name: "Identiteitskaart", Duration: 15 * time.Minute,
		Notice:  appointment.Notice{Book: time.Hour, Reschedule: 24 * time.Hour, Cancel: 2 * time.Hour},
		Horizon: 60 * 24 * time.Hour, Capacity: 1, MaxOpenPerCitizen: 2,
		Documents: []string{"oude identiteitskaart", "pasfoto"},
	}
}

// Info is the suite's group service.
func Info() appointment.Service {
	return appointment.Service{ID: "info", Name: "Infosessie bouwen", Duration: time.Hour, Capacity: 3, BufferAfter: 15 * time.Minute}
}

// TownHall is the suite's location.
func TownHall() appointment.Location {
	l := appointment.Location{
		ID: "gemeentehuis", Name: "Gemeentehuis", Address: "Markt 1, 9000 Gent",
		Counters: []appointment.Counter{
			{ID: "L1", Name: "Loket 1", Services: []string{"eid"}},
			{ID: "L2", Name: "Loket 2", Services: []string{"eid"}},
			{ID: "G", Name: "Zaal", Services: []string{"info"}},
		},
	}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		l.Hours = append(l.Hours, appointment.OpeningHours{Weekday: wd, Open: appointment.HM(9, 0), Close: appointment.HM(12, 0)})
	}
	return l
}

// NewFixture builds a Fixture on the store.
func NewFixture(t testing.TB, store appointment.Store) *Fixture {
	t.Helper()
	clk := clock.NewSettable(Start)
	s := appointment.NewScheduler(appointment.Config{
		Store: store, Clock: clk, Calendar: calendar.Flanders(),
		HoldFor: 10 * time.Minute, OfferFor: time.Hour, Reminders: []time.Duration{24 * time.Hour, 2 * time.Hour},
	})
	ctx := context.Background()
	require.NoError(t, s.DefineService(ctx, EID()))
	require.NoError(t, s.DefineService(ctx, Info()))
	require.NoError(t, s.DefineLocation(ctx, TownHall()))
	return &Fixture{Store: store, Clock: clk, Scheduler: s}
}

// Citizen returns a distinct test citizen.
func Citizen(n int) appointment.Citizen {
	return appointment.Citizen{Name: pii.Name{Given: "Burger", Family: fmt.Sprint(n)}, Email: pii.Email(fmt.Sprintf("burger%d@example.be", n))}
}

// Req is a web request for service at start by citizen n.
func Req(service string, start time.Time, n int) appointment.Request {
	return appointment.Request{ServiceID: service, LocationID: "gemeentehuis", Start: start, Channel: appointment.Web, Citizen: Citizen(n)}
}

// Run runs the conformance suite against stores made by newHarness (a
// fresh, empty store per call): the shared event subtests of
// eventtest.StoreEvents, then appointment's own.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	eventtest.StoreEvents(t, func(t *testing.T) eventtest.StoreHarness { return storeHarness(t, newHarness(t)) })
	tests := []struct {
		name string
		fn   func(t *testing.T, f *Fixture)
	}{
		{"Catalog", testCatalog},
		{"BookTakesSlot", testBookTakesSlot},
		{"HoldConfirmExpire", testHold},
		{"Idempotency", testIdempotency},
		{"DuplicateKeyStoresNothing", testDuplicateKey},
		{"CitizenLimit", testCitizenLimit},
		{"Cancel", testCancel},
		{"Reschedule", testReschedule},
		{"CheckInNoShow", testCheckInNoShow},
		{"Waitlist", testWaitlist},
		{"Reference", testReference},
		{"ReferenceUnique", testReferenceUnique},
		{"BadInput", testBadInput},
		{"TextAndDates", testTextAndDates},
		{"GroupSession", testGroupSession},
		{"ConcurrentSameSlot", testConcurrentSameSlot},
		{"ConcurrentGroupSlot", testConcurrentGroupSlot},
		{"ConcurrentDoubleClick", testConcurrentDoubleClick},
		{"ConcurrentChannelQuota", testConcurrentQuota},
		{"ConcurrentRescheduleVersusBook", testConcurrentReschedule},
		{"CounterBookings", testCounterBookings},
		{"CitizenBookingsAndAgenda", testCitizenBookings},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			f := NewFixture(t, h.Store)
			f.Committed = h.Committed
			tt.fn(t, f)
		})
	}
}

func testCatalog(t *testing.T, f *Fixture) {
	ctx := context.Background()
	svc, err := f.Store.Service(ctx, "eid")
	require.NoError(t, err)
	assert.Equal(t, EID(), svc)
	loc, err := f.Store.Location(ctx, "gemeentehuis")
	require.NoError(t, err)
	assert.Equal(t, TownHall().Counters, loc.Counters)
	assert.Equal(t, TownHall().Hours, loc.Hours)
	_, err = f.Store.Service(ctx, "nope")
	assert.ErrorIs(t, err, appointment.ErrNotFound)
	_, err = f.Store.Location(ctx, "nope")
	assert.ErrorIs(t, err, appointment.ErrNotFound)

	bad := TownHall()
	bad.Hours = append(bad.Hours, appointment.OpeningHours{Weekday: time.Monday, Open: appointment.HM(11, 0), Close: appointment.HM(13, 0)})
	assert.ErrorIs(t, f.Scheduler.DefineLocation(ctx, bad), appointment.ErrValidation)
	loc, err = f.Store.Location(ctx, "gemeentehuis")
	require.NoError(t, err)
	assert.Len(t, loc.Hours, 5, "a rejected definition changes nothing")
}

func slotAt(t *testing.T, f *Fixture, service string, start time.Time) (appointment.Slot, bool) {
	t.Helper()
	d := calendar.DateIn(start)
	slots, err := f.Scheduler.Availability(context.Background(), appointment.Query{ServiceID: service, LocationID: "gemeentehuis", From: d, To: d})
	require.NoError(t, err)
	for _, s := range slots {
		if s.Start.Equal(start) {
			return s, true
		}
	}
	return appointment.Slot{}, false
}

func testBookTakesSlot(t *testing.T, f *Fixture) {
	ctx := context.Background()
	start := at(Monday, 9, 0)
	b, err := f.Scheduler.Book(ctx, Req("eid", start, 1))
	require.NoError(t, err)
	assert.Equal(t, appointment.Confirmed, b.Status)
	assert.Equal(t, "L1", b.CounterID)
	assert.Equal(t, start.Add(15*time.Minute), b.End)
	sl, ok := slotAt(t, f, "eid", start)
	require.True(t, ok)
	assert.Equal(t, []string{"L2"}, sl.Counters)

	b2, err := f.Scheduler.Book(ctx, Req("eid", start, 2))
	require.NoError(t, err)
	assert.Equal(t, "L2", b2.CounterID)
	_, ok = slotAt(t, f, "eid", start)
	assert.False(t, ok)
	_, err = f.Scheduler.Book(ctx, Req("eid", start, 3))
	assert.ErrorIs(t, err, appointment.ErrSlotTaken)
	assert.ErrorIs(t, err, appointment.ErrConflict)

	got, err := f.Scheduler.Get(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, b.Reference, got.Reference)
	assert.True(t, b.Start.Equal(got.Start))
}

func testHold(t *testing.T, f *Fixture) {
	ctx := context.Background()
	start := at(Monday, 10, 0)
	h, err := f.Scheduler.Hold(ctx, Req("eid", start, 1))
	require.NoError(t, err)
	assert.Equal(t, appointment.Held, h.Status)
	assert.True(t, h.HoldUntil.Equal(Start.Add(10*time.Minute)))
	sl, _ := slotAt(t, f, "eid", start)
	assert.Equal(t, 1, sl.Remaining, "a hold takes its place")

	c, err := f.Scheduler.Confirm(ctx, h.ID)
	require.NoError(t, err)
	assert.Equal(t, appointment.Confirmed, c.Status)
	again, err := f.Scheduler.Confirm(ctx, h.ID)
	require.NoError(t, err, "a repeated confirm confirms once")
	assert.Equal(t, appointment.Confirmed, again.Status)

	h2, err := f.Scheduler.Hold(ctx, Req("eid", start, 2))
	require.NoError(t, err)
	f.Clock.Advance(11 * time.Minute)
	_, err = f.Scheduler.Confirm(ctx, h2.ID)
	assert.ErrorIs(t, err, appointment.ErrHoldExpired)
	got, err := f.Scheduler.Get(ctx, h2.ID)
	require.NoError(t, err)
	assert.Equal(t, appointment.Expired, got.StatusAt(f.Clock.Now()))
	sl, ok := slotAt(t, f, "eid", start)
	require.True(t, ok, "an expired hold frees its place by itself")
	assert.Equal(t, 1, sl.Remaining)
	_, err = f.Scheduler.Book(ctx, Req("eid", start, 3))
	assert.NoError(t, err)
}

func testCitizenLimit(t *testing.T, f *Fixture) {
	ctx := context.Background()
	for i := range 2 {
		_, err := f.Scheduler.Book(ctx, Req("eid", at(Monday, 9, 15*i), 7))
		require.NoError(t, err)
	}
	_, err := f.Scheduler.Book(ctx, Req("eid", at(Monday, 10, 0), 7))
	assert.ErrorIs(t, err, appointment.ErrLimitReached)
	_, err = f.Scheduler.Book(ctx, Req("info", at(Monday, 10, 0), 7))
	assert.NoError(t, err, "the limit is per service")
	_, err = f.Scheduler.Book(ctx, Req("eid", at(Monday, 10, 0), 8))
	assert.NoError(t, err)
}

func testCancel(t *testing.T, f *Fixture) {
	ctx := context.Background()
	start := at(Monday, 11, 0)
	b, err := f.Scheduler.Book(ctx, Req("eid", start, 1))
	require.NoError(t, err)
	c, err := f.Scheduler.Cancel(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, appointment.Cancelled, c.Status)
	assert.Equal(t, 1, c.Sequence)
	sl, _ := slotAt(t, f, "eid", start)
	assert.Equal(t, 2, sl.Remaining)
	_, err = f.Scheduler.Cancel(ctx, b.ID)
	assert.ErrorIs(t, err, appointment.ErrInvalidTransition)

	late, err := f.Scheduler.Book(ctx, Req("eid", at(Monday, 9, 0), 2))
	require.NoError(t, err)
	f.Clock.Set(at(Monday, 7, 30))
	_, err = f.Scheduler.Cancel(ctx, late.ID)
	assert.ErrorIs(t, err, appointment.ErrTooLate)
	got, _ := f.Scheduler.Get(ctx, late.ID)
	assert.Equal(t, appointment.Confirmed, got.Status)
	_, err = f.Scheduler.Cancel(ctx, [16]byte{1})
	assert.ErrorIs(t, err, appointment.ErrNotFound)
}

func testReschedule(t *testing.T, f *Fixture) {
	ctx := context.Background()
	tue := Monday.AddDays(1)
	b, err := f.Scheduler.Book(ctx, Req("eid", at(tue, 9, 0), 1))
	require.NoError(t, err)
	// Fill both counters at 10:00 on Tuesday.
	for i := range 2 {
		_, err := f.Scheduler.Book(ctx, Req("eid", at(tue, 10, 0), 10+i))
		require.NoError(t, err)
	}
	_, err = f.Scheduler.Reschedule(ctx, b.ID, at(tue, 10, 0), "")
	assert.ErrorIs(t, err, appointment.ErrSlotTaken)
	kept, _ := f.Scheduler.Get(ctx, b.ID)
	assert.True(t, kept.Start.Equal(at(tue, 9, 0)), "a failed move keeps the old slot")
	assert.Equal(t, 0, kept.Sequence)

	m, err := f.Scheduler.Reschedule(ctx, b.ID, at(tue, 11, 0), "L2")
	require.NoError(t, err)
	assert.Equal(t, b.ID, m.ID)
	assert.Equal(t, b.Reference, m.Reference)
	assert.Equal(t, 1, m.Sequence)
	assert.Equal(t, "L2", m.CounterID)
	assert.True(t, m.Start.Equal(at(tue, 11, 0)))
	sl, _ := slotAt(t, f, "eid", at(tue, 9, 0))
	assert.Equal(t, 2, sl.Remaining, "the old slot is free again")

	// Moving within its own occupied time is allowed: it does not block itself.
	m, err = f.Scheduler.Reschedule(ctx, b.ID, at(tue, 11, 0), "L2")
	require.NoError(t, err)
	assert.Equal(t, 2, m.Sequence)

	_, err = f.Scheduler.Reschedule(ctx, b.ID, at(tue, 13, 0), "")
	assert.ErrorIs(t, err, appointment.ErrValidation)
	f.Clock.Set(at(tue, 8, 0))
	_, err = f.Scheduler.Reschedule(ctx, b.ID, at(Monday.AddDays(2), 9, 0), "")
	assert.ErrorIs(t, err, appointment.ErrTooLate)
}

func testCheckInNoShow(t *testing.T, f *Fixture) {
	ctx := context.Background()
	a, err := f.Scheduler.Book(ctx, Req("eid", at(Monday, 9, 0), 1))
	require.NoError(t, err)
	b, err := f.Scheduler.Book(ctx, Req("eid", at(Monday, 9, 15), 2))
	require.NoError(t, err)
	_, err = f.Scheduler.NoShow(ctx, b.ID)
	assert.ErrorIs(t, err, appointment.ErrInvalidTransition, "not before the start")
	f.Clock.Set(at(Monday, 8, 55))
	c, err := f.Scheduler.CheckIn(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, appointment.CheckedIn, c.Status)
	assert.True(t, c.CheckedInAt.Equal(at(Monday, 8, 55)))
	_, err = f.Scheduler.CheckIn(ctx, a.ID)
	assert.ErrorIs(t, err, appointment.ErrInvalidTransition)
	f.Clock.Set(at(Monday, 9, 30))
	n, err := f.Scheduler.NoShow(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, appointment.NoShow, n.Status)
	_, err = f.Scheduler.CheckIn(ctx, b.ID)
	assert.ErrorIs(t, err, appointment.ErrInvalidTransition)
}

func testWaitlist(t *testing.T, f *Fixture) {
	ctx := context.Background()
	tue := Monday.AddDays(1)
	start := at(tue, 9, 0)
	a, err := f.Scheduler.Book(ctx, Req("eid", start, 1))
	require.NoError(t, err)
	_, err = f.Scheduler.JoinWaitlist(ctx, appointment.WaitRequest{ServiceID: "eid", LocationID: "gemeentehuis", Citizen: Citizen(50), From: tue.AddDays(1), To: tue.AddDays(3)})
	require.NoError(t, err)
	w, err := f.Scheduler.JoinWaitlist(ctx, appointment.WaitRequest{ServiceID: "eid", LocationID: "gemeentehuis", Citizen: Citizen(51), From: tue, To: tue})
	require.NoError(t, err)
	_, err = f.Scheduler.JoinWaitlist(ctx, appointment.WaitRequest{ServiceID: "eid", LocationID: "gemeentehuis", Citizen: Citizen(52), From: tue, To: tue})
	require.NoError(t, err)

	_, err = f.Scheduler.Cancel(ctx, a.ID)
	require.NoError(t, err)
	var offer appointment.Booking
	for b, err := range f.Store.CounterBookings(ctx, a.CounterID, start, start.Add(time.Minute)) {
		require.NoError(t, err)
		if b.Status == appointment.Held {
			offer = b
		}
	}
	require.NotZero(t, offer.ID, "the freed slot is offered")
	assert.Equal(t, w.ID, offer.WaiterID, "to the first waiter who wants that day")
	assert.Equal(t, Citizen(51), offer.Citizen)
	assert.True(t, offer.HoldUntil.Equal(f.Clock.Now().Add(time.Hour)))
	assert.NotEqual(t, a.Reference, offer.Reference)

	n, err := f.Scheduler.PassOnLapsedOffers(ctx, "eid", "gemeentehuis")
	require.NoError(t, err)
	assert.Zero(t, n, "the offer still runs")

	// The first waiter lets the offer run out: it passes to the next one.
	f.Clock.Advance(61 * time.Minute)
	_, err = f.Scheduler.Confirm(ctx, offer.ID)
	assert.ErrorIs(t, err, appointment.ErrHoldExpired)
	n, err = f.Scheduler.PassOnLapsedOffers(ctx, "eid", "gemeentehuis")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	var next appointment.Booking
	for b, err := range f.Store.CounterBookings(ctx, a.CounterID, start, start.Add(time.Minute)) {
		require.NoError(t, err)
		if b.StatusAt(f.Clock.Now()) == appointment.Held {
			next = b
		}
	}
	require.NotZero(t, next.ID)
	assert.Equal(t, Citizen(52), next.Citizen)
	n, err = f.Scheduler.PassOnLapsedOffers(ctx, "eid", "gemeentehuis")
	require.NoError(t, err)
	assert.Zero(t, n, "passed on once")

	f.Clock.Advance(30 * time.Minute)
	c, err := f.Scheduler.Confirm(ctx, next.ID)
	require.NoError(t, err)
	assert.Equal(t, appointment.Confirmed, c.Status)

	_, err = f.Scheduler.JoinWaitlist(ctx, appointment.WaitRequest{ServiceID: "eid", LocationID: "gemeentehuis", From: tue, To: Monday})
	var ve *errs.ValidationError
	require.ErrorAs(t, err, &ve)
	_, ok := ve.Field("citizen")
	assert.True(t, ok)
	_, ok = ve.Field("to")
	assert.True(t, ok)
}

func testReference(t *testing.T, f *Fixture) {
	ctx := context.Background()
	b, err := f.Scheduler.Book(ctx, Req("eid", at(Monday, 9, 0), 1))
	require.NoError(t, err)
	got, err := f.Scheduler.Find(ctx, " "+string(b.Reference)+" ")
	require.NoError(t, err)
	assert.Equal(t, b.ID, got.ID)
	_, err = f.Scheduler.Find(ctx, "ZZZZ-ZZZZ")
	if err != nil && !errors.Is(err, appointment.ErrNotFound) {
		assert.ErrorIs(t, err, appointment.ErrValidation)
	}
	_, err = f.Scheduler.Find(ctx, "nonsense")
	assert.ErrorIs(t, err, appointment.ErrValidation)
}

func testBadInput(t *testing.T, f *Fixture) {
	ctx := context.Background()
	f.Clock.Set(at(Monday, 8, 0))
	closed := TownHall()
	closed.Exceptions = []appointment.Exception{{Date: Monday.AddDays(2), Kind: appointment.Closed, Reason: "verhuis"}}
	require.NoError(t, f.Scheduler.DefineLocation(ctx, closed))
	tests := []struct {
		name  string
		req   func() appointment.Request
		field string
		rule  string
	}{
		{"past", func() appointment.Request { return Req("eid", at(Monday, 7, 0), 1) }, "start", "future"},
		{"within notice", func() appointment.Request { return Req("eid", at(Monday, 8, 30), 1) }, "start", "notice"},
		{"outside hours", func() appointment.Request { return Req("eid", at(Monday, 14, 0), 1) }, "start", "opening_hours"},
		{"closure", func() appointment.Request { return Req("eid", at(Monday.AddDays(2), 9, 0), 1) }, "start", "closed"},
		{"public holiday", func() appointment.Request { return Req("eid", at(calendar.NewDate(2026, 4, 6), 9, 0), 1) }, "start", "closed"},
		{"past horizon", func() appointment.Request { return Req("eid", at(Monday.AddDays(70), 9, 0), 1) }, "start", "horizon"},
		{"shorter than the service", func() appointment.Request {
			r := Req("eid", at(Monday, 9, 0), 1)
			r.End = r.Start.Add(5 * time.Minute)
			return r
		}, "end", "duration"},
		{"counter without the service", func() appointment.Request {
			r := Req("eid", at(Monday, 9, 0), 1)
			r.CounterID = "G"
			return r
		}, "counter_id", "offers_service"},
		{"unknown service", func() appointment.Request { return Req("nope", at(Monday, 9, 0), 1) }, "service_id", "exists"},
		{"no citizen", func() appointment.Request {
			r := Req("eid", at(Monday, 9, 0), 1)
			r.Citizen = appointment.Citizen{}
			return r
		}, "citizen", "required"},
		{"bad channel", func() appointment.Request {
			r := Req("eid", at(Monday, 9, 0), 1)
			r.Channel = "fax"
			return r
		}, "channel", "oneof"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Scheduler.Book(ctx, tt.req())
			var ve *errs.ValidationError
			require.ErrorAs(t, err, &ve)
			fe, ok := ve.Field(tt.field)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tt.rule, fe.Rule, fe.Message)
		})
	}
	n := 0
	for _, c := range []string{"L1", "L2", "G"} {
		for _, err := range f.Store.CounterBookings(ctx, c, Start.Add(-time.Hour), Start.AddDate(1, 0, 0)) {
			require.NoError(t, err)
			n++
		}
	}
	assert.Zero(t, n, "bad input stores nothing")
}

func testGroupSession(t *testing.T, f *Fixture) {
	ctx := context.Background()
	start := at(Monday, 10, 0)
	for i := range 3 {
		b, err := f.Scheduler.Book(ctx, Req("info", start, i))
		require.NoError(t, err)
		assert.Equal(t, "G", b.CounterID)
	}
	_, err := f.Scheduler.Book(ctx, Req("info", start, 9))
	assert.ErrorIs(t, err, appointment.ErrSlotTaken)
	// The buffer after the session keeps 11:00 off; 11:15 overlaps nothing.
	_, err = f.Scheduler.Book(ctx, Req("info", at(Monday, 11, 0), 9))
	assert.ErrorIs(t, err, appointment.ErrSlotTaken)
}

func testCounterBookings(t *testing.T, f *Fixture) {
	ctx := context.Background()
	for i := range 4 {
		_, err := f.Scheduler.Book(ctx, appointment.Request{ServiceID: "eid", LocationID: "gemeentehuis", CounterID: "L1", Start: at(Monday, 11, 0).Add(-time.Duration(i) * 15 * time.Minute), Channel: appointment.Phone, Citizen: Citizen(i)})
		require.NoError(t, err)
	}
	var starts []time.Time
	for b, err := range f.Store.CounterBookings(ctx, "L1", at(Monday, 10, 30), at(Monday, 12, 0)) {
		require.NoError(t, err)
		starts = append(starts, b.Start)
	}
	require.Len(t, starts, 3)
	assert.True(t, starts[0].Equal(at(Monday, 10, 30)))
	assert.True(t, starts[2].Equal(at(Monday, 11, 0)))
}
