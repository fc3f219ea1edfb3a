package appointmenttest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
)

func hammer(t *testing.T, f *Fixture, service string, start time.Time, n int) (ok int) {
	ctx := context.Background()
	var booked, taken, other atomic.Int64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := f.Scheduler.Book(ctx, Req(service, start, 1000+i))
			switch {
			case err == nil:
				booked.Add(1)
			case errors.Is(err, appointment.ErrSlotTaken):
				taken.Add(1)
			default:
				other.Add(1)
				t.Errorf("unexpected error: %v", err)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(n), booked.Load()+taken.Load())
	assert.Zero(t, other.Load())
	return int(booked.Load())
}

func testConcurrentSameSlot(t *testing.T, f *Fixture) {
	// Two counters of capacity 1: exactly two of 1,000 citizens get 09:00.
	assert.Equal(t, 2, hammer(t, f, "eid", at(Monday, 9, 0), 1000))
}

func testConcurrentGroupSlot(t *testing.T, f *Fixture) {
	assert.Equal(t, 3, hammer(t, f, "info", at(Monday, 9, 0), 1000))
}

func testConcurrentDoubleClick(t *testing.T, f *Fixture) {
	ctx := context.Background()
	ids := make(chan [16]byte, 100)
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			r := Req("eid", at(Monday, 11, 30), 1)
			r.IdempotencyKey = "dbl"
			b, err := f.Scheduler.Book(ctx, r)
			if assert.NoError(t, err) {
				ids <- b.ID
			}
		})
	}
	wg.Wait()
	close(ids)
	seen := map[[16]byte]bool{}
	for id := range ids {
		seen[id] = true
	}
	assert.Len(t, seen, 1, "a hundred clicks, one booking")
	sl, _ := slotAt(t, f, "eid", at(Monday, 11, 30))
	assert.Equal(t, 1, sl.Remaining)
}

func testConcurrentReschedule(t *testing.T, f *Fixture) {
	ctx := context.Background()
	tue := Monday.AddDays(1)
	target := at(tue, 11, 0)
	var movers []appointment.Booking
	for i := range 10 {
		b, err := f.Scheduler.Book(ctx, Req("eid", at(tue, 9, 0).Add(time.Duration(i/2)*15*time.Minute), 200+i))
		require.NoError(t, err)
		movers = append(movers, b)
	}
	var wg sync.WaitGroup
	var moved, booked atomic.Int64
	for i, b := range movers {
		wg.Go(func() {
			if _, err := f.Scheduler.Reschedule(ctx, b.ID, target, ""); err == nil {
				moved.Add(1)
			} else {
				assert.ErrorIs(t, err, appointment.ErrSlotTaken)
			}
		})
		wg.Go(func() {
			if _, err := f.Scheduler.Book(ctx, Req("eid", target, 300+i)); err == nil {
				booked.Add(1)
			} else {
				assert.ErrorIs(t, err, appointment.ErrSlotTaken)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(2), moved.Load()+booked.Load(), "two counters, two winners")
	n := 0
	for _, c := range []string{"L1", "L2"} {
		for b, err := range f.Store.CounterBookings(ctx, c, tue.Start(), tue.AddDays(1).Start()) {
			require.NoError(t, err)
			if b.Status == appointment.Confirmed {
				n++
			}
		}
	}
	assert.Equal(t, 10+int(booked.Load()), n, "a move never loses or duplicates a booking")
}

func testConcurrentQuota(t *testing.T, f *Fixture) {
	ctx := context.Background()
	l := TownHall()
	l.Quotas = map[appointment.Channel]int{appointment.Web: 50}
	require.NoError(t, f.Scheduler.DefineLocation(ctx, l))
	start := at(Monday, 10, 30)
	// Two counters, half for the web: of 200 web citizens exactly one wins.
	assert.Equal(t, 1, hammer(t, f, "eid", start, 200))
	r := Req("eid", start, 1)
	r.Channel = appointment.Phone
	_, err := f.Scheduler.Book(ctx, r)
	require.NoError(t, err, "the other half is still there for the phone")
	r.Citizen = Citizen(2)
	_, err = f.Scheduler.Book(ctx, r)
	assert.ErrorIs(t, err, appointment.ErrSlotTaken)
}

func testReferenceUnique(t *testing.T, f *Fixture) {
	ctx := context.Background()
	a, err := f.Scheduler.Book(ctx, Req("eid", at(Monday, 9, 0), 1))
	require.NoError(t, err)
	dup := a
	dup.ID, dup.Citizen, dup.CounterID = [16]byte{9}, Citizen(2), "L2"
	err = f.Store.Create(ctx, appointment.NewBooking{Booking: dup, Now: f.Clock.Now()})
	assert.ErrorIs(t, err, appointment.ErrReferenceTaken)
	assert.ErrorIs(t, err, appointment.ErrConflict)
}
