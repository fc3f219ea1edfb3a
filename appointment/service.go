package appointment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Event types the Scheduler emits; payloads are [BookingEvent] (and
// [ReminderEvent] for reminders, the Waiter for waitlist joins).
const (
	EventHeld              = "appointment.held"
	EventConfirmed         = "appointment.confirmed"
	EventCancelled         = "appointment.cancelled"
	EventRescheduled       = "appointment.rescheduled"
	EventCheckedIn         = "appointment.checked_in"
	EventNoShow            = "appointment.no_show"
	EventReminderScheduled = "appointment.reminder_scheduled"
	EventWaitlistJoined    = "appointment.waitlist_joined"
	EventWaitlistOffered   = "appointment.waitlist_offered"
)

// BookingEvent is the payload of booking events.
type BookingEvent struct {
	Booking Booking `json:"booking"`
}

// ReminderEvent asks a notifier to remind the citizen at Due; it is emitted
// when a booking is confirmed or moved, once per configured reminder offset.
type ReminderEvent struct {
	BookingID uuid.UUID     `json:"booking_id"`
	Reference Reference     `json:"reference"`
	Start     time.Time     `json:"start"`
	Due       time.Time     `json:"due"`
	Before    time.Duration `json:"before"`
}

// maxReferenceTries bounds the redraws of a reference that is in use; with
// 2^35 references a second collision in a row is already very unlikely.
const maxReferenceTries = 5

// Config configures a Scheduler.
type Config struct {
	Store    Store
	Clock    clock.Clock
	Calendar *calendar.Calendar
	// HoldFor is how long a hold lasts while the citizen fills in the form
	// (default 10 minutes).
	HoldFor time.Duration
	// OfferFor is how long a waitlist offer is held (default 24 hours).
	OfferFor time.Duration
	// Reminders are the offsets before a visit at which to remind the
	// citizen (e.g. 24h and 2h).
	Reminders []time.Duration
}

// Scheduler runs the booking use cases.
type Scheduler struct{ cfg Config }

// NewScheduler returns a Scheduler; Clock defaults to the real clock and
// Calendar to the Flemish one.
func NewScheduler(cfg Config) *Scheduler {
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Calendar == nil {
		cfg.Calendar = calendar.Flanders()
	}
	if cfg.HoldFor <= 0 {
		cfg.HoldFor = 10 * time.Minute
	}
	if cfg.OfferFor <= 0 {
		cfg.OfferFor = 24 * time.Hour
	}
	return &Scheduler{cfg: cfg}
}

// DefineService validates and saves a service.
func (s *Scheduler) DefineService(ctx context.Context, svc Service) error {
	if err := svc.Validate(); err != nil {
		return err
	}
	return s.cfg.Store.PutService(ctx, svc)
}

// DefineLocation validates and saves a location with its counters, hours and
// exceptions.
func (s *Scheduler) DefineLocation(ctx context.Context, l Location) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return s.cfg.Store.PutLocation(ctx, l)
}

// Query asks for availability.
type Query struct {
	ServiceID  string        `json:"service_id"`
	LocationID string        `json:"location_id"`
	From       calendar.Date `json:"from"`
	To         calendar.Date `json:"to"`
	Channel    Channel       `json:"channel"`
	CounterID  string        `json:"counter_id,omitempty"`
}

func (s *Scheduler) schedule(ctx context.Context, serviceID, locationID string, from, to time.Time, ch Channel, counterID string) (Schedule, error) {
	var c errs.Collector
	svc, err := s.cfg.Store.Service(ctx, serviceID)
	if errors.Is(err, ErrNotFound) {
		c.Add("service_id", "exists", "no service %q", serviceID)
	} else if err != nil {
		return Schedule{}, err
	}
	loc, err := s.cfg.Store.Location(ctx, locationID)
	if errors.Is(err, ErrNotFound) {
		c.Add("location_id", "exists", "no location %q", locationID)
	} else if err != nil {
		return Schedule{}, err
	}
	if ch != "" && !ch.Valid() {
		c.Add("channel", "oneof", "%q is not web, phone or walk_in", ch)
	}
	if err := c.Err(); err != nil {
		return Schedule{}, err
	}
	now := s.cfg.Clock.Now()
	// Only bookings overlapping the occupied time of a start in [from, to]
	// matter.
	busy, err := s.cfg.Store.Busy(ctx, locationID, from.Add(-svc.BufferBefore), to.Add(svc.Duration+svc.BufferAfter), now)
	if err != nil {
		return Schedule{}, err
	}
	return Schedule{Service: svc, Location: loc, Calendar: s.cfg.Calendar, Busy: busy, Now: now, Channel: ch, CounterID: counterID}, nil
}

// Availability returns the free slots for q.
func (s *Scheduler) Availability(ctx context.Context, q Query) ([]Slot, error) {
	if err := validate.Input(q); err != nil {
		return nil, err
	}
	if q.To.Before(q.From) {
		return nil, errs.Invalid("to", "gtefield", "the range ends on %s, before it starts on %s", q.To, q.From)
	}
	sch, err := s.schedule(ctx, q.ServiceID, q.LocationID, q.From.Start(), q.To.AddDays(1).Start(), q.Channel, q.CounterID)
	if err != nil {
		return nil, err
	}
	return FreeSlots(sch, q.From, q.To), nil
}

// NextFreeSlot returns the first free slot from now on (within the horizon,
// or a year), or ErrNotFound.
func (s *Scheduler) NextFreeSlot(ctx context.Context, q Query) (Slot, error) {
	if err := validate.Input(q); err != nil {
		return Slot{}, err
	}
	now := s.cfg.Clock.Now()
	sch, err := s.schedule(ctx, q.ServiceID, q.LocationID, now, now.AddDate(0, 0, maxSearchDays+1), q.Channel, q.CounterID)
	if err != nil {
		return Slot{}, err
	}
	sl, ok := NextFreeSlot(sch)
	if !ok {
		return Slot{}, fmt.Errorf("%w: no free slot", ErrNotFound)
	}
	return sl, nil
}

// FirstFreeDay returns the first day with a free slot, or ErrNotFound.
func (s *Scheduler) FirstFreeDay(ctx context.Context, q Query) (calendar.Date, error) {
	sl, err := s.NextFreeSlot(ctx, q)
	if err != nil {
		return calendar.Date{}, err
	}
	return calendar.DateIn(sl.Start), nil
}

// Request asks for a booking or a hold.
type Request struct {
	ServiceID  string `json:"service_id"`
	LocationID string `json:"location_id"`
	// CounterID picks a counter; empty lets the scheduler choose.
	CounterID string    `json:"counter_id,omitempty"`
	Start     time.Time `json:"start"`
	// End, when given, must match the service's duration.
	End     time.Time `json:"end,omitzero"`
	Channel Channel   `json:"channel"`
	Citizen Citizen   `json:"citizen"`
	// IdempotencyKey makes the request safe to retry (a double-clicked
	// confirm, a timeout): a second Hold or Book with the key returns the
	// first booking when the request is the same, even if that booking now
	// fills the slot, and ErrConflict when it differs. Empty means every
	// request books.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

func (r *Request) validate() error {
	var c errs.Collector
	c.Merge("", validate.Input(r))
	if r.Start.IsZero() {
		c.Add("start", "required", "pick a moment")
	}
	if r.Citizen.Key() == "" {
		c.Add("citizen", "required", "an INSZ or an e-mail address is needed")
	}
	if !r.Channel.Valid() {
		c.Add("channel", "oneof", "%q is not web, phone or walk_in", r.Channel)
	}
	idem.CheckKey(&c, "idempotency_key", r.IdempotencyKey)
	return c.Err()
}

// digest fingerprints r asked with status: what the caller asked for,
// without the key, with instants in UTC so one instant written in two
// zones is one request.
func (r Request) digest(status Status) string {
	r.IdempotencyKey = ""
	r.Start, r.End = r.Start.UTC(), r.End.UTC()
	return idem.Digest(struct {
		Request
		Status Status `json:"status"`
	}{r, status})
}

// repeated answers a request whose key a booking holds: that booking when
// the request is the same, ErrConflict when it differs.
func (s *Scheduler) repeated(ctx context.Context, id uuid.UUID, key, digest string) (Booking, error) {
	b, err := s.cfg.Store.Get(ctx, id)
	if err != nil {
		return Booking{}, err
	}
	if err := idem.Same(key, b.RequestDigest, digest); err != nil {
		return Booking{}, err
	}
	return *b, nil
}

// Hold reserves a slot for HoldFor while the citizen fills in the form; the
// hold lapses by itself unless confirmed.
func (s *Scheduler) Hold(ctx context.Context, r Request) (Booking, error) {
	return s.reserve(ctx, r, Held)
}

// Book books a slot at once (a clerk, the phone, or a one-step form).
func (s *Scheduler) Book(ctx context.Context, r Request) (Booking, error) {
	return s.reserve(ctx, r, Confirmed)
}

func (s *Scheduler) reserve(ctx context.Context, r Request, status Status) (Booking, error) {
	if err := r.validate(); err != nil {
		return Booking{}, err
	}
	sch, err := s.schedule(ctx, r.ServiceID, r.LocationID, r.Start, r.Start, r.Channel, r.CounterID)
	if err != nil {
		return Booking{}, err
	}
	var digest string
	if r.IdempotencyKey != "" {
		// A repeat is answered before the slot is checked: the first
		// booking may fill it now.
		digest = r.digest(status)
		b, err := s.cfg.Store.ByIdempotencyKey(ctx, r.IdempotencyKey)
		if err == nil {
			return s.repeated(ctx, b.ID, r.IdempotencyKey, digest)
		}
		if !errors.Is(err, ErrNotFound) {
			return Booking{}, err
		}
	}
	counters, quota, err := checkStart(&sch, r.Start, r.End)
	if err != nil {
		return Booking{}, err
	}
	svc, now := sch.Service, sch.Now
	b := Booking{
		ID: id.New(), ServiceID: svc.ID, LocationID: r.LocationID,
		Citizen: r.Citizen, Channel: r.Channel, Start: r.Start, End: r.Start.Add(svc.Duration),
		OccupiedFrom: r.Start.Add(-svc.BufferBefore), OccupiedTo: r.Start.Add(svc.Duration + svc.BufferAfter),
		Capacity: svc.Capacity, Status: status, IdempotencyKey: r.IdempotencyKey, RequestDigest: digest,
		CreatedAt: now, UpdatedAt: now,
	}
	if status == Held {
		b.HoldUntil = now.Add(s.cfg.HoldFor)
	}
	lim := Limits{MaxOpen: svc.MaxOpenPerCitizen, Quota: quota}
	for _, c := range counters {
		b.CounterID = c
		err := s.insert(ctx, &b, func(b *Booking) error {
			return s.cfg.Store.Create(ctx, NewBooking{Booking: *b, Limits: lim, Events: s.eventsFor(b, now), Now: now})
		})
		if held, dup := idem.Existing(err); dup {
			return s.repeated(ctx, held, r.IdempotencyKey, digest)
		}
		if errors.Is(err, ErrSlotTaken) {
			continue
		}
		if err != nil {
			return Booking{}, err
		}
		return b, nil
	}
	return Booking{}, ErrSlotTaken
}

// insert draws b a reference and runs create, drawing another while the
// reference is in use (at most maxReferenceTries more times).
func (s *Scheduler) insert(ctx context.Context, b *Booking, create func(*Booking) error) error {
	b.Reference = NewReference()
	err := create(b)
	for try := 0; errors.Is(err, ErrReferenceTaken) && try < maxReferenceTries; try++ {
		b.Reference = NewReference()
		err = create(b)
	}
	return err
}

func (s *Scheduler) newEvent(typ string, aggregate uuid.UUID, now time.Time, payload any) event.Event {
	return event.Event{ID: id.New(), Type: typ, AggregateID: aggregate, Time: now, Payload: payload}
}

// eventsFor returns the events of a fresh booking: held, or confirmed plus
// its reminders.
func (s *Scheduler) eventsFor(b *Booking, now time.Time) []event.Event {
	if b.Status == Held {
		return []event.Event{s.newEvent(EventHeld, b.ID, now, BookingEvent{*b})}
	}
	out := make([]event.Event, 1, 1+len(s.cfg.Reminders))
	out[0] = s.newEvent(EventConfirmed, b.ID, now, BookingEvent{*b})
	return s.reminders(out, b, now)
}

// reminders appends the reminder events of b to out.
func (s *Scheduler) reminders(out []event.Event, b *Booking, now time.Time) []event.Event {
	for _, before := range s.cfg.Reminders {
		due := b.Start.Add(-before)
		if due.Before(now) {
			continue
		}
		out = append(out, s.newEvent(EventReminderScheduled, b.ID, now, ReminderEvent{BookingID: b.ID, Reference: b.Reference, Start: b.Start, Due: due, Before: before}))
	}
	return out
}
