package casefile

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

// TestDueDatesMatchCalendar asks the memo and the calendar the same
// questions, several times a day over two years (daylight saving changes,
// holidays and a municipal closing day included), in several zones.
func TestDueDatesMatchCalendar(t *testing.T) {
	cal := calendar.Flanders(calendar.WithClosingDay(calendar.NewDate(2026, time.March, 9), "Opendeurdag"))
	d := dueDates{cal: cal}
	deadlines := []calendar.Deadline{{Days: 5, WorkingDays: true}, {Days: 30}, {}, {Days: 1, WorkingDays: true}, {Days: 60, WorkingDays: true}}
	zones := []*time.Location{clock.Brussels, time.UTC, time.FixedZone("X", -11*3600)}
	start := time.Date(2026, 1, 1, 0, 30, 0, 0, clock.Brussels)
	for h := 0; h < 2*365*24; h += 5 {
		now := start.Add(time.Duration(h)*time.Hour + time.Duration(h)*time.Microsecond).In(zones[h%len(zones)])
		for _, dl := range deadlines {
			want := cal.Due(now, dl)
			got := d.due(now, dl)
			if !assert.Equal(t, want, got, "%s + %s", now, dl) {
				return
			}
		}
	}
}
