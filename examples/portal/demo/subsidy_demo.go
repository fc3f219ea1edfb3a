package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/pii"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

// The demo calls' titles; tests find the calls by them: CallGreenRoofs
// for citizens, CallFacades for enterprises.
const (
	CallGreenRoofs = "Premie groendaken 2026–2027"
	CallFacades    = "Gevelrenovatie handelspanden 2026"
)

// The assessor of the seeded scores; the clerk scores as "balie".
const demoAssessor = "demo-beoordelaar"

func eur(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// demoCalls are the demo municipality's schemes with one call each. Every
// value is an EXAMPLE. The call for entrepreneurs has room for two of its
// three seeded requests, so a clerk who grants them all meets the budget guard.
func demoCalls(now time.Time) []struct {
	scheme subsidy.SchemeInput
	rules  subsidy.CallRules
} {
	opens := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, clock.Brussels).AddDate(0, -1, 0)
	closes := time.Date(opens.Year(), opens.Month()+4, opens.Day(), 23, 59, 0, 0, clock.Brussels)
	inTown := subsidy.Condition{Name: "gevestigd in Demogem", Field: "applicant.postal_code", Op: "eq", Values: []string{"9999"}}
	return []struct {
		scheme subsidy.SchemeInput
		rules  subsidy.CallRules
	}{
		{
			scheme: subsidy.SchemeInput{Name: "Premie groendaken", Regulation: "VOORBEELD Subsidiereglement groendaken, gemeenteraad 15 december 2025",
				LegalBasis: "Decreet over het lokaal bestuur, art. 41", BudgetArticle: "0340-00/6490000"},
			rules: subsidy.CallRules{
				Title: CallGreenRoofs, Opens: opens, Closes: closes,
				Budget: eur("20000"), MaxPerApplicant: eur("2500"), MaxPerApplication: eur("2500"),
				ApplicantRules: []subsidy.Condition{
					{Name: "aanvrager is een inwoner", Field: "applicant.kind", Op: "eq", Values: []string{string(subsidy.Person)}},
					inTown,
				},
				ApplicationRules: []subsidy.Condition{{Name: "kosten minstens € 1.000", Field: "total_costs", Op: "gte", Values: []string{"1000"}}},
				Criteria: []subsidy.Criterion{
					{ID: "ecologie", Name: "Ecologische meerwaarde", Weight: 2, MinScore: 4, MaxPoints: 10},
					{ID: "kwaliteit", Name: "Kwaliteit van het plan", Weight: 1, MaxPoints: 10},
				},
				Aggregation: subsidy.Mean, Partial: subsidy.PartialGrant,
				Questions: []subsidy.Question{{ID: "oppervlakte", Text: "Hoeveel vierkante meter groendak legt u aan?", Required: true}},
				CostShare: eur("0.5"), AdvanceShare: eur("0.5"),
			},
		},
		{
			scheme: subsidy.SchemeInput{Name: "Gevelrenovatie handelspanden", Regulation: "VOORBEELD Reglement gevelrenovatie handelspanden, gemeenteraad 15 december 2025",
				LegalBasis: "Decreet over het lokaal bestuur, art. 41", BudgetArticle: "0500-00/6490000"},
			rules: subsidy.CallRules{
				Title: CallFacades, Opens: opens, Closes: closes,
				Budget: eur("10000"), MaxPerApplicant: eur("5000"), MaxPerApplication: eur("5000"),
				ApplicantRules: []subsidy.Condition{
					{Name: "aanvrager is een onderneming", Field: "applicant.kind", Op: "eq", Values: []string{string(subsidy.Organisation)}},
					inTown,
				},
				ApplicationRules: []subsidy.Condition{{Name: "kosten minstens € 2.500", Field: "total_costs", Op: "gte", Values: []string{"2500"}}},
				Criteria: []subsidy.Criterion{
					{ID: "uitstraling", Name: "Uitstraling in de straat", Weight: 2, MinScore: 5, MaxPoints: 10},
					{ID: "duurzaamheid", Name: "Duurzaamheid", Weight: 1, MaxPoints: 10},
				},
				Aggregation: subsidy.Mean, Partial: subsidy.PartialGrant,
				Questions: []subsidy.Question{{ID: "werken", Text: "Welke werken voert u aan de gevel uit?", Required: true}},
				CostShare: eur("0.4"), AdvanceShare: eur("0.5"),
			},
		},
	}
}

// SeedSubsidies creates the demo schemes and calls, and submits An's
// application, Lotte's for Café De Hoek, and two from other shops that are
// already scored, so the clerk has a ranking to decide on.
func SeedSubsidies(ctx context.Context, svc *subsidy.Service, town *Municipality, now time.Time) error {
	calls := map[string]subsidy.Call{}
	for _, d := range demoCalls(now) {
		sc, err := svc.CreateScheme(ctx, d.scheme)
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		c, err := svc.CreateCall(ctx, sc.ID, d.rules)
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		calls[c.Title] = c
	}
	an, ok1 := town.Person("an")
	lotte, ok2 := town.Person("lotte")
	if !ok1 || !ok2 || lotte.Enterprise == nil {
		return fmt.Errorf("seed: the demo people an and lotte (with her enterprise) are needed")
	}
	shop := func(name, kbo, iban, street string) subsidy.Applicant {
		return subsidy.Applicant{Kind: subsidy.Organisation, Organisation: name, KBO: kbo, IBAN: iban,
			Name: pii.Name{Given: "Demo", Family: "Zaakvoerder"}, Email: "info@example.be",
			Address: pii.Address{Street: street, Number: "1", PostalCode: "9999", Municipality: "Demogem"}}
	}
	type score struct {
		criterion string
		points    float64
	}
	seeds := []struct {
		call      string
		applicant subsidy.Applicant
		requested string
		costs     []subsidy.CostLine
		answers   map[string]string
		scores    []score // scored applications are taken into assessment
	}{
		{
			call: CallGreenRoofs,
			applicant: subsidy.Applicant{Kind: subsidy.Person, Name: an.Name, INSZ: an.INSZ, Address: an.Address, Email: an.Email,
				IBAN: "BE68539007547034"},
			requested: "2000", costs: []subsidy.CostLine{{Description: "Extensief groendak, 40 m² (offerte Daktuin bv)", Amount: eur("4800")}},
			answers: map[string]string{"oppervlakte": "40"},
		},
		{
			call: CallFacades,
			applicant: subsidy.Applicant{Kind: subsidy.Organisation, Organisation: lotte.Enterprise.Name, KBO: lotte.Enterprise.KBO,
				Name: lotte.Name, Address: lotte.Address, Email: lotte.Email, IBAN: "BE73735012345660"},
			requested: "4500", costs: []subsidy.CostLine{
				{Description: "Gevelreiniging en schilderwerk", Amount: eur("7200")},
				{Description: "Nieuwe luifel", Amount: eur("3800")},
			},
			answers: map[string]string{"werken": "De gevel reinigen en schilderen, een nieuwe luifel plaatsen."},
		},
		{
			call: CallFacades, applicant: shop("Bakkerij Van Damme", "0412.345.614", "BE21001234567803", "Molenstraat"),
			requested: "4000", costs: []subsidy.CostLine{{Description: "Nieuwe winkelpui", Amount: eur("10500")}},
			answers: map[string]string{"werken": "Een nieuwe winkelpui met isolerende beglazing."},
			scores:  []score{{"uitstraling", 8}, {"duurzaamheid", 7}},
		},
		{
			call: CallFacades, applicant: shop("Boekhandel Het Blad", "0423.456.765", "BE24063987654338", "Nieuwstraat"),
			requested: "3500", costs: []subsidy.CostLine{{Description: "Herstel van de art-decogevel", Amount: eur("9000")}},
			answers: map[string]string{"werken": "Het herstel van de art-decogevel."},
			scores:  []score{{"uitstraling", 7}, {"duurzaamheid", 6}},
		},
	}
	for _, s := range seeds {
		app, err := svc.CreateDraft(ctx, subsidy.ApplicationInput{CallID: calls[s.call].ID, Applicant: s.applicant,
			Requested: eur(s.requested), Costs: s.costs, Answers: s.answers})
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		if err := svc.Submit(ctx, app.ID); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		if len(s.scores) == 0 {
			continue
		}
		if reasons, err := svc.CheckAdmissibility(ctx, app.ID); err != nil || len(reasons) > 0 {
			return fmt.Errorf("seed: admissibility: %v %v", reasons, err)
		}
		if err := svc.StartAssessment(ctx, app.ID); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		for _, sc := range s.scores {
			if err := svc.AddScore(ctx, app.ID, subsidy.Score{Assessor: demoAssessor, Criterion: sc.criterion, Points: sc.points,
				Motivation: "Demoscore van de jury."}); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
		}
	}
	return nil
}
