package entitlement

import "github.com/lokaalbestuur/bouwstenen/calendar"

// Fact names used by the shipped Ghent examples.
const (
	FactResident           = "resident"            // registered in the municipality ("ingeschreven in de gemeente")
	FactBirthDate          = "birth_date"          // date of birth
	FactIncreasedAllowance = "increased_allowance" // "verhoogde tegemoetkoming" (BIM/OMNIO)
	FactDebtMediation      = "debt_mediation"      // in collective debt settlement or budget mediation ("schuldbemiddeling")
	FactHouseholdIncome    = "household_income"    // taxable household income, yearly
	FactVehicleLEZStatus   = "vehicle_lez_status"  // the household's car and the low-emission zone
)

// The IDs of the shipped Ghent examples.
const (
	BenefitUiTPASKansentarief = "uitpas-kansentarief"
	BenefitInvoiceDiscount    = "school-childcare-discount"
	BenefitLEZSocialMeasure   = "lez-social-measure"
)

// GhentExample returns the three first cases of Ghent's proactive service
// as a policy. EVERY parameter value, decision reference and date in it is
// an EXAMPLE chosen to be plausible; none is taken from a real council
// decision. A municipality copies it, replaces the values with its own
// decisions, and removes the Example marks.
func GhentExample() Policy {
	d := calendar.NewDate
	return Policy{
		Facts: []FactDef{
			{Name: FactResident, Kind: KindBool, LabelNL: "Ingeschreven in Gent", LabelEN: "Registered in Ghent", Description: "From the national register."},
			{Name: FactBirthDate, Kind: KindDate, LabelNL: "Geboortedatum", LabelEN: "Date of birth"},
			{Name: FactIncreasedAllowance, Kind: KindBool, LabelNL: "Verhoogde tegemoetkoming", LabelEN: "Increased healthcare allowance", Description: "From the Crossroads Bank for Social Security."},
			{Name: FactDebtMediation, Kind: KindBool, LabelNL: "Collectieve schuldenregeling of budgetbeheer", LabelEN: "Debt settlement or budget mediation"},
			{Name: FactHouseholdIncome, Kind: KindMoney, Scope: ScopeHousehold, LabelNL: "Belastbaar gezinsinkomen", LabelEN: "Taxable household income"},
			{Name: FactVehicleLEZStatus, Kind: KindCode, Scope: ScopeHousehold, Codes: []string{"none", "allowed", "banned"}, LabelNL: "Wagen van het gezin in de LEZ", LabelEN: "Household car in the low-emission zone"},
		},
		Parameters: []Parameter{
			{
				Name: "uitpas_income_ceiling", Kind: KindMoney, Example: true,
				LabelNL: "Inkomensgrens kansentarief", LabelEN: "Income ceiling for the opportunity tariff",
				Values: []ParamValue{
					{From: d(2026, 1, 1), Until: d(2026, 12, 31), Value: "25000.00", Basis: "VOORBEELD gemeenteraad 2025-11-24"},
					{From: d(2027, 1, 1), Value: "25750.00", Basis: "VOORBEELD gemeenteraad 2026-11-23 (indexering)"},
				},
			},
			{
				Name: "discount_max_child_age", Kind: KindNumber, Example: true,
				LabelNL: "Leeftijdsgrens kind", LabelEN: "Age limit of the child",
				Values: []ParamValue{{From: d(2026, 1, 1), Value: "12", Basis: "VOORBEELD gemeenteraad 2025-11-24"}},
			},
			{
				Name: "discount_income_ceiling", Kind: KindMoney, Example: true,
				LabelNL: "Inkomensgrens korting", LabelEN: "Income ceiling for the discount",
				Values: []ParamValue{
					{From: d(2026, 1, 1), Until: d(2026, 12, 31), Value: "30000.00", Basis: "VOORBEELD gemeenteraad 2025-11-24"},
					{From: d(2027, 1, 1), Value: "30900.00", Basis: "VOORBEELD gemeenteraad 2026-11-23"},
				},
			},
			{
				Name: "adult_age", Kind: KindNumber, Example: true,
				LabelNL: "Meerderjarigheid", LabelEN: "Age of majority",
				Values: []ParamValue{{From: d(2020, 1, 1), Value: "18", Basis: "Burgerlijk Wetboek"}},
			},
		},
		Definitions: []Definition{
			{Name: "resident", LabelNL: "Woont in Gent", LabelEN: "Lives in Ghent", Condition: IsTrue(FactResident)},
			{
				Name: "low_income", LabelNL: "Beperkt inkomen of verhoogde tegemoetkoming in het gezin", LabelEN: "Low income or increased allowance in the household",
				Condition: Any(
					SomeMember(IsTrue(FactIncreasedAllowance)),
					IsTrue(FactDebtMediation),
					FactParam(FactHouseholdIncome, OpLe, "uitpas_income_ceiling"),
				),
			},
		},
		Benefits: []Benefit{
			{
				ID: BenefitUiTPASKansentarief, Example: true, NoticeDays: 30,
				NameNL: "UiTPAS aan kansentarief", NameEN: "UiTPAS at the opportunity tariff",
				Description: "Reduced prices for culture, sport and leisure with the UiTPAS.",
				LegalBasis:  LegalBasis{Decision: "VOORBEELD Reglement UiTPAS Gent, gemeenteraad", Date: d(2025, 11, 24)},
				Purpose:     "Toekennen van het kansentarief UiTPAS zonder aanvraag (proactieve dienstverlening)",
				Condition:   All(Ref("resident"), Ref("low_income")),
			},
			{
				ID: BenefitInvoiceDiscount, Example: true, NoticeDays: 60,
				NameNL: "Korting op facturen stedelijke scholen en kinderopvang", NameEN: "Discount on city school and childcare invoices",
				LegalBasis: LegalBasis{Decision: "VOORBEELD Retributiereglement onderwijs en kinderopvang, gemeenteraad", Date: d(2025, 11, 24)},
				Purpose:    "Verminderen van schoolfacturen en opvangkosten voor gezinnen met een beperkt inkomen",
				Condition: All(
					Ref("resident"),
					AgeParam(FactBirthDate, OpLt, "discount_max_child_age"),
					Any(
						SomeMember(IsTrue(FactIncreasedAllowance)),
						FactParam(FactHouseholdIncome, OpLe, "discount_income_ceiling"),
					),
				),
			},
			{
				ID: BenefitLEZSocialMeasure, Example: true, NoticeDays: 0,
				NameNL: "Sociale maatregel lage-emissiezone", NameEN: "Low-emission zone social measure",
				Description: "Support to replace a car banned from the LEZ, for adults with limited means.",
				LegalBasis:  LegalBasis{Decision: "VOORBEELD Reglement sociale maatregelen LEZ, gemeenteraad", Date: d(2025, 6, 30)},
				Purpose:     "Sociale begeleiding van de lage-emissiezone",
				Condition: All(
					Ref("resident"),
					AgeParam(FactBirthDate, OpGe, "adult_age"),
					FactIn(FactVehicleLEZStatus, "banned"),
					Any(SomeMember(IsTrue(FactIncreasedAllowance)), IsTrue(FactDebtMediation)),
				),
			},
		},
	}
}
