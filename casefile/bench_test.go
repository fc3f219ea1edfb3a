package casefile_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/casefiletest"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
)

func newBenchService(b testing.TB, st casefile.Store) *casefile.Service {
	svc, err := casefile.NewService(casefile.Config{
		Municipality: "44021", Store: st, Clock: clock.NewSettable(casefiletest.Start),
		Types:   []*casefile.CaseType{casefile.PublicSpaceReports()},
		Routing: []casefile.RoutingRule{{Team: "lighting", Category: "street_lighting"}},
	})
	if err != nil {
		b.Fatal(err)
	}
	return svc
}

// BenchmarkCreateAndTransition measures filing a report and accepting it in
// the in-memory store: the engine's own overhead per case.
func BenchmarkCreateAndTransition(b *testing.B) {
	benchCreateAndTransition(b, casefiletest.Report("street_lighting", "lamp_out"))
}

// BenchmarkCreateAndTransitionWithRequester is BenchmarkCreateAndTransition
// for a requester who gives an ID, whose case the requester index keeps.
func BenchmarkCreateAndTransitionWithRequester(b *testing.B) {
	req := casefiletest.Report("street_lighting", "lamp_out")
	req.Requester.Kind, req.Requester.ID = casefile.PartyEnterprise, "0207.446.772"
	benchCreateAndTransition(b, req)
}

func benchCreateAndTransition(b *testing.B, req casefile.CreateRequest) {
	svc := newBenchService(b, casefile.NewMemStore(event.Discard))
	ctx := context.Background()
	actor := casefile.Actor{ID: "clerk-1", Role: casefile.RoleClerk}
	b.ReportAllocs()
	for b.Loop() {
		c, err := svc.Create(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: 1, Transition: "accept", Actor: actor}); err != nil {
			b.Fatal(err)
		}
	}
}

const (
	bigOpen    = 1_000_000
	bigOverdue = 50
)

var (
	bigOnce  sync.Once
	bigStore *casefile.MemStore
	bigNow   = casefiletest.Start.Add(30 * 24 * time.Hour)
)

// bigSet builds, once per process, a store with a million open cases of
// which 50, scattered through creation order, are overdue at bigNow.
func bigSet() *casefile.MemStore {
	bigOnce.Do(func() {
		defer debug.SetGCPercent(debug.SetGCPercent(-1)) // one collection at the end instead of many during the build
		st := casefile.NewMemStore(event.Discard)
		ctx := context.Background()
		none := func(*casefile.Case) (casefile.Change, error) { return casefile.Change{}, nil }
		every := bigOpen / bigOverdue
		c := new(casefile.Case) // the store keeps its own copy, so one will do
		for i := range bigOpen {
			var id uuid.UUID
			binary.BigEndian.PutUint64(id[8:], uint64(i+1))
			due := bigNow.Add(time.Duration(1+i%1000) * time.Hour)
			if i%every == every/2 {
				due = bigNow.Add(-time.Duration(1+i%97) * time.Hour)
			}
			*c = casefile.Case{ID: id, Municipality: "44021", Type: "meldingen", Category: "waste",
				Status: "reported", Team: "clean", Priority: casefile.PriorityNormal, Due: due,
				CreatedAt: casefiletest.Start, UpdatedAt: casefiletest.Start}
			if err := st.Create(ctx, c, none); err != nil {
				panic(err)
			}
		}
		bigStore = st
		runtime.GC() // so no collection of the big heap lands inside the timed loop
	})
	return bigStore
}

// BenchmarkListOverdue lists the 50 overdue cases among a million open ones
// through the due-date index.
func BenchmarkListOverdue(b *testing.B) {
	st := bigSet()
	ctx := context.Background()
	q := casefile.Query{DueBefore: bigNow, Limit: 50}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := st.List(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Cases) != bigOverdue || p.Next != "" {
			b.Fatalf("got %d overdue cases, next %q", len(p.Cases), p.Next)
		}
	}
}

const (
	reqCases      = 100_000
	reqRequesters = 5_000 // so each requester has reqCases/reqRequesters = 20 cases
)

var (
	reqOnce  sync.Once
	reqStore *casefile.MemStore
)

// requesterOf is the requester ID of case i of reqSet: the requesters take
// turns, so one requester's cases lie scattered through creation order.
func requesterOf(i int) string {
	return fmt.Sprintf("%011d", 85000000000+i%reqRequesters)
}

// reqSet builds, once per process, a store of 100,000 cases filed by 5,000
// requesters, 20 cases each.
func reqSet() *casefile.MemStore {
	reqOnce.Do(func() {
		st := casefile.NewMemStore(event.Discard)
		ctx := context.Background()
		none := func(*casefile.Case) (casefile.Change, error) { return casefile.Change{}, nil }
		c := new(casefile.Case)
		for i := range reqCases {
			var id uuid.UUID
			binary.BigEndian.PutUint64(id[8:], uint64(i+1))
			*c = casefile.Case{ID: id, Municipality: "44021", Type: "meldingen", Category: "waste",
				Requester: casefile.Requester{Kind: casefile.PartyPerson, ID: requesterOf(i)},
				Status:    "reported", Team: "clean", Priority: casefile.PriorityNormal, Due: bigNow,
				CreatedAt: casefiletest.Start, UpdatedAt: casefiletest.Start}
			if err := st.Create(ctx, c, none); err != nil {
				panic(err)
			}
		}
		reqStore = st
		runtime.GC()
	})
	return reqStore
}

// BenchmarkListByRequester lists the 20 cases of one requester among
// 100,000, as the portal's "Mijn dossiers" page does: in one page, and in
// pages of 5 that follow the cursor.
func BenchmarkListByRequester(b *testing.B) {
	st := reqSet()
	ctx := context.Background()
	who := requesterOf(4242)
	for _, limit := range []int{50, 5} {
		b.Run(fmt.Sprint("limit=", limit), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				q := casefile.Query{RequesterID: who, Limit: limit}
				n := 0
				for {
					p, err := st.List(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					n += len(p.Cases)
					if p.Next == "" {
						break
					}
					q.Cursor = p.Next
				}
				if n != reqCases/reqRequesters {
					b.Fatalf("got %d cases of %s", n, who)
				}
			}
		})
	}
}
