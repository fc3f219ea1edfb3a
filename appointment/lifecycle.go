package appointment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Get returns a booking.
func (s *Scheduler) Get(ctx context.Context, bookingID uuid.UUID) (Booking, error) {
	return value(s.cfg.Store.Get(ctx, bookingID))
}

// value is a store's answer as the value the Scheduler returns.
func value(b *Booking, err error) (Booking, error) {
	if err != nil {
		return Booking{}, err
	}
	return *b, nil
}

// Find returns the booking a citizen quotes, tolerating case, spaces and
// misread letters; a reference with a wrong check character is a
// validation error.
func (s *Scheduler) Find(ctx context.Context, reference string) (Booking, error) {
	ref, ok := ParseReference(reference)
	if !ok {
		return Booking{}, errs.Invalid("reference", "reference", "%q is not a booking reference", reference)
	}
	return value(s.cfg.Store.ByReference(ctx, ref))
}

func transition(b *Booking, now time.Time, to Status, allowed ...Status) error {
	cur := b.StatusAt(now)
	if cur == Expired && to == Confirmed {
		return ErrHoldExpired
	}
	for _, a := range allowed {
		if cur == a {
			b.Status, b.UpdatedAt, b.HoldUntil = to, now, time.Time{}
			return nil
		}
	}
	return fmt.Errorf("%w: a %s booking cannot become %s", ErrInvalidTransition, cur, to)
}

// Confirm turns a hold into a booking.
func (s *Scheduler) Confirm(ctx context.Context, bookingID uuid.UUID) (Booking, error) {
	now := s.cfg.Clock.Now()
	return value(s.cfg.Store.Update(ctx, bookingID, func(b *Booking) (Change, error) {
		if b.Status == Confirmed {
			return Change{Now: now}, nil // a double-clicked confirm confirms once
		}
		if err := transition(b, now, Confirmed, Held); err != nil {
			return Change{}, err
		}
		return Change{Events: s.eventsFor(b, now), Now: now}, nil
	}))
}

// Cancel cancels a booking or releases a hold, at least Notice.Cancel before
// the visit, and offers the freed place to the first citizen on the
// waitlist who wants it.
func (s *Scheduler) Cancel(ctx context.Context, bookingID uuid.UUID) (Booking, error) {
	now := s.cfg.Clock.Now()
	cur, err := s.cfg.Store.Get(ctx, bookingID)
	if err != nil {
		return Booking{}, err
	}
	svc, err := s.cfg.Store.Service(ctx, cur.ServiceID)
	if err != nil {
		return Booking{}, err
	}
	b, err := value(s.cfg.Store.Update(ctx, bookingID, func(b *Booking) (Change, error) {
		if b.Status == Confirmed && now.Add(svc.Notice.Cancel).After(b.Start) {
			return Change{}, fmt.Errorf("%w: cancel at least %s before the visit", ErrTooLate, svc.Notice.Cancel)
		}
		if err := transition(b, now, Cancelled, Held, Confirmed); err != nil {
			return Change{}, err
		}
		b.Sequence++
		return Change{Events: []event.Event{s.newEvent(EventCancelled, b.ID, now, BookingEvent{*b})}, Now: now}, nil
	}))
	if err != nil {
		return Booking{}, err
	}
	// The cancellation stands even if no offer can be made.
	_, _ = s.offerFreed(ctx, b)
	return b, nil
}

// Reschedule moves a booking to another start (and maybe counter), at least
// Notice.Reschedule before the old visit. The old slot is released in the
// same atomic write that takes the new one: if the new one is gone, the
// citizen keeps the old one. The booking keeps its id and reference.
func (s *Scheduler) Reschedule(ctx context.Context, bookingID uuid.UUID, start time.Time, counterID string) (Booking, error) {
	var c errs.Collector
	validate.CheckTime(&c, "start", start)
	validate.CheckText(&c, "counter_id", counterID)
	if err := c.Err(); err != nil {
		return Booking{}, err
	}
	cur, err := s.cfg.Store.Get(ctx, bookingID)
	if err != nil {
		return Booking{}, err
	}
	sch, err := s.schedule(ctx, cur.ServiceID, cur.LocationID, start, start, cur.Channel, counterID)
	if err != nil {
		return Booking{}, err
	}
	svc, now := sch.Service, sch.Now
	if now.Add(svc.Notice.Reschedule).After(cur.Start) {
		return Booking{}, fmt.Errorf("%w: reschedule at least %s before the visit", ErrTooLate, svc.Notice.Reschedule)
	}
	// The booking's own time must not count against its new slot.
	sch.Busy = dropBooking(sch.Busy, cur)
	counters, _, err := checkStart(&sch, start, time.Time{})
	if err != nil {
		return Booking{}, err
	}
	for _, c := range counters {
		b, err := value(s.cfg.Store.Update(ctx, bookingID, func(b *Booking) (Change, error) {
			if st := b.StatusAt(now); st != Confirmed && st != Held {
				return Change{}, fmt.Errorf("%w: a %s booking cannot be moved", ErrInvalidTransition, st)
			}
			b.CounterID, b.Start, b.End = c, start, start.Add(svc.Duration)
			b.OccupiedFrom, b.OccupiedTo = start.Add(-svc.BufferBefore), start.Add(svc.Duration+svc.BufferAfter)
			b.Capacity, b.UpdatedAt = svc.Capacity, now
			b.Sequence++
			evs := make([]event.Event, 1, 1+len(s.cfg.Reminders))
			evs[0] = s.newEvent(EventRescheduled, b.ID, now, BookingEvent{*b})
			if b.Status == Confirmed {
				evs = s.reminders(evs, b, now)
			}
			return Change{Events: evs, Now: now}, nil
		}))
		if errors.Is(err, ErrSlotTaken) {
			continue
		}
		if err == nil {
			_, _ = s.offerFreed(ctx, *cur)
		}
		return b, err
	}
	return Booking{}, ErrSlotTaken
}

func dropBooking(bs []Busy, b *Booking) []Busy {
	out := bs[:0]
	for _, x := range bs {
		if x.CounterID == b.CounterID && x.Start.Equal(b.Start) && x.ServiceID == b.ServiceID && x.Channel == b.Channel && x.From.Equal(b.OccupiedFrom) {
			b = &Booking{} // drop one entry only: others may share a group session
			continue
		}
		out = append(out, x)
	}
	return out
}

// CheckIn records that the citizen arrived, on the day of the visit.
func (s *Scheduler) CheckIn(ctx context.Context, bookingID uuid.UUID) (Booking, error) {
	now := s.cfg.Clock.Now()
	return value(s.cfg.Store.Update(ctx, bookingID, func(b *Booking) (Change, error) {
		if calendar.DateIn(now) != calendar.DateIn(b.Start) {
			return Change{}, fmt.Errorf("%w: check-in is only possible on the day of the visit", ErrInvalidTransition)
		}
		if err := transition(b, now, CheckedIn, Confirmed); err != nil {
			return Change{}, err
		}
		b.CheckedInAt = now
		return Change{Events: []event.Event{s.newEvent(EventCheckedIn, b.ID, now, BookingEvent{*b})}, Now: now}, nil
	}))
}

// NoShow records that the citizen did not come; only after the start.
func (s *Scheduler) NoShow(ctx context.Context, bookingID uuid.UUID) (Booking, error) {
	now := s.cfg.Clock.Now()
	return value(s.cfg.Store.Update(ctx, bookingID, func(b *Booking) (Change, error) {
		if now.Before(b.Start) {
			return Change{}, fmt.Errorf("%w: the visit has not started yet", ErrInvalidTransition)
		}
		if err := transition(b, now, NoShow, Confirmed); err != nil {
			return Change{}, err
		}
		return Change{Events: []event.Event{s.newEvent(EventNoShow, b.ID, now, BookingEvent{*b})}, Now: now}, nil
	}))
}

// WaitRequest puts a citizen on the waitlist.
type WaitRequest struct {
	ServiceID  string        `json:"service_id"`
	LocationID string        `json:"location_id"`
	Citizen    Citizen       `json:"citizen"`
	From       calendar.Date `json:"from"`
	To         calendar.Date `json:"to"`
}

// JoinWaitlist puts a citizen on the waitlist for any slot between two dates.
func (s *Scheduler) JoinWaitlist(ctx context.Context, r WaitRequest) (Waiter, error) {
	if err := validate.Input(r); err != nil {
		return Waiter{}, err // the store is not asked about text it cannot hold
	}
	var c errs.Collector
	if r.Citizen.Key() == "" {
		c.Add("citizen", "required", "an INSZ or an e-mail address is needed")
	}
	if r.From.IsZero() || r.To.Before(r.From) {
		c.Add("to", "gtefield", "give a range of dates that ends after it starts")
	}
	if _, err := s.cfg.Store.Service(ctx, r.ServiceID); err != nil {
		c.Add("service_id", "exists", "no service %q", r.ServiceID)
	}
	if _, err := s.cfg.Store.Location(ctx, r.LocationID); err != nil {
		c.Add("location_id", "exists", "no location %q", r.LocationID)
	}
	if err := c.Err(); err != nil {
		return Waiter{}, err
	}
	now := s.cfg.Clock.Now()
	w := Waiter{ID: id.New(), ServiceID: r.ServiceID, LocationID: r.LocationID, Citizen: r.Citizen, From: r.From, To: r.To, JoinedAt: now}
	return w, s.cfg.Store.AddWaiter(ctx, w, []event.Event{s.newEvent(EventWaitlistJoined, w.ID, now, w)})
}

// PassOnLapsedOffers hands every waitlist offer for the service at the
// location that ran out to the next waiter who wants that slot. Run it
// periodically (e.g. every minute); it returns the number of new offers.
func (s *Scheduler) PassOnLapsedOffers(ctx context.Context, serviceID, locationID string) (int, error) {
	var c errs.Collector
	validate.CheckText(&c, "service_id", serviceID)
	validate.CheckText(&c, "location_id", locationID)
	if err := c.Err(); err != nil {
		return 0, err
	}
	now := s.cfg.Clock.Now()
	var lapsed []Booking
	var ids []uuid.UUID
	for w, err := range s.cfg.Store.Waiters(ctx, serviceID, locationID) {
		if err != nil {
			return 0, err
		}
		if w.OfferedBooking == uuid.Nil || w.Lapsed {
			continue
		}
		b, err := s.cfg.Store.Get(ctx, w.OfferedBooking)
		if err != nil {
			return 0, err
		}
		if b.StatusAt(now) == Expired {
			lapsed, ids = append(lapsed, *b), append(ids, w.ID)
		}
	}
	n := 0
	for i, b := range lapsed {
		err := s.cfg.Store.LapseOffer(ctx, ids[i])
		if errors.Is(err, ErrConflict) {
			continue // another run passed it on
		}
		if err != nil {
			return n, err
		}
		offer, err := s.offerFreed(ctx, b)
		if err != nil {
			return n, err
		}
		if offer.ID != uuid.Nil {
			n++
		}
	}
	return n, nil
}

// offerFreed offers the slot freed by b to the first waiter who wants it,
// as a hold of OfferFor; the waiter confirms it like any hold.
func (s *Scheduler) offerFreed(ctx context.Context, freed Booking) (Booking, error) {
	now := s.cfg.Clock.Now()
	if !freed.Start.After(now) {
		return Booking{}, nil
	}
	svc, err := s.cfg.Store.Service(ctx, freed.ServiceID)
	if err != nil {
		return Booking{}, err
	}
	for w, err := range s.cfg.Store.Waiters(ctx, freed.ServiceID, freed.LocationID) {
		if err != nil {
			return Booking{}, err
		}
		if !w.Wants(freed.Start) {
			continue
		}
		hold := freed
		hold.ID, hold.Citizen, hold.WaiterID = id.New(), w.Citizen, w.ID
		hold.Status, hold.HoldUntil, hold.IdempotencyKey, hold.RequestDigest = Held, now.Add(s.cfg.OfferFor), "", ""
		hold.Sequence, hold.Version, hold.CreatedAt, hold.UpdatedAt, hold.CheckedInAt = 0, 0, now, now, time.Time{}
		hold.Capacity = svc.Capacity
		err := s.insert(ctx, &hold, func(b *Booking) error {
			evs := []event.Event{s.newEvent(EventWaitlistOffered, b.ID, now, BookingEvent{*b})}
			return s.cfg.Store.OfferTo(ctx, w.ID, NewBooking{Booking: *b, Events: evs, Now: now})
		})
		if errors.Is(err, ErrConflict) {
			continue // another cancellation made this waiter an offer first
		}
		if err != nil {
			return Booking{}, err
		}
		return hold, nil
	}
	return Booking{}, nil
}
