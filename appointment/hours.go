package appointment

import (
	"fmt"
	"slices"
	"time"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// TimeOfDay is a wall-clock time in Europe/Brussels, in minutes after
// midnight; 24:00 (1440) closes at midnight.
type TimeOfDay int

// HM returns the time of day h:m.
func HM(h, m int) TimeOfDay { return TimeOfDay(h*60 + m) }

// String formats t as HH:MM.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60) }

func (t TimeOfDay) valid() bool { return t >= 0 && t <= 24*60 }

// OpeningHours is one opening period on a weekday ("openingsuren"), valid
// from ValidFrom to ValidUntil inclusive (zero dates mean unbounded), so a
// summer schedule can be entered in advance.
type OpeningHours struct {
	Weekday    time.Weekday  `json:"weekday"`
	Open       TimeOfDay     `json:"open"`
	Close      TimeOfDay     `json:"close"`
	ValidFrom  calendar.Date `json:"valid_from,omitzero"`
	ValidUntil calendar.Date `json:"valid_until,omitzero"`
}

// appliesOn reports whether h is in force on d.
func (h OpeningHours) appliesOn(d calendar.Date) bool {
	if h.Weekday != d.Weekday() {
		return false
	}
	if !h.ValidFrom.IsZero() && d.Before(h.ValidFrom) {
		return false
	}
	return h.ValidUntil.IsZero() || !d.After(h.ValidUntil)
}

func periodsOverlap(a, b OpeningHours) bool {
	if !a.ValidUntil.IsZero() && !b.ValidFrom.IsZero() && a.ValidUntil.Before(b.ValidFrom) {
		return false
	}
	if !b.ValidUntil.IsZero() && !a.ValidFrom.IsZero() && b.ValidUntil.Before(a.ValidFrom) {
		return false
	}
	return true
}

// ValidateHours rejects opening hours that end before they start, fall
// outside the day, have a validity period that ends before it starts, or
// overlap another period on the same weekday while both are in force. field
// names the list in the error (e.g. "hours" or "counters[0].hours").
func ValidateHours(field string, hours []OpeningHours) error {
	var c errs.Collector
	for i, h := range hours {
		f := fmt.Sprintf("%s[%d]", field, i)
		if h.Weekday < time.Sunday || h.Weekday > time.Saturday {
			c.Add(f+".weekday", "weekday", "%d is not a weekday", h.Weekday)
		}
		if !h.Open.valid() || !h.Close.valid() {
			c.Add(f+".open", "time_of_day", "opening hours must lie between 00:00 and 24:00")
			continue
		}
		if h.Close <= h.Open {
			c.Add(f+".close", "gtfield", "closes at %s, not after it opens at %s", h.Close, h.Open)
			continue
		}
		if !h.ValidFrom.IsZero() && !h.ValidUntil.IsZero() && h.ValidUntil.Before(h.ValidFrom) {
			c.Add(f+".valid_until", "gtefield", "the validity ends on %s, before it starts on %s", h.ValidUntil, h.ValidFrom)
			continue
		}
		for j := range i {
			o := hours[j]
			if o.Weekday == h.Weekday && o.Close > o.Open && periodsOverlap(o, h) && h.Open < o.Close && o.Open < h.Close {
				c.Add(f, "overlap", "%s %s–%s overlaps %s[%d] %s–%s", h.Weekday, h.Open, h.Close, field, j, o.Open, o.Close)
			}
		}
	}
	return c.Err()
}

// ExceptionKind says how an exception changes a day.
type ExceptionKind string

// The kinds of exception to the weekly hours.
const (
	// Closed closes the whole day (a strike, an election, a move).
	Closed ExceptionKind = "closed"
	// ExtraOpening opens Open–Close on top of the weekly hours, even on a
	// public holiday, closing day or closed weekday: a one-day opening
	// overrules a closed day.
	ExtraOpening ExceptionKind = "extra_opening"
	// ReducedHours keeps only the part of the weekly hours inside Open–Close.
	ReducedHours ExceptionKind = "reduced_hours"
)

// Exception changes the hours of one day ("uitzondering") for the whole
// location, or for one counter when CounterID is set.
type Exception struct {
	Date      calendar.Date `json:"date"`
	Kind      ExceptionKind `json:"kind"`
	Open      TimeOfDay     `json:"open"`
	Close     TimeOfDay     `json:"close"`
	CounterID string        `json:"counter_id,omitempty"`
	Reason    string        `json:"reason,omitempty"`
}

// window is an opening interval in wall-clock minutes.
type window struct{ open, close TimeOfDay }

// on returns the window on d as instants, by the wall-clock rule of
// [calendar.Date.At]: open from the first instant the clock in Brussels
// shows the opening time, closed from the first instant it shows the
// closing time. On the last Sunday of March a time in the skipped hour is
// the first instant after it (03:00 CEST), so 00:30–02:30 is open until
// 03:00 CEST and 02:30–05:00 from 03:00; on the last Sunday of October a
// time in the repeated hour is its first occurrence (CEST), so 00:30–02:30
// closes at the first 02:30 and does not reopen when the clock shows 02:00
// again. This is the only place opening hours become instants.
func (w window) on(d calendar.Date) instants {
	return instants{d.At(0, int(w.open), clock.Brussels).UnixNano(), d.At(0, int(w.close), clock.Brussels).UnixNano()}
}

// dayWindows returns the sorted, merged opening windows of counter c at
// location l on d.
func dayWindows(l *Location, c *Counter, cal *calendar.Calendar, d calendar.Date, buf []window) []window {
	ws := buf[:0]
	closed := false
	if cal != nil {
		_, closed = cal.HolidayName(d)
	}
	for i := range l.Exceptions {
		e := &l.Exceptions[i]
		if e.Date == d && e.Kind == Closed && (e.CounterID == "" || e.CounterID == c.ID) {
			closed = true
		}
	}
	if !closed {
		for _, h := range l.Hours {
			if h.appliesOn(d) {
				ws = append(ws, window{h.Open, h.Close})
			}
		}
		if len(c.Hours) > 0 {
			// A counter's own hours narrow the building's: it cannot be
			// staffed while the doors are shut.
			var own []window
			for _, h := range c.Hours {
				if h.appliesOn(d) {
					own = append(own, window{h.Open, h.Close})
				}
			}
			ws = intersect(ws, own)
		}
	}
	for i := range l.Exceptions {
		e := &l.Exceptions[i]
		if e.Date != d || (e.CounterID != "" && e.CounterID != c.ID) {
			continue
		}
		switch e.Kind {
		case ReducedHours:
			ws = intersect(ws, []window{{e.Open, e.Close}})
		}
	}
	for i := range l.Exceptions {
		e := &l.Exceptions[i]
		if e.Date == d && e.Kind == ExtraOpening && (e.CounterID == "" || e.CounterID == c.ID) {
			ws = append(ws, window{e.Open, e.Close})
		}
	}
	return merge(ws)
}

func intersect(a, b []window) []window {
	var out []window
	for _, x := range a {
		for _, y := range b {
			o, c := max(x.open, y.open), min(x.close, y.close)
			if o < c {
				out = append(out, window{o, c})
			}
		}
	}
	return out
}

func merge(ws []window) []window {
	if len(ws) < 2 {
		return ws
	}
	slices.SortFunc(ws, func(a, b window) int { return int(a.open - b.open) })
	out := ws[:1]
	for _, w := range ws[1:] {
		last := &out[len(out)-1]
		if w.open <= last.close {
			last.close = max(last.close, w.close)
			continue
		}
		out = append(out, w)
	}
	return out
}
