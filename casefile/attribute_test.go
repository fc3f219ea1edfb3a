package casefile_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
)

func wasteAttributes(t testing.TB) []casefile.Attribute {
	attrs := casefile.PublicSpaceReports().Attributes("waste")
	require.NotEmpty(t, attrs)
	return attrs
}

func TestCheckAttributes(t *testing.T) {
	attrs := wasteAttributes(t)
	tests := []struct {
		name  string
		in    map[string][]string
		want  []string // the canonical values of the one answer given
		field string   // the failing field, "" when valid
		rule  string
	}{
		{"decimal comma", map[string][]string{"weight_kg": {"12,5"}}, []string{"12.5"}, "", ""},
		{"decimal point", map[string][]string{"weight_kg": {" 7.25 "}}, []string{"7.25"}, "", ""},
		{"negative", map[string][]string{"weight_kg": {"-3"}}, []string{"-3"}, "", ""},
		{"thousands separator", map[string][]string{"weight_kg": {"1.000,5"}}, nil, "attributes.weight_kg", "number"},
		{"words", map[string][]string{"weight_kg": {"veel"}}, nil, "attributes.weight_kg", "number"},
		{"exponent", map[string][]string{"weight_kg": {"1e9"}}, nil, "attributes.weight_kg", "number"},
		{"ja", map[string][]string{"hazardous": {"Ja"}}, []string{"true"}, "", ""},
		{"false", map[string][]string{"hazardous": {"false"}}, []string{"false"}, "", ""},
		{"misschien", map[string][]string{"hazardous": {"misschien"}}, nil, "attributes.hazardous", "yes_no"},
		{"iso date", map[string][]string{"seen_on": {"2026-12-01"}}, []string{"2026-12-01"}, "", ""},
		{"belgian date", map[string][]string{"seen_on": {"1/12/2026"}}, []string{"2026-12-01"}, "", ""},
		{"no such day", map[string][]string{"seen_on": {"2026-02-30"}}, nil, "attributes.seen_on", "date"},
		{"choice", map[string][]string{"amount": {"car"}}, []string{"car"}, "", ""},
		{"unknown choice", map[string][]string{"amount": {"boat"}}, nil, "attributes.amount", "oneof"},
		{"two answers to one choice", map[string][]string{"amount": {"car", "bag"}}, nil, "attributes.amount", "single"},
		{"multi in declaration order", map[string][]string{"kinds": {"green", "household"}}, []string{"household", "green"}, "", ""},
		{"multi comma-separated", map[string][]string{"kinds": {"green,bulky"}}, []string{"bulky", "green"}, "", ""},
		{"multi unknown", map[string][]string{"kinds": {"green,nuclear"}}, nil, "attributes.kinds", "oneof"},
		{"text", map[string][]string{"remarks": {"Dozen van Brico"}}, []string{"Dozen van Brico"}, "", ""},
		{"text of two lines", map[string][]string{"remarks": {"a\nb"}}, nil, "attributes.remarks", "single_line"},
		{"text too long", map[string][]string{"remarks": {strings.Repeat("é", casefile.MaxAttributeText+1)}}, nil, "attributes.remarks", "max"},
		{"unknown question", map[string][]string{"colour": {"blue"}}, nil, "attributes.colour", "unknown"},
		{"empty answer is none", map[string][]string{"colour": {""}, "amount": {" "}}, nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := casefile.CheckAttributes(attrs, tt.in)
			if tt.field == "" {
				require.NoError(t, err)
				if tt.want == nil {
					assert.Empty(t, got)
					return
				}
				require.Len(t, got, 1)
				assert.Equal(t, tt.want, got[0].Values)
				return
			}
			var ve *casefile.ValidationError
			require.ErrorAs(t, err, &ve)
			fe, ok := ve.Field(tt.field)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tt.rule, fe.Rule)
		})
	}
}

func TestRequiredAttribute(t *testing.T) {
	attrs := []casefile.Attribute{{Code: "bags", Type: casefile.AttributeNumber, Required: true, Label: casefile.Label{NL: "Hoeveel zakken?"}}}
	_, err := casefile.CheckAttributes(attrs, nil)
	var ve *casefile.ValidationError
	require.ErrorAs(t, err, &ve)
	fe, ok := ve.Field("attributes.bags")
	require.True(t, ok)
	assert.Equal(t, "required", fe.Rule)
	assert.Contains(t, fe.Message, "Hoeveel zakken?")
}

func TestAttributeDeclarations(t *testing.T) {
	ct := *casefile.PublicSpaceReports()
	ct.Categories = append([]casefile.Category(nil), ct.Categories...)
	ct.Categories[0].Attributes = []casefile.Attribute{
		{Code: "a", Type: "colour", Label: casefile.Label{NL: "Kleur?"}},
		{Code: "a", Type: casefile.AttributeChoice, Label: casefile.Label{NL: "Keuze?"}},
		{Code: "b[1]", Type: casefile.AttributeText},
		{Code: "c", Type: casefile.AttributeText, Label: casefile.Label{NL: "Tekst?"}, Choices: []casefile.Choice{{Code: "x"}}},
		{Code: "d", Type: casefile.AttributeMultiChoice, Label: casefile.Label{NL: "Meer?"}, Choices: []casefile.Choice{{Code: "x"}, {Code: "x"}}},
	}
	_, err := casefile.LoadCaseType(ct)
	var ve *casefile.ValidationError
	require.ErrorAs(t, err, &ve)
	for _, f := range []string{
		"categories[0].attributes[0].type", "categories[0].attributes[1].code", "categories[0].attributes[1].choices",
		"categories[0].attributes[2].code", "categories[0].attributes[2].label", "categories[0].attributes[3].choices",
		"categories[0].attributes[4].choices[1].code",
	} {
		_, ok := ve.Field(f)
		assert.True(t, ok, "expected an error on %s in %v", f, err)
	}
}

func TestAttributesSortedByOrder(t *testing.T) {
	var codes []string
	for _, a := range wasteAttributes(t) {
		codes = append(codes, a.Code)
	}
	assert.Equal(t, []string{"amount", "hazardous", "kinds", "weight_kg", "seen_on", "remarks"}, codes)
	assert.Nil(t, casefile.PublicSpaceReports().Attributes("roads"))
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"12,5", "12.5", "-0,01", "1.000,5", "", ",", "+-1", "1e3", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := casefile.ParseDecimal(s)
		if !ok {
			return
		}
		// What it accepts reads back the same from its canonical form.
		again, ok := casefile.ParseDecimal(d.String())
		if !ok || !again.Equal(d) {
			t.Fatalf("%q → %s does not read back", s, d)
		}
	})
}

func FuzzCheckAttributes(f *testing.F) {
	attrs := wasteAttributes(f)
	f.Add("weight_kg", "12,5")
	f.Add("kinds", "green,bulky,,")
	f.Add("seen_on", "31/12/2026")
	f.Add("remarks", "\x00")
	f.Fuzz(func(t *testing.T, code, value string) {
		got, err := casefile.CheckAttributes(attrs, map[string][]string{code: {value}})
		if err != nil {
			return
		}
		// Canonical answers are valid answers, and canonical again.
		in := map[string][]string{}
		for _, a := range got {
			in[a.Code] = a.Values
		}
		again, err := casefile.CheckAttributes(attrs, in)
		require.NoError(t, err)
		assert.Equal(t, got, again)
	})
}
