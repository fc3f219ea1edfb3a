package permit

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func bxl(s string) time.Time {
	t, err := time.ParseInLocation(time.DateTime, s, clock.Brussels)
	if err != nil {
		panic(err)
	}
	return t
}

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestPeriodOverlapsHalfOpen(t *testing.T) {
	morning := Period{bxl("2026-06-01 08:00:00"), bxl("2026-06-01 12:00:00")}
	afternoon := Period{bxl("2026-06-01 12:00:00"), bxl("2026-06-01 18:00:00")}
	allDay := Period{bxl("2026-06-01 00:00:00"), bxl("2026-06-02 00:00:00")}
	inside := Period{bxl("2026-06-01 09:00:00"), bxl("2026-06-01 10:00:00")}
	assert.False(t, morning.Overlaps(afternoon), "touching periods do not overlap")
	assert.False(t, afternoon.Overlaps(morning))
	assert.True(t, allDay.Overlaps(inside), "a spanning period overlaps")
	assert.True(t, inside.Overlaps(allDay))
	assert.True(t, morning.Overlaps(morning))
}

func TestPeriodValidate(t *testing.T) {
	p := Period{bxl("2026-06-02 08:00:00"), bxl("2026-06-01 08:00:00")}
	var ve *ValidationError
	require.ErrorAs(t, p.Validate(), &ve)
	f, ok := ve.Field("end")
	require.True(t, ok)
	assert.Equal(t, "gtfield", f.Rule)
	require.ErrorAs(t, Period{}.Validate(), &ve)
	assert.Len(t, ve.Fields, 2)
}

func TestScheduleOccurrences(t *testing.T) {
	// A Wednesday market in March 2026, 06:00-14:00, not on 18 March; the
	// DST change on 29 March must keep the wall-clock hours.
	s := Schedule{
		From: date("2026-03-01"), Until: date("2026-04-05"),
		Weekdays: []time.Weekday{time.Wednesday, time.Sunday},
		Daily:    &DailyHours{From: At(6, 0), Until: At(14, 0)},
		Except:   []calendar.Date{date("2026-03-18")},
	}
	require.NoError(t, s.Validate())
	occ := s.Occurrences()
	var got []string
	for _, p := range occ {
		got = append(got, p.Start.In(clock.Brussels).Format("01-02 15:04")+"/"+p.End.In(clock.Brussels).Format("15:04"))
		assert.Equal(t, clock.Brussels, p.Start.Location())
	}
	assert.Equal(t, []string{
		"03-01 06:00/14:00", "03-04 06:00/14:00", "03-08 06:00/14:00", "03-11 06:00/14:00",
		"03-15 06:00/14:00", "03-22 06:00/14:00", "03-25 06:00/14:00",
		"03-29 06:00/14:00", "04-01 06:00/14:00", "04-05 06:00/14:00",
	}, got)
	// Summer time starts on 29 March: the same wall clock is an hour earlier in UTC.
	assert.Equal(t, 5, occ[6].Start.UTC().Hour())
	assert.Equal(t, 4, occ[7].Start.UTC().Hour())
}

func TestScheduleOvernightAndWholeDays(t *testing.T) {
	night := Schedule{From: date("2026-07-10"), Until: date("2026-07-11"), Daily: &DailyHours{From: At(22, 0), Until: At(2, 0)}}
	occ := night.Occurrences()
	require.Len(t, occ, 2)
	assert.Equal(t, bxl("2026-07-11 02:00:00"), occ[0].End)

	whole := Schedule{From: date("2026-07-10"), Until: date("2026-07-12")}
	occ = whole.Occurrences()
	require.Len(t, occ, 3)
	assert.Equal(t, bxl("2026-07-13 00:00:00"), occ[2].End)
	assert.Equal(t, Period{bxl("2026-07-10 00:00:00"), bxl("2026-07-13 00:00:00")}, Span(occ))
	assert.Len(t, OccupiedDates(occ), 3)
}

func TestScheduleValidate(t *testing.T) {
	tests := []struct {
		name  string
		s     Schedule
		field string
	}{
		{"until before from", Schedule{From: date("2026-07-10"), Until: date("2026-07-09")}, "until"},
		{"missing from", Schedule{Until: date("2026-07-09")}, "from"},
		{"equal hours", Schedule{From: date("2026-07-10"), Until: date("2026-07-10"), Daily: &DailyHours{At(8, 0), At(8, 0)}}, "daily.until"},
		{"bad hours", Schedule{From: date("2026-07-10"), Until: date("2026-07-10"), Daily: &DailyHours{At(25, 0), At(8, 0)}}, "daily"},
		{"too long", Schedule{From: date("2026-07-10"), Until: date("2031-07-10")}, "until"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ve *ValidationError
			require.ErrorAs(t, tt.s.Validate(), &ve)
			_, ok := ve.Field(tt.field)
			assert.True(t, ok, "fields %v", ve.Fields)
		})
	}
}

func TestOccupiedDatesHalfOpen(t *testing.T) {
	// Ending at midnight does not touch the next day.
	p := []Period{{bxl("2026-06-01 10:00:00"), bxl("2026-06-03 00:00:00")}, {bxl("2026-06-02 10:00:00"), bxl("2026-06-02 11:00:00")}}
	assert.Equal(t, []calendar.Date{date("2026-06-01"), date("2026-06-02")}, OccupiedDates(p))
}

func FuzzSchedule(f *testing.F) {
	f.Add(`{"from":"2026-03-01","until":"2026-04-05","weekdays":[3,0],"daily":{"from":360,"until":840},"except":["2026-03-18"]}`)
	f.Add(`{"from":"2026-10-24","until":"2026-10-26","daily":{"from":1320,"until":120}}`)
	f.Add(`{"from":"2026-07-10","until":"2026-07-09"}`)
	f.Add(`{"from":"2026-06-01","until":"2029-06-01"}`)
	f.Fuzz(func(t *testing.T, data string) {
		var s Schedule
		if json.Unmarshal([]byte(data), &s) != nil {
			return
		}
		if err := s.Validate(); err != nil {
			if !errors.Is(err, ErrValidation) {
				t.Fatalf("not a validation error: %v", err)
			}
			return
		}
		occ := s.Occurrences()
		// Every chosen, not excepted day of the span, none cut off.
		want := 0
		for d := s.From; !d.After(s.Until); d = d.AddDays(1) {
			if (len(s.Weekdays) == 0 || slices.Contains(s.Weekdays, d.Weekday())) && !slices.Contains(s.Except, d) {
				want++
			}
		}
		if len(occ) != want || want > maxScheduleDays+1 {
			t.Fatalf("%d occurrences, want %d", len(occ), want)
		}
		for i, p := range occ {
			if !p.End.After(p.Start) {
				t.Fatalf("occurrence %d ends before it starts: %v", i, p)
			}
			if i > 0 && !occ[i-1].Start.Before(p.Start) {
				t.Fatalf("occurrences out of order at %d", i)
			}
			if d := calendar.DateIn(p.Start); d.Before(s.From) || d.After(s.Until) {
				t.Fatalf("occurrence %d on %s outside %s..%s", i, d, s.From, s.Until)
			}
		}
	})
}
