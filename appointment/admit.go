package appointment

import (
	"fmt"
	"time"
)

// Limits are what a new booking must respect besides its counter's
// capacity; zero values mean no limit.
type Limits struct {
	// MaxOpen is the citizen's open-booking limit for the service.
	MaxOpen int
	// Quota caps the active bookings at the booking's location, start and
	// channel (the channel quota).
	Quota int
}

// Neighbours are the stored bookings a booking is judged against. A store
// fills them under the lock or in the transaction that writes the booking;
// each may hold more bookings than matter (the rule picks), never fewer.
type Neighbours struct {
	// Counter holds the bookings on the booking's counter whose occupied
	// time overlaps its own.
	Counter []Booking
	// Citizen holds the citizen's bookings (by [Citizen.Key]) for the
	// service; needed only when Limits.MaxOpen is set.
	Citizen []Booking
	// Slot holds the bookings at the location that start when the booking
	// does; needed only when Limits.Quota is set.
	Slot []Booking
}

// Admit is the rule a store applies, atomically with the write, before it
// stores a new booking: the citizen may hold at most lim.MaxOpen open
// bookings for the service (else ErrLimitReached), the channel at most
// lim.Quota active bookings at the slot, and the booking must fit its
// counter ([Fits]); both of the last are ErrSlotTaken. It is the one place
// these rules live, so every store applies them alike.
func Admit(b *Booking, lim Limits, n Neighbours, now time.Time) error {
	if lim.MaxOpen > 0 {
		key, open := b.Citizen.Key(), 0
		for i := range n.Citizen {
			if o := &n.Citizen[i]; o.ID != b.ID && o.OpenFor(key, b.ServiceID, now) {
				open++
			}
		}
		if open >= lim.MaxOpen {
			return ErrLimitReached
		}
	}
	if lim.Quota > 0 {
		used := 0
		for i := range n.Slot {
			o := &n.Slot[i]
			if o.ID != b.ID && o.LocationID == b.LocationID && o.Start.Equal(b.Start) && o.Channel == b.Channel && o.ActiveAt(now) {
				used++
			}
		}
		if used >= lim.Quota {
			return fmt.Errorf("%w: the %s quota for this slot is used up", ErrSlotTaken, b.Channel)
		}
	}
	return Fits(b, n.Counter, now)
}
