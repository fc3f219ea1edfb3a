package casefile_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/casefile"
)

func validType() casefile.CaseType {
	return casefile.CaseType{
		Code: "question", Initial: "open",
		Statuses: []casefile.Status{
			{Code: "open", Label: casefile.Label{NL: "Open", EN: "Open"}},
			{Code: "answered", Label: casefile.Label{NL: "Beantwoord", EN: "Answered"}, Terminal: true},
		},
		Transitions: []casefile.Transition{{Name: "answer", From: []string{"open"}, To: "answered", Roles: []casefile.Role{casefile.RoleClerk}}},
		Categories:  []casefile.Category{{Code: "general", Label: casefile.Label{NL: "Algemeen", EN: "General"}, Deadline: calendar.Deadline{Days: 10, WorkingDays: true}}},
	}
}

func TestLoadCaseTypeRejectsBadDefinitions(t *testing.T) {
	tests := []struct {
		name   string
		modify func(ct *casefile.CaseType)
		field  string
		rule   string
		says   string
	}{
		{"unreachable status", func(ct *casefile.CaseType) {
			ct.Statuses = append(ct.Statuses, casefile.Status{Code: "limbo", Label: casefile.Label{NL: "x", EN: "x"}})
		}, "statuses", "unreachable", `"limbo"`},
		{"transition to unknown status", func(ct *casefile.CaseType) { ct.Transitions[0].To = "gone" }, "transitions[0].to", "unknown_status", `"gone"`},
		{"transition from unknown status", func(ct *casefile.CaseType) { ct.Transitions[0].From = []string{"nowhere"} }, "transitions[0].from", "unknown_status", `"nowhere"`},
		{"no terminal status", func(ct *casefile.CaseType) { ct.Statuses[1].Terminal = false }, "statuses", "terminal", "no status is terminal"},
		{"unknown initial", func(ct *casefile.CaseType) { ct.Initial = "start" }, "initial", "unknown_status", `"start"`},
		{"duplicate status", func(ct *casefile.CaseType) { ct.Statuses[1].Code = "open" }, "statuses[1].code", "unique", `"open"`},
		{"missing label", func(ct *casefile.CaseType) { ct.Statuses[0].Label.EN = "" }, "statuses[0].label", "required", "English"},
		{"no roles", func(ct *casefile.CaseType) { ct.Transitions[0].Roles = nil }, "transitions[0].roles", "required", `"answer"`},
		{"unknown guard", func(ct *casefile.CaseType) { ct.Transitions[0].Guard = "moon_is_full" }, "transitions[0].guard", "oneof", "moon_is_full"},
		{"result guard without results", func(ct *casefile.CaseType) { ct.Transitions[0].Guard = casefile.GuardResultRecorded }, "transitions[0].guard", "results", "declares none"},
		{"no deadline", func(ct *casefile.CaseType) { ct.Categories[0].Deadline.Days = 0 }, "categories[0].deadline", "gt", `"general"`},
		{"no categories", func(ct *casefile.CaseType) { ct.Categories = nil }, "categories", "required", "category"},
		{"leaves terminal", func(ct *casefile.CaseType) {
			ct.Transitions = append(ct.Transitions, casefile.Transition{Name: "reopen", From: []string{"answered"}, To: "open", Roles: []casefile.Role{casefile.RoleClerk}})
		}, "transitions[1].from", "terminal", `"answered"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := validType()
			tt.modify(&ct)
			_, err := casefile.LoadCaseType(ct)
			var ve *casefile.ValidationError
			require.ErrorAs(t, err, &ve)
			fe, ok := ve.Field(tt.field)
			require.True(t, ok, "no error on %s: %v", tt.field, err)
			assert.Equal(t, tt.rule, fe.Rule)
			assert.Contains(t, fe.Message, tt.says)
		})
	}
	_, err := casefile.LoadCaseType(validType())
	assert.NoError(t, err)
}

func TestParseCaseTypeRoundTrip(t *testing.T) {
	ct := casefile.PublicSpaceReports()
	data, err := json.Marshal(ct)
	require.NoError(t, err)
	back, err := casefile.ParseCaseType(data)
	require.NoError(t, err)
	assert.Equal(t, ct.Code, back.Code)
	tr, ok := back.Transition("resolve")
	require.True(t, ok)
	assert.Equal(t, casefile.GuardResultRecorded, tr.Guard)
	dl, ok := back.Deadline("street_lighting", "pole_damaged")
	require.True(t, ok)
	assert.Equal(t, calendar.Deadline{Days: 10, WorkingDays: true}, dl, "a sub-category without deadline inherits its category's")

	_, err = casefile.ParseCaseType([]byte(`{"code":`))
	assert.ErrorIs(t, err, casefile.ErrValidation)
}

func TestCanTake(t *testing.T) {
	ct := casefile.PublicSpaceReports()
	tests := []struct {
		name, transition, from string
		role                   casefile.Role
		result                 string
		want                   error
	}{
		{"allowed", "accept", "reported", casefile.RoleClerk, "", nil},
		{"unknown", "fly", "reported", casefile.RoleClerk, "", casefile.ErrInvalidTransition},
		{"wrong status", "plan", "reported", casefile.RoleHandler, "", casefile.ErrInvalidTransition},
		{"forbidden", "resolve", "in_progress", casefile.RoleCitizen, "repaired", casefile.ErrForbidden},
		{"needs result", "resolve", "in_progress", casefile.RoleHandler, "", casefile.ErrInvalidTransition},
		{"bad result", "resolve", "in_progress", casefile.RoleHandler, "sorted", casefile.ErrValidation},
		{"with result", "resolve", "in_progress", casefile.RoleHandler, "repaired", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ct.CanTake(tt.transition, tt.from, tt.role, tt.result, false)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func FuzzParseCaseType(f *testing.F) {
	data, _ := json.Marshal(casefile.PublicSpaceReports())
	f.Add(data)
	f.Add([]byte(`{"code":"x","initial":"a","statuses":[{"code":"a","terminal":true}]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ct, err := casefile.ParseCaseType(data)
		if err != nil {
			assert.ErrorIs(t, err, casefile.ErrValidation)
			return
		}
		// A loaded type has a reachable terminal status and a known initial one.
		st, ok := ct.Status(ct.Initial)
		require.True(t, ok)
		_ = st
		terminal := false
		for _, s := range ct.Statuses {
			terminal = terminal || s.Terminal
		}
		assert.True(t, terminal)
	})
}

func TestCheckLocation(t *testing.T) {
	tests := []struct {
		name    string
		p       casefile.Point
		belgian bool
		rule    string
	}{
		{"Ghent", casefile.Point{Lat: 51.05, Lon: 3.72}, true, ""},
		{"Arlon", casefile.Point{Lat: 49.68, Lon: 5.81}, true, ""},
		{"Paris", casefile.Point{Lat: 48.85, Lon: 2.35}, true, "belgium"},
		{"Paris, anywhere allowed", casefile.Point{Lat: 48.85, Lon: 2.35}, false, ""},
		{"off the globe", casefile.Point{Lat: 91, Lon: 3}, false, "wgs84"},
		{"swapped", casefile.Point{Lat: 3.72, Lon: 51.05}, true, "belgium"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			err := casefile.CheckLocation(casefile.Location{Point: p}, tt.belgian)
			if tt.rule == "" {
				assert.NoError(t, err)
				return
			}
			var ve *casefile.ValidationError
			require.ErrorAs(t, err, &ve)
			fe, ok := ve.Field("location.point")
			require.True(t, ok)
			assert.Equal(t, tt.rule, fe.Rule)
		})
	}
}

func FuzzCheckLocation(f *testing.F) {
	f.Add(51.05, 3.72, true)
	f.Add(48.85, 2.35, true)
	f.Fuzz(func(t *testing.T, lat, lon float64, belgian bool) {
		p := casefile.Point{Lat: lat, Lon: lon}
		err := casefile.CheckLocation(casefile.Location{Point: p}, belgian)
		if belgian && err == nil {
			assert.True(t, p.InBelgium())
		}
		if err != nil {
			assert.ErrorIs(t, err, casefile.ErrValidation)
		}
	})
}

func TestRoute(t *testing.T) {
	district := casefile.Polygon{{Lat: 51.0, Lon: 3.0}, {Lat: 51.0, Lon: 4.0}, {Lat: 52.0, Lon: 4.0}, {Lat: 52.0, Lon: 3.0}}
	rules := []casefile.RoutingRule{
		{Team: "a", Category: "waste", Subcategory: "graffiti"},
		{Team: "b", Category: "waste", District: district},
		{Team: "c", PostalCodes: []string{"2000"}},
	}
	tests := []struct {
		name string
		c    casefile.Case
		want string
	}{
		{"sub-category", casefile.Case{Category: "waste", Subcategory: "graffiti"}, "a"},
		{"in district", casefile.Case{Category: "waste", Location: casefile.Location{Point: casefile.Point{Lat: 51.5, Lon: 3.5}}}, "b"},
		{"outside district", casefile.Case{Category: "waste", Location: casefile.Location{Point: casefile.Point{Lat: 50.5, Lon: 3.5}}}, ""},
		{"no point", casefile.Case{Category: "waste"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := casefile.Route(rules, &tt.c)
			assert.Equal(t, tt.want != "", ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFormatReference(t *testing.T) {
	assert.Equal(t, "2026-000123", casefile.FormatReference(2026, 123))
	assert.Equal(t, "2026-1234567", casefile.FormatReference(2026, 1234567))
	assert.True(t, strings.HasPrefix(casefile.FormatReference(2027, 1), "2027-"))
}
