package subsidy_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
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

	c, _ := svc.Call(ctx, call.ID)
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

// ExampleWithApplicantKeys configures the municipality's secret for the
// applicant references and rotates it: calls keep the key they were made
// under, new calls take the current one.
func ExampleWithApplicantKeys() {
	ctx := context.Background()
	st := subsidy.NewMemStore(nil)
	clk := clock.NewSettable(subsidytest.Opens.Add(time.Hour))
	k2025 := subsidy.ApplicantKey{ID: "2025", Secret: []byte("a secret of 32 bytes or more: 2025!")} // from a secret manager
	svc := subsidy.NewService(st, clk, subsidy.WithApplicantKeys(k2025))
	scheme, _ := svc.CreateScheme(ctx, subsidy.SchemeInput{Name: "Energy renovation premium", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
	old, _ := svc.CreateCall(ctx, scheme.ID, subsidytest.Rules())

	k2026 := subsidy.ApplicantKey{ID: "2026", Secret: []byte("another secret of 32 bytes: 2026!!")}
	svc = subsidy.NewService(st, clk, subsidy.WithApplicantKeys(k2026, k2025))
	fresh, _ := svc.CreateCall(ctx, scheme.ID, subsidytest.Rules())
	_, err := svc.CreateDraft(ctx, subsidytest.Input(old.ID, "100"))
	fmt.Println("old call uses key", old.ApplicantKeyID, "draft error:", err)
	fmt.Println("new call uses key", fresh.ApplicantKeyID)
	// Output:
	// old call uses key 2025 draft error: <nil>
	// new call uses key 2026
}

// ExampleService_CreateDraft_retry creates a draft under an idempotency
// key, as a form does that may be sent twice: the repeat is the first
// draft, and the key with other input is a conflict.
func ExampleService_CreateDraft_retry() {
	ctx := context.Background()
	rec := &event.Recorder{}
	svc := subsidy.NewService(subsidy.NewMemStore(rec), clock.NewSettable(subsidytest.Opens.Add(time.Hour)))
	scheme, _ := svc.CreateScheme(ctx, subsidy.SchemeInput{Name: "Energy renovation premium", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
	call, _ := svc.CreateCall(ctx, scheme.ID, subsidytest.Rules())

	in := subsidytest.Input(call.ID, "2000")
	in.IdempotencyKey = "apply-form:9c41e2" // one key per form the applicant filled in
	first, _ := svc.CreateDraft(ctx, in)
	again, err := svc.CreateDraft(ctx, in)
	fmt.Println("same draft:", again.ID == first.ID, err)
	in.Requested = decimal.RequireFromString("2500")
	_, err = svc.CreateDraft(ctx, in)
	fmt.Println("other input:", errors.Is(err, subsidy.ErrConflict))
	fmt.Println("drafted events:", len(rec.Events())-2)
	// Output:
	// same draft: true <nil>
	// other input: true
	// drafted events: 1
}

// ExampleService_ApplicationsOf lists "my applications" of a person and
// their enterprise, over every call, by their numbers.
func ExampleService_ApplicationsOf() {
	ctx := context.Background()
	svc := subsidy.NewService(subsidy.NewMemStore(nil), clock.NewSettable(subsidytest.Opens.Add(time.Hour)))
	scheme, _ := svc.CreateScheme(ctx, subsidy.SchemeInput{Name: "Energy renovation premium", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
	roofs, _ := svc.CreateCall(ctx, scheme.ID, subsidytest.Rules())
	rules := subsidytest.Rules()
	rules.Title = "Facades 2026"
	facades, _ := svc.CreateCall(ctx, scheme.ID, rules)
	_, _ = svc.CreateDraft(ctx, subsidytest.Input(roofs.ID, "1000"))   // by the enterprise 0207.446.772
	_, _ = svc.CreateDraft(ctx, subsidytest.Input(facades.ID, "2000")) // and again

	for a, err := range svc.ApplicationsOf(ctx, "0207.446.772") {
		if err != nil {
			fmt.Println(err)
			return
		}
		c, _ := svc.Call(ctx, a.CallID)
		fmt.Println(c.Title, a.Requested, a.Status)
	}
	// Output:
	// Energy renovation 2026 1000 draft
	// Facades 2026 2000 draft
}

// ExampleWriteCreditTransfers writes a SEPA payout file: names are
// transliterated to the SEPA character set, BICs written in upper case.
func ExampleWriteCreditTransfers() {
	in := subsidy.Initiation{MessageID: "GENT-2026-0001", Created: time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC),
		Debtor: "Stad Gent", DebtorIBAN: "BE71096123456769", DebtorBIC: "gkccbebb", Execution: time.Date(2026, 5, 5, 0, 0, 0, 0, clock.Brussels)}
	transfers := func(yield func(subsidy.Transfer, error) bool) {
		yield(subsidy.Transfer{EndToEndID: "SUB-2026-17", Amount: decimal.RequireFromString("750.00"),
			Creditor: "Łukasz Żółć", IBAN: subsidytest.ValidIBAN, Remittance: "Premie dakisolatie – Jürgen Groß"}, nil)
	}
	var b strings.Builder
	tot, err := subsidy.WriteCreditTransfers(&b, in, transfers)
	fmt.Println(tot.Count, tot.Sum, err)
	for _, tag := range []string{"InitgPty", "DbtrAgt", "Cdtr", "RmtInf"} {
		s := b.String()
		i := strings.Index(s, "<"+tag+">")
		j := strings.Index(s, "</"+tag+">")
		fmt.Println(s[i : j+len(tag)+3])
	}
	// Output:
	// 1 750 <nil>
	// <InitgPty><Nm>Stad Gent</Nm></InitgPty>
	// <DbtrAgt><FinInstnId><BICFI>GKCCBEBB</BICFI></FinInstnId></DbtrAgt>
	// <Cdtr><Nm>Lukasz Zolc</Nm></Cdtr>
	// <RmtInf><Ustrd>Premie dakisolatie - Jurgen Gross</Ustrd></RmtInf>
}
