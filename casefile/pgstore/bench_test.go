package pgstore_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/casefiletest"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

// benchmarkTransitions runs b.N transitions spread over workers, each
// worker on a case of its own so they contend for the pool and the
// database, not for one row. Each transition suspends or resumes the
// deadline, so it is a full change: row lock, version check, case update,
// timeline entries and outbox events in one transaction.
func benchmarkTransitions(b *testing.B, workers int) {
	st := newStore(b, int32(workers+2))
	svc, err := casefile.NewService(casefile.Config{
		Municipality: "44021", Store: st, Clock: clock.NewSettable(casefiletest.Start),
		Types: []*casefile.CaseType{casefile.PublicSpaceReports()},
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	clerk := casefile.Actor{ID: "clerk-1", Role: casefile.RoleClerk}
	cases := make([]*casefile.Case, workers)
	for i := range cases {
		c, err := svc.Create(ctx, casefiletest.Report("roads", "pothole"))
		if err != nil {
			b.Fatal(err)
		}
		if cases[i], err = svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: 1, Transition: "accept", Actor: clerk}); err != nil {
			b.Fatal(err)
		}
	}
	var left atomic.Int64
	left.Store(int64(b.N))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			c := cases[w]
			for left.Add(-1) >= 0 {
				name := "ask_citizen"
				if c.Status == "waiting" {
					name = "citizen_replied"
				}
				var err error
				c, err = svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: name, Actor: clerk})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	rate := float64(b.N) / time.Since(start).Seconds()
	b.StopTimer()
	b.ReportMetric(rate, "transitions/s")
	if workers > 1 {
		pgtest.ReportVsPgbench(b, rate, workers)
	}
}

// BenchmarkTransitions1 is one worker: the latency of a transition.
func BenchmarkTransitions1(b *testing.B) { benchmarkTransitions(b, 1) }

// BenchmarkTransitions16 is sixteen concurrent workers: the throughput.
func BenchmarkTransitions16(b *testing.B) { benchmarkTransitions(b, 16) }
