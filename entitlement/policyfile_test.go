package entitlement_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

var update = flag.Bool("update", false, "rewrite testdata/ghent-example.json from GhentExample")

// TestShippedPolicyDocument keeps the JSON document a policy officer edits
// in step with the Go declaration of the examples.
func TestShippedPolicyDocument(t *testing.T) {
	const path = "testdata/ghent-example.json"
	want, err := json.MarshalIndent(entitlement.GhentExample(), "", "  ")
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.WriteFile(path, append(want, '\n'), 0o644))
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	p, rs, err := entitlement.ParsePolicy(data)
	require.NoError(t, err)
	got, err := json.MarshalIndent(p, "", "  ")
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got))
	assert.Len(t, rs.Benefits(), 3)
}

func TestRunReportsFaultySubjectsAndGoesOn(t *testing.T) {
	svc := entitlement.NewService(ghent, entitlement.NewMemStore(nil), clock.NewSettable(benchDay.Start()))
	good := subject(t, ghent, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(true)}, nil)
	good.ID = "good"
	bad := subject(t, ghent, facts{"resident": entitlement.Bool(true)}, nil)
	bad.ID = "bad"
	require.NoError(t, bad.Set("resident", entitlement.Bool(false), entitlement.Provenance{Source: "own"}))
	rep, err := svc.Run(context.Background(), slices.Values([]*entitlement.Subject{bad, good}), entitlement.RunOptions{
		Date: benchDay, Actor: "batch", DecisionRef: "CBS", Benefits: []string{entitlement.BenefitUiTPASKansentarief}})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Granted)
	require.Len(t, rep.Faulty, 1)
	assert.Equal(t, "bad", rep.Faulty[0].SubjectID)
	assert.Contains(t, rep.Faulty[0].Error, "contradictory")
}

func TestResultSnapshotRoundTrips(t *testing.T) {
	s := subject(t, ghent, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(false), "debt_mediation": entitlement.Bool(false)}, facts{"household_income": money("20000")})
	r, err := ghent.Evaluate(s, entitlement.BenefitUiTPASKansentarief, benchDay)
	require.NoError(t, err)
	data, err := json.Marshal(r)
	require.NoError(t, err)
	var back entitlement.Result
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, r.Text(entitlement.Dutch), back.Text(entitlement.Dutch))
}
