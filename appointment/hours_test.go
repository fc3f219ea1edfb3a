package appointment_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

func TestValidateHours(t *testing.T) {
	hm := appointment.HM
	mon := time.Monday
	summer := calendar.NewDate(2026, 7, 1)
	autumn := calendar.NewDate(2026, 9, 1)
	tests := []struct {
		name  string
		hours []appointment.OpeningHours
		field string
		rule  string
	}{
		{"ok", []appointment.OpeningHours{{Weekday: mon, Open: hm(9, 0), Close: hm(12, 0)}, {Weekday: mon, Open: hm(13, 0), Close: hm(16, 0)}}, "", ""},
		{"touching is ok", []appointment.OpeningHours{{Weekday: mon, Open: hm(9, 0), Close: hm(12, 0)}, {Weekday: mon, Open: hm(12, 0), Close: hm(16, 0)}}, "", ""},
		{"reversed", []appointment.OpeningHours{{Weekday: mon, Open: hm(12, 0), Close: hm(9, 0)}}, "hours[0].close", "gtfield"},
		{"empty", []appointment.OpeningHours{{Weekday: mon, Open: hm(9, 0), Close: hm(9, 0)}}, "hours[0].close", "gtfield"},
		{"past midnight", []appointment.OpeningHours{{Weekday: mon, Open: hm(9, 0), Close: hm(25, 0)}}, "hours[0].open", "time_of_day"},
		{"overlap", []appointment.OpeningHours{{Weekday: mon, Open: hm(9, 0), Close: hm(12, 0)}, {Weekday: mon, Open: hm(11, 0), Close: hm(13, 0)}}, "hours[1]", "overlap"},
		{"other weekday", []appointment.OpeningHours{{Weekday: mon, Open: hm(9, 0), Close: hm(12, 0)}, {Weekday: time.Tuesday, Open: hm(11, 0), Close: hm(13, 0)}}, "", ""},
		{"disjoint validity", []appointment.OpeningHours{
			{Weekday: mon, Open: hm(9, 0), Close: hm(12, 0), ValidUntil: summer},
			{Weekday: mon, Open: hm(10, 0), Close: hm(12, 0), ValidFrom: summer.AddDays(1)}}, "", ""},
		{"overlapping validity", []appointment.OpeningHours{
			{Weekday: mon, Open: hm(9, 0), Close: hm(12, 0), ValidUntil: autumn},
			{Weekday: mon, Open: hm(10, 0), Close: hm(12, 0), ValidFrom: summer}}, "hours[1]", "overlap"},
		{"reversed validity", []appointment.OpeningHours{{Weekday: mon, Open: hm(9, 0), Close: hm(12, 0), ValidFrom: autumn, ValidUntil: summer}}, "hours[0].valid_until", "gtefield"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := appointment.ValidateHours("hours", tt.hours)
			if tt.field == "" {
				assert.NoError(t, err)
				return
			}
			var ve *errs.ValidationError
			require.ErrorAs(t, err, &ve)
			f, ok := ve.Field(tt.field)
			require.True(t, ok, "fields: %v", ve.Fields)
			assert.Equal(t, tt.rule, f.Rule)
		})
	}
}

func TestLocationValidate(t *testing.T) {
	l := townHall()
	require.NoError(t, l.Validate())
	l.Counters = append(l.Counters, appointment.Counter{ID: "L1"})
	l.Exceptions = []appointment.Exception{{Date: calendar.NewDate(2026, 3, 4), Kind: appointment.ReducedHours, Open: appointment.HM(12, 0), Close: appointment.HM(10, 0)}, {Date: calendar.NewDate(2026, 3, 4), Kind: "holiday"}}
	l.Quotas = map[appointment.Channel]int{appointment.Web: 120}
	var ve *errs.ValidationError
	require.ErrorAs(t, l.Validate(), &ve)
	for _, f := range []string{"counters[3].id", "exceptions[0].close", "exceptions[1].kind", "quotas.web"} {
		_, ok := ve.Field(f)
		assert.True(t, ok, "missing %s in %v", f, ve.Fields)
	}
}

func TestServiceValidate(t *testing.T) {
	require.NoError(t, eid().Validate())
	var ve *errs.ValidationError
	require.ErrorAs(t, appointment.Service{}.Validate(), &ve)
	for _, f := range []string{"id", "duration", "capacity"} {
		_, ok := ve.Field(f)
		assert.True(t, ok, f)
	}
}

// FuzzValidateHours checks that accepted opening hours are well formed: no
// period ends before it starts and no two periods of a weekday overlap.
func FuzzValidateHours(f *testing.F) {
	f.Add(uint8(1), int16(540), int16(720), uint8(1), int16(780), int16(960))
	f.Add(uint8(1), int16(540), int16(720), uint8(1), int16(700), int16(960))
	f.Add(uint8(2), int16(720), int16(540), uint8(3), int16(0), int16(1440))
	f.Fuzz(func(t *testing.T, wd1 uint8, o1, c1 int16, wd2 uint8, o2, c2 int16) {
		hs := []appointment.OpeningHours{
			{Weekday: time.Weekday(wd1 % 8), Open: appointment.TimeOfDay(o1), Close: appointment.TimeOfDay(c1)},
			{Weekday: time.Weekday(wd2 % 8), Open: appointment.TimeOfDay(o2), Close: appointment.TimeOfDay(c2)},
		}
		if appointment.ValidateHours("hours", hs) != nil {
			return
		}
		for _, h := range hs {
			if h.Close <= h.Open || h.Open < 0 || h.Close > 24*60 || h.Weekday > time.Saturday {
				t.Fatalf("accepted %+v", h)
			}
		}
		if hs[0].Weekday == hs[1].Weekday && hs[0].Open < hs[1].Close && hs[1].Open < hs[0].Close {
			t.Fatalf("accepted overlapping %+v", hs)
		}
	})
}
