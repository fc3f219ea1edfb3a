package subsidytest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

// Harness is one store under test and the events it committed, in the
// manner of Go CDK's drivertest: the memory store's test records what it
// published (event.Recorder), the PostgreSQL store's reads its outbox.
type Harness struct {
	Store subsidy.Store
	// Committed returns every event the store committed so far, in commit
	// order.
	Committed func(t *testing.T) []event.Event
}

// storeHarness hands the shared event subtests subsidy's operations on an
// application: CreateDraft (with its idempotency key), Submit, a step the
// lifecycle refuses inside the store's update, and a decision taken on the
// version the draft was created with.
func storeHarness(t *testing.T, h Harness) eventtest.StoreHarness {
	ctx := context.Background()
	svc := subsidy.NewService(h.Store, clock.NewSettable(Opens.Add(time.Hour)))
	sc, err := svc.CreateScheme(ctx, subsidy.SchemeInput{Name: "Renovation premium", Regulation: "GR 2025-12-15", LegalBasis: "Decreet lokaal bestuur art. 41", BudgetArticle: "0630-00/6490000"})
	require.NoError(t, err)
	call, err := svc.CreateCall(ctx, sc.ID, Rules())
	require.NoError(t, err)
	return eventtest.StoreHarness{
		Committed: h.Committed,
		Create: func(ctx context.Context, key string) (uuid.UUID, error) {
			in := Input(call.ID, "100")
			in.IdempotencyKey = key
			a, err := svc.CreateDraft(ctx, in)
			return a.ID, err
		},
		Change: func(ctx context.Context, id uuid.UUID) error { return svc.Submit(ctx, id) },
		FailingChange: func(ctx context.Context, id uuid.UUID) error {
			// a draft cannot go to assessment: the rule fails inside the update
			return svc.StartAssessment(ctx, id)
		},
		StaleChange: func(ctx context.Context, id uuid.UUID) error {
			return svc.Decide(ctx, id, subsidy.DecisionInput{Amount: eur("0"), Motivation: "taken on the draft", Version: 1})
		},
	}
}
