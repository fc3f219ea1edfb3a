package appointment

import (
	"context"
	"iter"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// NewBooking is a booking to insert, with the limits the store must enforce
// atomically with the insert.
type NewBooking struct {
	Booking Booking
	// MaxOpen is the citizen's open-booking limit for the service (0: none).
	MaxOpen int
	// QuotaLimit, when positive, caps the active bookings at the location
	// with the booking's start and channel (the channel quota); zero means
	// no quota.
	QuotaLimit int
	Events     []event.Event
}

// Store keeps services, locations, bookings and the waitlist. Writes of
// bookings are atomic with their capacity check ([Fits]) and with the
// events they carry: two writers can never both take the last place.
type Store interface {
	PutService(ctx context.Context, s Service) error
	Service(ctx context.Context, id string) (Service, error)
	PutLocation(ctx context.Context, l Location) error
	Location(ctx context.Context, id string) (Location, error)

	// Create inserts nb.Booking unless a booking with the same idempotency
	// key exists, in which case it returns that one and created false. It
	// fails with ErrSlotTaken when the booking does not fit its counter at
	// now, and with ErrLimitReached when the citizen already has MaxOpen
	// open bookings for the service, or with ErrSlotTaken when the channel
	// already has QuotaLimit bookings at that start.
	Create(ctx context.Context, nb NewBooking, now time.Time) (b Booking, created bool, err error)
	// Booking returns a booking by id.
	Booking(ctx context.Context, id uuid.UUID) (Booking, error)
	// ByIdempotencyKey returns the booking made with the key.
	ByIdempotencyKey(ctx context.Context, key string) (Booking, error)
	// ByReference returns a booking by its reference.
	ByReference(ctx context.Context, ref Reference) (Booking, error)
	// Update runs fn on the current booking and saves the result with the
	// events fn returns, all or nothing. If the result is active at now, it
	// must fit its (possibly new) counter, else ErrSlotTaken and nothing
	// changes: so a reschedule releases the old slot only together with
	// securing the new one.
	Update(ctx context.Context, id uuid.UUID, now time.Time, fn func(*Booking) ([]event.Event, error)) (Booking, error)
	// Busy returns the counter time taken at the location between from and
	// to by bookings active at now, sorted by counter and start.
	Busy(ctx context.Context, locationID string, from, to, now time.Time) ([]Busy, error)
	// CounterBookings yields the bookings of a counter starting in
	// [from, to), in start order.
	CounterBookings(ctx context.Context, counterID string, from, to time.Time) iter.Seq2[Booking, error]

	// AddWaiter puts a citizen on the waitlist.
	AddWaiter(ctx context.Context, w Waiter, events []event.Event) error
	// Waiters yields the waiting citizens for a service at a location, in
	// order of joining.
	Waiters(ctx context.Context, serviceID, locationID string) iter.Seq2[Waiter, error]
	// OfferTo records an offer to the waiter: it inserts the hold (as Create,
	// without limits) and marks the waiter offered, atomically, provided the
	// waiter is still waiting (else ErrConflict).
	OfferTo(ctx context.Context, waiterID uuid.UUID, hold NewBooking, now time.Time) (Booking, error)
	// LapseOffer marks the waiter's offer as run out, provided it has an
	// offer that has not lapsed yet (else ErrConflict).
	LapseOffer(ctx context.Context, waiterID uuid.UUID) error
}
