package subsidy_test

import (
	"context"
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
