package entitlement_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

var benchDay = calendar.NewDate(2026, 3, 1)

// BenchmarkBatchMillion runs the three shipped benefits over 1,000,000
// synthetic subjects generated while streaming, explanations off.
func BenchmarkBatchMillion(b *testing.B) { benchBatch(b, 1_000_000) }

// BenchmarkBatchHundredThousand shows, next to BenchmarkBatchMillion, that
// allocations per batch do not grow with the population: they are the
// workers' reusable buffers, not per subject.
func BenchmarkBatchHundredThousand(b *testing.B) { benchBatch(b, 100_000) }

func benchBatch(b *testing.B, n int) {
	b.ReportAllocs()
	for b.Loop() {
		rep, err := ghent.Batch(context.Background(), population(ghent, n), entitlement.BatchOptions{Date: benchDay})
		require.NoError(b, err)
		require.Equal(b, n, rep.Subjects)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/subject")
}

const evalN = 4096

var (
	evalOnce     sync.Once
	evalSubjects []*entitlement.Subject
	evalSynth    []synth
)

func evalPopulation() ([]*entitlement.Subject, []synth) {
	evalOnce.Do(func() {
		r := rng(7)
		sl := slotsOf(ghent.Schema())
		for i := range evalN {
			sy := draw(&r)
			s := ghent.Schema().NewSubject("s" + string(rune(i)))
			sy.fill(s, sl)
			evalSubjects = append(evalSubjects, s)
			evalSynth = append(evalSynth, sy)
		}
	})
	return evalSubjects, evalSynth
}

// BenchmarkEvaluateCompiled is the single-core cost of the three rules per
// subject, comparable with BenchmarkEvaluateExpr.
func BenchmarkEvaluateCompiled(b *testing.B) {
	subjects, _ := evalPopulation()
	p := ghent.At(benchDay)
	b.ReportAllocs()
	eligible := 0
	out := make([]entitlement.Outcome, 3)
	for b.Loop() {
		for _, s := range subjects {
			if err := p.Outcomes(s, out, nil); err != nil {
				b.Fatal(err)
			}
			for _, o := range out {
				if o == entitlement.Eligible {
					eligible++
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/evalN, "ns/subject")
}

func BenchmarkExplain(b *testing.B) {
	subjects, _ := evalPopulation()
	p := ghent.At(benchDay)
	b.ReportAllocs()
	for b.Loop() {
		_, err := p.Explain(subjects[0], 0)
		require.NoError(b, err)
	}
}
