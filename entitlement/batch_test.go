package entitlement_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

func TestBatchClassifiesAgainstGrants(t *testing.T) {
	mk := func(id string, p, h facts) *entitlement.Subject {
		s := subject(t, ghent, p, h)
		s.ID = id
		return s
	}
	yes, no := entitlement.Bool(true), entitlement.Bool(false)
	pop := []*entitlement.Subject{
		mk("new", facts{"resident": yes, "increased_allowance": yes}, nil),
		mk("kept", facts{"resident": yes, "increased_allowance": yes}, nil),
		mk("lost", facts{"resident": no}, nil),
		mk("unknown", facts{"resident": yes, "increased_allowance": no, "debt_mediation": no}, nil),
		mk("none", facts{"resident": no}, nil),
	}
	bad := mk("bad", facts{"resident": yes}, nil)
	require.NoError(t, bad.Set("resident", no, entitlement.Provenance{Source: "other"}))
	pop = slices.Insert(pop, 2, bad)

	held := entitlement.GrantSet{}
	held.Add("kept", entitlement.BenefitUiTPASKansentarief)
	held.Add("lost", entitlement.BenefitUiTPASKansentarief)

	var mu sync.Mutex
	got := map[string]entitlement.ChangeKind{}
	var missing []string
	var progress []int
	rep, err := ghent.Batch(context.Background(), slices.Values(pop), entitlement.BatchOptions{
		Date: benchDay, Benefits: []string{entitlement.BenefitUiTPASKansentarief}, Holdings: held, Workers: 2, ReportUnchanged: true,
		OnChange: func(c entitlement.Change) {
			mu.Lock()
			defer mu.Unlock()
			got[c.SubjectID] = c.Kind
			if c.Kind == entitlement.MissingData {
				missing = slices.Clone(c.Missing)
			}
		},
		OnProgress: func(done int) { progress = append(progress, done) },
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]entitlement.ChangeKind{
		"new": entitlement.NewlyEntitled, "kept": entitlement.StillEntitled, "lost": entitlement.NoLongerEntitled,
		"unknown": entitlement.MissingData, "bad": entitlement.Faulty,
	}, got)
	assert.Equal(t, []string{"household_income"}, missing)
	assert.Equal(t, 6, rep.Subjects)
	assert.Equal(t, 1, rep.Faulty)
	c := rep.Counts[entitlement.BenefitUiTPASKansentarief]
	assert.Equal(t, 1, c[entitlement.NotEntitled])
	assert.Equal(t, []int{6}, progress)
}

func TestBatchLargeReusedIteratorMatchesSingleEvaluation(t *testing.T) {
	const n = 3000
	var mu sync.Mutex
	newly := map[string]int{}
	rep, err := ghent.Batch(context.Background(), population(ghent, n), entitlement.BatchOptions{Date: benchDay, OnChange: func(c entitlement.Change) {
		if c.Kind == entitlement.NewlyEntitled {
			mu.Lock()
			newly[c.Benefit]++
			mu.Unlock()
		}
	}})
	require.NoError(t, err)
	want := map[string]int{}
	p := ghent.At(benchDay)
	for s := range population(ghent, n) {
		for i, b := range ghent.Benefits() {
			o, err := p.Outcome(s, i)
			require.NoError(t, err)
			if o == entitlement.Eligible {
				want[b.ID]++
			}
		}
	}
	assert.Equal(t, want, newly)
	assert.Equal(t, n, rep.Subjects)
	for id, c := range rep.Counts {
		assert.Equal(t, want[id], c[entitlement.NewlyEntitled])
	}
}

func TestOutcomesDoNotAllocate(t *testing.T) {
	subjects, _ := evalPopulation()
	p := ghent.At(benchDay)
	out := make([]entitlement.Outcome, 3)
	allocs := testing.AllocsPerRun(20, func() {
		for _, s := range subjects[:100] {
			_ = p.Outcomes(s, out, nil)
		}
	})
	assert.Zero(t, allocs)
}

func TestBatchForeignSchemaSubjectIsFaulty(t *testing.T) {
	other := entitlement.MustCompile(entitlement.Policy{
		Facts:    []entitlement.FactDef{{Name: "x", Kind: entitlement.KindBool}},
		Benefits: []entitlement.Benefit{{ID: "b", Purpose: "p", LegalBasis: entitlement.LegalBasis{Decision: "d"}, Condition: entitlement.IsTrue("x")}},
	})
	good := subject(t, ghent, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(true)}, nil)
	stranger := other.Schema().NewSubject("stranger")
	var mu sync.Mutex
	var faulty []string
	rep, err := ghent.Batch(context.Background(), slices.Values([]*entitlement.Subject{stranger, good}), entitlement.BatchOptions{
		Date: benchDay, Benefits: []string{entitlement.BenefitUiTPASKansentarief},
		OnChange: func(c entitlement.Change) {
			if c.Kind == entitlement.Faulty {
				mu.Lock()
				faulty = append(faulty, c.SubjectID)
				mu.Unlock()
			}
		},
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"stranger"}, faulty)
	assert.Equal(t, 2, rep.Subjects)
	assert.Equal(t, 1, rep.Faulty)
	assert.Equal(t, 1, rep.Counts[entitlement.BenefitUiTPASKansentarief][entitlement.NewlyEntitled])

	_, err = ghent.Batch(context.Background(), slices.Values([]*entitlement.Subject{good}), entitlement.BatchOptions{Date: benchDay, Benefits: []string{"nope"}})
	assert.ErrorIs(t, err, entitlement.ErrUnknownBenefit)
}

// The fast path (compiled closures, no explanation) and the explaining
// path walk different code; they must agree on every outcome.
func TestFastPathAgreesWithExplanation(t *testing.T) {
	p := ghent.At(benchDay)
	seen := map[entitlement.Outcome]int{}
	for s := range population(ghent, 3000) {
		for i := range ghent.Benefits() {
			fast, err := p.Outcome(s, i)
			require.NoError(t, err)
			slow, err := p.Explain(s, i)
			require.NoError(t, err)
			require.Equal(t, slow.Outcome, fast, "subject %s, benefit %d", s.ID, i)
			seen[fast]++
		}
	}
	assert.Len(t, seen, 3, "the population reaches eligible, not eligible and unknown")
}
