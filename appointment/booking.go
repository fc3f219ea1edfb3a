package appointment

import (
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Status is where a booking stands.
type Status string

// The states of a booking. A hold whose time ran out counts as Expired
// without anyone writing it: see [Booking.StatusAt]. In FHIR Appointment
// terms: Held is "pending", Confirmed "booked", CheckedIn "arrived",
// NoShow "noshow" and Cancelled "cancelled".
const (
	Held      Status = "held"
	Confirmed Status = "confirmed"
	Cancelled Status = "cancelled"
	CheckedIn Status = "checked_in"
	NoShow    Status = "no_show"
	Expired   Status = "expired"
)

// Citizen is who the booking is for. Key identifies the citizen for the
// per-citizen limit: the INSZ when known, else the e-mail address.
type Citizen struct {
	INSZ  pii.INSZ  `json:"insz,omitempty"`
	Name  pii.Name  `json:"name"`
	Email pii.Email `json:"email,omitempty"`
	Phone pii.Phone `json:"phone,omitempty"`
}

// Key returns the identity used for per-citizen limits.
func (c Citizen) Key() string {
	if c.INSZ != "" {
		return "insz:" + string(c.INSZ)
	}
	if c.Email != "" {
		return "email:" + string(c.Email)
	}
	return ""
}

// Booking is an appointment ("afspraak"), or a hold on one while the citizen
// fills in the form.
type Booking struct {
	ID         uuid.UUID `json:"id"`
	Reference  Reference `json:"reference"`
	ServiceID  string    `json:"service_id"`
	LocationID string    `json:"location_id"`
	CounterID  string    `json:"counter_id"`
	Citizen    Citizen   `json:"citizen"`
	Channel    Channel   `json:"channel"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	// OccupiedFrom and OccupiedTo include the service's buffers.
	OccupiedFrom time.Time `json:"occupied_from"`
	OccupiedTo   time.Time `json:"occupied_to"`
	// Capacity is the service's capacity when booked: how many bookings of
	// the same service may share this counter and start.
	Capacity       int       `json:"capacity"`
	Status         Status    `json:"status"`
	HoldUntil      time.Time `json:"hold_until,omitzero"`
	IdempotencyKey string    `json:"idempotency_key,omitempty"`
	// RequestDigest fingerprints the request made with IdempotencyKey, so
	// a repeat with another request is told apart.
	RequestDigest string `json:"request_digest,omitempty"`
	// WaiterID is set when the booking is a waitlist offer.
	WaiterID uuid.UUID `json:"waiter_id,omitzero"`
	// Sequence counts the changes a calendar client must apply (RFC 5545
	// SEQUENCE): each reschedule and the cancellation raise it.
	Sequence    int       `json:"sequence"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	CheckedInAt time.Time `json:"checked_in_at,omitzero"`
}

// StatusAt returns the status at now, turning a lapsed hold into Expired.
func (b *Booking) StatusAt(now time.Time) Status {
	if b.Status == Held && !now.Before(b.HoldUntil) {
		return Expired
	}
	return b.Status
}

// ActiveAt reports whether the booking takes counter time at now.
func (b *Booking) ActiveAt(now time.Time) bool {
	switch b.StatusAt(now) {
	case Held, Confirmed, CheckedIn:
		return true
	}
	return false
}

// Busy returns the counter time the booking takes.
func (b *Booking) Busy() Busy {
	return Busy{CounterID: b.CounterID, ServiceID: b.ServiceID, Start: b.Start, From: b.OccupiedFrom, To: b.OccupiedTo, Channel: b.Channel}
}

// Fits checks b against the other bookings on its counter, as a store must
// before it writes b: any active booking whose occupied time overlaps b's
// blocks it, unless it is the same group session (same service and start),
// of which there may be at most b.Capacity. It returns ErrSlotTaken.
func Fits(b *Booking, others []Booking, now time.Time) error {
	same := 0
	for i := range others {
		o := &others[i]
		if o.ID == b.ID || o.CounterID != b.CounterID || !o.ActiveAt(now) {
			continue
		}
		if !o.OccupiedFrom.Before(b.OccupiedTo) || !b.OccupiedFrom.Before(o.OccupiedTo) {
			continue
		}
		if o.ServiceID == b.ServiceID && o.Start.Equal(b.Start) {
			same++
			continue
		}
		return ErrSlotTaken
	}
	if same >= b.Capacity {
		return ErrSlotTaken
	}
	return nil
}

// OpenFor reports whether b counts towards the citizen's open-booking limit
// for a service at now.
func (b *Booking) OpenFor(citizenKey, serviceID string, now time.Time) bool {
	return b.Citizen.Key() == citizenKey && b.ServiceID == serviceID && b.ActiveAt(now) && b.Start.After(now)
}
