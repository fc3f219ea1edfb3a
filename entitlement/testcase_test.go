package entitlement_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

// TestShippedCases runs the policy officers' case files of the shipped benefits.
func TestShippedCases(t *testing.T) {
	files, err := filepath.Glob("testdata/cases/*.yaml")
	require.NoError(t, err)
	require.Len(t, files, 3)
	covered := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		cases, err := entitlement.ParseCases(data)
		require.NoError(t, err, f)
		for _, r := range func() []entitlement.CaseResult { _, rs := ghent.RunCases(cases); return rs }() {
			t.Run(filepath.Base(f)+"/"+r.Case.Name, func(t *testing.T) {
				assert.True(t, r.Passed, r.Problem)
			})
			covered[r.Case.Benefit]++
		}
	}
	for _, b := range ghent.Benefits() {
		assert.GreaterOrEqual(t, covered[b.ID], 5, b.ID)
	}
}

func TestCaseRunnerReportsFailureAndBadInput(t *testing.T) {
	cases, err := entitlement.ParseCases([]byte(`
- name: wrong expectation
  benefit: uitpas-kansentarief
  date: 2026-03-01
  person: {resident: true, increased_allowance: true}
  expect: not_eligible
- name: bad input
  benefit: uitpas-kansentarief
  date: 2026-03-01
  person:
    resident: maybe
    housing: social
  household: {vehicle_lez_status: banned}
  expect: eligible
`))
	require.NoError(t, err)
	sum, res := ghent.RunCases(cases)
	assert.Equal(t, "0 of 2 cases passed; failed: wrong expectation, bad input", sum)
	assert.Contains(t, res[0].Problem, "expected not_eligible")
	assert.Contains(t, res[0].Problem, "Increased healthcare allowance (the person): yes")
	require.ErrorIs(t, res[1].Err, entitlement.ErrValidation)
	assert.Contains(t, res[1].Problem, "line 11: \"maybe\" is not true or false")
	assert.Contains(t, res[1].Problem, "line 12: unknown fact \"housing\"")

	_, err = entitlement.ParseCases([]byte("- name: x\n  colour: red\n"))
	require.ErrorIs(t, err, entitlement.ErrValidation)
	assert.Contains(t, err.Error(), "line 2")
}

func FuzzParseCases(f *testing.F) {
	data, _ := os.ReadFile("testdata/cases/lez-social-measure.yaml")
	f.Add(data)
	f.Add([]byte("- name: a\n  person: {resident: yes}\n"))
	for _, doc := range adversarialYAML() {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		cases, err := entitlement.ParseCases(doc)
		if err != nil {
			if !errors.Is(err, entitlement.ErrValidation) {
				t.Fatalf("not a validation error: %v", err)
			}
			return
		}
		for _, c := range cases {
			r := ghent.RunCase(c)
			if r.Err == nil && r.Passed == (r.Problem != "") {
				t.Fatalf("passed=%v but problem %q", r.Passed, r.Problem)
			}
		}
	})
}
