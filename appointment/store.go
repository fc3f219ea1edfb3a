package appointment

import (
	"context"
	"iter"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// NewBooking is a booking to insert, with what the store must check and
// record atomically with the insert.
type NewBooking struct {
	Booking Booking
	// Limits are passed to [Admit].
	Limits Limits
	Events []event.Event
	// Now is when the booking is made: [Admit] judges holds and limits at
	// Now.
	Now time.Time
}

// Change is what an update stores besides the new booking: the events to
// publish with it, and the instant the change is made, at which the store
// checks that a result still active fits its counter ([Fits]).
type Change struct {
	Events []event.Event
	Now    time.Time
}

// Store keeps services, locations, bookings and the waitlist. It holds no
// business rule: it applies the package's rules ([Admit], [Fits]) under its
// lock or in its transaction, so writes of bookings are atomic with their
// checks and with the events they carry, and two writers can never both
// take the last place. Implementations: MemStore and appointment/pgstore;
// both pass appointmenttest.Run.
type Store interface {
	PutService(ctx context.Context, s Service) error
	Service(ctx context.Context, id string) (Service, error)
	PutLocation(ctx context.Context, l Location) error
	Location(ctx context.Context, id string) (Location, error)

	// Create inserts nb.Booking with its events if [Admit] lets it, given
	// the stored bookings, at nb.Now. When a booking holds nb.Booking's
	// idempotency key, Create stores nothing and returns a *DuplicateError
	// naming it; of concurrent creates with one key exactly one stores its
	// booking. A reference in use is ErrReferenceTaken.
	Create(ctx context.Context, nb NewBooking) error
	// Get returns a copy of a booking, or ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (*Booking, error)
	// ByIdempotencyKey returns the booking made with the key.
	ByIdempotencyKey(ctx context.Context, key string) (*Booking, error)
	// ByReference returns a booking by its reference.
	ByReference(ctx context.Context, ref Reference) (*Booking, error)
	// Update runs fn on a fresh copy of the booking under a lock and
	// stores the result with the change's events, all or nothing. If the
	// result is active at the change's Now, it must fit its (possibly new)
	// counter ([Fits]), else ErrSlotTaken and nothing changes: so a
	// reschedule releases the old slot only together with securing the
	// new one. An error from fn stores nothing.
	Update(ctx context.Context, id uuid.UUID, fn func(*Booking) (Change, error)) (*Booking, error)
	// Busy returns the counter time taken at the location between from and
	// to by bookings active at now, sorted by counter and start.
	Busy(ctx context.Context, locationID string, from, to, now time.Time) ([]Busy, error)
	// CounterBookings yields the bookings of a counter starting in
	// [from, to), in start order.
	CounterBookings(ctx context.Context, counterID string, from, to time.Time) iter.Seq2[Booking, error]
	// CitizenBookings yields the bookings of the citizen with the key
	// ([Citizen.Key]) starting in [from, to), in start order, read from an
	// index on the citizen.
	CitizenBookings(ctx context.Context, citizenKey string, from, to time.Time) iter.Seq2[Booking, error]

	// AddWaiter puts a citizen on the waitlist.
	AddWaiter(ctx context.Context, w Waiter, events []event.Event) error
	// Waiters yields the waiting citizens for a service at a location, in
	// order of joining.
	Waiters(ctx context.Context, serviceID, locationID string) iter.Seq2[Waiter, error]
	// OfferTo records an offer to the waiter: it inserts the hold (as
	// Create) and marks the waiter offered, atomically, provided the
	// waiter is still waiting (else ErrConflict).
	OfferTo(ctx context.Context, waiterID uuid.UUID, hold NewBooking) error
	// LapseOffer marks the waiter's offer as run out, provided it has an
	// offer that has not lapsed yet (else ErrConflict).
	LapseOffer(ctx context.Context, waiterID uuid.UUID) error
}
