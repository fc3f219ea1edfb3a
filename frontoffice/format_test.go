package frontoffice

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

func TestEuro(t *testing.T) {
	for in, want := range map[string]string{
		"1234.5":  "€ 1.234,50",
		"23800":   "€ 23.800,00",
		"0":       "€ 0,00",
		"0.125":   "€ 0,13",
		"-1234.5": "€ -1.234,50",
	} {
		assert.Equal(t, want, Euro(decimal.RequireFromString(in)), in)
	}
	assert.Equal(t, "12,5", Number(decimal.RequireFromString("12.50")))
	assert.Equal(t, "1.234", Number(decimal.RequireFromString("1234")))
}

func TestDates(t *testing.T) {
	for _, c := range []struct {
		t              time.Time
		date, dateTime string
	}{
		// 23:30 UTC on 31 December is already New Year in Brussels.
		{time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), "1 januari 2026", "1 januari 2026 om 00:30"},
		{time.Date(2026, 1, 1, 13, 5, 0, 0, time.UTC), "1 januari 2026", "1 januari 2026 om 14:05"},
		// Summer time: UTC+2.
		{time.Date(2026, 7, 21, 8, 0, 0, 0, time.UTC), "21 juli 2026", "21 juli 2026 om 10:00"},
		// The spring change: 01:00 UTC is 03:00 summer time.
		{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), "29 maart 2026", "29 maart 2026 om 03:00"},
		{time.Time{}, "", ""},
	} {
		assert.Equal(t, c.date, Date(c.t), c.t.String())
		assert.Equal(t, c.dateTime, DateTime(c.t), c.t.String())
	}
	d := calendar.Date{Year: 2026, Month: time.January, Day: 1}
	assert.Equal(t, "1 januari 2026", Day(d))
	assert.Equal(t, "donderdag 1 januari 2026", LongDay(d))
	assert.Equal(t, "", Day(calendar.Date{}))
	assert.Equal(t, "", LongDay(calendar.Date{}))
}
