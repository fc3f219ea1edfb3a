package subsidytest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/pii"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

// Valid Belgian test identifiers.
const (
	ValidKBO  = "0207446772"
	ValidINSZ = "85073100328"
	ValidIBAN = "BE68539007547034"
)

// Opens is when the fixture's call opens; it closes 30 days later.
var Opens = time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)

func eur(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// Rules returns a valid call definition for tests.
func Rules() subsidy.CallRules {
	return subsidy.CallRules{
		Title:             "Energy renovation 2026",
		Opens:             Opens,
		Closes:            Opens.AddDate(0, 0, 30),
		Budget:            eur("10000"),
		MaxPerApplicant:   eur("5000"),
		MaxPerApplication: eur("4000"),
		ApplicantRules: []subsidy.Condition{
			{Name: "lives in Flanders", Field: "applicant.country", Op: "eq", Values: []string{"BE"}},
		},
		ApplicationRules: []subsidy.Condition{
			{Name: "minimum cost", Field: "total_costs", Op: "gte", Values: []string{"500"}},
		},
		Criteria: []subsidy.Criterion{
			{ID: "impact", Name: "Impact", Weight: 2, MinScore: 4, MaxPoints: 10},
			{ID: "quality", Name: "Quality", Weight: 1, MinScore: 0, MaxPoints: 10},
		},
		Aggregation:  subsidy.Mean,
		Partial:      subsidy.PartialGrant,
		Documents:    []subsidy.RequiredDocument{{ID: "quote", Name: "Quote"}},
		Questions:    []subsidy.Question{{ID: "goal", Text: "What do you renovate?", Required: true}},
		CostShare:    eur("0.8"),
		AdvanceShare: eur("0.5"),
	}
}

// Organisation returns a valid organisation applicant.
func Organisation() subsidy.Applicant {
	return subsidy.Applicant{Kind: subsidy.Organisation, Organisation: "VZW De Buurt", KBO: ValidKBO,
		Name: pii.Name{Given: "An", Family: "Peeters"}, IBAN: ValidIBAN, Email: "an@debuurt.be",
		Address: pii.Address{Street: "Kerkstraat", Number: "1", PostalCode: "9000", Municipality: "Gent"}}
}

// Input returns a valid application for the call asking amount.
func Input(callID uuid.UUID, amount string) subsidy.ApplicationInput {
	return subsidy.ApplicationInput{
		CallID: callID, Applicant: Organisation(), Requested: eur(amount),
		Costs:       []subsidy.CostLine{{Description: "Roof insulation", Amount: eur(amount).Mul(decimal.NewFromInt(2))}},
		Answers:     map[string]string{"goal": "roof"},
		Attachments: []subsidy.Attachment{{DocumentID: "quote", FileName: "quote.pdf", MediaType: "application/pdf", Size: 1024}},
	}
}

// Env is a service over a fresh store with a settable clock at the opening.
type Env struct {
	T       *testing.T
	Ctx     context.Context
	Store   subsidy.Store
	Clock   *clock.Settable
	Service *subsidy.Service
	Call    subsidy.Call
}

func newEnv(t *testing.T, newStore func(t *testing.T) subsidy.Store, rules subsidy.CallRules) *Env {
	ctx := context.Background()
	st := newStore(t)
	clk := clock.NewSettable(Opens.Add(time.Hour))
	svc := subsidy.NewService(st, clk)
	sc, err := svc.CreateScheme(ctx, subsidy.SchemeInput{Name: "Renovation premium", Regulation: "GR 2025-12-15", LegalBasis: "Decreet lokaal bestuur art. 41", BudgetArticle: "0630-00/6490000"})
	require.NoError(t, err)
	call, err := svc.CreateCall(ctx, sc.ID, rules)
	require.NoError(t, err)
	return &Env{T: t, Ctx: ctx, Store: st, Clock: clk, Service: svc, Call: call}
}

// assessed brings a new application to "under assessment".
func (e *Env) assessed(amount string) subsidy.Application {
	e.T.Helper()
	a, err := e.Service.CreateDraft(e.Ctx, Input(e.Call.ID, amount))
	require.NoError(e.T, err)
	require.NoError(e.T, e.Service.Submit(e.Ctx, a.ID))
	reasons, err := e.Service.CheckAdmissibility(e.Ctx, a.ID)
	require.NoError(e.T, err)
	require.Empty(e.T, reasons)
	require.NoError(e.T, e.Service.StartAssessment(e.Ctx, a.ID))
	return a
}

func (e *Env) app(id uuid.UUID) subsidy.Application {
	e.T.Helper()
	a, err := e.Store.Application(e.Ctx, id)
	require.NoError(e.T, err)
	return a
}

func (e *Env) call() subsidy.Call {
	e.T.Helper()
	c, err := e.Store.Call(e.Ctx, e.Call.ID)
	require.NoError(e.T, err)
	return c
}
