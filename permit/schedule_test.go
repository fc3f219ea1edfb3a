package permit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/permit/permittest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A daily market from 1 June 2026 to 1 June 2029 (three years, one of
// them with 29 February) occupies 365 + 366 + 365 + 1 = 1097 days. Before,
// the expansion stopped at 1,000 occurrences (24 February 2029): works in
// May 2029 saw no conflict, the export ended early and the fee counted
// 1,000 days.
func TestLongDailyScheduleIsNotCut(t *testing.T) {
	ctx := context.Background()
	cat := permit.DefaultCatalogue()
	cat["market"] = permit.OccupationType{Code: "market", Name: "Market stall (marktkraam)", LeadTime: 5, MaxDuration: 1100 * 24 * time.Hour,
		Tariffs: []permit.Tariff{{ValidFrom: calendar.NewDate(2025, 1, 1), Unit: permit.PerDay, Rate: decimal.RequireFromString("2.00")}}}
	svc := permit.NewService(permit.Config{Store: permit.NewMemStore(nil), Clock: clock.NewSettable(permittest.Now), Catalogue: cat})

	in := permittest.Input(permittest.Square(4.40, 51.21, 5), start, 1)
	in.Type, in.Periods = "market", nil
	in.Schedules = []permit.Schedule{{From: calendar.NewDate(2026, 6, 1), Until: calendar.NewDate(2029, 6, 1)}}
	a, err := svc.Draft(ctx, in)
	require.NoError(t, err)
	occ := a.Occurrences()
	require.Equal(t, 1097, len(occ))
	assert.True(t, occ[len(occ)-1].Start.Equal(time.Date(2029, 6, 1, 0, 0, 0, 0, clock.Brussels)), "the last day is 1 June 2029")
	require.Len(t, a.Fee.Lines, 1)
	assert.Equal(t, 1097, a.Fee.Lines[0].Days)
	assert.Equal(t, "2194", a.Fee.Total.String(), "1097 days at 2.00")

	works := permit.PlannedWorks{ID: id.New(), Owner: "Fluvius", Description: "Cable works", Revision: 1}
	require.NoError(t, json.Unmarshal(permittest.Square(4.40, 51.21, 5), &works.Location))
	works.Periods = []permit.Period{{Start: time.Date(2029, 5, 14, 7, 0, 0, 0, clock.Brussels), End: time.Date(2029, 5, 18, 16, 0, 0, 0, clock.Brussels)}}
	require.NoError(t, svc.LoadWorks(ctx, works))
	cs, err := svc.Conflicts(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, cs, 1, "the works in May 2029 meet the market")
	assert.Equal(t, works.ID, cs[0].With)
	assert.Equal(t, works.Periods, cs[0].When)

	_, err = svc.Submit(ctx, a.ID)
	require.NoError(t, err)
	_, err = svc.Grant(ctx, a.ID, nil)
	require.Error(t, err, "a blocking conflict with the works stands")
	require.NoError(t, svc.RateConflict(ctx, a.ID, works.ID, a.ID, permit.Accepted))
	_, err = svc.Grant(ctx, a.ID, nil)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, svc.ExportGeoJSON(ctx, &buf))
	var fc struct {
		Features []struct {
			Properties struct {
				End         time.Time       `json:"end"`
				Occurrences []permit.Period `json:"occurrences"`
			} `json:"properties"`
		} `json:"features"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &fc))
	require.Len(t, fc.Features, 1)
	assert.Equal(t, 1097, len(fc.Features[0].Properties.Occurrences))
	assert.True(t, fc.Features[0].Properties.End.Equal(time.Date(2029, 6, 2, 0, 0, 0, 0, clock.Brussels)), "the export runs to the end of 1 June 2029")
}
