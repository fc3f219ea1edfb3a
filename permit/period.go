package permit

import (
	"fmt"
	"slices"
	"time"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// Period is a half-open interval [Start, End): an occupation ending at 12:00
// does not overlap one starting at 12:00.
type Period struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Overlaps reports whether two half-open periods share an instant.
func (p Period) Overlaps(q Period) bool {
	return p.Start.Before(q.End) && q.Start.Before(p.End)
}

// Duration is the length of the period.
func (p Period) Duration() time.Duration { return p.End.Sub(p.Start) }

// Validate checks that the period ends after it starts.
func (p Period) Validate() error {
	var c errs.Collector
	if p.Start.IsZero() {
		c.Add("start", "required", "is required")
	}
	if p.End.IsZero() {
		c.Add("end", "required", "is required")
	}
	if c.Err() == nil && !p.End.After(p.Start) {
		c.Add("end", "gtfield", "must be after the start (%s)", p.Start.In(clock.Brussels).Format(time.DateTime))
	}
	return c.Err()
}

// TimeOfDay is a wall-clock time in Brussels, in minutes after midnight.
type TimeOfDay int

// At builds a TimeOfDay from hours and minutes.
func At(hour, minute int) TimeOfDay { return TimeOfDay(hour*60 + minute) }

// String formats the time as HH:MM.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60) }

// Schedule is a recurring occupation ("wederkerende periode"), as GIPOD
// knows them: every chosen weekday from From to Until (both inclusive),
// optionally only between daily hours, except on the excepted dates.
//
// Daily hours are wall-clock hours in Brussels. On a day where the clock
// never shows them (a window inside the hour skipped on the last Sunday of
// March, such as 02:30–02:45), the window is empty: that day has no
// occurrence, so no occupation, no fee and no conflict.
type Schedule struct {
	From     calendar.Date   `json:"from"`
	Until    calendar.Date   `json:"until"`
	Weekdays []time.Weekday  `json:"weekdays,omitempty"` // empty: every day
	Daily    *DailyHours     `json:"daily,omitempty"`    // nil: the whole day
	Except   []calendar.Date `json:"except,omitempty"`
}

// DailyHours limits an occupation to part of each day, e.g. a market
// from 06:00 to 14:00. Until before From runs past midnight.
type DailyHours struct {
	From  TimeOfDay `json:"from"`
	Until TimeOfDay `json:"until"`
}

// maxScheduleDays bounds a schedule's span, and so what it expands into:
// at most one occurrence a day, 1,099 in all. Every occurrence is kept, so
// conflicts, the export and the fee see the whole schedule.
const maxScheduleDays = 3 * 366

// Validate checks the schedule's dates and hours.
func (s Schedule) Validate() error {
	var c errs.Collector
	if s.From.IsZero() {
		c.Add("from", "required", "is required")
	}
	if s.Until.IsZero() {
		c.Add("until", "required", "is required")
	}
	if c.Err() == nil && s.Until.Before(s.From) {
		c.Add("until", "gtefield", "must not be before from (%s)", s.From)
	}
	if s.Daily != nil {
		if s.Daily.From < 0 || s.Daily.From >= 24*60 || s.Daily.Until < 0 || s.Daily.Until > 24*60 {
			c.Add("daily", "range", "hours must lie between 00:00 and 24:00")
		} else if s.Daily.From == s.Daily.Until {
			c.Add("daily.until", "nefield", "must differ from the start hour")
		}
	}
	if c.Err() == nil && s.From.DaysUntil(s.Until) > maxScheduleDays {
		c.Add("until", "max", "a schedule spans at most three years")
	}
	if len(s.Except) > maxScheduleDays+1 {
		c.Add("except", "max", "at most %d excepted dates", maxScheduleDays+1)
	}
	return c.Err()
}

// count returns how many days of a valid schedule match its weekdays and
// are not excepted, without expanding it: an upper bound of its
// occurrences (a window in the skipped spring hour yields none).
func (s Schedule) count() int {
	var days [7]bool
	for _, w := range s.Weekdays {
		if w >= 0 && w < 7 {
			days[w] = true
		}
	}
	except := make(map[calendar.Date]bool, len(s.Except))
	for _, d := range s.Except {
		except[d] = true
	}
	n := 0
	for d := s.From; !d.After(s.Until); d = d.AddDays(1) {
		if (len(s.Weekdays) == 0 || days[d.Weekday()]) && !except[d] {
			n++
		}
	}
	return n
}

// Occurrences expands the schedule into concrete periods in Europe/Brussels,
// in order, every one of them: Validate bounds the span to three years.
// Daylight-saving changes keep the wall-clock hours.
func (s Schedule) Occurrences() []Period {
	var out []Period
	for d := s.From; !d.After(s.Until); d = d.AddDays(1) {
		if len(s.Weekdays) > 0 && !slices.Contains(s.Weekdays, d.Weekday()) {
			continue
		}
		if slices.Contains(s.Except, d) {
			continue
		}
		if s.Daily == nil {
			out = append(out, Period{d.Start(), d.AddDays(1).Start()})
			continue
		}
		start := d.At(int(s.Daily.From)/60, int(s.Daily.From)%60, clock.Brussels)
		endDay := d
		if s.Daily.Until < s.Daily.From {
			endDay = d.AddDays(1)
		}
		end := endDay.At(int(s.Daily.Until)/60, int(s.Daily.Until)%60, clock.Brussels)
		if !end.After(start) {
			continue // the window lies in the skipped spring hour
		}
		out = append(out, Period{start, end})
	}
	return out
}

// Span is the smallest period covering all the given periods.
func Span(periods []Period) Period {
	var s Period
	for i, p := range periods {
		if i == 0 || p.Start.Before(s.Start) {
			s.Start = p.Start
		}
		if i == 0 || p.End.After(s.End) {
			s.End = p.End
		}
	}
	return s
}

// OccupiedDates lists the distinct Brussels calendar dates touched by the
// periods, in order: fees are charged per started day.
func OccupiedDates(periods []Period) []calendar.Date {
	var out []calendar.Date
	for _, p := range periods {
		last := calendar.DateIn(p.End.Add(-time.Nanosecond))
		for d := calendar.DateIn(p.Start); !d.After(last); d = d.AddDays(1) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, calendar.Date.Compare)
	return slices.Compact(out)
}

// normalize returns the periods sorted and with overlapping or touching
// ones merged, as the conflict sweep needs. Already normal input is
// returned as is, without allocating.
func normalize(ps []Period) []Period {
	ok := true
	for i := 1; i < len(ps) && ok; i++ {
		ok = ps[i-1].End.Before(ps[i].Start)
	}
	if ok {
		return ps
	}
	out := slices.Clone(ps)
	slices.SortFunc(out, func(p, q Period) int { return p.Start.Compare(q.Start) })
	merged := out[:1]
	for _, p := range out[1:] {
		last := &merged[len(merged)-1]
		if !p.Start.After(last.End) {
			if p.End.After(last.End) {
				last.End = p.End
			}
			continue
		}
		merged = append(merged, p)
	}
	return merged
}
