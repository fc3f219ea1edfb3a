package validate_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

type inner struct {
	Note string    `json:"note"`
	When time.Time `json:"when"`
}

type sample struct {
	Title  string            `json:"title" validate:"required"`
	Day    calendar.Date     `json:"day"`
	Parts  []inner           `json:"parts"`
	Labels map[string]string `json:"labels"`
	Ref    *inner            `json:"ref"`
	Photo  []byte            `json:"photo"`
	hidden string
}

func TestInput(t *testing.T) {
	ok := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		in    sample
		field string
		rule  string
	}{
		{"fine", sample{Title: "Boom\tomgevallen\r\nhier", Day: calendar.NewDate(2026, 1, 2), Parts: []inner{{When: ok}}, Photo: []byte{0, 0xff}, hidden: "\x00"}, "", ""},
		{"NUL byte", sample{Title: "a\x00b"}, "title", "text"},
		{"invalid UTF-8", sample{Title: "caf\xe9"}, "title", "utf8"},
		{"C1 control", sample{Title: "a\u0085b"}, "title", "text"},
		{"too long", sample{Title: strings.Repeat("a", validate.MaxText+1)}, "title", "max"},
		{"nested text", sample{Title: "x", Parts: []inner{{}, {Note: "\x1b[31m"}}}, "parts[1].note", "text"},
		{"map value", sample{Title: "x", Labels: map[string]string{"k": "\x00"}}, `labels["k"]`, "text"},
		{"pointer", sample{Title: "x", Ref: &inner{When: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}}, "ref.when", "horizon"},
		{"far date", sample{Title: "x", Day: calendar.Date{Year: 9999, Month: 12, Day: 30}}, "day", "horizon"},
		{"old date", sample{Title: "x", Day: calendar.Date{Year: 1899, Month: 12, Day: 31}}, "day", "horizon"},
		{"last year", sample{Title: "x", Day: calendar.Date{Year: 2200, Month: 12, Day: 31}}, "", ""},
		{"30 February", sample{Title: "x", Day: calendar.Date{Year: 2027, Month: 2, Day: 30}}, "day", "date"},
		{"month 13", sample{Title: "x", Day: calendar.Date{Year: 2027, Month: 13, Day: 1}}, "day", "date"},
		{"29 February in a leap year", sample{Title: "x", Day: calendar.Date{Year: 2028, Month: 2, Day: 29}}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validate.Input(tt.in)
			if tt.field == "" {
				assert.NoError(t, err)
				return
			}
			var ve *errs.ValidationError
			require.ErrorAs(t, err, &ve)
			f, found := ve.Field(tt.field)
			require.True(t, found, "fields: %v", ve.Fields)
			assert.Equal(t, tt.rule, f.Rule)
		})
	}
}

func TestStructRunsInput(t *testing.T) {
	err := validate.Struct(sample{Title: "a\x00b", Day: calendar.Date{Year: 12000, Month: 1, Day: 1}})
	var ve *errs.ValidationError
	require.ErrorAs(t, err, &ve)
	_, text := ve.Field("title")
	_, day := ve.Field("day")
	assert.True(t, text && day, "fields: %v", ve.Fields)

	err = validate.Struct(sample{Title: "", Labels: map[string]string{"x": "\x00"}})
	require.ErrorAs(t, err, &ve)
	_, req := ve.Field("title")
	_, lab := ve.Field(`labels["x"]`)
	assert.True(t, req && lab, "both the tag rule and the input rule: %v", ve.Fields)
}

func FuzzTextProblem(f *testing.F) {
	for _, s := range []string{"", "hallo", "a\x00", "\xff", "regel\r\nregel", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rule, _ := validate.TextProblem(s)
		if rule != "" {
			return
		}
		require.True(t, len(s) <= validate.MaxText)
		require.NotContains(t, s, "\x00")
	})
}
