package permit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/permit/permittest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var start = time.Date(2026, 3, 16, 0, 0, 0, 0, clock.Brussels)

func setup(t *testing.T) (*permit.Service, *event.Recorder, *clock.Settable, *permit.MemStore) {
	t.Helper()
	rec := &event.Recorder{}
	store := permit.NewMemStore(rec)
	clk := clock.NewSettable(permittest.Now)
	return permit.NewService(permit.Config{Store: store, Clock: clk}), rec, clk, store
}

func TestBadInputChangesNothing(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		edit  func(*permit.ApplicationInput)
		field string
		rule  string
	}{
		{"unknown type", func(in *permit.ApplicationInput) { in.Type = "tank" }, "type", "oneof"},
		{"ends before start", func(in *permit.ApplicationInput) {
			in.Periods = []permit.Period{{Start: start, End: start.Add(-time.Hour)}}
		}, "periods[0].end", "gtfield"},
		{"exceeds maximum", func(in *permit.ApplicationInput) {
			in.Periods = []permit.Period{{Start: start, End: start.AddDate(0, 0, 31)}}
		}, "periods", "max"},
		{"outside Belgium", func(in *permit.ApplicationInput) { in.Location = permittest.Square(2.35, 48.85, 5) }, "location.coordinates", "belgium"},
		{"self-intersecting", func(in *permit.ApplicationInput) {
			in.Location = json.RawMessage(`{"type":"Polygon","coordinates":[[[4.40,51.21],[4.401,51.211],[4.401,51.21],[4.40,51.211],[4.40,51.21]]]}`)
		}, "location.coordinates", "simple"},
		{"hole outside its shell", func(in *permit.ApplicationInput) {
			in.CRS = permit.Lambert72
			in.Location = json.RawMessage(`{"type":"Polygon","coordinates":[[[152000,212000],[152010,212000],[152010,212010],[152000,212010],[152000,212000]],[[152020,212000],[152020,212005],[152025,212005],[152025,212000],[152020,212000]]]}`)
		}, "location.coordinates[1]", "hole"},
		{"no period", func(in *permit.ApplicationInput) { in.Periods = nil }, "periods", "required"},
		{"bad enterprise number", func(in *permit.ApplicationInput) { in.Applicant.KBO = "0403.170.702" }, "applicant.kbo", "kbo"},
		{"container on a point has no area", func(in *permit.ApplicationInput) {
			in.Location = json.RawMessage(`{"type":"Point","coordinates":[4.4,51.2]}`)
		}, "location", "area"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, rec, _, store := setup(t)
			in := permittest.Input(permittest.Square(4.40, 51.21, 5), start, 3)
			tt.edit(&in)
			_, err := svc.Draft(ctx, in)
			var ve *permit.ValidationError
			require.ErrorAs(t, err, &ve)
			f, ok := ve.Field(tt.field)
			require.True(t, ok, "fields: %v", ve.Fields)
			assert.Equal(t, tt.rule, f.Rule)
			assert.Empty(t, rec.Events())
			for range store.List(ctx) {
				t.Fatal("nothing may be stored")
			}
		})
	}
}

func TestLeadTimeNotRespected(t *testing.T) {
	ctx := context.Background()
	svc, rec, _, _ := setup(t)
	// Container: 5 working days. From Monday 2 March the earliest start is Monday 9 March.
	a, err := svc.Draft(ctx, permittest.Input(permittest.Square(4.40, 51.21, 5), time.Date(2026, 3, 6, 0, 0, 0, 0, clock.Brussels), 2))
	require.NoError(t, err)
	rec.Reset()
	_, err = svc.Submit(ctx, a.ID)
	var ve *permit.ValidationError
	require.ErrorAs(t, err, &ve)
	f, _ := ve.Field("periods")
	assert.Equal(t, "lead_time", f.Rule)
	assert.Contains(t, f.Message, "2026-03-09")
	assert.Empty(t, rec.Events())
}

func TestEventsForEveryStep(t *testing.T) {
	ctx := context.Background()
	svc, rec, clk, _ := setup(t)
	in := permittest.Input(permittest.Square(4.40, 51.21, 5), start, 3)
	in.Type = "event"
	in.Periods = []permit.Period{{Start: time.Date(2026, 5, 2, 14, 0, 0, 0, clock.Brussels), End: time.Date(2026, 5, 2, 23, 0, 0, 0, clock.Brussels)}}
	in.Attachments = []permit.Attachment{
		{Kind: "situation_plan", Filename: "a.pdf", MediaType: "application/pdf"},
		{Kind: "safety_plan", Filename: "b.pdf", MediaType: "application/pdf"},
		{Kind: "insurance", Filename: "c.pdf", MediaType: "application/pdf"},
	}
	a, err := svc.Draft(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, "50", a.Fee.Total.String())
	_, err = svc.Submit(ctx, a.ID)
	require.NoError(t, err)
	_, err = svc.RequestCompletion(ctx, a.ID, []string{"safety plan unsigned"})
	require.NoError(t, err)
	_, err = svc.Resubmit(ctx, a.ID)
	require.NoError(t, err)
	a, err = svc.StartAdvice(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, a.Advice, 4)
	for _, d := range []permit.Department{permit.Police, permit.FireBrigade, permit.Mobility} {
		_, err = svc.GiveAdvice(ctx, a.ID, permit.AdviceInput{Department: d, Opinion: permit.Favourable})
		require.NoError(t, err)
	}
	clk.Set(time.Date(2026, 4, 1, 9, 0, 0, 0, clock.Brussels))
	n, err := svc.RemindOverdue(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "environment is late")
	_, err = svc.Grant(ctx, a.ID, []string{"music off at 23:00"})
	require.NoError(t, err, "an overdue advice does not block the decision")
	clk.Set(time.Date(2026, 5, 3, 0, 0, 0, 0, clock.Brussels))
	_, err = svc.Tick(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{
		permit.EventDrafted, permit.EventSubmitted, permit.EventIncomplete, permit.EventResubmitted,
		permit.EventAdviceRequired, permit.EventAdviceGiven, permit.EventAdviceGiven, permit.EventAdviceGiven,
		permit.EventAdviceOverdue, permit.EventGranted, permit.EventActivated, permit.EventEnded,
	}, rec.Types())
	for _, e := range rec.Events() {
		assert.Equal(t, a.ID, e.AggregateID)
	}
}

func TestWithdrawAndModifyRules(t *testing.T) {
	ctx := context.Background()
	svc, rec, clk, _ := setup(t)
	in := permittest.Input(permittest.Square(4.40, 51.21, 5), start, 3)
	a, err := svc.Draft(ctx, in)
	require.NoError(t, err)
	_, err = svc.Submit(ctx, a.ID)
	require.NoError(t, err)
	a, err = svc.Grant(ctx, a.ID, nil)
	require.NoError(t, err)
	rev := a.Revision

	// Modifying a granted permit before it starts sends it back for a new decision.
	in.Periods = []permit.Period{{Start: start, End: start.AddDate(0, 0, 4)}}
	a, err = svc.Modify(ctx, a.ID, in)
	require.NoError(t, err)
	assert.Equal(t, permit.StatusSubmitted, a.Status)
	assert.Equal(t, rev+1, a.Revision)
	want, err := permit.ComputeFee(permit.DefaultCatalogue()["container"].Tariffs, permit.FeeInput{Area: a.Area, Dates: permit.OccupiedDates(in.Periods)})
	require.NoError(t, err)
	assert.Equal(t, want.Total.String(), a.Fee.Total.String(), "the fee follows the new period")
	assert.Equal(t, 4, a.Fee.Lines[0].Days)

	// The description alone does not move the occupation.
	in.Description = "Bigger container"
	a, err = svc.Modify(ctx, a.ID, in)
	require.NoError(t, err)
	assert.Equal(t, rev+1, a.Revision)

	in.Type = "terrace"
	_, err = svc.Modify(ctx, a.ID, in)
	assert.ErrorIs(t, err, permit.ErrValidation)

	a, err = svc.Grant(ctx, a.ID, nil)
	require.NoError(t, err)
	clk.Set(start.Add(time.Minute))
	_, err = svc.Withdraw(ctx, a.ID)
	assert.ErrorIs(t, err, permit.ErrInvalidTransition, "started permits stand")

	b, err := svc.Draft(ctx, permittest.Input(permittest.Square(4.41, 51.21, 5), start.AddDate(0, 0, 7), 3))
	require.NoError(t, err)
	b, err = svc.Withdraw(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, permit.StatusWithdrawn, b.Status)
	_, err = svc.Submit(ctx, b.ID)
	assert.ErrorIs(t, err, permit.ErrInvalidTransition)
	assert.Equal(t, permit.EventWithdrawn, rec.Types()[len(rec.Types())-1])
}

func TestSignageSchedule(t *testing.T) {
	ctx := context.Background()
	svc, _, _, _ := setup(t)
	in := permittest.Input(json.RawMessage(`{"type":"LineString","coordinates":[[4.40,51.21],[4.4003,51.21]]}`), start, 2)
	in.Type = "parking_ban"
	in.ParkingPlaces = 3
	a, err := svc.Draft(ctx, in)
	require.NoError(t, err)
	assert.InDelta(t, 21, a.Length, 0.2)
	tasks, err := svc.Signage(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, tasks, 2)
	assert.Equal(t, "place", tasks[0].Action)
	assert.Equal(t, calendar.NewDate(2026, 3, 14), tasks[0].Date, "two days before Monday 16 March")
	assert.Equal(t, "remove", tasks[1].Action)
	assert.Equal(t, calendar.NewDate(2026, 3, 18), tasks[1].Date, "the day after the last day (17 March)")
	assert.Equal(t, 3, tasks[0].Places)

	terrace := permittest.Input(permittest.Square(4.42, 51.21, 5), start.AddDate(0, 1, 0), 30)
	terrace.Type = "terrace"
	b, err := svc.Draft(ctx, terrace)
	require.NoError(t, err)
	tasks, err = svc.Signage(ctx, b.ID)
	require.NoError(t, err)
	assert.Empty(t, tasks, "terraces need no signs")
}

func TestExportGeoJSON(t *testing.T) {
	ctx := context.Background()
	svc, _, _, _ := setup(t)
	a, err := svc.Draft(ctx, permittest.Input(permittest.Square(4.40, 51.21, 5), start, 3))
	require.NoError(t, err)
	_, err = svc.Draft(ctx, permittest.Input(permittest.Square(4.41, 51.21, 5), start, 3))
	require.NoError(t, err)
	_, err = svc.Submit(ctx, a.ID)
	require.NoError(t, err)
	_, err = svc.Grant(ctx, a.ID, nil)
	require.NoError(t, err)

	var buf bytes.Buffer
	require.NoError(t, svc.ExportGeoJSON(ctx, &buf))
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type       string          `json:"type"`
			ID         string          `json:"id"`
			Geometry   json.RawMessage `json:"geometry"`
			Properties map[string]any  `json:"properties"`
		} `json:"features"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &fc))
	assert.Equal(t, "FeatureCollection", fc.Type)
	require.Len(t, fc.Features, 1, "only granted and active occupations")
	f := fc.Features[0]
	assert.Equal(t, a.ID.String(), f.ID)
	g, err := permit.ParseGeometry(f.Geometry, permit.WGS84)
	require.NoError(t, err)
	assert.Equal(t, permit.Polygon, g.Type)
	assert.Equal(t, "granted", f.Properties["status"])
	assert.NotContains(t, buf.String(), "Peeters", "no personal data in the public export")
}

func TestRecurringTerraceFeeCountsOccurrences(t *testing.T) {
	ctx := context.Background()
	svc, _, _, _ := setup(t)
	// A weekend terrace in May 2026, 11:00-22:00 on Saturdays and Sundays,
	// not on the weekend of 16-17 May: 8 days.
	in := permittest.Input(permittest.Square(4.40, 51.21, 10), start, 1)
	in.Type = "terrace"
	in.Periods = nil
	in.Schedules = []permit.Schedule{{
		From: calendar.NewDate(2026, 5, 1), Until: calendar.NewDate(2026, 5, 31),
		Weekdays: []time.Weekday{time.Saturday, time.Sunday},
		Daily:    &permit.DailyHours{From: permit.At(11, 0), Until: permit.At(22, 0)},
		Except:   []calendar.Date{calendar.NewDate(2026, 5, 16), calendar.NewDate(2026, 5, 17)},
	}}
	a, err := svc.Draft(ctx, in)
	require.NoError(t, err)
	require.Len(t, a.Occurrences(), 8)
	assert.Equal(t, 8, a.Fee.Lines[0].Days)
	assert.InDelta(t, 100, a.Area, 1.5)
}

func TestConfigurableBufferAndPolicy(t *testing.T) {
	ctx := context.Background()
	store := permit.NewMemStore(nil)
	clk := clock.NewSettable(permittest.Now)
	warnOnly := func(permit.Occupation, permit.Conflict) permit.Severity { return permit.Warn }
	svc := permit.NewService(permit.Config{Store: store, Clock: clk, Buffer: 20, Policy: warnOnly})

	first, err := svc.Draft(ctx, permittest.Input(permittest.Square(4.40, 51.21, 5), start, 3))
	require.NoError(t, err)
	_, err = svc.Submit(ctx, first.ID)
	require.NoError(t, err)
	_, err = svc.Grant(ctx, first.ID, nil)
	require.NoError(t, err)

	// 15 m east: inside a 20 m buffer, outside the default 10 m.
	east := 4.40 + 20.0/(111200*0.63)
	b, err := svc.Draft(ctx, permittest.Input(permittest.Square(east, 51.21, 5), start, 3))
	require.NoError(t, err)
	cs, err := svc.Conflicts(ctx, b.ID)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.InDelta(t, 15, cs[0].Distance, 1)
	assert.Equal(t, permit.Warn, cs[0].Severity)

	narrow := permit.NewService(permit.Config{Store: store, Clock: clk})
	cs, err = narrow.Conflicts(ctx, b.ID)
	require.NoError(t, err)
	assert.Empty(t, cs)

	// Overlapping, but the policy only warns: the permit can be granted.
	c, err := svc.Draft(ctx, permittest.Input(permittest.Square(4.40001, 51.21001, 2), start, 3))
	require.NoError(t, err)
	_, err = svc.Submit(ctx, c.ID)
	require.NoError(t, err)
	_, err = svc.Grant(ctx, c.ID, nil)
	assert.NoError(t, err)
}
