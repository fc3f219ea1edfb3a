package appointment_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/appointment/appointmenttest"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/event"
)

func TestEvents(t *testing.T) {
	rec := &event.Recorder{}
	f := appointmenttest.NewFixture(t, appointment.NewMemStore(rec))
	ctx := context.Background()
	start := calendar.NewDate(2026, 3, 3).Start().Add(9 * time.Hour)
	h, err := f.Scheduler.Hold(ctx, appointmenttest.Req("eid", start, 1))
	require.NoError(t, err)
	_, err = f.Scheduler.Confirm(ctx, h.ID)
	require.NoError(t, err)
	_, err = f.Scheduler.Reschedule(ctx, h.ID, start.Add(time.Hour), "")
	require.NoError(t, err)
	_, err = f.Scheduler.Cancel(ctx, h.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{
		appointment.EventHeld,
		appointment.EventConfirmed, appointment.EventReminderScheduled, appointment.EventReminderScheduled,
		appointment.EventRescheduled, appointment.EventReminderScheduled, appointment.EventReminderScheduled,
		appointment.EventCancelled,
	}, rec.Types())
	evs := rec.Events()
	r, err := event.Decode[appointment.ReminderEvent](evs[2])
	require.NoError(t, err)
	assert.True(t, r.Due.Equal(start.Add(-24*time.Hour)))
	assert.Equal(t, h.Reference, r.Reference)
	c, err := event.Decode[appointment.BookingEvent](evs[7])
	require.NoError(t, err)
	assert.Equal(t, appointment.Cancelled, c.Booking.Status)
	for _, e := range evs {
		assert.Equal(t, h.ID, e.AggregateID)
	}

	// A reminder that would be due in the past is not scheduled.
	rec.Reset()
	_, err = f.Scheduler.Book(ctx, appointmenttest.Req("eid", appointmenttest.Start.Add(3*time.Hour), 2))
	require.NoError(t, err)
	assert.Equal(t, []string{appointment.EventConfirmed, appointment.EventReminderScheduled}, rec.Types())
}

func TestReference(t *testing.T) {
	seen := map[appointment.Reference]bool{}
	for range 1000 {
		r := appointment.NewReference()
		assert.Len(t, string(r), 9)
		p, ok := appointment.ParseReference(string(r))
		require.True(t, ok, r)
		assert.Equal(t, r, p)
		seen[r] = true
	}
	assert.Greater(t, len(seen), 990)
	r := appointment.NewReference()
	lower, ok := appointment.ParseReference(" " + string(r[:4]) + " " + string(r[5:]))
	assert.True(t, ok)
	assert.Equal(t, r, lower)
	// Any single changed character is caught by the check character.
	for i := range len(r) {
		if r[i] == '-' {
			continue
		}
		for _, c := range "0123456789ABCDEFGHJKMNPQRSTVWXYZ" {
			if byte(c) == r[i] {
				continue
			}
			b := []byte(r)
			b[i] = byte(c)
			_, ok := appointment.ParseReference(string(b))
			assert.False(t, ok, "%s accepted", b)
		}
	}
	_, ok = appointment.ParseReference("0O1I-L000")
	assert.Equal(t, ok, checkOK("0011-1000"))
}

func checkOK(s string) bool { _, ok := appointment.ParseReference(s); return ok }

func FuzzParseReference(f *testing.F) {
	f.Add("K7QM-3XTD")
	f.Add(string(appointment.NewReference()))
	f.Add("oooo iiii")
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := appointment.ParseReference(s)
		if !ok {
			return
		}
		again, ok := appointment.ParseReference(string(r))
		if !ok || again != r {
			t.Fatalf("%q parsed to %q, which does not parse to itself", s, r)
		}
	})
}

// BenchmarkBook books distinct slots one after another in the in-memory
// store at a location with 20 counters.
func BenchmarkBook(b *testing.B) {
	store := appointment.NewMemStore(nil)
	f := appointmenttest.NewFixture(b, store)
	ctx := context.Background()
	svc := appointmenttest.EID()
	svc.Horizon, svc.MaxOpenPerCitizen = 0, 0
	require.NoError(b, f.Scheduler.DefineService(ctx, svc))
	loc := appointmenttest.TownHall()
	loc.Counters = nil
	for i := range 20 {
		loc.Counters = append(loc.Counters, appointment.Counter{ID: fmt.Sprintf("C%02d", i), Services: []string{"eid"}})
	}
	require.NoError(b, f.Scheduler.DefineLocation(ctx, loc))
	d := appointmenttest.Monday
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		start := d.Start().Add(9 * time.Hour).Add(time.Duration(n%12) * 15 * time.Minute)
		if _, err := f.Scheduler.Book(ctx, appointmenttest.Req("eid", start, n)); err != nil {
			b.Fatal(err)
		}
		n++
		if n%(12*20) == 0 {
			d = calendar.NewDate(d.Year, d.Month, d.Day).AddDays(1)
			for !cal.IsWorkingDay(d) {
				d = d.AddDays(1)
			}
		}
	}
}

// BenchmarkAvailability90Days queries 90 days through the Scheduler and the
// in-memory store holding 20,000 bookings at a location with 20 counters.
func BenchmarkAvailability90Days(b *testing.B) {
	sch, from, to := bigSchedule(b)
	store := appointment.NewMemStore(nil)
	ctx := context.Background()
	require.NoError(b, store.PutService(ctx, sch.Service))
	require.NoError(b, store.PutLocation(ctx, sch.Location))
	for i, x := range sch.Busy {
		bk := appointment.Booking{ID: [16]byte{byte(i), byte(i >> 8), byte(i >> 16), 1}, Reference: appointment.Reference(fmt.Sprint(i)), ServiceID: "eid", LocationID: "big", CounterID: x.CounterID,
			Citizen: appointmenttest.Citizen(i), Channel: x.Channel, Start: x.Start, End: x.To, OccupiedFrom: x.From, OccupiedTo: x.To, Capacity: 1, Status: appointment.Confirmed}
		if err := store.Create(ctx, appointment.NewBooking{Booking: bk, Now: sch.Now}); err != nil {
			b.Fatal(err)
		}
	}
	s := appointment.NewScheduler(appointment.Config{Store: store, Clock: fixedClock(sch.Now), Calendar: cal})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		slots, err := s.Availability(ctx, appointment.Query{ServiceID: "eid", LocationID: "big", From: from, To: to, Channel: appointment.Web})
		if err != nil || len(slots) == 0 {
			b.Fatal(err, len(slots))
		}
	}
}

// BenchmarkCitizenBookings lists one citizen's bookings among 20,000 at a
// location with 20 counters: the memory store reads its index on the
// citizen, so the cost is the citizen's ten bookings, not the 20,000.
func BenchmarkCitizenBookings(b *testing.B) {
	sch, _, _ := bigSchedule(b)
	store := appointment.NewMemStore(nil)
	ctx := context.Background()
	require.NoError(b, store.PutService(ctx, sch.Service))
	require.NoError(b, store.PutLocation(ctx, sch.Location))
	for i, x := range sch.Busy {
		bk := appointment.Booking{ID: [16]byte{byte(i), byte(i >> 8), byte(i >> 16), 1}, Reference: appointment.Reference(fmt.Sprint(i)), ServiceID: "eid", LocationID: "big", CounterID: x.CounterID,
			Citizen: appointmenttest.Citizen(i % 2000), Channel: x.Channel, Start: x.Start, End: x.To, OccupiedFrom: x.From, OccupiedTo: x.To, Capacity: 1, Status: appointment.Confirmed}
		require.NoError(b, store.Create(ctx, appointment.NewBooking{Booking: bk, Now: sch.Now}))
	}
	s := appointment.NewScheduler(appointment.Config{Store: store, Clock: fixedClock(sch.Now), Calendar: cal})
	b.ReportAllocs()
	for b.Loop() {
		bs, err := s.CitizenBookings(ctx, appointmenttest.Citizen(7), sch.Now, sch.Now.AddDate(0, 6, 0))
		if err != nil || len(bs) != len(sch.Busy)/2000 {
			b.Fatal(err, len(bs))
		}
	}
}

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

func TestSchedulerQueries(t *testing.T) {
	ctx := context.Background()
	f := appointmenttest.NewFixture(t, appointment.NewMemStore(nil))
	q := appointment.Query{ServiceID: "eid", LocationID: "gemeentehuis", Channel: appointment.Web}
	sl, err := f.Scheduler.NextFreeSlot(ctx, q)
	require.NoError(t, err)
	assert.True(t, sl.Start.Equal(appointmenttest.Monday.Start().Add(9*time.Hour)))
	// Fill Monday: the first free day becomes Tuesday.
	for i := range 12 {
		for c := range 2 {
			_, err := f.Scheduler.Book(ctx, appointmenttest.Req("eid", sl.Start.Add(time.Duration(i)*15*time.Minute), 100+2*i+c))
			require.NoError(t, err)
		}
	}
	d, err := f.Scheduler.FirstFreeDay(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, appointmenttest.Monday.AddDays(1), d)

	q.From, q.To = appointmenttest.Monday.AddDays(1), appointmenttest.Monday
	_, err = f.Scheduler.Availability(ctx, q)
	assert.ErrorIs(t, err, appointment.ErrValidation)
	q.From, q.To, q.ServiceID, q.Channel = q.To, q.From, "nope", "fax"
	_, err = f.Scheduler.Availability(ctx, q)
	var ve *appointment.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Fields, 2)

	// A location without hours has no free slot at all.
	l := appointmenttest.TownHall()
	l.Hours = nil
	require.NoError(t, f.Scheduler.DefineLocation(ctx, l))
	_, err = f.Scheduler.NextFreeSlot(ctx, appointment.Query{ServiceID: "eid", LocationID: "gemeentehuis"})
	assert.ErrorIs(t, err, appointment.ErrNotFound)
}

// collidingStore draws the same reference twice: its first Create reports a
// taken reference, as a store does on a collision.
type collidingStore struct {
	appointment.Store
	collided bool
}

func (s *collidingStore) Create(ctx context.Context, nb appointment.NewBooking) error {
	if !s.collided {
		s.collided = true
		return appointment.ErrReferenceTaken
	}
	return s.Store.Create(ctx, nb)
}

func TestReferenceCollisionRetried(t *testing.T) {
	store := &collidingStore{Store: appointment.NewMemStore(nil)}
	f := appointmenttest.NewFixture(t, store)
	b, err := f.Scheduler.Book(context.Background(), appointmenttest.Req("eid", appointmenttest.Start.Add(3*time.Hour), 1))
	require.NoError(t, err)
	assert.True(t, store.collided)
	assert.Equal(t, "L1", b.CounterID, "the retry stays on the same counter")
}
