package calendar

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
)

func d(s string) Date {
	x, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return x
}

func TestEaster(t *testing.T) {
	for y, want := range map[int]string{
		2000: "2000-04-23", 2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20",
		2026: "2026-04-05", 2027: "2027-03-28", 2038: "2038-04-25", 2285: "2285-03-22",
	} {
		assert.Equal(t, want, Easter(y).String(), y)
	}
}

func TestHolidays(t *testing.T) {
	cal := Flanders()
	tests := []struct {
		date, name string
	}{
		{"2025-04-21", "Paasmaandag"},
		{"2026-04-06", "Paasmaandag"},
		{"2026-05-14", "Onze-Lieve-Heer-Hemelvaart"},
		{"2026-05-25", "Pinkstermaandag"},
		{"2026-07-11", "Feest van de Vlaamse Gemeenschap"},
		{"2026-07-21", "Nationale feestdag"},
		{"2026-11-11", "Wapenstilstand"},
		{"2027-03-29", "Paasmaandag"},
	}
	for _, tt := range tests {
		name, ok := cal.HolidayName(d(tt.date))
		assert.True(t, ok, tt.date)
		assert.Equal(t, tt.name, name, tt.date)
	}
	assert.Len(t, New().Holidays(2026), 10)
	assert.Len(t, cal.Holidays(2026), 11)
	_, ok := New().HolidayName(d("2026-07-11"))
	assert.False(t, ok, "11 July is a holiday only in the Flemish calendar")
	assert.False(t, cal.IsWorkingDay(d("2026-11-28")), "Saturday")
	assert.True(t, cal.IsWorkingDay(d("2026-11-30")))
}

func TestClosingDays(t *testing.T) {
	cal := Flanders(WithYearlyClosingDay(time.December, 26, "Tweede kerstdag"), WithClosingDay(d("2026-11-02"), "Allerzielen"))
	assert.False(t, cal.IsWorkingDay(d("2026-12-26")))
	assert.False(t, cal.IsWorkingDay(d("2030-12-26")))
	assert.False(t, cal.IsWorkingDay(d("2026-11-02")))
	assert.True(t, cal.IsWorkingDay(d("2027-11-02")))
}

func TestAddWorkingDays(t *testing.T) {
	cal := Flanders()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-11-27", 1, "2026-11-30"},  // Friday + 1 = Monday
		{"2026-04-03", 1, "2026-04-07"},  // over the weekend and Easter Monday
		{"2026-05-13", 1, "2026-05-15"},  // over Ascension
		{"2026-05-22", 1, "2026-05-26"},  // over Whit Monday
		{"2026-07-10", 1, "2026-07-13"},  // over 11 July (a Saturday in 2026)
		{"2026-07-20", 1, "2026-07-22"},  // over 21 July
		{"2026-10-23", 5, "2026-10-30"},  // over the end of summer time
		{"2026-12-24", 1, "2026-12-28"},  // over Christmas and the weekend
		{"2026-12-31", 1, "2027-01-04"},  // over New Year
		{"2026-11-30", -1, "2026-11-27"}, // backwards
		{"2026-11-30", 0, "2026-11-30"},
	}
	for _, tt := range tests {
		got := cal.AddWorkingDays(d(tt.from), tt.n)
		assert.Equal(t, tt.want, got.String(), "%s + %d", tt.from, tt.n)
		assert.Equal(t, tt.n, cal.WorkingDaysBetween(d(tt.from), got), "counting back from %s", got)
	}
}

func TestAddWorkingDaysAtAcrossDST(t *testing.T) {
	cal := Flanders()
	// Friday 27 March 2026 at 09:00 CET; summer time starts Sunday 29 March;
	// three working days later is Wednesday 1 April at 09:00 CEST.
	start := time.Date(2026, 3, 27, 9, 0, 0, 0, clock.Brussels)
	got := cal.AddWorkingDaysAt(start, 3)
	assert.Equal(t, "2026-04-01 09:00 CEST", got.Format("2006-01-02 15:04 MST"))
	assert.Equal(t, 5*24*time.Hour-time.Hour, got.Sub(start), "five days on the calendar, one hour shorter")

	// Over the end of summer time: Friday 23 October 2026 16:30 CEST + 1 = Monday 26 October 16:30 CET.
	got = cal.AddWorkingDaysAt(time.Date(2026, 10, 23, 16, 30, 0, 0, clock.Brussels), 1)
	assert.Equal(t, "2026-10-26 16:30 CET", got.Format("2006-01-02 15:04 MST"))

	// A UTC input is read in Brussels: 23:30 UTC on Friday is already Saturday
	// in Brussels, and one working day after Saturday is Monday, not Tuesday.
	got = cal.AddWorkingDaysAt(time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC), 1)
	assert.Equal(t, "2026-11-30 00:30 CET", got.Format("2006-01-02 15:04 MST"))
}

func TestDue(t *testing.T) {
	cal := Flanders()
	start := time.Date(2026, 10, 20, 10, 0, 0, 0, clock.Brussels)
	assert.Equal(t, "2026-11-19 10:00 CET", cal.Due(start, Deadline{Days: 30}).Format("2006-01-02 15:04 MST"))
	// 10 working days from Tuesday 20 October, with 1 and 11 November on a Sunday and a Wednesday.
	assert.Equal(t, "2026-11-03 10:00 CET", cal.Due(start, Deadline{Days: 10, WorkingDays: true}).Format("2006-01-02 15:04 MST"))
	assert.Equal(t, "10 working days", Deadline{Days: 10, WorkingDays: true}.String())
}

func TestDate(t *testing.T) {
	x := d("2026-02-28")
	assert.Equal(t, "2026-03-01", x.AddDays(1).String())
	assert.Equal(t, 1, x.DaysUntil(x.AddDays(1)))
	assert.True(t, x.Before(x.AddDays(1)))
	assert.True(t, x.AddDays(1).After(x))
	assert.Equal(t, "2026-05-01", NewDate(2026, 4, 31).String())
	_, err := ParseDate("2026-13-01")
	assert.Error(t, err)
	var y Date
	require.NoError(t, y.UnmarshalText([]byte("2026-11-29")))
	b, err := y.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "2026-11-29", string(b))
	assert.Equal(t, time.Sunday, y.Weekday())
	assert.Equal(t, "2026-11-28 23:00", y.Start().UTC().Format("2006-01-02 15:04"))
}

func FuzzWorkingDays(f *testing.F) {
	f.Add(2026, 3, 27, 3)
	f.Add(2026, 12, 24, 10)
	f.Add(2025, 4, 18, -7)
	f.Add(1999, 12, 31, 400)
	cal := Flanders(WithYearlyClosingDay(time.January, 2, "Tweede nieuwjaarsdag"))
	f.Fuzz(func(t *testing.T, y, m, day, n int) {
		if y < 1900 || y > 2200 || n < -1000 || n > 1000 {
			return
		}
		start := NewDate(y, time.Month(1+abs(m)%12), 1+abs(day)%31)
		end := cal.AddWorkingDays(start, n)
		assert.Equal(t, n, cal.WorkingDaysBetween(start, end), "%s + %d = %s", start, n, end)
		if n != 0 {
			assert.True(t, cal.IsWorkingDay(end), "%s + %d lands on a day off", start, n)
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
