package subsidy

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// TestLedgerHeldForEveryStore: the budget invariant is the service's,
// checked after every change under the store's lock, so a store that
// knows no rule (the memory store has no CHECK constraint) still refuses
// a change that would commit more than the budget, and stores nothing.
func TestLedgerHeldForEveryStore(t *testing.T) {
	ctx := context.Background()
	rec := &event.Recorder{}
	svc := NewService(NewMemStore(rec), nil)
	sc, err := svc.CreateScheme(ctx, SchemeInput{Name: "n", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
	require.NoError(t, err)
	opens := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	call, err := svc.CreateCall(ctx, sc.ID, CallRules{Title: "t", Opens: opens, Closes: opens.AddDate(0, 1, 0),
		Budget: decimal.NewFromInt(1000), MaxPerApplicant: decimal.NewFromInt(500), MaxPerApplication: decimal.NewFromInt(500),
		Criteria: []Criterion{{ID: "c", Name: "c", Weight: 1, MaxPoints: 10}}, Aggregation: Mean, Partial: PartialGrant, CostShare: decimal.NewFromInt(1)})
	require.NoError(t, err)
	rec.Reset()

	err = svc.change(ctx, call.ID, nil, func(c *Call, _ []*Application) ([]event.Event, error) {
		c.Ledger.Reserved = decimal.NewFromInt(900) // a rule gone wrong
		c.Ledger.Paid = decimal.NewFromInt(101)
		return []event.Event{newEvent(EventBudgetChanged, c.ID, opens, Change{CallID: c.ID})}, nil
	})
	assert.ErrorIs(t, err, ErrBudgetExceeded)
	got, err := svc.Call(ctx, call.ID)
	require.NoError(t, err)
	assert.True(t, got.Ledger.Committed().IsZero(), "nothing stored")
	assert.Equal(t, call.Version, got.Version)
	assert.Empty(t, rec.Events(), "nothing published")

	require.NoError(t, svc.change(ctx, call.ID, []uuid.UUID{}, func(c *Call, _ []*Application) ([]event.Event, error) {
		c.Ledger.Reserved = decimal.NewFromInt(1000) // exactly the budget
		return nil, nil
	}))
}

func TestLedgerCheck(t *testing.T) {
	d := decimal.RequireFromString
	for _, tc := range []struct {
		reserved, paid, budget string
		ok                     bool
	}{
		{"0", "0", "0", true},
		{"600", "400", "1000", true},
		{"600", "400.01", "1000", false},
		{"1000.01", "0", "1000", false},
	} {
		err := Ledger{Reserved: d(tc.reserved), Paid: d(tc.paid)}.Check(d(tc.budget))
		if tc.ok {
			assert.NoError(t, err, "%+v", tc)
		} else {
			assert.ErrorIs(t, err, ErrBudgetExceeded, "%+v", tc)
		}
	}
}
