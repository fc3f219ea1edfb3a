package permit_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/permit/permittest"
)

// marketService serves a market type that may last three years, at 2.00 a day.
func marketService() *permit.Service {
	cat := permit.DefaultCatalogue()
	cat["market"] = permit.OccupationType{Code: "market", Name: "Market stall (marktkraam)", LeadTime: 5, MaxDuration: 1100 * 24 * time.Hour,
		Tariffs: []permit.Tariff{{ValidFrom: calendar.NewDate(2025, 1, 1), Unit: permit.PerDay, Rate: decimal.RequireFromString("2.00")}}}
	return permit.NewService(permit.Config{Store: permit.NewMemStore(nil), Clock: clock.NewSettable(permittest.Now), Catalogue: cat})
}

// An application's periods and schedules are bounded before they are
// expanded: 2,000 copies of a three-year daily schedule took a gigabyte.
func TestOccurrenceLimits(t *testing.T) {
	ctx := context.Background()
	svc := marketService()
	daily := permit.Schedule{From: calendar.NewDate(2026, 6, 1), Until: calendar.NewDate(2029, 6, 1)} // 1097 days
	schedules := func(n int) []permit.Schedule {
		out := make([]permit.Schedule, n)
		for i := range out {
			out[i] = daily
		}
		return out
	}
	periods := func(n int) []permit.Period {
		out := make([]permit.Period, n)
		for i := range out {
			d := time.Date(2026, 6, 1, 8, 0, 0, 0, clock.Brussels).AddDate(0, 0, i%1000)
			out[i] = permit.Period{Start: d, End: d.Add(time.Hour)}
		}
		return out
	}
	cases := []struct {
		name      string
		periods   []permit.Period
		schedules []permit.Schedule
		field     string
		limit     int // 0: accepted
	}{
		{"2,000 schedules", nil, schedules(2000), "schedules", permit.MaxSchedules},
		{"1,001 periods", periods(1001), nil, "periods", permit.MaxPeriods},
		{"5 daily schedules of 3 years: 5,485 occurrences", nil, schedules(5), "schedules", permit.MaxOccurrences},
		{"4 daily schedules and 612 periods: 5,000 occurrences", periods(612), schedules(4), "", 0},
		{"4 daily schedules and 613 periods: 5,001 occurrences", periods(613), schedules(4), "schedules", permit.MaxOccurrences},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := permittest.Input(permittest.Square(4.40, 51.21, 5), start, 1)
			in.Type, in.Periods, in.Schedules = "market", c.periods, c.schedules
			_, err := svc.Draft(ctx, in)
			if c.limit == 0 {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, permit.ErrValidation)
			var ve *permit.ValidationError
			require.ErrorAs(t, err, &ve)
			f, ok := ve.Field(c.field)
			require.True(t, ok, "%v", err)
			assert.Equal(t, "max", f.Rule)
			assert.Contains(t, f.Message, strconv.Itoa(c.limit))
		})
	}
}

// A daily window of 02:30–02:45 does not exist on the last Sunday of March
// (the clock goes from 02:00 to 03:00): those days have no occurrence and
// are not charged. From 1 June 2026 to 1 June 2029 that is 1097 days less
// 28 March 2027, 26 March 2028 and 25 March 2029.
func TestDailyWindowInSkippedHour(t *testing.T) {
	ctx := context.Background()
	svc := marketService()
	in := permittest.Input(permittest.Square(4.40, 51.21, 5), start, 1)
	in.Type, in.Periods = "market", nil
	in.Schedules = []permit.Schedule{{From: calendar.NewDate(2026, 6, 1), Until: calendar.NewDate(2029, 6, 1),
		Daily: &permit.DailyHours{From: permit.At(2, 30), Until: permit.At(2, 45)}}}
	a, err := svc.Draft(ctx, in)
	require.NoError(t, err)
	occ := a.Occurrences()
	assert.Len(t, occ, 1097-3)
	skipped := map[calendar.Date]bool{calendar.NewDate(2027, 3, 28): true, calendar.NewDate(2028, 3, 26): true, calendar.NewDate(2029, 3, 25): true}
	for _, p := range occ {
		assert.True(t, p.End.After(p.Start), "empty occurrence %v", p)
		assert.False(t, skipped[calendar.DateIn(p.Start)], "an occurrence on %v", p.Start)
		assert.Equal(t, 15*time.Minute, p.Duration())
	}
	require.Len(t, a.Fee.Lines, 1)
	assert.Equal(t, 1097-3, a.Fee.Lines[0].Days)
	assert.Equal(t, "2188", a.Fee.Total.String(), "1094 days at 2.00")
}
