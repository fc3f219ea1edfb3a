package entitlement_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

// bigPolicy is a valid policy of n benefits, each with the same small rule.
func bigPolicy(n int) entitlement.Policy {
	p := entitlement.Policy{
		Facts: []entitlement.FactDef{{Name: "resident", Kind: entitlement.KindBool},
			{Name: "income", Kind: entitlement.KindMoney, Scope: entitlement.ScopeHousehold}},
		Parameters: []entitlement.Parameter{{Name: "ceiling", Kind: entitlement.KindMoney,
			Values: []entitlement.ParamValue{{From: benchDay, Value: "25000.00"}}}},
	}
	for i := range n {
		p.Benefits = append(p.Benefits, entitlement.Benefit{ID: fmt.Sprintf("b%d", i), NameNL: "Voordeel", NameEN: "Benefit",
			Purpose: "p", LegalBasis: entitlement.LegalBasis{Decision: "d"}, NoticeDays: 30,
			Condition: entitlement.All(entitlement.IsTrue("resident"), entitlement.FactParam("income", entitlement.OpLe, "ceiling"))})
	}
	return p
}

// policyJSON writes bigPolicy as an indented JSON document of at least size bytes.
func policyJSON(t testing.TB, size int) []byte {
	n := size/450 + 1
	data, err := json.MarshalIndent(bigPolicy(n), "", "  ")
	require.NoError(t, err)
	return data
}

// policyYAML writes a document as block-style YAML.
func policyYAML(t testing.TB, doc any) []byte {
	js, err := json.Marshal(doc)
	require.NoError(t, err)
	var n yaml.Node
	require.NoError(t, yaml.Unmarshal(js, &n))
	blockStyle(&n)
	out, err := yaml.Marshal(&n)
	require.NoError(t, err)
	return out
}

// measure runs fn and returns its duration and the bytes it allocated.
func measure(fn func()) (time.Duration, uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	fn()
	d := time.Since(start)
	runtime.ReadMemStats(&after)
	return d, after.TotalAlloc - before.TotalAlloc
}

func TestRecursiveYAMLAliasRefusedFast(t *testing.T) {
	var err error
	d, alloc := measure(func() { _, _, err = entitlement.ParsePolicyYAML([]byte("x: &a [*a]\n")) })
	require.ErrorIs(t, err, entitlement.ErrValidation)
	assert.Contains(t, err.Error(), "line 1")
	assert.Contains(t, err.Error(), "*a")
	assert.Less(t, len(err.Error()), 200, "a short message")
	assert.Less(t, d, time.Second)
	assert.Less(t, alloc, uint64(1<<20))
	t.Logf("x: &a [*a]: %v, %d bytes allocated: %v", d, alloc, err)
}

func TestDeepJSONRefusedWithLine(t *testing.T) {
	const depth = 100_000
	doc := "{\n  \"facts\":\n    " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n}"
	var err error
	d, alloc := measure(func() { _, _, err = entitlement.ParsePolicy([]byte(doc)) })
	require.ErrorIs(t, err, entitlement.ErrValidation)
	assert.Contains(t, err.Error(), "line 3:")
	assert.Contains(t, err.Error(), "deeper than")
	assert.Less(t, d, time.Second)
	assert.Less(t, alloc, uint64(4<<20))
	t.Logf("JSON nested %d deep (%d bytes): %v, %d bytes allocated: %v", depth, len(doc), d, alloc, err)

	yml := "facts:\n" + strings.Repeat("- ", 300) + "x\n"
	_, _, err = entitlement.ParsePolicyYAML([]byte(yml))
	require.ErrorIs(t, err, entitlement.ErrValidation)
	assert.Contains(t, err.Error(), "deeper than")
}

// deepNot is a condition that negates "resident" depth times.
func deepNot(depth int) entitlement.Condition {
	c := entitlement.IsTrue("resident")
	for range depth {
		c = entitlement.Not(c)
	}
	return c
}

func TestDeepConditionRefusedLinearly(t *testing.T) {
	const depth = 10_000
	p := bigPolicy(1)
	p.Benefits[0].Condition = deepNot(depth)
	var err error
	d, alloc := measure(func() { _, err = entitlement.Compile(p) })
	var ve *entitlement.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Fields, 1)
	assert.Equal(t, "depth", ve.Fields[0].Rule)
	assert.Less(t, alloc, uint64(16<<20))
	t.Logf("Compile, condition nested %d deep: %v, %d bytes allocated", depth, d, alloc)

	// The same as a document is refused before it is decoded.
	doc := `{"facts":[{"name":"resident","kind":"bool"}],"benefits":[{"id":"b","purpose":"p","legal_basis":{"decision":"d"},"condition":` +
		strings.Repeat(`{"not":`, depth) + `{"fact":"resident"}` + strings.Repeat("}", depth) + `}]}`
	d, alloc = measure(func() { _, _, err = entitlement.ParsePolicy([]byte(doc)) })
	require.ErrorIs(t, err, entitlement.ErrValidation)
	assert.Contains(t, err.Error(), "deeper than")
	assert.Less(t, alloc, uint64(16<<20))
	t.Logf("ParsePolicy, condition nested %d deep: %v, %d bytes allocated", depth, d, alloc)

	// Within the limit, a deep condition still compiles and evaluates.
	p.Benefits[0].Condition = deepNot(64)
	rs, err := entitlement.Compile(p)
	require.NoError(t, err)
	s := rs.Schema().NewSubject("s")
	require.NoError(t, s.Set("resident", entitlement.Bool(true), prov))
	r, err := rs.Evaluate(s, "b0", benchDay)
	require.NoError(t, err)
	assert.Equal(t, entitlement.Eligible, r.Outcome) // 64 negations of true
}

func TestDuplicateKeysRefused(t *testing.T) {
	doc := `{
  "facts": [{"name": "income", "kind": "money", "scope": "household"}],
  "parameters": [{"name": "ceiling", "kind": "money",
    "values": [{"from": "2026-01-01", "value": "25000.00",
                "value": "2500000.00"}]}],
  "benefits": [{"id": "b", "purpose": "p", "legal_basis": {"decision": "d"},
    "condition": {"fact": "income", "op": "le", "param": "ceiling"}}]
}`
	_, _, err := entitlement.ParsePolicy([]byte(doc))
	var ve *entitlement.ValidationError
	require.ErrorAs(t, err, &ve)
	f, ok := ve.Field("parameters[0].values[0].value")
	require.True(t, ok, "%v", err)
	assert.Equal(t, "unique", f.Rule)
	assert.Contains(t, f.Message, "line 5:")
	assert.Contains(t, f.Message, "line 4")

	// encoding/json matches keys regardless of case: a second spelling must
	// not slip past as a duplicate that wins.
	_, _, err = entitlement.ParsePolicy([]byte(strings.Replace(doc, `"value": "2500000.00"`, `"Value": "2500000.00"`, 1)))
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, err.Error(), "line 5:")

	yml := `facts:
  - name: income
    kind: money
    scope: household
parameters:
  - name: ceiling
    kind: money
    values:
      - from: 2026-01-01
        value: "25000.00"
        value: "2500000.00"
benefits:
  - id: b
    purpose: p
    legal_basis: {decision: d}
    condition: {fact: income, op: le, param: ceiling}
`
	_, _, err = entitlement.ParsePolicyYAML([]byte(yml))
	require.ErrorAs(t, err, &ve)
	f, ok = ve.Field("parameters[0].values[0].value")
	require.True(t, ok, "%v", err)
	assert.Contains(t, f.Message, "line 11:")
	assert.Contains(t, f.Message, "line 10")
}

func TestRuleFileErrorsHaveAPlace(t *testing.T) {
	doc := `{
  "facts": [{"name": "income", "kind": "money", "scope": "household"}],
  "parameters": [{"name": "ceiling", "kind": "money",
    "values": [{"from": "2027-02-30", "value": "25000.00"}]}],
  "benefits": []
}`
	_, _, err := entitlement.ParsePolicy([]byte(doc))
	var ve *entitlement.ValidationError
	require.ErrorAs(t, err, &ve)
	f, ok := ve.Field("parameters[0].values[0].from")
	require.True(t, ok, "%v", err)
	assert.Contains(t, f.Message, "line 4:")

	yml := "parameters:\n  - name: ceiling\n    kind: money\n    values:\n      - value: \"1\"\n        from: 2027-02-30\n"
	_, _, err = entitlement.ParsePolicyYAML([]byte(yml))
	require.ErrorAs(t, err, &ve)
	f, ok = ve.Field("parameters[0].values[0].from")
	require.True(t, ok, "%v", err)
	assert.Contains(t, f.Message, "line 6:")

	// A misspelt key whose value is a block is reported on the key's line.
	yml = "facts:\n  - name: a\n    kind: bool\nbenefits:\n  - id: x\n    conditoin:\n      all:\n        - fact: a\n"
	_, _, err = entitlement.ParsePolicyYAML([]byte(yml))
	require.ErrorAs(t, err, &ve)
	f, ok = ve.Field("benefits[0].conditoin")
	require.True(t, ok, "%v", err)
	assert.Equal(t, "unknown", f.Rule)
	assert.Contains(t, f.Message, "line 6:")
}

func TestLargeYAMLShowsItsRealError(t *testing.T) {
	// 3 MB holds about 190,000 values, well past the 131,072 the old
	// budget allowed for aliases and plain values alike;
	// BenchmarkParsePolicyYAMLSize measures 10 MB.
	size := 3 << 20
	p := bigPolicy(size / 250)
	last := len(p.Benefits) - 1
	p.Benefits[last].Condition = entitlement.IsTrue("resitent")
	yml := policyYAML(t, p)
	require.Greater(t, len(yml), size)
	var err error
	d, alloc := measure(func() { _, _, err = entitlement.ParsePolicyYAML(yml) })
	var ve *entitlement.ValidationError
	require.ErrorAs(t, err, &ve)
	f, ok := ve.Field(fmt.Sprintf("benefits[%d].condition.fact", last))
	require.True(t, ok, "%.300v", err)
	assert.Contains(t, f.Message, `unknown fact "resitent"`)
	assert.Regexp(t, regexp.MustCompile(`^line \d+:`), f.Message)
	t.Logf("YAML of %d bytes: %v, %d bytes allocated", len(yml), d, alloc)
}

func BenchmarkParsePolicySize(b *testing.B) {
	for _, mb := range []int{1, 2, 4, 10} {
		doc := policyJSON(b, mb<<20)
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				if _, _, err := entitlement.ParsePolicy(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParsePolicyYAMLSize(b *testing.B) {
	for _, mb := range []int{1, 10} {
		yml := policyYAML(b, bigPolicy(mb<<20/250))
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(yml)))
			for b.Loop() {
				if _, _, err := entitlement.ParsePolicyYAML(yml); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHostileRuleFiles measures the files of issue 15 that once took
// seconds and gigabytes.
func BenchmarkHostileRuleFiles(b *testing.B) {
	deepJSON := []byte(strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000))
	p := bigPolicy(1)
	p.Benefits[0].Condition = deepNot(10_000)
	deepDoc, err := json.Marshal(p)
	require.NoError(b, err)
	for _, bc := range []struct {
		name string
		run  func() error
	}{
		{"yaml-self-alias", func() error { _, _, err := entitlement.ParsePolicyYAML([]byte("x: &a [*a]\n")); return err }},
		{"json-array-100000-deep", func() error { _, _, err := entitlement.ParsePolicy(deepJSON); return err }},
		{"condition-10000-deep-compile", func() error { _, err := entitlement.Compile(p); return err }},
		{"condition-10000-deep-json", func() error { _, _, err := entitlement.ParsePolicy(deepDoc); return err }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if bc.run() == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}
