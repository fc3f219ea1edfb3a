package permit_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/permit/permittest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A permit from 30 to 31 December 9999 used to panic in Application.clone
// (Time.MarshalJSON: year outside of range); now it is a validation error.
func TestFarFutureIsRefusedNotAPanic(t *testing.T) {
	svc, _, _, _ := setup(t)
	far := time.Date(9999, 12, 30, 0, 0, 0, 0, clock.Brussels)
	_, err := svc.Draft(context.Background(), permittest.Input(permittest.Square(4.40, 51.21, 5), far, 1))
	var ve *permit.ValidationError
	require.ErrorAs(t, err, &ve)
	f, ok := ve.Field("periods[0].start")
	require.True(t, ok, "fields: %v", ve.Fields)
	assert.Equal(t, "horizon", f.Rule)
}

// FuzzDraftInput feeds the service any dates and any description: it
// never panics, refuses with a validation error whatever it refuses, always
// refuses dates outside calendar.MinYear–MaxYear and text no store could
// keep, and keeps what it accepts unchanged.
func FuzzDraftInput(f *testing.F) {
	f.Add(2026, 3, 16, 10, 3, "Container for renovation", false)
	f.Add(9999, 12, 30, 0, 1, "Container", false)
	f.Add(2026, 6, 1, 0, 1096, "Market", true)
	f.Add(1899, 12, 31, 23, 2, "tab\there\r\nand a line", false)
	f.Add(2200, 12, 31, 12, 1, "Container\x00", true)
	f.Add(-5, 0, 0, 0, 0, "\xff", false)
	f.Fuzz(func(t *testing.T, year, month, day, hour, days int, text string, schedule bool) {
		ctx := context.Background()
		svc, _, _, store := setup(t)
		from := time.Date(year, time.Month(month), day, hour, 0, 0, 0, clock.Brussels)
		to := from.AddDate(0, 0, days)
		in := permittest.Input(permittest.Square(4.40, 51.21, 5), from, days)
		in.Description = text
		if schedule {
			in.Type, in.Periods = "terrace", nil
			in.Schedules = []permit.Schedule{{From: calendar.DateIn(from), Until: calendar.DateIn(to)}}
		}
		a, err := svc.Draft(ctx, in)
		if err != nil && !errors.Is(err, permit.ErrValidation) {
			t.Fatalf("not a validation error: %v", err)
		}
		if !calendar.InHorizon(from) || !calendar.InHorizon(to) {
			require.Error(t, err, "dates %v to %v lie outside the horizon", from, to)
		}
		if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
			require.Error(t, err, "PostgreSQL cannot keep %q", text)
		}
		if err != nil {
			return
		}
		got, err := store.Get(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, text, got.Description)
	})
}

// FuzzDraftIdempotencyKey checks any key: one a store could not keep (too
// long, not text) is refused on its field, and any other makes the repeat
// of a draft return the first application.
func FuzzDraftIdempotencyKey(f *testing.F) {
	for _, k := range []string{"portal-form:7c1e", "", " ", "nul\x00", "\xff", "tab\tkey", strings.Repeat("k", 255), strings.Repeat("é", 128)} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key string) {
		ctx := context.Background()
		svc, _, _, _ := setup(t)
		in := permittest.Input(permittest.Square(4.40, 51.21, 5), time.Date(2026, 3, 16, 0, 0, 0, 0, clock.Brussels), 3)
		in.IdempotencyKey = key
		a, err := svc.Draft(ctx, in)
		if len(key) > 255 || !utf8.ValidString(key) || strings.ContainsRune(key, 0) {
			var ve *permit.ValidationError
			require.ErrorAs(t, err, &ve, "key %q", key)
			_, ok := ve.Field("idempotency_key")
			assert.True(t, ok)
			return
		}
		if err != nil {
			var ve *permit.ValidationError
			require.ErrorAs(t, err, &ve, "key %q", key)
			_, ok := ve.Field("idempotency_key")
			require.True(t, ok, "only the key can be wrong: %v", err)
			return
		}
		b, err := svc.Draft(ctx, in)
		require.NoError(t, err)
		assert.Equal(t, a.ID == b.ID, key != "", "a key makes the repeat the same application")
	})
}
