package entitlement_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

func exceptionPolicy() entitlement.Policy {
	return entitlement.Policy{
		Facts: []entitlement.FactDef{
			{Name: "resident", Kind: entitlement.KindBool},
			{Name: "ocmw_referral", Kind: entitlement.KindBool, LabelEN: "Referred by the OCMW"},
			{Name: "federal_benefit", Kind: entitlement.KindBool},
		},
		Benefits: []entitlement.Benefit{{
			ID: "b", NameEN: "Benefit", NameNL: "Voordeel", Purpose: "p", LegalBasis: entitlement.LegalBasis{Decision: "d"},
			Condition: entitlement.IsTrue("resident"),
			Exceptions: []entitlement.Exception{
				{Name: "referral", LabelEN: "Referred without residence", When: entitlement.IsTrue("ocmw_referral"), Outcome: entitlement.Eligible},
				{Name: "double", LabelEN: "Already covered federally", When: entitlement.IsTrue("federal_benefit"), Outcome: entitlement.NotEligible},
			},
		}},
	}
}

func TestExceptionsDefaultLogic(t *testing.T) {
	rs := entitlement.MustCompile(exceptionPolicy())
	y, n := entitlement.Bool(true), entitlement.Bool(false)
	tests := []struct {
		name  string
		facts facts
		want  entitlement.Outcome
	}{
		{"general rule", facts{"resident": y, "ocmw_referral": n, "federal_benefit": n}, entitlement.Eligible},
		{"first exception prevails", facts{"resident": n, "ocmw_referral": y}, entitlement.Eligible},
		{"second exception excludes", facts{"resident": y, "ocmw_referral": n, "federal_benefit": y}, entitlement.NotEligible},
		{"unknown exception, same outcome either way", facts{"resident": n, "ocmw_referral": n}, entitlement.NotEligible},
		{"unknown exception that could change the outcome", facts{"resident": y, "ocmw_referral": n}, entitlement.Undecided},
		{"unknown granting exception, general rule grants", facts{"resident": y, "federal_benefit": n}, entitlement.Eligible},
		{"unknown granting exception, then an excluding one", facts{"resident": y, "federal_benefit": y}, entitlement.Undecided},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := subject(t, rs, tt.facts, nil)
			r, err := rs.Evaluate(s, "b", benchDay)
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Outcome, r.Text(entitlement.English))
			o, err := rs.At(benchDay).Outcome(s, 0)
			require.NoError(t, err)
			assert.Equal(t, tt.want, o, "fast path agrees")
		})
	}
	s := subject(t, rs, facts{"resident": n, "ocmw_referral": y}, nil)
	r, err := rs.Evaluate(s, "b", benchDay)
	require.NoError(t, err)
	assert.Contains(t, r.Text(entitlement.English), "- [met] exception: Referred without residence (grants the right)")
	p := rs.At(benchDay)
	out := make([]entitlement.Outcome, 1)
	assert.Zero(t, testing.AllocsPerRun(50, func() { _ = p.Outcomes(s, out, nil) }))
}

func TestExceptionNeedsOutcome(t *testing.T) {
	p := exceptionPolicy()
	p.Benefits[0].Exceptions[1].Outcome = entitlement.Undecided
	_, err := entitlement.Compile(p)
	var ve *entitlement.ValidationError
	require.ErrorAs(t, err, &ve)
	_, ok := ve.Field("benefits[0].exceptions[1].outcome")
	assert.True(t, ok, "%v", err)
}
