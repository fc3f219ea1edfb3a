package entitlement_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/entitlement/entitlementtest"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

func TestMemStore(t *testing.T) {
	entitlementtest.Run(t, func(*testing.T) entitlementtest.Harness {
		rec := &event.Recorder{}
		return entitlementtest.Harness{Store: entitlement.NewMemStore(rec), Committed: func(*testing.T) []event.Event { return rec.Events() }}
	})
}

func TestServiceEmitsEvents(t *testing.T) {
	rec := &event.Recorder{}
	st := entitlement.NewMemStore(rec)
	svc := entitlement.NewService(ghent, st, clock.NewSettable(benchDay.Start()))
	s := subject(t, ghent, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(true)}, nil)
	one := func(yield func(*entitlement.Subject) bool) { yield(s) }
	rep, err := svc.Run(context.Background(), one, entitlement.RunOptions{Date: benchDay, Actor: "batch", DecisionRef: "CBS", Benefits: []string{entitlement.BenefitUiTPASKansentarief}})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Granted)
	require.NoError(t, svc.OptOut(context.Background(), "s1", entitlement.BenefitUiTPASKansentarief, "", "citizen"))
	assert.Equal(t, []string{entitlement.EventGranted, entitlement.EventOptedOut}, rec.Types())
	p, err := event.Decode[entitlement.GrantEvent](rec.Events()[1])
	require.NoError(t, err)
	assert.Equal(t, entitlement.GrantOptedOut, p.Status)
	_, err = svc.Run(context.Background(), one, entitlement.RunOptions{Date: calendar.Date{}})
	assert.ErrorIs(t, err, entitlement.ErrValidation)
}

// BenchmarkMemStoreReads reads one subject's grants, refusal and audit
// among 100,000 subjects: the cost of the answer, not of the store.
func BenchmarkMemStoreReads(b *testing.B) {
	ctx := context.Background()
	st := entitlement.NewMemStore(nil)
	for i := range 100_000 {
		s := fmt.Sprintf("s%06d", i)
		g := &entitlement.Grant{ID: id.New(), SubjectID: s, Benefit: "b1", Status: entitlement.GrantActive}
		require.NoError(b, st.Create(ctx, g, entitlement.GrantChange{Audit: entitlement.AuditEntry{ID: id.New(), SubjectID: s, Benefit: "b1", GrantID: g.ID}}))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s := fmt.Sprintf("s%06d", i%100_000)
		n := 0
		for _, err := range st.Grants(ctx, s) {
			require.NoError(b, err)
			n++
		}
		for _, err := range st.Audit(ctx, s) {
			require.NoError(b, err)
			n++
		}
		if _, err := st.Current(ctx, s, "b1"); err != nil || n != 2 {
			b.Fatal(err, n)
		}
		if _, err := st.OptOutOf(ctx, s, "b1"); err == nil {
			b.Fatal("no refusal")
		}
	}
}
