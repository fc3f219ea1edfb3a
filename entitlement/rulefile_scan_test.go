package entitlement_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// parseFile runs the reader for the file's format.
func parseFile(name string, data []byte) (entitlement.Policy, error) {
	if strings.HasSuffix(name, ".yaml") {
		p, _, err := entitlement.ParsePolicyYAML(data)
		return p, err
	}
	p, _, err := entitlement.ParsePolicy(data)
	return p, err
}

// firstError returns the single field error of err.
func firstError(t *testing.T, err error) errs.FieldError {
	t.Helper()
	require.ErrorIs(t, err, entitlement.ErrValidation)
	var ve *entitlement.ValidationError
	require.ErrorAs(t, err, &ve)
	require.NotEmpty(t, ve.Fields)
	return ve.Fields[0]
}

// A byte that is not UTF-8 is refused with its line, in both formats:
// encoding/json would otherwise turn it into U+FFFD and load the changed
// text, and the YAML library reports it without a place.
func TestRuleFileInvalidUTF8(t *testing.T) {
	for _, name := range []string{"testdata/ghent-example.json", "testdata/ghent-example.yaml"} {
		good, err := os.ReadFile(name)
		require.NoError(t, err)
		for _, bad := range []string{"\xff", "\xc3", "\xed\xa0\x80"} { // stray byte, cut sequence, surrogate
			// Spoil the description of the first fact, on a line we count
			// in the file itself.
			at := bytes.Index(good, []byte("From the national register."))
			require.Positive(t, at)
			line := bytes.Count(good[:at], []byte("\n")) + 1
			data := append(append(append([]byte{}, good[:at]...), bad...), good[at:]...)
			_, err := parseFile(name, data)
			f := firstError(t, err)
			assert.Equal(t, "utf8", f.Rule, "%s %q: %v", name, bad, err)
			assert.Contains(t, f.Message, fmt.Sprintf("line %d:", line), "%s %q", name, bad)
			assert.Contains(t, f.Message, fmt.Sprintf("0x%02X", bad[0]))
		}
	}
}

// Nesting the YAML library would refuse without a line ("exceeded max
// depth") is refused by the byte scan with its line; a syntax error the
// library reports with a line keeps it in the usual form.
func TestYAMLErrorsHaveALine(t *testing.T) {
	deepBlock := "facts:\n"
	for i := range 300 {
		deepBlock += "  " + strings.Repeat("    ", i) + "- a:\n"
	}
	cases := []struct {
		name, doc, rule string
		line            int
	}{
		{"flow brackets", "facts: []\nx: " + strings.Repeat("[", 100_000) + "\n", "depth", 2},
		{"flow braces", "facts: []\n\nx: " + strings.Repeat("{a: ", 300) + "\n", "depth", 3},
		// "facts:" is level 1, each "- a:" line opens two more (a list
		// and its item): line 129 reaches 1 + 2·128 = 257.
		{"block indentation", deepBlock, "depth", 129},
		// The YAML library's own line, in the form of every other error.
		{"unclosed bracket", "facts: []\nbenefits: [\n", "syntax", 0},
		{"bad indentation", "facts:\n  - name: a\n kind: bool\n", "syntax", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.line == 0 {
				var n yaml.Node
				lib := yaml.Unmarshal([]byte(c.doc), &n)
				require.Error(t, lib)
				_, err := fmt.Sscanf(lib.Error(), "yaml: line %d:", &c.line)
				require.NoError(t, err, "%v", lib)
			}
			_, _, err := entitlement.ParsePolicyYAML([]byte(c.doc))
			f := firstError(t, err)
			assert.Equal(t, c.rule, f.Rule, "%v", err)
			assert.True(t, strings.HasPrefix(f.Message, fmt.Sprintf("line %d:", c.line)), "%v", err)
		})
	}
}

// Brackets inside text, quoted scalars, comments and block scalars are not
// nesting: a file full of them loads.
func TestYAMLScanIgnoresBracketsInText(t *testing.T) {
	good, err := os.ReadFile("testdata/ghent-example.yaml")
	require.NoError(t, err)
	noise := strings.Repeat("[{", 200)
	doc := strings.Replace(string(good), "description: From the national register.",
		"description: |\n        "+noise+"\n        "+noise+"\n      label_fr: 'x'", 1)
	doc = strings.Replace(doc, "label_fr: 'x'\n", "", 1)
	doc = "# " + noise + "\n" + doc
	doc = strings.Replace(doc, "label_nl: Geboortedatum", "label_nl: \"Geboortedatum "+noise+"\"", 1)
	doc = strings.Replace(doc, "label_en: Date of birth", "label_en: Date of birth "+noise, 1)
	_, _, err = entitlement.ParsePolicyYAML([]byte(doc))
	require.NoError(t, err)
}

// A file with thousands of bad values reports the first 100 and how many
// more there are, not a message of megabytes.
func TestRuleFileErrorsAreCapped(t *testing.T) {
	good, err := os.ReadFile("testdata/ghent-example.json")
	require.NoError(t, err)
	const extra = 150
	open := []byte(`"values": [`)
	at := bytes.Index(good, open) + len(open)
	value := `{"from": "2026-01-01", "value": "1.00", "basis": "b"},`
	data := append(append(append([]byte{}, good[:at]...), strings.Repeat(value, extra)...), good[at:]...)

	// The uncapped count, from Compile on the same policy.
	var p entitlement.Policy
	require.NoError(t, json.Unmarshal(data, &p))
	_, err = entitlement.Compile(p)
	var all *entitlement.ValidationError
	require.ErrorAs(t, err, &all)
	require.Greater(t, len(all.Fields), 100)

	_, _, err = entitlement.ParsePolicy(data)
	var ve *entitlement.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Fields, 101)
	last := ve.Fields[100]
	assert.Equal(t, "more", last.Rule)
	assert.Equal(t, fmt.Sprintf("… and %d more", len(all.Fields)-100), last.Message)
	assert.Contains(t, ve.Fields[0].Message, "line ")
	assert.Less(t, len(err.Error()), 100*300)
}
