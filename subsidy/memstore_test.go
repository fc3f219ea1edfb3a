package subsidy_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"

	"github.com/lokaalbestuur/bouwstenen/subsidy"
	"github.com/lokaalbestuur/bouwstenen/subsidy/subsidytest"
)

func TestMemStore(t *testing.T) {
	subsidytest.Run(t, func(*testing.T) subsidytest.Harness {
		rec := &event.Recorder{}
		return subsidytest.Harness{Store: subsidy.NewMemStore(rec), Committed: func(*testing.T) []event.Event { return rec.Events() }}
	})
}

func TestMemStoreEventsOnlyOnCommit(t *testing.T) {
	ctx := context.Background()
	rec := &event.Recorder{}
	svc := subsidy.NewService(subsidy.NewMemStore(rec), clock.NewSettable(subsidytest.Opens.Add(time.Hour)))
	sc, err := svc.CreateScheme(ctx, subsidy.SchemeInput{Name: "n", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
	require.NoError(t, err)
	call, err := svc.CreateCall(ctx, sc.ID, subsidytest.Rules())
	require.NoError(t, err)
	app, err := svc.CreateDraft(ctx, subsidytest.Input(call.ID, "100"))
	require.NoError(t, err)
	rec.Reset()

	assert.ErrorIs(t, svc.StartAssessment(ctx, app.ID), subsidy.ErrInvalidTransition)
	_, err = svc.OrderPayments(ctx, app.ID)
	assert.ErrorIs(t, err, subsidy.ErrNotDecided)
	assert.Empty(t, rec.Events(), "a failed use case emits nothing")

	require.NoError(t, svc.Submit(ctx, app.ID))
	assert.Equal(t, []string{subsidy.EventSubmitted}, rec.Types())
	ch, err := event.Decode[subsidy.Change](rec.Events()[0])
	require.NoError(t, err)
	assert.Equal(t, app.ID, ch.ApplicationID)
	assert.Equal(t, subsidy.Submitted, ch.Status)
}

// kbo makes a distinct valid enterprise number: eight digits (a leading
// zero) and 97 minus their remainder by 97.
func kbo(i int) string {
	base := 2000000 + i
	return fmt.Sprintf("0%07d%02d", base, 97-base%97)
}

// BenchmarkApplicationsOf lists one applicant's two applications among
// many others': the memory store reads its index by reference, so the
// cost stays that of two applications however many others there are.
func BenchmarkApplicationsOf(b *testing.B) {
	for _, others := range []int{100, 10000} {
		b.Run(fmt.Sprintf("others=%d", others), func(b *testing.B) {
			ctx := context.Background()
			svc := subsidy.NewService(subsidy.NewMemStore(nil), clock.NewSettable(subsidytest.Opens.Add(time.Hour)))
			sc, err := svc.CreateScheme(ctx, subsidy.SchemeInput{Name: "n", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
			require.NoError(b, err)
			call, err := svc.CreateCall(ctx, sc.ID, subsidytest.Rules())
			require.NoError(b, err)
			for i := range others + 2 {
				in := subsidytest.Input(call.ID, "100")
				if i >= 2 {
					in.Applicant.KBO = kbo(i)
				}
				_, err := svc.CreateDraft(ctx, in)
				require.NoError(b, err)
			}
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				for _, err := range svc.ApplicationsOf(ctx, subsidytest.ValidKBO) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n != 2 {
					b.Fatalf("%d applications", n)
				}
			}
		})
	}
}
