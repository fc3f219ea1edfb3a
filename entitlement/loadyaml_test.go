package entitlement_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

func blockStyle(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		blockStyle(c)
	}
}

// TestShippedPolicyYAML keeps the YAML form of the examples in step with Go.
func TestShippedPolicyYAML(t *testing.T) {
	const path = "testdata/ghent-example.yaml"
	want, err := json.Marshal(entitlement.GhentExample())
	require.NoError(t, err)
	if *update {
		var n yaml.Node
		require.NoError(t, yaml.Unmarshal(want, &n))
		blockStyle(&n)
		out, err := yaml.Marshal(&n)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, out, 0o644))
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	p, rs, err := entitlement.ParsePolicyYAML(data)
	require.NoError(t, err)
	got, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got))
	assert.Len(t, rs.Benefits(), 3)
}

func TestParsePolicyYAMLErrorsNameLines(t *testing.T) {
	doc := []byte(`facts:
  - name: resident
    kind: bool
parameters:
  - name: ceiling
    kind: money
    values:
      - from: 2026-01-01
        until: 2026-06-30
        value: 1000.00
      - from: 2026-08-01
        value: 1100.00
benefits:
  - id: x
    purpose: p
    notice_days: 30
    legal_basis: {decision: d}
    condition:
      any:
        - fact: resident
        - fact: income
          op: le
          param: ceiling
`)
	_, _, err := entitlement.ParsePolicyYAML(doc)
	var ve *entitlement.ValidationError
	require.ErrorAs(t, err, &ve)
	f, ok := ve.Field("benefits[0].condition.any[1].fact")
	require.True(t, ok, "%v", err)
	assert.Contains(t, f.Message, "line 21:")
	f, ok = ve.Field("parameters[0].values[1].from")
	require.True(t, ok, "%v", err)
	assert.Equal(t, "gap", f.Rule)
	assert.Contains(t, f.Message, "line 11:")

	_, _, err = entitlement.ParsePolicyYAML([]byte("facts:\n  - name: a\n    kind: bool\n    colour: red\n"))
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, err.Error(), "line 4")
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'j'; i++ {
		prev := string(i - 1)
		bomb += string(i) + ": &" + string(i) + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
	}
	_, _, err = entitlement.ParsePolicyYAML([]byte(bomb))
	require.ErrorIs(t, err, entitlement.ErrValidation)
	assert.Contains(t, err.Error(), "too large")
	_, _, err = entitlement.ParsePolicyYAML([]byte("facts: [\n"))
	assert.ErrorIs(t, err, entitlement.ErrValidation)
}

func FuzzParsePolicyYAML(f *testing.F) {
	f.Add([]byte("facts:\n  - name: a\n    kind: bool\nbenefits:\n  - id: b\n    purpose: p\n    legal_basis: {decision: d}\n    condition: {fact: a}\n"))
	for _, doc := range adversarialYAML() {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, _, err := entitlement.ParsePolicyYAML(doc)
		if err != nil {
			require.ErrorIs(t, err, entitlement.ErrValidation)
			return
		}
		// What the YAML reader accepts, the JSON reader accepts too.
		js, err := json.Marshal(p)
		require.NoError(t, err)
		_, _, err = entitlement.ParsePolicy(js)
		require.NoError(t, err, "%s", js)
	})
}
