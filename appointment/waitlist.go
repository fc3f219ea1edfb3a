package appointment

import (
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// Waiter is a citizen on the waitlist ("wachtlijst") for a service at a
// location, who wants any slot between two dates.
type Waiter struct {
	ID         uuid.UUID     `json:"id"`
	ServiceID  string        `json:"service_id"`
	LocationID string        `json:"location_id"`
	Citizen    Citizen       `json:"citizen"`
	From       calendar.Date `json:"from"`
	To         calendar.Date `json:"to"`
	JoinedAt   time.Time     `json:"joined_at"`
	// OfferedBooking is the hold offered to the waiter; nil while waiting.
	OfferedBooking uuid.UUID `json:"offered_booking,omitzero"`
	// Lapsed is set when the waiter let the offer run out; the waiter then
	// leaves the queue.
	Lapsed bool `json:"lapsed,omitempty"`
}

// Wants reports whether the waiter would take a slot starting at start.
func (w Waiter) Wants(start time.Time) bool {
	d := calendar.DateIn(start)
	return w.OfferedBooking == uuid.Nil && !w.Lapsed && !d.Before(w.From) && !d.After(w.To)
}
