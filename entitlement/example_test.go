package entitlement_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

func ExampleRuleset_Evaluate() {
	rs := entitlement.MustCompile(entitlement.GhentExample())
	rr := entitlement.Provenance{Source: entitlement.SourceNationalRegister, RetrievedAt: time.Date(2026, 2, 27, 6, 0, 0, 0, time.UTC)}
	ksz := entitlement.Provenance{Source: entitlement.SourceCrossroadsBank, RetrievedAt: time.Date(2026, 2, 27, 6, 0, 0, 0, time.UTC)}
	fin := entitlement.Provenance{Source: entitlement.SourceTaxAuthority, RetrievedAt: time.Date(2026, 1, 15, 6, 0, 0, 0, time.UTC)}

	s := rs.Schema().NewSubject("person-1")
	_ = s.Set(entitlement.FactResident, entitlement.Bool(true), rr)
	_ = s.Set(entitlement.FactIncreasedAllowance, entitlement.Bool(false), ksz)
	_ = s.Set(entitlement.FactDebtMediation, entitlement.Bool(false), rr)
	_ = s.Set(entitlement.FactHouseholdIncome, entitlement.Money(decimal.RequireFromString("23800")), fin)
	partner := s.AddMember()
	_ = s.SetMember(partner, entitlement.FactIncreasedAllowance, entitlement.Bool(false), ksz)

	r, err := rs.Evaluate(s, entitlement.BenefitUiTPASKansentarief, calendar.NewDate(2026, 3, 1))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(r.Text(entitlement.Dutch))
	fmt.Println()
	fmt.Print(r.Text(entitlement.English))
	// Output:
	// Recht op UiTPAS aan kansentarief op 2026-03-01: ja
	// Rechtsgrond: VOORBEELD Reglement UiTPAS Gent, gemeenteraad (2025-11-24)
	// Motivering:
	//   - [voldaan] alle volgende voorwaarden
	//     - [voldaan] Woont in Gent
	//       - [voldaan] Ingeschreven in Gent (de persoon zelf): ja [bron: rijksregister, opgehaald op 2026-02-27]
	//     - [voldaan] Beperkt inkomen of verhoogde tegemoetkoming in het gezin
	//       - [voldaan] minstens een van de volgende voorwaarden
	//         - [niet voldaan] iemand in het gezin voldoet
	//           - [niet voldaan] de persoon zelf
	//             - [niet voldaan] Verhoogde tegemoetkoming (de persoon zelf): nee [bron: kruispuntbank, opgehaald op 2026-02-27]
	//           - [niet voldaan] gezinslid 1
	//             - [niet voldaan] Verhoogde tegemoetkoming (gezinslid 1): nee [bron: kruispuntbank, opgehaald op 2026-02-27]
	//         - [niet voldaan] Collectieve schuldenregeling of budgetbeheer (de persoon zelf): nee [bron: rijksregister, opgehaald op 2026-02-27]
	//         - [voldaan] Belastbaar gezinsinkomen (het gezin): EUR 23800.00 is ten hoogste inkomensgrens kansentarief EUR 25000.00 (geldig vanaf 2026-01-01 tot en met 2026-12-31; VOORBEELD gemeenteraad 2025-11-24) [bron: fod-financien, opgehaald op 2026-01-15]
	//
	// Entitled to UiTPAS at the opportunity tariff on 2026-03-01: yes
	// Legal basis: VOORBEELD Reglement UiTPAS Gent, gemeenteraad (2025-11-24)
	// Reasons:
	//   - [met] all of the following
	//     - [met] Lives in Ghent
	//       - [met] Registered in Ghent (the person): yes [source: rijksregister, retrieved on 2026-02-27]
	//     - [met] Low income or increased allowance in the household
	//       - [met] at least one of the following
	//         - [not met] someone in the household qualifies
	//           - [not met] the person
	//             - [not met] Increased healthcare allowance (the person): no [source: kruispuntbank, retrieved on 2026-02-27]
	//           - [not met] household member 1
	//             - [not met] Increased healthcare allowance (household member 1): no [source: kruispuntbank, retrieved on 2026-02-27]
	//         - [not met] Debt settlement or budget mediation (the person): no [source: rijksregister, retrieved on 2026-02-27]
	//         - [met] Taxable household income (the household): EUR 23800.00 is at most income ceiling for the opportunity tariff EUR 25000.00 (valid from 2026-01-01 until 2026-12-31; VOORBEELD gemeenteraad 2025-11-24) [source: fod-financien, retrieved on 2026-01-15]
}

func ExampleService_Run() {
	rs := entitlement.MustCompile(entitlement.GhentExample())
	store := entitlement.NewMemStore(nil)
	svc := entitlement.NewService(rs, store, clock.NewSettable(time.Date(2026, 3, 1, 6, 0, 0, 0, clock.Brussels)))

	ksz := entitlement.Provenance{Source: entitlement.SourceCrossroadsBank}
	population := func(yield func(*entitlement.Subject) bool) {
		s := rs.Schema().NewSubject("")
		for i, allowance := range []bool{true, false, true} {
			s.Reset(fmt.Sprintf("person-%d", i+1))
			_ = s.Set(entitlement.FactResident, entitlement.Bool(true), ksz)
			_ = s.Set(entitlement.FactIncreasedAllowance, entitlement.Bool(allowance), ksz)
			_ = s.Set(entitlement.FactDebtMediation, entitlement.Bool(false), ksz)
			if !yield(s) {
				return
			}
		}
	}
	opts := entitlement.RunOptions{
		Date: calendar.NewDate(2026, 3, 1), Actor: "batch:2026-03", DecisionRef: "CBS 2026-02-24",
		Benefits: []string{entitlement.BenefitUiTPASKansentarief},
	}
	rep, _ := svc.Run(context.Background(), population, opts)
	fmt.Println("granted:", rep.Granted)
	for _, u := range rep.Unknown {
		fmt.Println("unknown:", u.SubjectID, u.Missing)
	}
	rep, _ = svc.Run(context.Background(), population, opts)
	fmt.Println("granted on re-run:", rep.Granted)
	// Output:
	// granted: 2
	// unknown: person-2 [household_income]
	// granted on re-run: 0
}

func ExampleService_Assess() {
	rs := entitlement.MustCompile(entitlement.GhentExample())
	register := entitlement.FactSourceFunc(func(_ context.Context, id string, s *entitlement.Subject) error {
		p := entitlement.Provenance{Source: entitlement.SourceNationalRegister}
		return s.Set(entitlement.FactResident, entitlement.Bool(id == "inhabitant"), p)
	})
	svc := entitlement.NewService(rs, entitlement.NewMemStore(nil), clock.Real{}, register)
	for _, id := range []string{"inhabitant", "visitor"} {
		r, err := svc.Assess(context.Background(), id, entitlement.BenefitUiTPASKansentarief, calendar.NewDate(2026, 3, 1))
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(id, r.Outcome, r.Missing)
	}
	// Output:
	// inhabitant unknown [increased_allowance debt_mediation household_income]
	// visitor not_eligible []
}

func ExampleParsePolicy() {
	doc := []byte(`{
  "facts": [{"name": "resident", "kind": "bool"}, {"name": "age_group", "kind": "code", "codes": ["child", "adult"]}],
  "parameters": [],
  "benefits": [{
    "id": "free-swimming", "name_nl": "Gratis zwemmen", "name_en": "Free swimming",
    "legal_basis": {"decision": "EXAMPLE council decision"}, "purpose": "EXAMPLE purpose",
    "condition": {"all": [{"fact": "resident"}, {"fact": "age_group", "op": "in", "values": ["kid"]}]}
  }]
}`)
	_, _, err := entitlement.ParsePolicy(doc)
	fmt.Println(err)
	// Output:
	// validation failed: benefits[0].condition.all[1].values[0]: line 7: "kid" is not a code of "age_group" (codes: [child adult])
}

// A run given an idempotency key may be retried after a crash: the retry
// grants nobody twice, not even a subject whose grant was revoked in
// between.
func ExampleRunOptions_idempotencyKey() {
	rs := entitlement.MustCompile(entitlement.GhentExample())
	svc := entitlement.NewService(rs, entitlement.NewMemStore(nil), clock.NewSettable(time.Date(2026, 3, 1, 6, 0, 0, 0, clock.Brussels)))
	ctx := context.Background()
	ksz := entitlement.Provenance{Source: entitlement.SourceCrossroadsBank}
	s := rs.Schema().NewSubject("person-1")
	_ = s.Set(entitlement.FactResident, entitlement.Bool(true), ksz)
	_ = s.Set(entitlement.FactIncreasedAllowance, entitlement.Bool(true), ksz)
	population := func(yield func(*entitlement.Subject) bool) { yield(s) }
	opts := entitlement.RunOptions{
		Date: calendar.NewDate(2026, 3, 1), Actor: "batch:2026-03", DecisionRef: "CBS 2026-02-24",
		Benefits: []string{entitlement.BenefitUiTPASKansentarief}, IdempotencyKey: "run:2026-03",
	}
	rep, _ := svc.Run(ctx, population, opts)
	fmt.Println("granted:", rep.Granted)

	g, _ := svc.Current(ctx, "person-1", entitlement.BenefitUiTPASKansentarief)
	_, _ = svc.Revoke(ctx, entitlement.RevokeRequest{GrantID: g.ID, Version: g.Version, Reason: "wrong data", Actor: "clerk-7"})

	rep, _ = svc.Run(ctx, population, opts)
	fmt.Println("granted on retry:", rep.Granted, "skipped:", rep.Skipped)
	// Output:
	// granted: 1
	// granted on retry: 0 skipped: 1
}

// The reads a front office needs go through the service: a subject's
// grants, current or not, and their refusals.
func ExampleService_Grants() {
	rs := entitlement.MustCompile(entitlement.GhentExample())
	svc := entitlement.NewService(rs, entitlement.NewMemStore(nil), clock.NewSettable(time.Date(2026, 3, 1, 6, 0, 0, 0, clock.Brussels)))
	ctx := context.Background()
	ksz := entitlement.Provenance{Source: entitlement.SourceCrossroadsBank}
	s := rs.Schema().NewSubject("person-1")
	_ = s.Set(entitlement.FactResident, entitlement.Bool(true), ksz)
	_ = s.Set(entitlement.FactIncreasedAllowance, entitlement.Bool(true), ksz)
	_, _ = svc.Run(ctx, func(yield func(*entitlement.Subject) bool) { yield(s) }, entitlement.RunOptions{
		Date: calendar.NewDate(2026, 3, 1), Actor: "batch:2026-03", DecisionRef: "CBS 2026-02-24",
		Benefits: []string{entitlement.BenefitUiTPASKansentarief},
	})
	_ = svc.OptOut(ctx, "person-1", entitlement.BenefitUiTPASKansentarief, "I do not need it", "citizen")

	for g, err := range svc.Grants(ctx, "person-1") {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(g.Benefit, g.Status, g.From, "until", g.Until)
	}
	o, _ := svc.OptOutOf(ctx, "person-1", entitlement.BenefitUiTPASKansentarief)
	fmt.Println("refused:", o.Reason)
	// Output:
	// uitpas-kansentarief opted_out 2026-03-01 until 2026-03-01
	// refused: I do not need it
}

// A citizen reads why, in plain Dutch; the clerk still has Text.
func ExampleResult_Plain() {
	rs := entitlement.MustCompile(entitlement.GhentExample())
	s := rs.Schema().NewSubject("an")
	fetched := time.Date(2026, 3, 1, 7, 30, 0, 0, time.UTC)
	set := func(fact string, v entitlement.Value, source string) {
		if err := s.Set(fact, v, entitlement.Provenance{Source: source, RetrievedAt: fetched}); err != nil {
			panic(err)
		}
	}
	set(entitlement.FactResident, entitlement.Bool(true), entitlement.SourceNationalRegister)
	set(entitlement.FactIncreasedAllowance, entitlement.Bool(false), entitlement.SourceCrossroadsBank)
	set(entitlement.FactDebtMediation, entitlement.Bool(false), entitlement.SourceOwnRecords)
	set(entitlement.FactHouseholdIncome, entitlement.Money(decimal.RequireFromString("23800")), entitlement.SourceTaxAuthority)

	r, err := rs.Evaluate(s, "uitpas-kansentarief", calendar.NewDate(2026, 3, 1))
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Plain(entitlement.PlainOptions{}))
	// Output:
	// U krijgt UiTPAS aan kansentarief omdat voor u ‘Ingeschreven in Gent’ geldt en uw belastbaar gezinsinkomen (€ 23.800,00) niet hoger is dan de grens van € 25.000,00. We haalden die gegevens bij het Rijksregister en de FOD Financiën.
	//
	// Uw gegevens:
	// - Ingeschreven in Gent: ja (van het Rijksregister, opgehaald op 1 maart 2026)
	// - Verhoogde tegemoetkoming: nee (van de Kruispuntbank van de Sociale Zekerheid, opgehaald op 1 maart 2026)
	// - Collectieve schuldenregeling of budgetbeheer: nee (van de gemeente, opgehaald op 1 maart 2026)
	// - Belastbaar gezinsinkomen: € 23.800,00 (van de FOD Financiën, opgehaald op 1 maart 2026)
	//
	// De regels:
	// - Inkomensgrens kansentarief: € 25.000,00 (geldt van 1 januari 2026 tot en met 31 december 2026)
	//
	// Dit staat in: VOORBEELD Reglement UiTPAS Gent, gemeenteraad van 24 november 2025.
}
