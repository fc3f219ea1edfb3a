package entitlement_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

// demoDay and demoFetched are when the portal's demo assesses and fetched its facts.
var (
	demoDay     = calendar.NewDate(2026, 3, 1)
	demoFetched = time.Date(2026, 3, 1, 7, 30, 0, 0, clock.Brussels)
)

type sourced struct {
	value  entitlement.Value
	source string
	member bool
}

// demoSubject builds one of the portal's demo people (examples/portal/rights_demo.go).
func demoSubject(t *testing.T, who string) *entitlement.Subject {
	t.Helper()
	rr, ksz, fin, div, own := entitlement.SourceNationalRegister, entitlement.SourceCrossroadsBank, entitlement.SourceTaxAuthority,
		entitlement.SourceVehicleRegister, entitlement.SourceOwnRecords
	d := calendar.NewDate
	people := map[string][]struct {
		name string
		sourced
	}{
		"an": {
			{entitlement.FactResident, sourced{entitlement.Bool(true), rr, false}},
			{entitlement.FactBirthDate, sourced{entitlement.DateValue(d(1985, 7, 30)), rr, false}},
			{entitlement.FactIncreasedAllowance, sourced{entitlement.Bool(false), ksz, false}},
			{entitlement.FactDebtMediation, sourced{entitlement.Bool(false), own, false}},
			{entitlement.FactHouseholdIncome, sourced{money("23800"), fin, false}},
			{entitlement.FactVehicleLEZStatus, sourced{entitlement.Code("allowed"), div, false}},
			{entitlement.FactIncreasedAllowance, sourced{entitlement.Bool(false), ksz, true}},
		},
		"mohamed": {
			{entitlement.FactResident, sourced{entitlement.Bool(true), rr, false}},
			{entitlement.FactBirthDate, sourced{entitlement.DateValue(d(2017, 7, 30)), rr, false}},
			{entitlement.FactIncreasedAllowance, sourced{entitlement.Bool(false), ksz, false}},
			{entitlement.FactDebtMediation, sourced{entitlement.Bool(false), own, false}},
			{entitlement.FactHouseholdIncome, sourced{money("28500"), fin, false}},
			{entitlement.FactVehicleLEZStatus, sourced{entitlement.Code("none"), div, false}},
			{entitlement.FactIncreasedAllowance, sourced{entitlement.Bool(false), ksz, true}},
		},
		"lotte": {
			{entitlement.FactResident, sourced{entitlement.Bool(true), rr, false}},
			{entitlement.FactBirthDate, sourced{entitlement.DateValue(d(1990, 2, 1)), rr, false}},
			{entitlement.FactIncreasedAllowance, sourced{entitlement.Bool(false), ksz, false}},
			{entitlement.FactDebtMediation, sourced{entitlement.Bool(false), own, false}},
			{entitlement.FactVehicleLEZStatus, sourced{entitlement.Code("banned"), div, false}},
		},
	}
	s := ghent.Schema().NewSubject(who)
	var member *entitlement.Facts
	for _, f := range people[who] {
		p := entitlement.Provenance{Source: f.source, RetrievedAt: demoFetched}
		if f.member {
			if member == nil {
				member = s.AddMember()
			}
			require.NoError(t, s.SetMember(member, f.name, f.value, p))
			continue
		}
		require.NoError(t, s.Set(f.name, f.value, p))
	}
	return s
}

func TestPlainDemoPeople(t *testing.T) {
	opts := entitlement.PlainOptions{Codes: map[string]string{"vehicle_lez_status.banned": "niet toegelaten", "allowed": "toegelaten", "none": "geen wagen"}}
	for _, c := range []struct {
		who, benefit string
		outcome      entitlement.Outcome
		summary      string
	}{
		{"an", "uitpas-kansentarief", entitlement.Eligible,
			"U krijgt UiTPAS aan kansentarief omdat voor u ‘Ingeschreven in Gent’ geldt en uw belastbaar gezinsinkomen (€ 23.800,00) niet hoger is dan de grens van € 25.000,00. We haalden die gegevens bij het Rijksregister en de FOD Financiën."},
		{"an", "lez-social-measure", entitlement.NotEligible,
			"U krijgt sociale maatregel lage-emissiezone niet omdat uw wagen van het gezin in de LEZ ‘toegelaten’ is (niet ‘niet toegelaten’), voor niemand in uw gezin ‘Verhoogde tegemoetkoming’ geldt en voor u ‘Collectieve schuldenregeling of budgetbeheer’ niet geldt. We haalden die gegevens bij de Dienst Inschrijvingen Voertuigen (DIV), de Kruispuntbank van de Sociale Zekerheid en de gemeente."},
		{"mohamed", "school-childcare-discount", entitlement.Eligible,
			"U krijgt korting op facturen stedelijke scholen en kinderopvang omdat voor u ‘Ingeschreven in Gent’ geldt, u 8 jaar bent (jonger dan 12) en uw belastbaar gezinsinkomen (€ 28.500,00) niet hoger is dan de grens van € 30.000,00. We haalden die gegevens bij het Rijksregister en de FOD Financiën."},
		{"mohamed", "uitpas-kansentarief", entitlement.NotEligible,
			"U krijgt UiTPAS aan kansentarief niet omdat voor niemand in uw gezin ‘Verhoogde tegemoetkoming’ geldt, voor u ‘Collectieve schuldenregeling of budgetbeheer’ niet geldt en uw belastbaar gezinsinkomen (€ 28.500,00) hoger is dan de grens van € 25.000,00. We haalden die gegevens bij de Kruispuntbank van de Sociale Zekerheid, de gemeente en de FOD Financiën."},
		{"lotte", "lez-social-measure", entitlement.NotEligible,
			"U krijgt sociale maatregel lage-emissiezone niet omdat voor niemand in uw gezin ‘Verhoogde tegemoetkoming’ geldt en voor u ‘Collectieve schuldenregeling of budgetbeheer’ niet geldt. We haalden die gegevens bij de Kruispuntbank van de Sociale Zekerheid en de gemeente."},
		{"lotte", "uitpas-kansentarief", entitlement.Undecided,
			"We weten nog niet of u UiTPAS aan kansentarief krijgt, omdat we uw belastbaar gezinsinkomen nog niet kennen. Zodra we die gegevens hebben, bekijken we het opnieuw."},
	} {
		t.Run(c.who+"/"+c.benefit, func(t *testing.T) {
			r, err := ghent.Evaluate(demoSubject(t, c.who), c.benefit, demoDay)
			require.NoError(t, err)
			require.Equal(t, c.outcome, r.Outcome)
			p := r.Plain(opts)
			assert.Equal(t, c.summary, p.Summary)
			assert.NotContains(t, p.String(), "EUR", "amounts the Belgian way")
			assert.NotContains(t, p.String(), "fod-financien", "sources by name")
			assert.NotRegexp(t, `\d{4}-\d\d-\d\d`, p.String(), "dates the Belgian way")
			// The clerk's full tree is still there.
			assert.Contains(t, r.Text(entitlement.Dutch), "Motivering:")
		})
	}

	r, err := ghent.Evaluate(demoSubject(t, "an"), "uitpas-kansentarief", demoDay)
	require.NoError(t, err)
	p := r.Plain(entitlement.PlainOptions{})
	assert.Equal(t, []string{
		"Ingeschreven in Gent: ja (van het Rijksregister, opgehaald op 1 maart 2026)",
		"Verhoogde tegemoetkoming: nee (van de Kruispuntbank van de Sociale Zekerheid, opgehaald op 1 maart 2026)",
		"Verhoogde tegemoetkoming (gezinslid 1): nee (van de Kruispuntbank van de Sociale Zekerheid, opgehaald op 1 maart 2026)",
		"Collectieve schuldenregeling of budgetbeheer: nee (van de gemeente, opgehaald op 1 maart 2026)",
		"Belastbaar gezinsinkomen: € 23.800,00 (van de FOD Financiën, opgehaald op 1 maart 2026)",
	}, p.Facts)
	assert.Equal(t, []string{"Inkomensgrens kansentarief: € 25.000,00 (geldt van 1 januari 2026 tot en met 31 december 2026)"}, p.Rules)
	assert.True(t, strings.HasPrefix(p.String(), p.Summary+"\n\nUw gegevens:\n- Ingeschreven in Gent: ja"), p.String())
	assert.Contains(t, p.String(), "\n\nDe regels:\n- Inkomensgrens kansentarief: € 25.000,00")
	assert.Equal(t, "Dit staat in: VOORBEELD Reglement UiTPAS Gent, gemeenteraad van 24 november 2025.", p.Basis)
	assert.True(t, strings.HasSuffix(p.String(), "\n\n"+p.Basis))
}

func TestPlainSources(t *testing.T) {
	assert.Equal(t, "de FOD Financiën", entitlement.Sources(nil).Name(entitlement.SourceTaxAuthority))
	assert.Equal(t, "het Agentschap Opgroeien", entitlement.Sources(nil).Name("opgroeien"))
	assert.Equal(t, "de gemeente", entitlement.Sources(nil).Name(entitlement.SourceOwnRecords))
	own := entitlement.Sources{"fod-financien": "Mijn Dossier van de FOD Financiën", "wonen": "Wonen in Vlaanderen"}
	assert.Equal(t, "Mijn Dossier van de FOD Financiën", own.Name("fod-financien"))
	assert.Equal(t, "Wonen in Vlaanderen", own.Name("wonen"))
	assert.Equal(t, "het Rijksregister", own.Name("rijksregister"), "the defaults fill the gaps")
	assert.Equal(t, "onbekende-bron", own.Name("onbekende-bron"))

	r, err := ghent.Evaluate(demoSubject(t, "an"), "uitpas-kansentarief", demoDay)
	require.NoError(t, err)
	p := r.Plain(entitlement.PlainOptions{Sources: own})
	assert.True(t, strings.HasSuffix(p.Summary, "We haalden die gegevens bij het Rijksregister en Mijn Dossier van de FOD Financiën."), p.Summary)
}

// leafPolicy has one benefit per kind of comparison the rule language has.
func leafPolicy() entitlement.Policy {
	b := func(id string, c entitlement.Condition) entitlement.Benefit {
		return entitlement.Benefit{ID: id, NameNL: "Voordeel", Purpose: "p", LegalBasis: entitlement.LegalBasis{Decision: "d"}, Condition: c}
	}
	return entitlement.Policy{
		Facts: []entitlement.FactDef{
			{Name: "flag", Kind: entitlement.KindBool, LabelNL: "Vlag"},
			{Name: "amount", Kind: entitlement.KindMoney, Scope: entitlement.ScopeHousehold, LabelNL: "Bedrag"},
			{Name: "count", Kind: entitlement.KindNumber, LabelNL: "Aantal"},
			{Name: "day", Kind: entitlement.KindDate, LabelNL: "Datum"},
			{Name: "code", Kind: entitlement.KindCode, Codes: []string{"x", "y", "z"}, LabelNL: "Code"},
			{Name: "birth_date", Kind: entitlement.KindDate, LabelNL: "Geboortedatum"},
			{Name: "since", Kind: entitlement.KindDate, LabelNL: "Datum van inschrijving"},
		},
		Parameters: []entitlement.Parameter{
			{Name: "limit", Kind: entitlement.KindMoney, LabelNL: "Grens", Values: []entitlement.ParamValue{{From: calendar.NewDate(2026, 1, 1), Value: "100.00"}}},
			{Name: "adult", Kind: entitlement.KindNumber, LabelNL: "Meerderjarigheid", Values: []entitlement.ParamValue{{From: calendar.NewDate(2020, 1, 1), Value: "18"}}},
		},
		Benefits: []entitlement.Benefit{
			b("true", entitlement.IsTrue("flag")),
			b("false", entitlement.FactValue("flag", entitlement.OpEq, "false")),
			b("money", entitlement.FactParam("amount", entitlement.OpLe, "limit")),
			b("number", entitlement.FactValue("count", entitlement.OpGt, "2.5")),
			b("date", entitlement.FactValue("day", entitlement.OpLt, "2000-01-01")),
			b("code", entitlement.FactValue("code", entitlement.OpEq, "x")),
			b("code_ne", entitlement.FactValue("code", entitlement.OpNe, "x")),
			b("code_in", entitlement.FactIn("code", "x", "y")),
			b("age", entitlement.AgeParam("birth_date", entitlement.OpGe, "adult")),
			b("years", entitlement.Condition{AgeOf: "since", Op: entitlement.OpLt, Value: "5"}),
			b("member", entitlement.SomeMember(entitlement.FactValue("count", entitlement.OpGt, "2"))),
		},
	}
}

func TestPlainLeafKinds(t *testing.T) {
	rs := entitlement.MustCompile(leafPolicy())
	d := calendar.NewDate
	for _, c := range []struct {
		benefit string
		person  facts
		members []facts
		want    string
	}{
		{"true", facts{"flag": entitlement.Bool(true)}, nil, "U krijgt voordeel omdat voor u ‘Vlag’ geldt."},
		{"true", facts{"flag": entitlement.Bool(false)}, nil, "U krijgt voordeel niet omdat voor u ‘Vlag’ niet geldt."},
		{"true", facts{}, nil, "We weten nog niet of u voordeel krijgt, omdat we nog niet weten of voor u ‘Vlag’ geldt."},
		{"false", facts{"flag": entitlement.Bool(false)}, nil, "U krijgt voordeel omdat voor u ‘Vlag’ niet geldt."},
		{"false", facts{"flag": entitlement.Bool(true)}, nil, "U krijgt voordeel niet omdat voor u ‘Vlag’ geldt."},
		{"money", facts{"amount": money("80")}, nil, "U krijgt voordeel omdat uw bedrag (€ 80,00) niet hoger is dan de grens van € 100,00."},
		{"money", facts{"amount": money("1234.5")}, nil, "U krijgt voordeel niet omdat uw bedrag (€ 1.234,50) hoger is dan de grens van € 100,00."},
		{"money", facts{}, nil, "We weten nog niet of u voordeel krijgt, omdat we uw bedrag nog niet kennen."},
		{"number", facts{"count": entitlement.Number(decimal.NewFromInt(3))}, nil, "U krijgt voordeel omdat uw aantal (3) hoger is dan 2,5."},
		{"number", facts{"count": entitlement.Number(decimal.RequireFromString("1.5"))}, nil, "U krijgt voordeel niet omdat uw aantal (1,5) niet hoger is dan 2,5."},
		{"date", facts{"day": entitlement.DateValue(d(1990, 5, 1))}, nil, "U krijgt voordeel omdat uw datum (1 mei 1990) vóór 1 januari 2000 valt."},
		{"date", facts{"day": entitlement.DateValue(d(2005, 5, 1))}, nil, "U krijgt voordeel niet omdat uw datum (1 mei 2005) niet vóór 1 januari 2000 valt."},
		{"code", facts{"code": entitlement.Code("x")}, nil, "U krijgt voordeel omdat uw code ‘x’ is."},
		{"code", facts{"code": entitlement.Code("y")}, nil, "U krijgt voordeel niet omdat uw code ‘y’ is (niet ‘x’)."},
		{"code_ne", facts{"code": entitlement.Code("y")}, nil, "U krijgt voordeel omdat uw code ‘y’ is (niet ‘x’)."},
		{"code_ne", facts{"code": entitlement.Code("x")}, nil, "U krijgt voordeel niet omdat uw code ‘x’ is."},
		{"code_in", facts{"code": entitlement.Code("y")}, nil, "U krijgt voordeel omdat uw code ‘y’ is."},
		{"code_in", facts{"code": entitlement.Code("z")}, nil, "U krijgt voordeel niet omdat uw code ‘z’ is (geen van ‘x’ en ‘y’)."},
		{"age", facts{"birth_date": entitlement.DateValue(d(1996, 3, 1))}, nil, "U krijgt voordeel omdat u 30 jaar bent (minstens 18)."},
		{"age", facts{"birth_date": entitlement.DateValue(d(2016, 3, 2))}, nil, "U krijgt voordeel niet omdat u 9 jaar bent (jonger dan 18)."},
		{"age", facts{}, nil, "We weten nog niet of u voordeel krijgt, omdat we uw geboortedatum nog niet kennen."},
		{"years", facts{"since": entitlement.DateValue(d(2024, 3, 1))}, nil, "U krijgt voordeel omdat uw datum van inschrijving (1 maart 2024) 2 jaar geleden is (minder dan 5 jaar)."},
		{"years", facts{"since": entitlement.DateValue(d(2016, 3, 1))}, nil, "U krijgt voordeel niet omdat uw datum van inschrijving (1 maart 2016) 10 jaar geleden is (minstens 5 jaar)."},
		{"member", facts{"count": entitlement.Number(decimal.NewFromInt(1))}, []facts{{"count": entitlement.Number(decimal.NewFromInt(4))}},
			"U krijgt voordeel omdat aantal van iemand in uw gezin (4) hoger is dan 2."},
		{"member", facts{"count": entitlement.Number(decimal.NewFromInt(1))}, []facts{{"count": entitlement.Number(decimal.NewFromInt(2))}},
			"U krijgt voordeel niet omdat uw aantal (1) niet hoger is dan 2 en aantal van iemand in uw gezin (2) niet hoger is dan 2."},
	} {
		t.Run(c.benefit+"/"+c.want, func(t *testing.T) {
			s := subject(t, rs, c.person, nil, c.members...)
			r, err := rs.Evaluate(s, c.benefit, demoDay)
			require.NoError(t, err)
			p := r.Plain(entitlement.PlainOptions{})
			want := c.want
			if r.Outcome != entitlement.Undecided {
				want += " We haalden die gegevens bij het Rijksregister."
			} else {
				want += " Zodra we die gegevens hebben, bekijken we het opnieuw."
			}
			assert.Equal(t, want, p.Summary)
		})
	}

	// Codes in words, by fact and code or by code alone.
	s := subject(t, rs, facts{"code": entitlement.Code("y")}, nil)
	r, err := rs.Evaluate(s, "code", demoDay)
	require.NoError(t, err)
	p := r.Plain(entitlement.PlainOptions{Codes: map[string]string{"code.y": "ypsilon", "x": "iks"}})
	assert.Equal(t, "U krijgt voordeel niet omdat uw code ‘ypsilon’ is (niet ‘iks’). We haalden die gegevens bij het Rijksregister.", p.Summary)
	assert.Equal(t, []string{"Code: ypsilon (van het Rijksregister, opgehaald op 1 februari 2026)"}, p.Facts)
}

func TestPlainStaleFact(t *testing.T) {
	rs := entitlement.MustCompile(leafPolicy())
	s := rs.Schema().NewSubject("s")
	require.NoError(t, s.Set("flag", entitlement.Bool(true), entitlement.Provenance{Source: "rijksregister", ValidUntil: calendar.NewDate(2025, 12, 31)}))
	r, err := rs.Evaluate(s, "true", demoDay)
	require.NoError(t, err)
	require.Equal(t, entitlement.Undecided, r.Outcome)
	p := r.Plain(entitlement.PlainOptions{})
	assert.Equal(t, "We weten nog niet of u voordeel krijgt, omdat de gegevens over ‘Vlag’ niet gelden op 1 maart 2026. Zodra we die gegevens hebben, bekijken we het opnieuw.", p.Summary)
	assert.Equal(t, []string{"Vlag: ja, maar niet geldig op 1 maart 2026 (van het Rijksregister)"}, p.Facts)
}

func TestPlainExceptions(t *testing.T) {
	rs := entitlement.MustCompile(exceptionPolicy())
	y, n := entitlement.Bool(true), entitlement.Bool(false)
	for _, c := range []struct {
		facts facts
		want  string
	}{
		{facts{"resident": y, "ocmw_referral": n, "federal_benefit": n}, "U krijgt voordeel omdat voor u ‘resident’ geldt."},
		{facts{"resident": n, "ocmw_referral": y}, "U krijgt voordeel omdat de uitzondering ‘referral’ voor u geldt, en die u toch recht geeft en voor u ‘ocmw_referral’ geldt."},
		{facts{"resident": y, "ocmw_referral": n, "federal_benefit": y}, "U krijgt voordeel niet omdat de uitzondering ‘double’ voor u geldt, en die u uitsluit en voor u ‘federal_benefit’ geldt."},
		{facts{"resident": y, "ocmw_referral": n}, "We weten nog niet of u voordeel krijgt, omdat we niet weten of de uitzondering ‘double’ voor u geldt en we nog niet weten of voor u ‘federal_benefit’ geldt."},
	} {
		s := subject(t, rs, c.facts, nil)
		r, err := rs.Evaluate(s, "b", benchDay)
		require.NoError(t, err)
		summary := r.Plain(entitlement.PlainOptions{}).Summary
		summary, _, _ = strings.Cut(summary, " We haalden")
		summary, _, _ = strings.Cut(summary, " Zodra")
		if !strings.HasSuffix(summary, ".") {
			summary += "."
		}
		assert.Equal(t, c.want, summary)
	}
}

// TestPlainCombinations checks every outcome of a set of and/or/not trees
// over three yes/no facts, each fact yes, no or unknown: the summary opens
// for the outcome, a decided outcome names only known facts and the facts
// it names suffice (with every other fact unknown, the outcome is the
// same), and an unknown outcome names only unknown facts.
func TestPlainCombinations(t *testing.T) {
	a, b, c := entitlement.IsTrue("a"), entitlement.IsTrue("b"), entitlement.IsTrue("c")
	not, all, any := entitlement.Not, entitlement.All, entitlement.Any
	conds := map[string]entitlement.Condition{
		"all(a,b)":                  all(a, b),
		"any(a,b)":                  any(a, b),
		"not(a)":                    not(a),
		"not(all(a,b))":             not(all(a, b)),
		"not(any(a,b))":             not(any(a, b)),
		"all(a,any(b,c))":           all(a, any(b, c)),
		"any(all(a,b),not(c))":      any(all(a, b), not(c)),
		"not(any(a,not(all(b,c))))": not(any(a, not(all(b, c)))),
		"all(ref,not(c))":           all(entitlement.Ref("either"), not(c)),
		"any(not(a),not(b),c)":      any(not(a), not(b), c),
	}
	policy := entitlement.Policy{
		Facts: []entitlement.FactDef{
			{Name: "a", Kind: entitlement.KindBool, LabelNL: "Eerste"},
			{Name: "b", Kind: entitlement.KindBool, LabelNL: "Tweede"},
			{Name: "c", Kind: entitlement.KindBool, LabelNL: "Derde"},
		},
		Definitions: []entitlement.Definition{{Name: "either", LabelNL: "Een van beide", Condition: any(a, b)}},
	}
	for name, cond := range conds {
		policy.Benefits = append(policy.Benefits, entitlement.Benefit{ID: name, NameNL: "Voordeel", Purpose: "p", LegalBasis: entitlement.LegalBasis{Decision: "d"}, Condition: cond})
	}
	rs := entitlement.MustCompile(policy)
	labels := map[string]string{"Eerste": "a", "Tweede": "b", "Derde": "c"}
	quoted := regexp.MustCompile(`‘([^’]+)’`)
	values := []*entitlement.Value{nil, ptr(entitlement.Bool(true)), ptr(entitlement.Bool(false))}
	for name := range conds {
		for _, va := range values {
			for _, vb := range values {
				for _, vc := range values {
					all := facts{}
					for f, v := range map[string]*entitlement.Value{"a": va, "b": vb, "c": vc} {
						if v != nil {
							all[f] = *v
						}
					}
					s := subject(t, rs, all, nil)
					r, err := rs.Evaluate(s, name, benchDay)
					require.NoError(t, err)
					summary := r.Plain(entitlement.PlainOptions{}).Summary
					desc := fmt.Sprintf("%s with %v: %s", name, all, summary)
					switch r.Outcome {
					case entitlement.Eligible:
						require.True(t, strings.HasPrefix(summary, "U krijgt voordeel omdat "), desc)
					case entitlement.NotEligible:
						require.True(t, strings.HasPrefix(summary, "U krijgt voordeel niet omdat "), desc)
					default:
						require.True(t, strings.HasPrefix(summary, "We weten nog niet of u voordeel krijgt, omdat "), desc)
					}
					named := facts{}
					for _, m := range quoted.FindAllStringSubmatch(summary, -1) {
						f, ok := labels[m[1]]
						require.True(t, ok, "names a fact: %s", desc)
						v, known := all[f]
						if r.Outcome == entitlement.Undecided {
							require.False(t, known, "an unknown outcome names only unknown facts: %s", desc)
							continue
						}
						require.True(t, known, "a decision names only known facts: %s", desc)
						named[f] = v
					}
					require.NotEmpty(t, quoted.FindAllString(summary, -1), desc)
					if r.Outcome != entitlement.Undecided {
						again, err := rs.Evaluate(subject(t, rs, named, nil), name, benchDay)
						require.NoError(t, err)
						require.Equal(t, r.Outcome, again.Outcome, "the facts named decide the outcome: %s", desc)
					}
				}
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

// FuzzPlain reads stored results (a grant keeps its explanation as JSON)
// that may come from an older version or a damaged row: Plain must not
// panic on any of them.
func FuzzPlain(f *testing.F) {
	r, err := ghent.Evaluate(demoSubjectF(f, "an"), "uitpas-kansentarief", demoDay)
	require.NoError(f, err)
	seed, err := json.Marshal(r)
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte(`{"outcome":"unknown","explanation":{"kind":"some_member","truth":"false","children":[{"kind":"member"},{"kind":"member","children":[{"kind":"fact"}]}]}}`))
	f.Add([]byte(`{"outcome":"eligible","explanation":{"kind":"exceptions","truth":"true","children":[{"kind":"exception","truth":"true"},{"kind":"general_rule"}]}}`))
	f.Add([]byte(`{"explanation":{"kind":"age","truth":"false","op":"lt","fact":{"name":"x","known":true,"value":"2026-13-45"},"param":{"kind":"money","value":"abc"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r entitlement.Result
		if json.Unmarshal(data, &r) != nil {
			return
		}
		p := r.Plain(entitlement.PlainOptions{})
		require.NotEmpty(t, p.Summary)
		_ = p.String()
	})
}

func demoSubjectF(f *testing.F, who string) *entitlement.Subject {
	s := ghent.Schema().NewSubject(who)
	require.NoError(f, s.Set(entitlement.FactResident, entitlement.Bool(true), entitlement.Provenance{Source: "rijksregister", RetrievedAt: demoFetched}))
	require.NoError(f, s.Set(entitlement.FactHouseholdIncome, money("23800"), entitlement.Provenance{Source: "fod-financien", RetrievedAt: demoFetched}))
	return s
}
