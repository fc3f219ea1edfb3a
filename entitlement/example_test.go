package entitlement_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/internal/calendar"
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
