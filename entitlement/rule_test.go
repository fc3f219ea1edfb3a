package entitlement_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

var ghent = entitlement.MustCompile(entitlement.GhentExample())

var prov = entitlement.Provenance{Source: entitlement.SourceNationalRegister, RetrievedAt: time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)}

type facts map[string]entitlement.Value

func subject(t testing.TB, rs *entitlement.Ruleset, person, household facts, members ...facts) *entitlement.Subject {
	t.Helper()
	s := rs.Schema().NewSubject("s1")
	for k, v := range person {
		require.NoError(t, s.Set(k, v, prov))
	}
	for k, v := range household {
		require.NoError(t, s.Set(k, v, prov))
	}
	for _, m := range members {
		mf := s.AddMember()
		for k, v := range m {
			require.NoError(t, s.SetMember(mf, k, v, prov))
		}
	}
	return s
}

func money(s string) entitlement.Value { return entitlement.Money(decimal.RequireFromString(s)) }
func born(y int) entitlement.Value {
	return entitlement.DateValue(calendar.NewDate(y, time.June, 1))
}

func TestGhentBenefits(t *testing.T) {
	day := calendar.NewDate(2026, 3, 1)
	tests := []struct {
		name      string
		benefit   string
		person    facts
		household facts
		members   []facts
		want      entitlement.Outcome
	}{
		{"uitpas: allowance", entitlement.BenefitUiTPASKansentarief, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(true)}, nil, nil, entitlement.Eligible},
		{"uitpas: partner has allowance", entitlement.BenefitUiTPASKansentarief, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(false), "debt_mediation": entitlement.Bool(false)}, facts{"household_income": money("40000")}, []facts{{"increased_allowance": entitlement.Bool(true)}}, entitlement.Eligible},
		{"uitpas: income at ceiling", entitlement.BenefitUiTPASKansentarief, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(false), "debt_mediation": entitlement.Bool(false)}, facts{"household_income": money("25000.00")}, nil, entitlement.Eligible},
		{"uitpas: income above ceiling", entitlement.BenefitUiTPASKansentarief, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(false), "debt_mediation": entitlement.Bool(false)}, facts{"household_income": money("25000.01")}, nil, entitlement.NotEligible},
		{"uitpas: not resident, rest missing", entitlement.BenefitUiTPASKansentarief, facts{"resident": entitlement.Bool(false)}, nil, nil, entitlement.NotEligible},
		{"uitpas: income missing", entitlement.BenefitUiTPASKansentarief, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(false), "debt_mediation": entitlement.Bool(false)}, nil, nil, entitlement.Undecided},
		{"discount: child of 11", entitlement.BenefitInvoiceDiscount, facts{"resident": entitlement.Bool(true), "birth_date": entitlement.DateValue(calendar.NewDate(2014, 3, 2))}, facts{"household_income": money("20000")}, nil, entitlement.Eligible},
		{"discount: 12th birthday", entitlement.BenefitInvoiceDiscount, facts{"resident": entitlement.Bool(true), "birth_date": entitlement.DateValue(calendar.NewDate(2014, 3, 1))}, facts{"household_income": money("20000")}, nil, entitlement.NotEligible},
		{"discount: birth date missing", entitlement.BenefitInvoiceDiscount, facts{"resident": entitlement.Bool(true)}, facts{"household_income": money("20000")}, nil, entitlement.Undecided},
		{"lez: adult, banned car, debt mediation", entitlement.BenefitLEZSocialMeasure, facts{"resident": entitlement.Bool(true), "birth_date": born(1970), "debt_mediation": entitlement.Bool(true)}, facts{"vehicle_lez_status": entitlement.Code("banned")}, nil, entitlement.Eligible},
		{"lez: allowed car", entitlement.BenefitLEZSocialMeasure, facts{"resident": entitlement.Bool(true), "birth_date": born(1970), "debt_mediation": entitlement.Bool(true)}, facts{"vehicle_lez_status": entitlement.Code("allowed")}, nil, entitlement.NotEligible},
		{"lez: minor", entitlement.BenefitLEZSocialMeasure, facts{"resident": entitlement.Bool(true), "birth_date": born(2010), "debt_mediation": entitlement.Bool(true)}, facts{"vehicle_lez_status": entitlement.Code("banned")}, nil, entitlement.NotEligible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := subject(t, ghent, tt.person, tt.household, tt.members...)
			r, err := ghent.Evaluate(s, tt.benefit, day)
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Outcome, r.Text(entitlement.English))
			if tt.want == entitlement.Undecided {
				assert.NotEmpty(t, r.Missing)
			}
		})
	}
}

func TestMissingListsOnlyRelevantFacts(t *testing.T) {
	s := subject(t, ghent, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(false), "debt_mediation": entitlement.Bool(false)}, nil)
	r, err := ghent.Evaluate(s, entitlement.BenefitUiTPASKansentarief, calendar.NewDate(2026, 3, 1))
	require.NoError(t, err)
	assert.Equal(t, []string{"household_income"}, r.Missing)
}

func TestStaleFactIsUnknown(t *testing.T) {
	s := ghent.Schema().NewSubject("s")
	old := prov
	old.ValidUntil = calendar.NewDate(2025, 12, 31)
	require.NoError(t, s.Set("resident", entitlement.Bool(true), old))
	require.NoError(t, s.Set("increased_allowance", entitlement.Bool(true), prov))
	r, err := ghent.Evaluate(s, entitlement.BenefitUiTPASKansentarief, calendar.NewDate(2026, 3, 1))
	require.NoError(t, err)
	assert.Equal(t, entitlement.Undecided, r.Outcome)
	assert.Contains(t, r.Text(entitlement.English), "not valid on the assessment date")
}

func TestParameterVersionByDate(t *testing.T) {
	s := subject(t, ghent, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(false), "debt_mediation": entitlement.Bool(false)}, facts{"household_income": money("25500")})
	r26, err := ghent.Evaluate(s, entitlement.BenefitUiTPASKansentarief, calendar.NewDate(2026, 12, 31))
	require.NoError(t, err)
	r27, err := ghent.Evaluate(s, entitlement.BenefitUiTPASKansentarief, calendar.NewDate(2027, 1, 1))
	require.NoError(t, err)
	assert.Equal(t, entitlement.NotEligible, r26.Outcome)
	assert.Equal(t, entitlement.Eligible, r27.Outcome)
	require.Len(t, r27.Parameters, 1)
	assert.Equal(t, "25750.00", r27.Parameters[0].Value)
}

func TestDateOutsideEveryPeriod(t *testing.T) {
	s := subject(t, ghent, facts{"resident": entitlement.Bool(true)}, nil)
	_, err := ghent.Evaluate(s, entitlement.BenefitUiTPASKansentarief, calendar.NewDate(2025, 6, 1))
	var pe *entitlement.OutsidePeriodError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "uitpas_income_ceiling", pe.Parameter)
	assert.ErrorIs(t, err, entitlement.ErrOutsidePeriod)
}

func TestContradictoryFacts(t *testing.T) {
	s := subject(t, ghent, facts{"resident": entitlement.Bool(true)}, nil)
	other := prov
	other.Source = entitlement.SourceOwnRecords
	require.NoError(t, s.Set("resident", entitlement.Bool(false), other))
	_, err := ghent.Evaluate(s, entitlement.BenefitUiTPASKansentarief, calendar.NewDate(2026, 3, 1))
	require.ErrorIs(t, err, entitlement.ErrContradictoryFacts)
	assert.Contains(t, err.Error(), "resident is yes (rijksregister) and no (eigen-gegevens)")
}

func TestSetRejectsWrongKind(t *testing.T) {
	s := ghent.Schema().NewSubject("s")
	assert.ErrorIs(t, s.Set("resident", entitlement.Int(1), prov), entitlement.ErrValidation)
	assert.ErrorIs(t, s.Set("nope", entitlement.Bool(true), prov), entitlement.ErrUnknownFact)
	assert.ErrorIs(t, s.Set("vehicle_lez_status", entitlement.Code("diesel"), prov), entitlement.ErrValidation)
	assert.ErrorIs(t, s.Set("household_income", entitlement.Money(decimal.RequireFromString("1.00001")), prov), entitlement.ErrValidation)
}

func TestCompileErrors(t *testing.T) {
	base := func() entitlement.Policy { return entitlement.GhentExample() }
	tests := []struct {
		name  string
		edit  func(*entitlement.Policy)
		field string
		rule  string
	}{
		{"unknown fact", func(p *entitlement.Policy) { p.Benefits[0].Condition = entitlement.IsTrue("resident_gent") }, "benefits[0].condition.fact", "exists"},
		{"incompatible types", func(p *entitlement.Policy) {
			p.Benefits[0].Condition = entitlement.FactParam("household_income", entitlement.OpLe, "adult_age")
		}, "benefits[0].condition.param", "kind"},
		{"order on bool", func(p *entitlement.Policy) {
			p.Benefits[0].Condition = entitlement.FactValue("resident", entitlement.OpLt, "true")
		}, "benefits[0].condition.op", "kind"},
		{"unknown code", func(p *entitlement.Policy) {
			p.Benefits[0].Condition = entitlement.FactIn("vehicle_lez_status", "diesel")
		}, "benefits[0].condition.values[0]", "oneof"},
		{"overlap", func(p *entitlement.Policy) { p.Parameters[0].Values[1].From = calendar.NewDate(2026, 12, 1) }, "parameters[0].values[1].from", "overlap"},
		{"gap", func(p *entitlement.Policy) { p.Parameters[0].Values[1].From = calendar.NewDate(2027, 2, 1) }, "parameters[0].values[1].from", "gap"},
		{"cycle", func(p *entitlement.Policy) {
			p.Definitions = append(p.Definitions, entitlement.Definition{Name: "a", Condition: entitlement.Ref("b")}, entitlement.Definition{Name: "b", Condition: entitlement.Not(entitlement.Ref("a"))})
		}, "definitions[2].condition", "cycle"},
		{"two forms", func(p *entitlement.Policy) {
			p.Benefits[0].Condition = entitlement.Condition{Fact: "resident", Ref: "resident"}
		}, "benefits[0].condition", "oneof"},
		{"no purpose", func(p *entitlement.Policy) { p.Benefits[1].Purpose = "" }, "benefits[1].purpose", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.edit(&p)
			_, err := entitlement.Compile(p)
			var ve *entitlement.ValidationError
			require.ErrorAs(t, err, &ve)
			f, ok := ve.Field(tt.field)
			require.True(t, ok, "fields: %v", ve.Fields)
			assert.Equal(t, tt.rule, f.Rule)
		})
	}
}

func TestParsePolicyRoundTripAndLines(t *testing.T) {
	data, err := json.MarshalIndent(entitlement.GhentExample(), "", "  ")
	require.NoError(t, err)
	_, rs, err := entitlement.ParsePolicy(data)
	require.NoError(t, err)
	assert.Len(t, rs.Benefits(), 3)

	bad := []byte(`{
  "facts": [{"name": "resident", "kind": "bool"}],
  "parameters": [],
  "benefits": [{
    "id": "x", "purpose": "p", "legal_basis": {"decision": "d"},
    "condition": {"all": [
      {"fact": "resident"},
      {"fact": "income"}
    ]}
  }]
}`)
	_, _, err = entitlement.ParsePolicy(bad)
	var ve *entitlement.ValidationError
	require.ErrorAs(t, err, &ve)
	f, ok := ve.Field("benefits[0].condition.all[1].fact")
	require.True(t, ok, "%v", err)
	assert.Equal(t, "8", f.Param)
	assert.Contains(t, f.Message, "line 8")

	_, _, err = entitlement.ParsePolicy([]byte("{\n \"facts\": [\n {\"name\": \"a\", \"kind\": \"bool\", \"colour\": 1}]}"))
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, ve.Error(), "line 3")

	_, _, err = entitlement.ParsePolicy([]byte("{\n\"facts\": [\n}"))
	require.ErrorIs(t, err, entitlement.ErrValidation)
	assert.Contains(t, err.Error(), "line 3")
}

func FuzzParsePolicy(f *testing.F) {
	data, _ := json.Marshal(entitlement.GhentExample())
	f.Add(data)
	f.Add([]byte(`{"facts":[{"name":"a","kind":"bool"}],"benefits":[{"id":"b","condition":{"fact":"a"}}]}`))
	for _, doc := range adversarialJSON() {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, rs, err := entitlement.ParsePolicy(doc)
		if err != nil {
			if !errors.Is(err, entitlement.ErrValidation) {
				t.Fatalf("error is not a validation error: %v", err)
			}
			return
		}
		// Read, write, read again: the same policy.
		again, err := json.Marshal(p)
		require.NoError(t, err)
		p2, _, err := entitlement.ParsePolicy(again)
		require.NoError(t, err, "%s", again)
		assert.Equal(t, p, p2)
		s := rs.Schema().NewSubject("f")
		for _, b := range rs.Benefits() {
			_, _ = rs.Evaluate(s, b.ID, calendar.NewDate(2026, 1, 1))
		}
	})
}
