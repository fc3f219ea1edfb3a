// Package nlfmt writes amounts, numbers and dates the way they are written
// in Belgian Dutch: "€ 1.234,50", "12,5", "1 januari 2026". Package
// frontoffice re-exports it for web front offices; domain packages that
// speak to citizens (entitlement's plain-Dutch explanations) use it
// directly, so neither imports the other.
package nlfmt

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Months are the Dutch month names, January at index 1.
var Months = [...]string{"", "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

// Weekdays are the Dutch day names, Sunday at index 0 as time.Weekday counts.
var Weekdays = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}

// Euro writes d rounded to the cent (half away from zero) with a decimal
// comma and dots between thousands: "€ 1.234,50", "€ -3,00".
func Euro(d decimal.Decimal) string {
	return "€ " + Decimal(d.Round(2), 2)
}

// Decimal writes d with exactly places decimals (rounded half away from
// zero), a decimal comma and dots between thousands: "1.234,50".
// With places < 0 it writes as many decimals as d has, and none when d
// is whole: "12,5", "1.234".
func Decimal(d decimal.Decimal, places int32) string {
	var s string
	if places < 0 {
		s = d.String()
	} else {
		s = d.StringFixed(places)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	b.Grow(len(s) + len(s)/3 + 2)
	if neg {
		b.WriteByte('-')
	}
	group(&b, whole)
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// Integer writes n with dots between thousands when it has five digits or
// more, as Dutch style guides advise ("2000", "65.536"), so a limit reads
// as people write it.
func Integer(n int64) string {
	s := strconv.FormatInt(n, 10)
	digits := strings.TrimPrefix(s, "-")
	if len(digits) <= 4 {
		return s
	}
	var b strings.Builder
	if n < 0 {
		b.WriteByte('-')
	}
	group(&b, digits)
	return b.String()
}

// group writes the digits with a dot before every group of three from the right.
func group(b *strings.Builder, digits string) {
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(digits[i])
	}
}

// Date writes a day as "1 januari 2026".
func Date(year int, month time.Month, day int) string {
	if month < time.January || month > time.December {
		return strconv.Itoa(day) + " " + strconv.Itoa(int(month)) + " " + strconv.Itoa(year)
	}
	return strconv.Itoa(day) + " " + Months[month] + " " + strconv.Itoa(year)
}

// Time writes the date and time of t, in t's own location, as
// "1 januari 2026 om 14:05".
func Time(t time.Time) string {
	y, m, d := t.Date()
	return Date(y, m, d) + " om " + t.Format("15:04")
}
