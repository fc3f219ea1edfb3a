package appointmenttest

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// eventsOf counts the committed events of one booking.
func eventsOf(t *testing.T, f *Fixture, b appointment.Booking) int {
	n := 0
	for _, e := range f.Committed(t) {
		if e.AggregateID == b.ID {
			n++
		}
	}
	return n
}

func testIdempotency(t *testing.T, f *Fixture) {
	ctx := context.Background()
	r := Req("eid", at(Monday, 9, 30), 1)
	r.IdempotencyKey = "click-1"
	a, err := f.Scheduler.Book(ctx, r)
	require.NoError(t, err)
	events := eventsOf(t, f, a)
	require.Equal(t, 2, events, "confirmed and the reminder two hours before")
	b, err := f.Scheduler.Book(ctx, r)
	require.NoError(t, err, "a retry with the same key and request")
	assert.Equal(t, a.ID, b.ID)
	assert.Equal(t, a.Reference, b.Reference, "no second reference")
	sl, _ := slotAt(t, f, "eid", r.Start)
	assert.Equal(t, 1, sl.Remaining, "booked once")
	assert.Equal(t, events, eventsOf(t, f, a), "a repeat commits no event")

	utc := r
	utc.Start = r.Start.UTC()
	c, err := f.Scheduler.Book(ctx, utc)
	require.NoError(t, err, "one instant in another zone is the same request")
	assert.Equal(t, a.ID, c.ID)

	for name, change := range map[string]func(*appointment.Request){
		"another start":   func(r *appointment.Request) { r.Start = at(Monday, 9, 45) },
		"another citizen": func(r *appointment.Request) { r.Citizen = Citizen(2) },
		"another channel": func(r *appointment.Request) { r.Channel = appointment.Phone },
	} {
		other := r
		change(&other)
		_, err := f.Scheduler.Book(ctx, other)
		assert.ErrorIs(t, err, appointment.ErrConflict, "the same key for %s", name)
	}
	_, err = f.Scheduler.Hold(ctx, r)
	assert.ErrorIs(t, err, appointment.ErrConflict, "a hold is another request than a booking")

	bs, err := f.Scheduler.CitizenBookings(ctx, Citizen(1), Start, Start.AddDate(0, 1, 0))
	require.NoError(t, err)
	assert.Len(t, bs, 1, "repeats and refusals stored nothing")
	assert.Equal(t, events, eventsOf(t, f, a), "and committed no event")

	// The key still answers once the slot is full.
	_, err = f.Scheduler.Book(ctx, Req("eid", r.Start, 3))
	require.NoError(t, err)
	again, err := f.Scheduler.Book(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, a.ID, again.ID)
}

// testDuplicateKey: a store answers a taken key with a *DuplicateError
// naming the booking that holds it, and stores nothing, even when the new
// booking would fit elsewhere.
func testDuplicateKey(t *testing.T, f *Fixture) {
	ctx := context.Background()
	r := Req("eid", at(Monday, 10, 0), 1)
	r.IdempotencyKey = "k-1"
	a, err := f.Scheduler.Book(ctx, r)
	require.NoError(t, err)
	events := len(f.Committed(t))
	dup := a
	dup.ID, dup.Reference, dup.CounterID = id.New(), appointment.NewReference(), "L2"
	dup.Start, dup.End = at(Monday, 11, 0), at(Monday, 11, 15)
	dup.OccupiedFrom, dup.OccupiedTo = dup.Start, dup.End
	err = f.Store.Create(ctx, appointment.NewBooking{Booking: dup, Now: f.Clock.Now()})
	var de *appointment.DuplicateError
	require.True(t, errors.As(err, &de), "want a DuplicateError, got %v", err)
	assert.Equal(t, a.ID, de.ID)
	assert.Equal(t, "k-1", de.Key)
	_, err = f.Store.Get(ctx, dup.ID)
	assert.ErrorIs(t, err, appointment.ErrNotFound)
	_, err = f.Store.ByReference(ctx, dup.Reference)
	assert.ErrorIs(t, err, appointment.ErrNotFound)
	got, err := f.Store.ByIdempotencyKey(ctx, "k-1")
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)
	assert.Len(t, f.Committed(t), events)
	for range f.Store.CounterBookings(ctx, "L2", at(Monday, 11, 0), at(Monday, 11, 1)) {
		t.Error("nothing stored at 11:00")
	}
}
