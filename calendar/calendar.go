// Package calendar knows which days a Belgian municipality works: weekends,
// the federal public holidays (the Easter-based ones included), optional
// community holidays (11 July for Flanders) and the municipality's own
// closing days. It adds and counts working days in Europe/Brussels, on
// civil dates, so daylight-saving changes move nothing.
//
// The zero Calendar knows weekends and the federal holidays; [Build] adds
// the rest and refuses closing days that do not exist. A time of day on a
// date becomes an instant by one wall-clock rule, [Date.At], which the
// deadlines ([Calendar.Due]) and the other packages' opening hours and
// daily periods share.
package calendar

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
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

// Calendar is a municipality's working-day calendar. The zero value is
// ready to use and knows weekends and the federal holidays. A Calendar is
// safe for concurrent use.
type Calendar struct {
	community Community
	closing   map[Date]string
	recurring map[[2]int]string // month, day → name: closing days every year

	mu    sync.Mutex
	years map[int]map[Date]string // filled on first use, never changed after
}

// Option configures a Calendar. An option that names an impossible date
// makes [Build] return a validation error.
type Option func(*Calendar) error

// WithCommunity adds the community holiday of c.
func WithCommunity(c Community) Option {
	return func(cal *Calendar) error {
		if c < NoCommunity || c > GermanSpeaking {
			return errs.Invalid("community", "oneof", "%d is not a Belgian community", c)
		}
		cal.community = c
		return nil
	}
}

// WithClosingDay adds a one-off closing day of the municipality. A Date
// that does not exist (30 February) is refused.
func WithClosingDay(d Date, name string) Option {
	return func(cal *Calendar) error {
		if !d.exists() {
			return errs.Invalid("closing_day", "date", "%s does not exist", d)
		}
		if cal.closing == nil {
			cal.closing = map[Date]string{}
		}
		cal.closing[d] = name
		return nil
	}
}

// WithYearlyClosingDay adds a closing day that returns every year on the
// same date, e.g. 2 January or 26 December. A day that does not exist in
// every year is refused: 31 April and 30 February, and 29 February too,
// since a yearly closing day that silently skips three years out of four
// (or moves to 1 March) is a typing error, not a municipality's custom;
// close on 29 February of one leap year with [WithClosingDay].
func WithYearlyClosingDay(m time.Month, day int, name string) Option {
	return func(cal *Calendar) error {
		// 2001 is not a leap year: a day that exists then exists every year.
		if m < time.January || m > time.December || !(Date{2001, m, day}).exists() {
			return errs.Invalid("yearly_closing_day", "date", "day %d of month %d does not exist every year", day, m)
		}
		if cal.recurring == nil {
			cal.recurring = map[[2]int]string{}
		}
		cal.recurring[[2]int{int(m), day}] = name
		return nil
	}
}

// Build returns a calendar with the given options, or a
// *errs.ValidationError naming every option that asks for an impossible
// date. Use it for closing days that come from configuration or a clerk.
func Build(opts ...Option) (*Calendar, error) {
	c := &Calendar{}
	var problems errs.Collector
	for _, o := range opts {
		if err := o(c); err != nil {
			problems.Merge("", err)
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// New returns a calendar with the given options. Like regexp.MustCompile,
// it panics when an option names an impossible date: use it with options
// written in the code, and [Build] for dates that come from elsewhere.
func New(opts ...Option) *Calendar {
	c, err := Build(opts...)
	if err != nil {
		panic(err)
	}
	return c
}

// Flanders returns the calendar of a Flemish municipality: federal
// holidays, 11 July and the closing days of opts. Like [New], it panics on
// an impossible closing day; Build(WithCommunity(Flemish), opts...) returns
// the error instead.
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
	if c.years == nil {
		c.years = map[int]map[Date]string{}
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
// between. The time is found by the wall-clock rule (see [Date.At]): when
// it repeats on the day found, the result keeps t's offset (a moment in
// the second 02:30 of a night in October stays in the second), and when
// the clock skips it, the result is the first instant after the gap, so
// AddWorkingDaysAt(t, 0) is t itself.
func (c *Calendar) AddWorkingDaysAt(t time.Time, n int) time.Time {
	t = t.In(clock.Brussels)
	return c.AddWorkingDays(DateOf(t), n).AtTimeOf(t)
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
// time in Europe/Brussels, dl.Days working or calendar days later, found as
// [Calendar.AddWorkingDaysAt] finds it.
func (c *Calendar) Due(t time.Time, dl Deadline) time.Time {
	if dl.WorkingDays {
		return c.AddWorkingDaysAt(t, dl.Days)
	}
	t = t.In(clock.Brussels)
	return DateOf(t).AddDays(dl.Days).AtTimeOf(t)
}
