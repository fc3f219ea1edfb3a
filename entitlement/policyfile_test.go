package entitlement_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
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

// TestRunReportMasksNationalNumbers: subject IDs are often national
// register numbers, and a report's texts travel to logs and mail.
func TestRunReportMasksNationalNumbers(t *testing.T) {
	const insz = "80010101144"
	svc := entitlement.NewService(ghent, entitlement.NewMemStore(nil), clock.NewSettable(benchDay.Start()))
	bad := subject(t, ghent, facts{"resident": entitlement.Bool(true)}, nil)
	bad.ID = insz
	require.NoError(t, bad.Set("resident", entitlement.Bool(false), entitlement.Provenance{Source: "own"}))
	foreign := entitlement.MustCompile(entitlement.GhentExample()).Schema().NewSubject("85073003328")
	rep, err := svc.Run(context.Background(), slices.Values([]*entitlement.Subject{bad, foreign}), entitlement.RunOptions{
		Date: benchDay, Actor: "batch", DecisionRef: "CBS", Benefits: []string{entitlement.BenefitUiTPASKansentarief}})
	require.NoError(t, err)
	require.Len(t, rep.Faulty, 2)
	elevenDigits := regexp.MustCompile(`\d{11}`)
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	for _, f := range rep.Faulty {
		assert.NotRegexp(t, elevenDigits, f.Error)
		assert.Contains(t, f.Error, "*********")
		log.Info("faulty", "subject", f)
	}
	assert.True(t, slices.ContainsFunc(rep.Faulty, func(f entitlement.FaultySubject) bool {
		return strings.Contains(f.Error, "contradictory")
	}), "%v", rep.Faulty)
	assert.NotRegexp(t, elevenDigits, logged.String())
	_, err = ghent.Evaluate(bad, entitlement.BenefitUiTPASKansentarief, benchDay)
	require.ErrorIs(t, err, entitlement.ErrContradictoryFacts)
	assert.NotRegexp(t, elevenDigits, err.Error())
}

func TestRunReportKeepsShortIDsReadable(t *testing.T) {
	svc := entitlement.NewService(ghent, entitlement.NewMemStore(nil), clock.NewSettable(benchDay.Start()))
	bad := subject(t, ghent, facts{"resident": entitlement.Bool(true)}, nil)
	bad.ID = "a"
	require.NoError(t, bad.Set("resident", entitlement.Bool(false), entitlement.Provenance{Source: "own"}))
	rep, err := svc.Run(context.Background(), slices.Values([]*entitlement.Subject{bad}), entitlement.RunOptions{
		Date: benchDay, Actor: "batch", DecisionRef: "CBS", Benefits: []string{entitlement.BenefitUiTPASKansentarief}})
	require.NoError(t, err)
	require.Len(t, rep.Faulty, 1)
	assert.Contains(t, rep.Faulty[0].Error, "contradictory facts")
}
