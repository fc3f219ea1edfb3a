package appointmenttest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// Harness is one store under test, in the manner of Go CDK's drivertest:
// the store, and the events it committed so far in commit order (recorded
// for a memory store, read from the outbox for PostgreSQL). A store that
// drops or invents events fails the suite.
type Harness struct {
	Store     appointment.Store
	Committed func(t *testing.T) []event.Event
}

// storeHarness hands the shared event subtests appointment's operations:
// a create is a booking on Wednesday morning, a change moves it a day on,
// a failing change checks it in on the wrong day, and a stale change moves
// it onto a place another booking took after the mover looked.
func storeHarness(t *testing.T, h Harness) eventtest.StoreHarness {
	f := NewFixture(t, h.Store)
	ctx := context.Background()
	wed := Monday.AddDays(2)
	// The place the stale change wants: counter L1, Tuesday 11:45.
	taken := at(Monday.AddDays(1), 11, 45)
	r := Req("eid", taken, 99)
	r.CounterID = "L1"
	_, err := f.Scheduler.Book(ctx, r)
	require.NoError(t, err)

	var n atomic.Int64
	var mu sync.Mutex
	keyed := map[string]appointment.Request{}
	request := func(key string) appointment.Request {
		mu.Lock()
		defer mu.Unlock()
		if r, ok := keyed[key]; ok && key != "" {
			return r // a retry repeats its request
		}
		i := int(n.Add(1))
		r := Req("eid", at(wed, 9, 0).Add(time.Duration(i)*15*time.Minute), 100+i)
		r.IdempotencyKey = key
		keyed[key] = r
		return r
	}
	return eventtest.StoreHarness{
		Committed: h.Committed,
		Create: func(ctx context.Context, key string) (uuid.UUID, error) {
			b, err := f.Scheduler.Book(ctx, request(key))
			return b.ID, err
		},
		Change: func(ctx context.Context, id uuid.UUID) error {
			b, err := f.Scheduler.Get(ctx, id)
			if err != nil {
				return err
			}
			_, err = f.Scheduler.Reschedule(ctx, id, b.Start.Add(24*time.Hour), "")
			return err
		},
		FailingChange: func(ctx context.Context, id uuid.UUID) error {
			// Check-in is only possible on the day of the visit: the rule
			// fails inside the store's update.
			_, err := f.Scheduler.CheckIn(ctx, id)
			return err
		},
		StaleChange: func(ctx context.Context, bookingID uuid.UUID) error {
			now := f.Clock.Now()
			_, err := f.Store.Update(ctx, bookingID, func(b *appointment.Booking) (appointment.Change, error) {
				b.CounterID, b.Start, b.End = "L1", taken, taken.Add(15*time.Minute)
				b.OccupiedFrom, b.OccupiedTo = b.Start, b.End
				e := event.Event{ID: id.New(), Type: appointment.EventRescheduled, AggregateID: b.ID, Time: now, Payload: appointment.BookingEvent{Booking: *b}}
				return appointment.Change{Events: []event.Event{e}, Now: now}, nil
			})
			return err
		},
	}
}
