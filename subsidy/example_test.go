package subsidy_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
	"github.com/lokaalbestuur/bouwstenen/subsidy/subsidytest"
)

// Example follows one application from the call to the final payment.
func Example() {
	ctx := context.Background()
	rec := &event.Recorder{}
	clk := clock.NewSettable(subsidytest.Opens.Add(time.Hour))
	svc := subsidy.NewService(subsidy.NewMemStore(rec), clk)

	scheme, _ := svc.CreateScheme(ctx, subsidy.SchemeInput{Name: "Energy renovation premium",
		Regulation: "Council decision 2025-12-15", LegalBasis: "Decreet lokaal bestuur art. 41", BudgetArticle: "0630-00/6490000"})
	call, _ := svc.CreateCall(ctx, scheme.ID, subsidytest.Rules()) // 50 % advance, final = min(grant, 80 % of costs)

	app, _ := svc.CreateDraft(ctx, subsidytest.Input(call.ID, "2000"))
	_ = svc.Submit(ctx, app.ID)
	reasons, _ := svc.CheckAdmissibility(ctx, app.ID)
	fmt.Println("inadmissible reasons:", len(reasons))
	_ = svc.StartAssessment(ctx, app.ID)
	_ = svc.AddScore(ctx, app.ID, subsidy.Score{Assessor: "ann", Criterion: "impact", Points: 8, Motivation: "large saving"})
	_ = svc.AddScore(ctx, app.ID, subsidy.Score{Assessor: "ann", Criterion: "quality", Points: 7, Motivation: "clear plan"})
	_, alloc, _ := svc.Proposal(ctx, call.ID)
	fmt.Println("proposed:", alloc[0].Outcome, alloc[0].Proposed)

	_ = svc.Decide(ctx, app.ID, subsidy.DecisionInput{Amount: alloc[0].Proposed, Motivation: "college 2026-04-20"})
	advance, _ := svc.OrderPayments(ctx, app.ID)
	_ = svc.ConfirmPayment(ctx, app.ID, advance[0].ID)
	fmt.Println("advance paid:", advance[0].Amount)

	_ = svc.SubmitJustification(ctx, app.ID, []subsidy.CostLine{{Description: "roof insulation invoice", Amount: decimal.RequireFromString("2250")}})
	final, _ := svc.ApproveJustification(ctx, app.ID, decimal.RequireFromString("2250"))
	balance, _ := svc.OrderPayments(ctx, app.ID)
	fmt.Println("final amount:", final, "balance:", balance[0].Amount)

	c, _ := svc.Store().Call(ctx, call.ID)
	fmt.Println("reserved:", c.Ledger.Reserved, "paid:", c.Ledger.Paid)
	fmt.Println("events:", len(rec.Events()))
	// Output:
	// inadmissible reasons: 0
	// proposed: granted 2000
	// advance paid: 1000
	// final amount: 1800 balance: 800
	// reserved: 800 paid: 1000
	// events: 14
}
