package frontoffice

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/nlfmt"
)

// Euro formats an amount the Belgian way, rounded to the cent (half away
// from zero): "€ 1.234,50", "€ -3,00".
func Euro(d decimal.Decimal) string { return nlfmt.Euro(d) }

// Number formats a number with a decimal comma and dots between thousands,
// with as many decimals as it has: "12,5", "1.234".
func Number(d decimal.Decimal) string { return nlfmt.Decimal(d, -1) }

// Date formats the day t falls on in Europe/Brussels: "1 januari 2026".
// The zero time gives "".
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	y, m, d := t.In(clock.Brussels).Date()
	return nlfmt.Date(y, m, d)
}

// DateTime formats t in Europe/Brussels: "1 januari 2026 om 14:05".
// The zero time gives "".
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return nlfmt.Time(t.In(clock.Brussels))
}

// Day formats a civil date: "1 januari 2026". The zero date gives "".
func Day(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return nlfmt.Date(d.Year, d.Month, d.Day)
}

// LongDay formats a civil date with its weekday: "donderdag 1 januari 2026".
// The zero date gives "".
func LongDay(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return nlfmt.Weekdays[d.Weekday()] + " " + nlfmt.Date(d.Year, d.Month, d.Day)
}
