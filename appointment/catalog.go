package appointment

import (
	"time"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Channel is the way a booking comes in ("kanaal"); quotas keep part of each
// slot away from the web so phone callers and walk-ins still get served.
type Channel string

// The channels a booking can come in through.
const (
	Web    Channel = "web"
	Phone  Channel = "phone"
	WalkIn Channel = "walk_in"
)

// Valid reports whether c is one of the known channels.
func (c Channel) Valid() bool { return c == Web || c == Phone || c == WalkIn }

// Notice is the minimum time ("minimale termijn") between now and the start
// of an appointment for each kind of change.
type Notice struct {
	Book       time.Duration `json:"book"`
	Reschedule time.Duration `json:"reschedule"`
	Cancel     time.Duration `json:"cancel"`
}

// Service is what a citizen comes for ("dienst", "product"): it fixes how long
// a visit takes and how far ahead it can be booked.
type Service struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Duration is the length of the visit itself.
	Duration time.Duration `json:"duration"`
	// BufferBefore and BufferAfter keep the counter free around a visit
	// (preparing a file, cleaning up); they need not fall in opening hours.
	BufferBefore time.Duration `json:"buffer_before"`
	BufferAfter  time.Duration `json:"buffer_after"`
	// Interval is the step between slot starts; zero means Duration.
	Interval time.Duration `json:"interval"`
	Notice   Notice        `json:"notice"`
	// Horizon is how far ahead a visit can start; zero means no limit.
	Horizon time.Duration `json:"horizon"`
	// Capacity is the number of citizens per slot and counter: more than one
	// for group sessions (e.g. an information session).
	Capacity int `json:"capacity"`
	// Documents lists what to bring ("mee te brengen").
	Documents []string `json:"documents,omitempty"`
	// MaxOpenPerCitizen caps the open (future, not cancelled) bookings a
	// citizen may hold for this service; zero means no cap.
	MaxOpenPerCitizen int `json:"max_open_per_citizen"`
}

// Step is the effective slot interval.
func (s Service) Step() time.Duration {
	if s.Interval > 0 {
		return s.Interval
	}
	return s.Duration
}

// Validate checks the service definition.
func (s Service) Validate() error {
	var c errs.Collector
	c.Merge("", validate.Input(s))
	if s.ID == "" {
		c.Add("id", "required", "a service needs an id")
	}
	if s.Duration <= 0 {
		c.Add("duration", "gt", "the duration must be positive")
	}
	if s.BufferBefore < 0 || s.BufferAfter < 0 {
		c.Add("buffer_before", "gte", "buffers cannot be negative")
	}
	if s.Interval < 0 {
		c.Add("interval", "gte", "the slot interval cannot be negative")
	}
	if s.Notice.Book < 0 || s.Notice.Reschedule < 0 || s.Notice.Cancel < 0 {
		c.Add("notice", "gte", "notice periods cannot be negative")
	}
	if s.Horizon < 0 {
		c.Add("horizon", "gte", "the horizon cannot be negative")
	}
	if s.Capacity < 1 {
		c.Add("capacity", "gte", "the capacity must be at least 1")
	}
	if s.MaxOpenPerCitizen < 0 {
		c.Add("max_open_per_citizen", "gte", "the limit cannot be negative")
	}
	return c.Err()
}
