// Package calendar knows which days a Belgian municipality works: weekends,
// the federal public holidays (the Easter-based ones included), optional
// community holidays (11 July for Flanders) and the municipality's own
// closing days. It adds and counts working days in Europe/Brussels, on
// civil dates, so daylight-saving changes move nothing.
package calendar

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/lokaalbestuur/bouwstenen/clock"
)

// Holiday is a named day off.
type Holiday struct {
	Date Date
	Name string
}

// Community selects the community holiday a municipality observes.
type Community int

// The communities of Belgium and their holidays.
const (
	// NoCommunity observes only the federal holidays.
	NoCommunity Community = iota
	// Flemish observes 11 July ("Feest van de Vlaamse Gemeenschap").
	Flemish
	// French observes 27 September.
	French
	// GermanSpeaking observes 15 November.
	GermanSpeaking
)

// Calendar is a municipality's working-day calendar. The zero value knows
// only weekends and federal holidays. A Calendar is safe for concurrent use
// once built.
type Calendar struct {
	community Community
	closing   map[Date]string
	recurring map[[2]int]string // month, day → name: closing days every year

	mu    sync.Mutex
	years map[int]map[Date]string
}

// Option configures a Calendar.
type Option func(*Calendar)

// WithCommunity adds the community holiday of c.
func WithCommunity(c Community) Option { return func(cal *Calendar) { cal.community = c } }

// WithClosingDay adds a one-off closing day of the municipality.
func WithClosingDay(d Date, name string) Option {
	return func(cal *Calendar) { cal.closing[d] = name }
}

// WithYearlyClosingDay adds a closing day that returns every year on the
// same date, e.g. 2 January or 26 December.
func WithYearlyClosingDay(m time.Month, day int, name string) Option {
	return func(cal *Calendar) { cal.recurring[[2]int{int(m), day}] = name }
}

// New returns a calendar with the given options.
func New(opts ...Option) *Calendar {
	c := &Calendar{closing: map[Date]string{}, recurring: map[[2]int]string{}, years: map[int]map[Date]string{}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Flanders returns the calendar of a Flemish municipality without closing
// days of its own: federal holidays and 11 July.
func Flanders(opts ...Option) *Calendar {
	return New(append([]Option{WithCommunity(Flemish)}, opts...)...)
}

// Easter returns Easter Sunday of year y (Gregorian, the anonymous algorithm
// of Meeus/Jones/Butcher).
func Easter(y int) Date {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{y, time.Month(month), day}
}

// FederalHolidays returns the ten Belgian federal public holidays of year y in date order.
func FederalHolidays(y int) []Holiday {
	e := Easter(y)
	return []Holiday{
		{Date{y, time.January, 1}, "Nieuwjaar"},
		{e.AddDays(1), "Paasmaandag"},
		{Date{y, time.May, 1}, "Dag van de Arbeid"},
		{e.AddDays(39), "Onze-Lieve-Heer-Hemelvaart"},
		{e.AddDays(50), "Pinkstermaandag"},
		{Date{y, time.July, 21}, "Nationale feestdag"},
		{Date{y, time.August, 15}, "Onze-Lieve-Vrouw-Hemelvaart"},
		{Date{y, time.November, 1}, "Allerheiligen"},
		{Date{y, time.November, 11}, "Wapenstilstand"},
		{Date{y, time.December, 25}, "Kerstmis"},
	}
}

// Holidays returns every day off in year y other than weekends: federal,
// community and the municipality's own, in date order.
func (c *Calendar) Holidays(y int) []Holiday {
	days := c.year(y)
	out := make([]Holiday, 0, len(days))
	for d, name := range days {
		out = append(out, Holiday{d, name})
	}
	slices.SortFunc(out, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return out
}

func (c *Calendar) year(y int) map[Date]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if days, ok := c.years[y]; ok {
		return days
	}
	days := map[Date]string{}
	for _, h := range FederalHolidays(y) {
		days[h.Date] = h.Name
	}
	switch c.community {
	case Flemish:
		days[Date{y, time.July, 11}] = "Feest van de Vlaamse Gemeenschap"
	case French:
		days[Date{y, time.September, 27}] = "Fête de la Communauté française"
	case GermanSpeaking:
		days[Date{y, time.November, 15}] = "Tag der Deutschsprachigen Gemeinschaft"
	}
	for md, name := range c.recurring {
		days[NewDate(y, time.Month(md[0]), md[1])] = name
	}
	for d, name := range c.closing {
		if d.Year == y {
			days[d] = name
		}
	}
	c.years[y] = days
	return days
}

// HolidayName returns the name of the holiday or closing day on d, if any.
func (c *Calendar) HolidayName(d Date) (string, bool) {
	name, ok := c.year(d.Year)[d]
	return name, ok
}

// IsWorkingDay reports whether d is neither a weekend day nor a day off.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, off := c.year(d.Year)[d]
	return !off
}

// AddWorkingDays returns the date n working days after d (before d when n
// is negative). d itself does not count: one working day after Friday is
// Monday, unless Monday is a day off.
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts the working days after from up to and including
// to, so that WorkingDaysBetween(d, AddWorkingDays(d, n)) == n. When to is
// before from it counts the working days from to up to but not including
// from, negated, which keeps the same identity for negative n.
func (c *Calendar) WorkingDaysBetween(from, to Date) int {
	n := 0
	if to.Before(from) {
		for d := to; d.Before(from); d = d.AddDays(1) {
			if c.IsWorkingDay(d) {
				n--
			}
		}
		return n
	}
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// AddWorkingDaysAt returns the moment n working days after t at the same
// wall-clock time in Europe/Brussels, whatever daylight-saving change lies
// between.
func (c *Calendar) AddWorkingDaysAt(t time.Time, n int) time.Time {
	t = t.In(clock.Brussels)
	d := c.AddWorkingDays(DateOf(t), n)
	return time.Date(d.Year, d.Month, d.Day, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), clock.Brussels)
}

// NextWorkingDay returns d when it is a working day, else the first working day after it.
func (c *Calendar) NextWorkingDay(d Date) Date {
	for !c.IsWorkingDay(d) {
		d = d.AddDays(1)
	}
	return d
}

// Deadline is a number of days that counts either working days or calendar days.
type Deadline struct {
	Days        int  `json:"days"`
	WorkingDays bool `json:"working_days"`
}

// String says "10 working days" or "30 days".
func (dl Deadline) String() string {
	if dl.WorkingDays {
		return fmt.Sprintf("%d working days", dl.Days)
	}
	return fmt.Sprintf("%d days", dl.Days)
}

// Due returns the end of the deadline that starts at t: the same wall-clock
// time in Europe/Brussels, dl.Days working or calendar days later.
func (c *Calendar) Due(t time.Time, dl Deadline) time.Time {
	if dl.WorkingDays {
		return c.AddWorkingDaysAt(t, dl.Days)
	}
	t = t.In(clock.Brussels)
	return time.Date(t.Year(), t.Month(), t.Day()+dl.Days, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), clock.Brussels)
}
