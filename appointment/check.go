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
	counters, _, err := checkStart(&s, start, end)
	return counters, err
}

// counterAt is what one counter holds at the instant checkStart looks at.
type counterAt struct {
	c *Counter
	// same counts the bookings of the same group session (service and
	// start); used those at the start through the schedule's channel.
	same, used int
	// blocked is set by any other booking overlapping the visit.
	blocked bool
}

// smallLocation is how many counters checkStart tallies in an array on its
// stack; a bigger location costs one allocation.
const smallLocation = 32

// checkStart is CheckStart that also returns the channel's quota limit for
// the slot (the number of bookings the channel may hold there), or 0 when
// no quota applies (a quota that leaves nothing is ErrSlotTaken).
//
// It agrees with the planner behind FreeSlots (same counters, windows and
// busy rules) but does not build one: a single instant only needs the
// windows of its day and the busy times overlapping it, tallied in one pass.
func checkStart(s *Schedule, start, end time.Time) ([]string, int, error) {
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
	var small [smallLocation]counterAt
	at := small[:0]
	for i := range s.Location.Counters {
		c := &s.Location.Counters[i]
		if !c.Offers(svc.ID) || (s.CounterID != "" && c.ID != s.CounterID) || len(at) == maxCounters {
			continue
		}
		at = append(at, counterAt{c: c})
	}
	if len(at) == 0 {
		return nil, 0, errs.Invalid("service_id", "offered", "no counter at %s serves %s", s.Location.Name, svc.Name)
	}
	t0, t1 := start.UnixNano(), start.Add(svc.Duration).UnixNano()
	from, to := t0-int64(svc.BufferBefore), t1+int64(svc.BufferAfter)
	for k := range s.Busy {
		b := &s.Busy[k]
		if b.To.UnixNano() <= from || b.From.UnixNano() >= to {
			continue
		}
		i := 0
		for i < len(at) && at[i].c.ID != b.CounterID {
			i++
		}
		if i == len(at) {
			continue
		}
		x := &at[i]
		atStart := b.Start.UnixNano() == t0
		if atStart && s.Channel != "" && b.Channel == s.Channel {
			x.used++
		}
		if atStart && b.ServiceID == svc.ID {
			x.same++
		} else {
			x.blocked = true
		}
	}

	d := calendar.DateIn(start)
	var ownBuf, sharedBuf [8]instants
	// shared holds the location's windows for the counters without their
	// own; it is never nil once computed (it points into sharedBuf).
	var shared []instants
	counters := make([]string, 0, len(at))
	capacity, used, free := 0, 0, 0
	open, aligned := false, false
	for i := range at {
		x := &at[i]
		var ws []instants
		if plainCounter(&s.Location, x.c) {
			if shared == nil {
				shared = windowInstants(s, x.c, d, sharedBuf[:0])
			}
			ws = shared
		} else {
			ws = windowInstants(s, x.c, d, ownBuf[:0])
		}
		for _, w := range ws {
			if t0 < w.open || t1 > w.close {
				continue
			}
			open = true
			if (t0-w.open)%int64(svc.Step()) != 0 {
				continue
			}
			aligned = true
			capacity += svc.Capacity
			used += x.used
			if !x.blocked && x.same < svc.Capacity {
				free += svc.Capacity - x.same
				counters = append(counters, x.c.ID)
			}
			break
		}
	}
	switch {
	case !open:
		return nil, 0, closedReason(s, d, start)
	case !aligned:
		return nil, 0, errs.Invalid("start", "interval", "visits start every %s from opening time", svc.Step())
	}
	quota := -1
	if s.Channel != "" {
		if q, ok := s.Location.Quotas[s.Channel]; ok {
			quota = q
		}
	}
	if quota >= 0 && free > 0 && capacity*quota/100-used <= 0 {
		return nil, 0, fmt.Errorf("%w: the %s quota for this slot is used up", ErrSlotTaken, s.Channel)
	}
	if len(counters) == 0 {
		return nil, 0, ErrSlotTaken
	}
	limit := 0
	if quota >= 0 {
		limit = capacity * quota / 100
	}
	return counters, limit, nil
}

// plainCounter reports whether c has neither hours nor exceptions of its
// own, so it opens exactly when the location does.
func plainCounter(l *Location, c *Counter) bool {
	if len(c.Hours) > 0 {
		return false
	}
	for i := range l.Exceptions {
		if l.Exceptions[i].CounterID == c.ID {
			return false
		}
	}
	return true
}

// windowInstants appends counter c's opening windows on d, as instants, to
// out.
func windowInstants(s *Schedule, c *Counter, d calendar.Date, out []instants) []instants {
	var buf [8]window
	for _, w := range dayWindows(&s.Location, c, s.Calendar, d, buf[:0]) {
		out = append(out, w.on(d))
	}
	return out
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
