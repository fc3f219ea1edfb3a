package appointment_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

// openByTheClock is the oracle of the wall-clock rule for opening hours: it
// walks the night minute by minute and returns the minutes (as instants) at
// which a counter open from open to close on day is open: from the first
// minute the clock in Brussels shows the opening time (or, when that time
// is skipped, a later one) until the first minute it shows the closing
// time, whatever the clock shows afterwards.
func openByTheClock(day calendar.Date, open, close appointment.TimeOfDay) map[time.Time]bool {
	reached := func(l time.Time, x appointment.TimeOfDay) bool {
		ld := calendar.DateOf(l)
		return ld.After(day) || ld == day && l.Hour()*60+l.Minute() >= int(x)
	}
	out := map[time.Time]bool{}
	opened, closed := false, false
	u := time.Date(day.Year, day.Month, day.Day, 0, 0, 0, 0, time.UTC).Add(-6 * time.Hour)
	for range 36 * 60 {
		l := u.In(clock.Brussels)
		opened = opened || reached(l, open)
		closed = closed || reached(l, close)
		if opened && !closed {
			out[u] = true
		}
		u = u.Add(time.Minute)
	}
	return out
}

// TestOpeningHoursAcrossDST: issue 15 item 7. Opening hours that start or
// end in the skipped or repeated hour give exactly the half-hour slots in
// which the oracle finds the counter open for every minute, both in
// FreeSlots and in CheckStart.
func TestOpeningHoursAcrossDST(t *testing.T) {
	hm := appointment.HM
	spring, autumn := calendar.NewDate(2026, 3, 29), calendar.NewDate(2026, 10, 25)
	tests := []struct {
		day         calendar.Date
		open, close appointment.TimeOfDay
		want        []string // slot starts in UTC, from the issue
	}{
		// 00:30 CET–03:00 CEST: no slot after closing.
		{spring, hm(0, 30), hm(2, 30), []string{"23:30", "00:00", "00:30"}},
		// 03:00–05:00 CEST: 03:00–03:30 is not lost.
		{spring, hm(2, 30), hm(5, 0), []string{"01:00", "01:30", "02:00", "02:30"}},
		{spring, hm(2, 0), hm(3, 0), nil},
		{spring, hm(1, 0), hm(4, 0), []string{"00:00", "00:30", "01:00", "01:30"}},
		// 00:30 CEST–02:30 CEST: nothing in the repeated hour (CET).
		{autumn, hm(0, 30), hm(2, 30), []string{"22:30", "23:00", "23:30", "00:00"}},
		{autumn, hm(2, 30), hm(5, 0), []string{"00:30", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30"}},
		{autumn, hm(2, 0), hm(3, 0), []string{"00:00", "00:30", "01:00", "01:30"}},
		{autumn, hm(1, 0), hm(2, 30), []string{"23:00", "23:30", "00:00"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s-%s", tt.day, tt.open, tt.close), func(t *testing.T) {
			s := schedule(tt.day.AddDays(-7).Start())
			s.Service.Duration, s.Service.Interval, s.Service.Horizon = 30*time.Minute, 30*time.Minute, 0
			s.Location.Hours = []appointment.OpeningHours{{Weekday: time.Sunday, Open: tt.open, Close: tt.close}}
			s.Location.Counters = s.Location.Counters[:1]

			open := openByTheClock(tt.day, tt.open, tt.close)
			var want []string
			var first time.Time
			for u := range open {
				if first.IsZero() || u.Before(first) {
					first = u
				}
			}
		slots:
			for start := first; !first.IsZero(); start = start.Add(30 * time.Minute) {
				for m := range 30 {
					if !open[start.Add(time.Duration(m)*time.Minute)] {
						break slots
					}
				}
				want = append(want, start.UTC().Format("15:04"))
			}
			assert.Equal(t, tt.want, want, "the oracle disagrees with the issue's reading")

			var got []string
			for _, sl := range appointment.FreeSlots(s, tt.day, tt.day) {
				got = append(got, sl.Start.UTC().Format("15:04"))
			}
			assert.Equal(t, want, got, "FreeSlots")

			// CheckStart takes exactly these starts, out of every half hour of the night.
			night := time.Date(tt.day.Year, tt.day.Month, tt.day.Day, 0, 0, 0, 0, time.UTC).Add(-4 * time.Hour)
			for start := night; start.Before(night.Add(12 * time.Hour)); start = start.Add(30 * time.Minute) {
				_, err := appointment.CheckStart(s, start, time.Time{})
				assert.Equal(t, slices.Contains(want, start.UTC().Format("15:04")), err == nil, "CheckStart(%s): %v", start, err)
			}
		})
	}
}
