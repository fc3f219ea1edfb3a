package permittest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireField checks that err is a validation error on field.
func requireField(t *testing.T, err error, field string) {
	t.Helper()
	var ve *permit.ValidationError
	require.ErrorAs(t, err, &ve)
	_, ok := ve.Field(field)
	assert.True(t, ok, "want %s in %v", field, ve.Fields)
}

// testInputAtTheEdges checks that every door of the service refuses text
// that a store could not keep (a NUL byte, invalid UTF-8) and dates outside
// calendar.MinYear–MaxYear, with a validation error on the field and
// nothing stored, so both stores answer alike; and that text at the edge
// of what is allowed comes back from the store unchanged.
func testInputAtTheEdges(t *testing.T, store permit.Store) {
	ctx := context.Background()
	svc, _ := newService(store)
	far := time.Date(9999, 12, 30, 0, 0, 0, 0, clock.Brussels)
	drafts := []struct {
		name, field string
		edit        func(*permit.ApplicationInput)
	}{
		{"NUL in the description", "description", func(in *permit.ApplicationInput) { in.Description = "Container\x00" }},
		{"invalid UTF-8 in the name", "applicant.name.family", func(in *permit.ApplicationInput) { in.Applicant.Name.Family = "Pee\xffters" }},
		{"control character in the street", "address.street", func(in *permit.ApplicationInput) { in.Address.Street = "Grote\x1bMarkt" }},
		{"NUL in an attachment's name", "attachments[0].filename", func(in *permit.ApplicationInput) {
			in.Attachments = []permit.Attachment{{Kind: "plan", Filename: "a\x00.pdf", MediaType: "application/pdf"}}
		}},
		{"a permit in the year 9999", "periods[0].start", func(in *permit.ApplicationInput) {
			in.Periods = []permit.Period{{Start: far, End: far.AddDate(0, 0, 1)}}
		}},
		{"a period before 1900", "periods[0].start", func(in *permit.ApplicationInput) {
			in.Periods = []permit.Period{{Start: time.Date(1899, 12, 31, 0, 0, 0, 0, clock.Brussels), End: start}}
		}},
		{"a schedule in the year 9999", "schedules[0].from", func(in *permit.ApplicationInput) {
			in.Periods = nil
			in.Schedules = []permit.Schedule{{From: calendar.NewDate(9999, 12, 30), Until: calendar.NewDate(9999, 12, 31)}}
		}},
		{"an exception in the year 9999", "schedules[0].except[0]", func(in *permit.ApplicationInput) {
			in.Periods = nil
			in.Schedules = []permit.Schedule{{From: calendar.NewDate(2026, 3, 16), Until: calendar.NewDate(2026, 3, 18), Except: []calendar.Date{calendar.NewDate(9999, 1, 1)}}}
		}},
	}
	for _, tt := range drafts {
		in := Input(Square(4.40, 51.21, 5), start, 3)
		tt.edit(&in)
		_, err := svc.Draft(ctx, in)
		requireField(t, err, tt.field)
	}
	for a, err := range store.List(ctx) {
		require.NoError(t, err)
		t.Fatalf("nothing may be stored, found %s", a.ID)
	}

	// Text at the edge of the rule: tabs, CRLF, accents and an emoji.
	in := Input(Square(4.40, 51.21, 5), start, 3)
	in.Description = "Container\tvoor de verbouwing\r\nvan café «Ŝ» 🏗️"
	in.Applicant.Name.Family = "D'Hondt-Çelik"
	a, err := svc.Draft(ctx, in)
	require.NoError(t, err)
	got, err := store.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, in.Description, got.Description)
	assert.Equal(t, in.Applicant.Name.Family, got.Applicant.Name.Family)

	in.Description = "Changed\x00"
	_, err = svc.Modify(ctx, a.ID, in)
	requireField(t, err, "description")
	_, err = svc.Submit(ctx, a.ID)
	require.NoError(t, err)
	_, err = svc.RequestCompletion(ctx, a.ID, []string{"plan", "signed\x00"})
	requireField(t, err, "missing[1]")
	_, err = svc.Refuse(ctx, a.ID, []string{"\xff"})
	requireField(t, err, "reasons[0]")
	_, err = svc.Grant(ctx, a.ID, []string{"ok", "not\x07ok"})
	requireField(t, err, "conditions[1]")
	got, err = store.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, permit.StatusSubmitted, got.Status, "no refused input changed anything")
	assert.Equal(t, 2, got.Version)

	loc, err := permit.ParseGeometry([]byte(`{"type":"LineString","coordinates":[[4.44,51.25],[4.441,51.25]]}`), permit.WGS84)
	require.NoError(t, err)
	works := []struct {
		field string
		w     permit.PlannedWorks
	}{
		{"description", permit.PlannedWorks{ID: [16]byte{7}, Owner: "Fluvius", Description: "Gas\x00mains", Location: loc, Periods: []permit.Period{{Start: start, End: start.AddDate(0, 0, 1)}}}},
		{"owner", permit.PlannedWorks{ID: [16]byte{7}, Owner: "Flu\xffvius", Description: "Gas mains", Location: loc, Periods: []permit.Period{{Start: start, End: start.AddDate(0, 0, 1)}}}},
		{"periods[0].end", permit.PlannedWorks{ID: [16]byte{7}, Owner: "Fluvius", Description: "Gas mains", Location: loc, Periods: []permit.Period{{Start: start, End: far}}}},
	}
	for _, tt := range works {
		requireField(t, svc.LoadWorks(ctx, tt.w), tt.field)
		_, err := store.Works(ctx, tt.w.ID)
		assert.True(t, errors.Is(err, permit.ErrNotFound), "refused works are not stored: %v", err)
	}
}
