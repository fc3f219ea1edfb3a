package appointment

import (
	"fmt"
	"time"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// CheckStart says whether a visit can start at start under the schedule. It
// returns the counters (in the location's order) that can still take it, a
// *ValidationError naming why the moment is not bookable at all (past, within
// the notice, past the horizon, closed, outside opening hours, not on the
// slot grid, counter not offering the service, end not matching the
// service's duration), or ErrSlotTaken when the slot is real but full.
// end may be zero.
func CheckStart(s Schedule, start, end time.Time) ([]string, error) {
	counters, _, err := checkStart(s, start, end)
	return counters, err
}

// checkStart is CheckStart that also returns the channel's quota limit for
// the slot (the number of bookings the channel may hold there), or 0 when
// no quota applies (a quota that leaves nothing is ErrSlotTaken).
func checkStart(s Schedule, start, end time.Time) ([]string, int, error) {
	svc := &s.Service
	if !end.IsZero() && end.Sub(start) != svc.Duration {
		return nil, 0, errs.Invalid("end", "duration", "a visit for %s takes %s, not %s", svc.Name, svc.Duration, end.Sub(start))
	}
	if start.Before(s.Now) {
		return nil, 0, errs.Invalid("start", "future", "%s is in the past", start.In(clock.Brussels).Format(time.DateTime))
	}
	if start.Before(s.Now.Add(svc.Notice.Book)) {
		return nil, 0, errs.Invalid("start", "notice", "book at least %s ahead", svc.Notice.Book)
	}
	if svc.Horizon > 0 && start.After(s.Now.Add(svc.Horizon)) {
		return nil, 0, errs.Invalid("start", "horizon", "visits can be booked at most %s ahead", svc.Horizon)
	}
	if s.CounterID != "" {
		c, ok := s.Location.Counter(s.CounterID)
		if !ok {
			return nil, 0, errs.Invalid("counter_id", "exists", "no counter %q at %s", s.CounterID, s.Location.Name)
		}
		if !c.Offers(svc.ID) {
			return nil, 0, errs.Invalid("counter_id", "offers_service", "counter %s does not serve %s", c.Name, svc.Name)
		}
	}
	p := newPlanner(&s)
	if len(p.counters) == 0 {
		return nil, 0, errs.Invalid("service_id", "offered", "no counter at %s serves %s", s.Location.Name, svc.Name)
	}
	d := calendar.DateIn(start)
	t0, t1 := start.UnixNano(), start.Add(svc.Duration).UnixNano()
	counters := make([]string, 0, len(p.counters))
	capacity, used, free := 0, 0, 0
	open, aligned := false, false
	for ci, c := range p.counters {
		for _, w := range p.windows(ci, d) {
			if t0 < w.open || t1 > w.close {
				continue
			}
			open = true
			if (t0-w.open)%int64(svc.Step()) != 0 {
				continue
			}
			aligned = true
			f, u := p.probe(ci, t0)
			capacity += svc.Capacity
			used += u
			if f > 0 {
				free += f
				counters = append(counters, c.ID)
			}
			break
		}
	}
	switch {
	case !open:
		return nil, 0, closedReason(&s, d, start)
	case !aligned:
		return nil, 0, errs.Invalid("start", "interval", "visits start every %s from opening time", svc.Step())
	}
	if p.quota >= 0 && free > 0 && capacity*p.quota/100-used <= 0 {
		return nil, 0, fmt.Errorf("%w: the %s quota for this slot is used up", ErrSlotTaken, s.Channel)
	}
	if len(counters) == 0 {
		return nil, 0, ErrSlotTaken
	}
	limit := 0
	if p.quota >= 0 {
		limit = capacity * p.quota / 100
	}
	return counters, limit, nil
}

func closedReason(s *Schedule, d calendar.Date, start time.Time) error {
	if s.Calendar != nil {
		if name, ok := s.Calendar.HolidayName(d); ok {
			return errs.Invalid("start", "closed", "%s is a closing day (%s)", d, name)
		}
	}
	for _, e := range s.Location.Exceptions {
		if e.Date == d && e.Kind == Closed {
			return errs.Invalid("start", "closed", "%s is closed on %s (%s)", s.Location.Name, d, e.Reason)
		}
	}
	return errs.Invalid("start", "opening_hours", "%s is outside the opening hours", start.In(clock.Brussels).Format("Mon 2006-01-02 15:04"))
}
