// Package subsidytest is the conformance suite every subsidy.Store passes:
// the in-memory store and the PostgreSQL store run the very same tests,
// the concurrent decisions on one budget included.
package subsidytest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/pii"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

// Run runs the suite against the stores newHarness makes; each test gets
// a fresh harness. It runs the shared event subtests
// (eventtest.StoreEvents) with subsidy's operations, then subsidy's own.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	eventtest.StoreEvents(t, func(t *testing.T) eventtest.StoreHarness { return storeHarness(t, newHarness(t)) })
	newStore := func(t *testing.T) subsidy.Store { return newHarness(t).Store }
	tests := map[string]func(*testing.T, func(*testing.T) subsidy.Store){
		"Lifecycle":                    testLifecycle,
		"BadInputChangesNothing":       testBadInput,
		"ConflictOfInterest":           testConflictOfInterest,
		"DeadlineExtension":            testExtension,
		"BudgetNotBelowCommitted":      testBudgetFloor,
		"WithdrawReleases":             testWithdraw,
		"RecoveryRefundAndOffset":      testRecovery,
		"ProposalRanksAndFills":        testProposal,
		"ConcurrentDecisions1000":      testConcurrentDecisions,
		"ApplicationsInOrder":          testApplicationsIter,
		"CallsInOrder":                 testCallsIter,
		"UpdateUnknownIsNotFound":      testNotFound,
		"PaymentBatch":                 testPaymentBatch,
		"Inadmissible":                 testInadmissible,
		"ConcurrentScoresNoLostUpdate": testConcurrentScores,
		"ReduceGrantReleases":          testReduce,
		"WhollyOffsetOrder":            testWhollyOffset,
		"DecideTwiceIsInvalid":         testDecideTwice,
		"InputTextAndDates":            testInputTextAndDates,
		"ApplicantKeyRotation":         testKeyRotation,
		"ApplicationsOfAnApplicant":    testApplicationsOf,
		"StaleDecisionIsConflict":      testStaleDecision,
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) { fn(t, newStore) })
	}
	t.Run("IdempotentCreate", func(t *testing.T) { testIdempotentCreate(t, newHarness) })
}

func testLifecycle(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	a := e.assessed("2000")
	for _, as := range []string{"ann", "bob"} {
		require.NoError(t, e.Service.AddScore(e.Ctx, a.ID, subsidy.Score{Assessor: as, Criterion: "impact", Points: 8, Motivation: "strong"}))
		require.NoError(t, e.Service.AddScore(e.Ctx, a.ID, subsidy.Score{Assessor: as, Criterion: "quality", Points: 6, Motivation: "fine"}))
	}
	results, alloc, err := e.Service.Proposal(e.Ctx, e.Call.ID)
	require.NoError(t, err)
	require.Len(t, results, 1)
	assert.Equal(t, 1, results[0].Rank)
	assert.InDelta(t, 22.0, results[0].Total, 1e-9)
	assert.True(t, alloc[0].Proposed.Equal(eur("2000")))

	require.NoError(t, e.Service.Decide(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("1500"), Motivation: "college decision"}))
	got := e.app(a.ID)
	assert.Equal(t, subsidy.Decided, got.Status)
	assert.Equal(t, subsidy.GrantedPartially, got.Decision.Outcome)
	assert.True(t, e.call().Ledger.Reserved.Equal(eur("1500")))

	orders, err := e.Service.OrderPayments(e.Ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, orders, 1, "only the advance is due at decision")
	assert.True(t, orders[0].Amount.Equal(eur("750")))
	require.NoError(t, e.Service.ConfirmPayment(e.Ctx, a.ID, orders[0].ID))
	l := e.call().Ledger
	assert.True(t, l.Reserved.Equal(eur("750")) && l.Paid.Equal(eur("750")), "ledger %+v", l)

	require.NoError(t, e.Service.SubmitJustification(e.Ctx, a.ID, []subsidy.CostLine{{Description: "invoice", Amount: eur("1500")}}))
	final, err := e.Service.ApproveJustification(e.Ctx, a.ID, eur("1500"))
	require.NoError(t, err)
	assert.True(t, final.Equal(eur("1200")), "80%% of 1500 is below the grant: %s", final)
	orders, err = e.Service.OrderPayments(e.Ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, orders, 1)
	assert.True(t, orders[0].Amount.Equal(eur("450")))
	require.NoError(t, e.Service.ConfirmPayment(e.Ctx, a.ID, orders[0].ID))
	l = e.call().Ledger
	assert.True(t, l.Reserved.IsZero() && l.Paid.Equal(eur("1200")), "ledger %+v", l)
}

func testBadInput(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	a := e.assessed("4000")
	draft, err := e.Service.CreateDraft(e.Ctx, Input(e.Call.ID, "100"))
	require.NoError(t, err)
	draftBefore := e.app(draft.ID)

	check := func(name string, err error, want error, field string) {
		t.Run(name, func(t *testing.T) {
			require.Error(t, err)
			assert.ErrorIs(t, err, want)
			if field != "" {
				var ve *subsidy.ValidationError
				require.ErrorAs(t, err, &ve)
				_, ok := ve.Field(field)
				assert.True(t, ok, "error names %s: %v", field, err)
			}
		})
	}
	over := Input(e.Call.ID, "4000.01")
	_, err = e.Service.CreateDraft(e.Ctx, over)
	check("over max per application", err, subsidy.ErrValidation, "requested")
	badIBAN := Input(e.Call.ID, "100")
	badIBAN.Applicant.IBAN = "BE68539007547035"
	_, err = e.Service.CreateDraft(e.Ctx, badIBAN)
	check("invalid IBAN", err, subsidy.ErrValidation, "applicant.iban")
	badKBO := Input(e.Call.ID, "100")
	badKBO.Applicant.KBO = "0207446773"
	_, err = e.Service.CreateDraft(e.Ctx, badKBO)
	check("invalid KBO", err, subsidy.ErrValidation, "applicant.kbo")
	err = e.Service.AddScore(e.Ctx, a.ID, subsidy.Score{Assessor: "ann", Criterion: "impact", Points: 11, Motivation: "x"})
	check("score out of range", err, subsidy.ErrValidation, "points")
	err = e.Service.AddScore(e.Ctx, a.ID, subsidy.Score{Assessor: "ann", Criterion: "nope", Points: 1, Motivation: "x"})
	check("unknown criterion", err, subsidy.ErrValidation, "criterion")
	_, err = e.Service.OrderPayments(e.Ctx, a.ID)
	check("payout before decision", err, subsidy.ErrNotDecided, "")
	check("payout before decision is an invalid transition", err, subsidy.ErrInvalidTransition, "")
	require.NoError(t, e.Service.ChangeBudget(e.Ctx, e.Call.ID, eur("4000")))
	b := e.assessed("1000")
	appB := e.app(b.ID)
	require.NoError(t, e.Service.Decide(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("3500"), Motivation: "ok"}))
	callBefore, appBefore := e.call(), e.app(a.ID)
	err = e.Service.Decide(e.Ctx, b.ID, subsidy.DecisionInput{Amount: eur("1000"), Motivation: "ok"})
	check("grant over budget", err, subsidy.ErrBudgetExceeded, "")
	check("grant over budget is a conflict", err, subsidy.ErrConflict, "")
	assert.Equal(t, appB, e.app(b.ID), "refused grant changed the application")
	err = e.Service.Decide(e.Ctx, b.ID, subsidy.DecisionInput{Amount: eur("1000.01"), Motivation: "ok"})
	check("grant over requested", err, subsidy.ErrValidation, "amount")

	e.Clock.Set(e.Call.Closes)
	err = e.Service.Submit(e.Ctx, draft.ID)
	check("submit at the closing moment", err, subsidy.ErrCallClosed, "")
	_, err = e.Service.CreateDraft(e.Ctx, Input(e.Call.ID, "100"))
	check("draft after closing", err, subsidy.ErrCallClosed, "")

	assert.Equal(t, callBefore, e.call(), "a failed use case changed the call")
	assert.Equal(t, appBefore, e.app(a.ID))
	assert.Equal(t, draftBefore, e.app(draft.ID))
	n := 0
	for _, err := range e.Store.Applications(e.Ctx, e.Call.ID) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 3, n, "rejected drafts were stored")
}

func testConflictOfInterest(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	a := e.assessed("1000")
	require.NoError(t, e.Service.AddScore(e.Ctx, a.ID, subsidy.Score{Assessor: "bob", Criterion: "impact", Points: 5, Motivation: "ok"}))
	require.NoError(t, e.Service.DeclareConflict(e.Ctx, a.ID, "bob"))
	assert.Empty(t, e.app(a.ID).Scores, "scores of a conflicted assessor are removed")
	err := e.Service.AddScore(e.Ctx, a.ID, subsidy.Score{Assessor: "bob", Criterion: "impact", Points: 5, Motivation: "ok"})
	assert.ErrorIs(t, err, subsidy.ErrConflictOfInterest)
	assert.ErrorIs(t, err, subsidy.ErrForbidden)
	assert.Empty(t, e.app(a.ID).Scores)
}

func testExtension(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	late, err := e.Service.CreateDraft(e.Ctx, Input(e.Call.ID, "100"))
	require.NoError(t, err)
	other, err := e.Service.CreateDraft(e.Ctx, Input(e.Call.ID, "100"))
	require.NoError(t, err)
	_, err = e.Service.ExtendDeadline(e.Ctx, e.Call.ID, subsidy.ExtensionInput{ApplicationIDs: []uuid.UUID{late.ID}, Until: e.Call.Closes.AddDate(0, 0, 7), Reason: "hospital stay", GrantedBy: "clerk"})
	require.NoError(t, err)
	_, err = e.Service.ExtendDeadline(e.Ctx, e.Call.ID, subsidy.ExtensionInput{ApplicationIDs: []uuid.UUID{late.ID}, Until: e.Call.Closes.Add(-time.Hour), Reason: "x", GrantedBy: "clerk"})
	assert.ErrorIs(t, err, subsidy.ErrValidation)
	require.Len(t, e.call().Extensions, 1, "the extension is recorded")

	e.Clock.Set(e.Call.Closes.Add(time.Hour))
	n, err := e.Service.ExpireDrafts(e.Ctx, e.Call.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, subsidy.Expired, e.app(other.ID).Status)
	assert.ErrorIs(t, e.Service.Submit(e.Ctx, other.ID), subsidy.ErrInvalidTransition)
	require.NoError(t, e.Service.Submit(e.Ctx, late.ID), "the extension keeps the call open for this application")

	// an extension for an applicant (by enterprise number) covers a draft made afterwards
	_, err = e.Service.CreateDraft(e.Ctx, Input(e.Call.ID, "100"))
	assert.ErrorIs(t, err, subsidy.ErrCallClosed)
	_, err = e.Service.ExtendDeadline(e.Ctx, e.Call.ID, subsidy.ExtensionInput{Applicants: []string{"BE 0207.446.772"}, Until: e.Call.Closes.AddDate(0, 0, 7), Reason: "fire at the premises", GrantedBy: "clerk"})
	require.NoError(t, err)
	d, err := e.Service.CreateDraft(e.Ctx, Input(e.Call.ID, "100"))
	require.NoError(t, err)
	require.NoError(t, e.Service.Submit(e.Ctx, d.ID))
	_, err = e.Service.ExtendDeadline(e.Ctx, e.Call.ID, subsidy.ExtensionInput{Applicants: []string{"123"}, Until: e.Call.Closes.AddDate(0, 0, 7), Reason: "x", GrantedBy: "clerk"})
	var ve *subsidy.ValidationError
	require.ErrorAs(t, err, &ve)
	_, ok := ve.Field("applicants[0]")
	assert.True(t, ok)
}

func testBudgetFloor(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	a := e.assessed("3000")
	require.NoError(t, e.Service.Decide(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("3000"), Motivation: "ok"}))
	err := e.Service.ChangeBudget(e.Ctx, e.Call.ID, eur("2999.99"))
	assert.ErrorIs(t, err, subsidy.ErrBelowCommitted)
	assert.True(t, e.call().Budget.Equal(eur("10000")))
	require.NoError(t, e.Service.ChangeBudget(e.Ctx, e.Call.ID, eur("4000")))
	assert.True(t, e.call().Budget.Equal(eur("4000")))
}

func testWithdraw(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	a := e.assessed("2000")
	require.NoError(t, e.Service.Decide(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("2000"), Motivation: "ok"}))
	orders, err := e.Service.OrderPayments(e.Ctx, a.ID)
	require.NoError(t, err)
	require.NoError(t, e.Service.ConfirmPayment(e.Ctx, a.ID, orders[0].ID))
	require.NoError(t, e.Service.Withdraw(e.Ctx, a.ID))
	got := e.app(a.ID)
	assert.Equal(t, subsidy.Withdrawn, got.Status)
	l := e.call().Ledger
	assert.True(t, l.Reserved.IsZero(), "unpaid part released: %+v", l)
	assert.True(t, l.Paid.Equal(eur("1000")))
	require.Len(t, got.Grant.Claims, 1, "the advance must be paid back")
	require.NoError(t, e.Service.RecordRefund(e.Ctx, a.ID, got.Grant.Claims[0].ID, eur("1000")))
	assert.True(t, e.call().Ledger.Committed().IsZero())
}

func testRecovery(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	a := e.assessed("2000")
	b := e.assessed("1000")
	require.NoError(t, e.Service.Decide(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("2000"), Motivation: "ok"}))
	orders, err := e.Service.OrderPayments(e.Ctx, a.ID)
	require.NoError(t, err)
	require.NoError(t, e.Service.ConfirmPayment(e.Ctx, a.ID, orders[0].ID)) // advance 1000 paid
	require.NoError(t, e.Service.SubmitJustification(e.Ctx, a.ID, []subsidy.CostLine{{Description: "invoice", Amount: eur("1000")}}))
	final, err := e.Service.ApproveJustification(e.Ctx, a.ID, eur("1000"))
	require.NoError(t, err)
	assert.True(t, final.Equal(eur("800")))
	got := e.app(a.ID)
	require.Len(t, got.Grant.Claims, 1)
	claim := got.Grant.Claims[0]
	assert.True(t, claim.Amount.Equal(eur("200")), "overpaid 200: %s", claim.Amount)

	err = e.Service.RecordRefund(e.Ctx, a.ID, claim.ID, eur("200.01"))
	assert.ErrorIs(t, err, subsidy.ErrValidation)
	require.NoError(t, e.Service.RecordRefund(e.Ctx, a.ID, claim.ID, eur("50")))

	// the remaining 150 is offset against the advance of the applicant's next grant
	require.NoError(t, e.Service.Decide(e.Ctx, b.ID, subsidy.DecisionInput{Amount: eur("1000"), Motivation: "ok"}))
	orders, err = e.Service.OrderPayments(e.Ctx, b.ID, a.ID)
	require.NoError(t, err)
	require.Len(t, orders, 1)
	assert.True(t, orders[0].Offset.Equal(eur("150")))
	assert.True(t, orders[0].Amount.Equal(eur("350")))
	assert.True(t, e.app(a.ID).Grant.OpenClaims().IsZero())
	require.NoError(t, e.Service.ConfirmPayment(e.Ctx, b.ID, orders[0].ID))
	l := e.call().Ledger
	// a: 800 final; b: 1000 granted of which 500 paid
	assert.True(t, l.Committed().Equal(eur("1800")), "committed %s", l.Committed())
	assert.True(t, l.Paid.Equal(eur("1300")), "paid %s", l.Paid)
}

func testProposal(t *testing.T, ns func(*testing.T) subsidy.Store) {
	rules := Rules()
	rules.Budget = eur("5000")
	e := newEnv(t, ns, rules)
	apps := []subsidy.Application{e.assessed("3000"), e.assessed("3000"), e.assessed("3000")}
	for i, pts := range []float64{5, 9, 3} {
		require.NoError(t, e.Service.AddScore(e.Ctx, apps[i].ID, subsidy.Score{Assessor: "ann", Criterion: "impact", Points: pts, Motivation: "m"}))
		require.NoError(t, e.Service.AddScore(e.Ctx, apps[i].ID, subsidy.Score{Assessor: "ann", Criterion: "quality", Points: 5, Motivation: "m"}))
	}
	results, alloc, err := e.Service.Proposal(e.Ctx, e.Call.ID)
	require.NoError(t, err)
	require.Len(t, results, 3)
	assert.Equal(t, apps[1].ID, results[0].ApplicationID)
	assert.Equal(t, apps[0].ID, results[1].ApplicationID)
	assert.Equal(t, 0, results[2].Rank, "3 is below the minimum of 4 on impact")
	assert.Equal(t, subsidy.Granted, alloc[0].Outcome)
	assert.Equal(t, subsidy.GrantedPartially, alloc[1].Outcome)
	assert.True(t, alloc[1].Proposed.Equal(eur("2000")))
	assert.Equal(t, subsidy.Refused, alloc[2].Outcome)
}

func testConcurrentDecisions(t *testing.T, ns func(*testing.T) subsidy.Store) {
	rules := Rules()
	rules.Budget = eur("100000")
	rules.MaxPerApplicant = eur("100000")
	e := newEnv(t, ns, rules)
	const n = 1000
	ids := make([]uuid.UUID, n)
	for i := range ids {
		in := Input(e.Call.ID, "500")
		in.Applicant.KBO = "" // a different applicant each: persons with their own INSZ
		in.Applicant.Kind = subsidy.Person
		in.Applicant.INSZ = ""
		a := subsidy.Application{ID: id.New(), ApplicationInput: in, Status: subsidy.UnderAssessment, CreatedAt: e.Clock.Now()}
		a.Applicant.INSZ = pii.INSZ(insz(i))
		require.NoError(t, e.Store.CreateApplication(e.Ctx, a, nil))
		ids[i] = a.ID
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		granted  int
		exceeded int
		other    []error
	)
	work := make(chan uuid.UUID)
	for range 16 {
		wg.Go(func() {
			for appID := range work {
				err := e.Service.Decide(e.Ctx, appID, subsidy.DecisionInput{Amount: eur("500"), Motivation: "ok"})
				mu.Lock()
				switch {
				case err == nil:
					granted++
				case errors.Is(err, subsidy.ErrBudgetExceeded):
					exceeded++
				default:
					other = append(other, err)
				}
				mu.Unlock()
			}
		})
	}
	for _, appID := range ids {
		work <- appID
	}
	close(work)
	wg.Wait()
	require.Empty(t, other)
	assert.Equal(t, 200, granted)
	assert.Equal(t, 800, exceeded)
	call := e.call()
	assert.True(t, call.Ledger.Reserved.Equal(eur("100000")), "reserved %s", call.Ledger.Reserved)
	sum := decimal.Zero
	decided := 0
	for a, err := range e.Store.Applications(e.Ctx, e.Call.ID) {
		require.NoError(t, err)
		if a.Grant != nil {
			sum = sum.Add(a.Grant.Amount)
			decided++
		}
	}
	assert.Equal(t, 200, decided)
	assert.True(t, sum.LessThanOrEqual(call.Budget), "granted %s over budget %s", sum, call.Budget)
	assert.True(t, sum.Equal(call.Ledger.Committed()))
}

// insz makes a distinct valid national register number.
func insz(i int) string {
	base := 800101000 + i
	check := 97 - base%97
	return decimal.NewFromInt(int64(base)).String() + twoDigits(check)
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

func testApplicationsIter(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	var want []uuid.UUID
	for range 5 {
		a, err := e.Service.CreateDraft(e.Ctx, Input(e.Call.ID, "100"))
		require.NoError(t, err)
		want = append(want, a.ID)
	}
	var got []uuid.UUID
	for a, err := range e.Store.Applications(e.Ctx, e.Call.ID) {
		require.NoError(t, err)
		got = append(got, a.ID)
		if len(got) == 3 {
			break
		}
	}
	assert.Equal(t, want[:3], got)
}

func testCallsIter(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	want := []uuid.UUID{e.Call.ID}
	for i := range 3 {
		rules := Rules()
		rules.Title = fmt.Sprintf("Round %d", i+2)
		c, err := e.Service.CreateCall(e.Ctx, e.Call.SchemeID, rules)
		require.NoError(t, err)
		want = append(want, c.ID)
	}
	var got []uuid.UUID
	for c, err := range e.Store.Calls(e.Ctx) {
		require.NoError(t, err)
		got = append(got, c.ID)
	}
	assert.Equal(t, want, got, "every call, in creation order")
	got = got[:0]
	for c, err := range e.Store.Calls(e.Ctx) {
		require.NoError(t, err)
		got = append(got, c.ID)
		if c.Title == "Round 2" {
			break
		}
	}
	assert.Equal(t, want[:2], got, "the caller may stop early")
}

func testNotFound(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	err := e.Store.Update(e.Ctx, id.New(), nil, func(*subsidy.Call, []*subsidy.Application) ([]event.Event, error) { return nil, nil })
	assert.ErrorIs(t, err, subsidy.ErrNotFound)
	err = e.Store.Update(e.Ctx, e.Call.ID, []uuid.UUID{id.New()}, func(*subsidy.Call, []*subsidy.Application) ([]event.Event, error) { return nil, nil })
	assert.ErrorIs(t, err, subsidy.ErrNotFound)
	_, err = e.Store.Application(e.Ctx, id.New())
	assert.ErrorIs(t, err, subsidy.ErrNotFound)
	_, err = e.Service.CreateCall(e.Ctx, id.New(), Rules())
	assert.ErrorIs(t, err, subsidy.ErrNotFound)
}

func testPaymentBatch(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	a, b := e.assessed("1000"), e.assessed("2000.50")
	var orders []subsidy.PaymentOrder
	for _, app := range []subsidy.Application{a, b} {
		require.NoError(t, e.Service.Decide(e.Ctx, app.ID, subsidy.DecisionInput{Amount: app.Requested, Motivation: "ok"}))
		o, err := e.Service.OrderPayments(e.Ctx, app.ID)
		require.NoError(t, err)
		orders = append(orders, o...)
	}
	in := subsidy.Initiation{MessageID: "BATCH-1", Created: e.Clock.Now(), Initiator: "Gemeente", Debtor: "Gemeente", DebtorIBAN: ValidIBAN, Execution: e.Clock.Now()}
	var buf bytes.Buffer
	bad := in
	bad.DebtorBIC = "GKCC"
	_, err := e.Service.PaymentBatch(e.Ctx, &buf, e.Call.ID, bad)
	require.ErrorIs(t, err, subsidy.ErrValidation, "a header the schema would refuse")
	require.Zero(t, buf.Len())
	tot, err := e.Service.PaymentBatch(e.Ctx, &buf, e.Call.ID, in)
	require.NoError(t, err, "a refused header marked no order exported")
	ValidPain001(t, buf.Bytes())
	assert.Equal(t, 2, tot.Count)
	assert.True(t, tot.Sum.Equal(eur("1500.25")), "advances 500 + 1000.25: %s", tot.Sum)
	assert.Contains(t, buf.String(), "<NbOfTxs>2</NbOfTxs>")
	assert.Contains(t, buf.String(), "<CtrlSum>1500.25</CtrlSum>")

	first := buf.String()
	buf.Reset()
	_, err = e.Service.PaymentBatch(e.Ctx, &buf, e.Call.ID, in)
	require.NoError(t, err)
	assert.Equal(t, first, buf.String(), "the same message id writes the same batch again")

	assert.ErrorIs(t, e.Service.Withdraw(e.Ctx, a.ID), subsidy.ErrInvalidTransition, "an order is with the bank")
	require.NoError(t, e.Service.ConfirmPayment(e.Ctx, a.ID, orders[0].ID))
	assert.ErrorIs(t, e.Service.ConfirmPayment(e.Ctx, a.ID, orders[0].ID), subsidy.ErrInvalidTransition)
	in.MessageID = "BATCH-2"
	_, err = e.Service.PaymentBatch(e.Ctx, &buf, e.Call.ID, in)
	assert.ErrorIs(t, err, subsidy.ErrValidation, "no order is left to export: exported orders are never sent twice")
}

func testInadmissible(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	in := Input(e.Call.ID, "100")
	in.Attachments = nil
	a, err := e.Service.CreateDraft(e.Ctx, in)
	require.NoError(t, err)
	require.NoError(t, e.Service.Submit(e.Ctx, a.ID))
	reasons, err := e.Service.CheckAdmissibility(e.Ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, reasons, 2, "minimum cost and the quote: %v", reasons)
	got := e.app(a.ID)
	assert.Equal(t, subsidy.Inadmissible, got.Status)
	assert.Equal(t, reasons, got.Reasons)
	assert.ErrorIs(t, e.Service.StartAssessment(e.Ctx, a.ID), subsidy.ErrInvalidTransition)
	assert.ErrorIs(t, e.Service.Withdraw(e.Ctx, a.ID), subsidy.ErrInvalidTransition)
}

func testWhollyOffset(t *testing.T, ns func(*testing.T) subsidy.Store) {
	rules := Rules()
	rules.AdvanceShare = eur("0.1")
	e := newEnv(t, ns, rules)
	a, b := e.assessed("2000"), e.assessed("1000")
	require.NoError(t, e.Service.Decide(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("2000"), Motivation: "ok"}))
	orders, err := e.Service.OrderPayments(e.Ctx, a.ID)
	require.NoError(t, err)
	require.NoError(t, e.Service.ConfirmPayment(e.Ctx, a.ID, orders[0].ID)) // 200 advance
	require.NoError(t, e.Service.Withdraw(e.Ctx, a.ID))                     // 200 to recover
	require.NoError(t, e.Service.Decide(e.Ctx, b.ID, subsidy.DecisionInput{Amount: eur("1000"), Motivation: "ok"}))
	orders, err = e.Service.OrderPayments(e.Ctx, b.ID, a.ID) // advance 100, all of it kept
	require.NoError(t, err)
	require.Len(t, orders, 1)
	assert.True(t, orders[0].Amount.IsZero())
	assert.Equal(t, subsidy.OrderPaid, orders[0].Status, "nothing goes to the bank")
	assert.True(t, e.app(a.ID).Grant.OpenClaims().Equal(eur("100")))
	l := e.call().Ledger
	// a keeps 100 of its 200 advance (still owed), b: 1000 of which 100 paid by offset
	assert.True(t, l.Paid.Equal(eur("200")), "paid %s", l.Paid)
	assert.True(t, l.Reserved.Equal(eur("900")), "reserved %s", l.Reserved)
}

func testConcurrentScores(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	a := e.assessed("1000")
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 10 {
		wg.Go(func() {
			for _, c := range []string{"impact", "quality"} {
				errs <- e.Service.AddScore(e.Ctx, a.ID, subsidy.Score{Assessor: fmt.Sprint("assessor-", i), Criterion: c, Points: 5, Motivation: "m"})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Len(t, e.app(a.ID).Scores, 20, "every concurrent score is kept")
}

func testReduce(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	a := e.assessed("2000")
	require.NoError(t, e.Service.Decide(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("2000"), Motivation: "ok"}))
	orders, err := e.Service.OrderPayments(e.Ctx, a.ID) // advance 1000
	require.NoError(t, err)
	require.Len(t, orders, 1)
	before := e.call()
	err = e.Service.ReduceGrant(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("999.99"), Motivation: "smaller roof"})
	assert.ErrorIs(t, err, subsidy.ErrValidation, "below what is ordered")
	assert.Equal(t, before, e.call())
	require.NoError(t, e.Service.ReduceGrant(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("1500"), Motivation: "smaller roof"}))
	got := e.app(a.ID)
	assert.True(t, got.Grant.Amount.Equal(eur("1500")))
	assert.True(t, got.Grant.Tranches[1].Amount.Equal(eur("500")), "the balance shrinks")
	assert.Equal(t, subsidy.GrantedPartially, got.Decision.Outcome)
	assert.True(t, e.call().Ledger.Reserved.Equal(eur("1500")))
}

func testDecideTwice(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	a := e.assessed("4000")
	require.NoError(t, e.Service.Decide(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("4000"), Motivation: "college decision"}))
	callBefore, appBefore := e.call(), e.app(a.ID)
	for _, amount := range []string{"4000", "1", "0"} {
		// 4000 again would break the applicant's maximum (5000) and the
		// budget check; the status must answer first
		err := e.Service.Decide(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur(amount), Motivation: "again"})
		assert.ErrorIs(t, err, subsidy.ErrInvalidTransition, "amount %s", amount)
		assert.NotErrorIs(t, err, subsidy.ErrValidation, "amount %s", amount)
	}
	assert.Equal(t, callBefore, e.call())
	assert.Equal(t, appBefore, e.app(a.ID))
}

// testInputTextAndDates: every door that takes input refuses text no store
// can keep (NUL, other control characters, invalid UTF-8) and dates outside
// calendar.MinYear..MaxYear with a validation error naming the field, and
// stores nothing; text within the rule comes back from the store unchanged.
// PostgreSQL refuses NUL and invalid UTF-8 on its own (a 500 before), the
// memory store kept them: now both answer the same.
func testInputTextAndDates(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	a := e.assessed("1000")
	draft, err := e.Service.CreateDraft(e.Ctx, Input(e.Call.ID, "100"))
	require.NoError(t, err)
	decided := e.assessed("1000")
	require.NoError(t, e.Service.Decide(e.Ctx, decided.ID, subsidy.DecisionInput{Amount: eur("1000"), Motivation: "ok"}))
	far := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	early := time.Date(1899, 12, 31, 12, 0, 0, 0, clock.Brussels)
	callBefore := e.call()

	invalid := func(name, field string, err error) {
		t.Run(name, func(t *testing.T) {
			var ve *subsidy.ValidationError
			require.ErrorAs(t, err, &ve)
			_, ok := ve.Field(field)
			assert.True(t, ok, "error names %s: %v", field, err)
		})
	}
	_, err = e.Service.CreateScheme(e.Ctx, subsidy.SchemeInput{Name: "a\x00b", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
	invalid("scheme name with NUL", "name", err)
	_, err = e.Service.CreateScheme(e.Ctx, subsidy.SchemeInput{Name: "n", Regulation: "r\xff", LegalBasis: "l", BudgetArticle: "b"})
	invalid("scheme regulation not UTF-8", "regulation", err)

	rules := Rules()
	rules.Closes = far
	_, err = e.Service.CreateCall(e.Ctx, e.Call.SchemeID, rules)
	invalid("call closing in 9999", "closes", err)
	rules = Rules()
	rules.Opens = early
	_, err = e.Service.CreateCall(e.Ctx, e.Call.SchemeID, rules)
	invalid("call opening in 1899", "opens", err)
	rules = Rules()
	rules.Title = "Energy\x1b[2J"
	_, err = e.Service.CreateCall(e.Ctx, e.Call.SchemeID, rules)
	invalid("call title with an escape", "title", err)
	rules = Rules()
	rules.Questions[0].Text = "What\x00?"
	_, err = e.Service.CreateCall(e.Ctx, e.Call.SchemeID, rules)
	invalid("question with NUL", "questions[0].text", err)

	in := Input(e.Call.ID, "100")
	in.Applicant.Name.Given = "An\x00"
	_, err = e.Service.CreateDraft(e.Ctx, in)
	invalid("applicant name with NUL", "applicant.name.given", err)
	in = Input(e.Call.ID, "100")
	in.Costs[0].Description = "roof \xc3\x28"
	_, err = e.Service.CreateDraft(e.Ctx, in)
	invalid("cost description not UTF-8", "costs[0].description", err)
	in = Input(e.Call.ID, "100")
	in.Answers["goal"] = "roof\x00"
	_, err = e.Service.CreateDraft(e.Ctx, in)
	invalid("answer with NUL", `answers["goal"]`, err)
	in = Input(e.Call.ID, "100")
	in.Attachments[0].FileName = "quote\x00.pdf"
	_, err = e.Service.CreateDraft(e.Ctx, in)
	invalid("file name with NUL", "attachments[0].file_name", err)

	_, err = e.Service.ExtendDeadline(e.Ctx, e.Call.ID, subsidy.ExtensionInput{ApplicationIDs: []uuid.UUID{draft.ID}, Until: far, Reason: "illness", GrantedBy: "clerk"})
	invalid("extension until 9999", "until", err)
	_, err = e.Service.ExtendDeadline(e.Ctx, e.Call.ID, subsidy.ExtensionInput{ApplicationIDs: []uuid.UUID{draft.ID}, Until: e.Call.Closes.Add(time.Hour), Reason: "ill\x00ness", GrantedBy: "clerk"})
	invalid("extension reason with NUL", "reason", err)
	invalid("conflict of an assessor with NUL", "assessor", e.Service.DeclareConflict(e.Ctx, a.ID, "ann\x00"))
	invalid("score motivation with NUL", "motivation", e.Service.AddScore(e.Ctx, a.ID, subsidy.Score{Assessor: "ann", Criterion: "impact", Points: 5, Motivation: "good\x00"}))
	invalid("score by an assessor not UTF-8", "assessor", e.Service.AddScore(e.Ctx, a.ID, subsidy.Score{Assessor: "\xff", Criterion: "impact", Points: 5, Motivation: "good"}))
	invalid("decision motivation not UTF-8", "motivation", e.Service.Decide(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("100"), Motivation: "ok\xff"}))
	invalid("reduction motivation with NUL", "motivation", e.Service.ReduceGrant(e.Ctx, decided.ID, subsidy.DecisionInput{Amount: eur("100"), Motivation: "less\x00"}))
	invalid("justification cost with NUL", "costs[0].description", e.Service.SubmitJustification(e.Ctx, decided.ID, []subsidy.CostLine{{Description: "invoice\x00", Amount: eur("1000")}}))
	var buf bytes.Buffer
	_, err = e.Service.PaymentBatch(e.Ctx, &buf, e.Call.ID, subsidy.Initiation{MessageID: "B-1", Created: e.Clock.Now(), Debtor: "Gemeente\x00", DebtorIBAN: ValidIBAN, Execution: far})
	invalid("payment batch executed in 9999", "execution", err)
	invalid("payment batch debtor with NUL", "debtor", err)

	assert.Equal(t, callBefore, e.call(), "a refused input changed the call")
	n := 0
	for _, err := range e.Store.Applications(e.Ctx, e.Call.ID) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 3, n, "a refused draft was stored")

	// within the rule: tabs, line breaks, accents, emoji and the edges of the horizon
	text := "Dakisolatie\tfase 1\r\nÉén offerte – €2 500 ✓ 😀"
	in = Input(e.Call.ID, "100")
	in.Costs[0].Description = text
	in.Answers["goal"] = text
	in.Applicant.Name.Given = "Łukasz"
	got, err := e.Service.CreateDraft(e.Ctx, in)
	require.NoError(t, err)
	back := e.app(got.ID)
	assert.Equal(t, text, back.Costs[0].Description)
	assert.Equal(t, text, back.Answers["goal"])
	assert.Equal(t, "Łukasz", back.Applicant.Name.Given)
	rules = Rules()
	rules.Opens = time.Date(calendar.MinYear, 1, 1, 0, 0, 0, 0, clock.Brussels)
	rules.Closes = time.Date(calendar.MaxYear, 12, 31, 23, 59, 59, 0, clock.Brussels)
	c, err := e.Service.CreateCall(e.Ctx, e.Call.SchemeID, rules)
	require.NoError(t, err, "the first and last day of the horizon")
	stored, err := e.Store.Call(e.Ctx, c.ID)
	require.NoError(t, err)
	assert.True(t, rules.Closes.Equal(stored.Closes))
}
