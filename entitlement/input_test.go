package entitlement_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

func TestRuleDatesWithinHorizon(t *testing.T) {
	for _, tt := range []struct{ name, doc, field string }{
		{"parameter from", `{"parameters":[{"name":"c","kind":"money","values":[{"from":"9999-12-30","value":"1"}]}],"facts":[],"benefits":[]}`, "parameters[0].values[0].from"},
		{"parameter until", `{"parameters":[{"name":"c","kind":"money","values":[{"from":"2026-01-01","until":"1800-01-01","value":"1"}]}],"facts":[],"benefits":[]}`, "parameters[0].values[0].until"},
		{"date parameter value", `{"parameters":[{"name":"c","kind":"date","values":[{"from":"2026-01-01","value":"9999-12-31"}]}],"facts":[],"benefits":[]}`, "parameters[0].values[0].value"},
		{"legal basis", `{"facts":[{"name":"a","kind":"bool"}],"parameters":[],"benefits":[{"id":"b","purpose":"p","legal_basis":{"decision":"d","date":"0001-01-01"},"condition":{"fact":"a"}}]}`, "benefits[0].legal_basis.date"},
		{"literal", `{"facts":[{"name":"a","kind":"date"}],"parameters":[],"benefits":[{"id":"b","purpose":"p","legal_basis":{"decision":"d"},"condition":{"fact":"a","op":"lt","value":"9999-01-01"}}]}`, "benefits[0].condition.value"},
		{"text", `{"facts":[{"name":"a","kind":"bool","label_nl":"a\u0000"}],"parameters":[],"benefits":[]}`, "facts[0].label_nl"},
		{"notice", `{"facts":[{"name":"a","kind":"bool"}],"parameters":[],"benefits":[{"id":"b","purpose":"p","legal_basis":{"decision":"d"},"notice_days":3000000,"condition":{"fact":"a"}}]}`, "benefits[0].notice_days"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := entitlement.ParsePolicy([]byte(tt.doc))
			var ve *entitlement.ValidationError
			require.ErrorAs(t, err, &ve)
			f, ok := ve.Field(tt.field)
			require.True(t, ok, "%v", err)
			assert.Contains(t, f.Message, "line 1:")
		})
	}
}

func TestEvaluationDatesWithinHorizon(t *testing.T) {
	s := subject(t, ghent, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(true)}, nil)
	for _, d := range []calendar.Date{{}, {Year: 9999, Month: 12, Day: 31}, {Year: 1899, Month: 12, Day: 31}, {Year: 2026, Month: 2, Day: 30}} {
		_, err := ghent.Evaluate(s, entitlement.BenefitUiTPASKansentarief, d)
		assert.ErrorIs(t, err, entitlement.ErrValidation, "%s", d)
		_, err = ghent.Batch(context.Background(), slices.Values([]*entitlement.Subject{s}), entitlement.BatchOptions{Date: d})
		assert.ErrorIs(t, err, entitlement.ErrValidation, "%s", d)
	}
	assert.ErrorIs(t, s.Set("birth_date", entitlement.DateValue(calendar.NewDate(9999, 1, 1)), prov), entitlement.ErrValidation)
	cases, err := entitlement.ParseCases([]byte("- name: far\n  benefit: uitpas-kansentarief\n  date: 9999-12-31\n  person: {resident: yes, increased_allowance: yes}\n  expect: eligible\n"))
	require.NoError(t, err)
	r := ghent.RunCase(cases[0])
	assert.ErrorIs(t, r.Err, entitlement.ErrValidation)
}

// FuzzInputDates feeds every door of the service the same date: the run,
// an evaluation, a fact, a rule. A date refused the horizon is a
// validation error everywhere; none panics, and what is stored encodes.
func FuzzInputDates(f *testing.F) {
	for _, d := range [][3]int{{2026, 3, 1}, {9999, 12, 30}, {10000, 1, 1}, {1, 1, 1}, {0, 0, 0}, {-1, 13, 40}, {1900, 1, 1}, {2200, 12, 31}, {2201, 1, 1}, {1899, 12, 31}, {2026, 2, 30}} {
		f.Add(d[0], d[1], d[2])
	}
	f.Fuzz(func(t *testing.T, y, m, dd int) {
		d := calendar.Date{Year: y, Month: time.Month(m), Day: dd}
		refused := !d.InHorizon() || calendar.NewDate(y, time.Month(m), dd) != d
		st := entitlement.NewMemStore(nil)
		svc := entitlement.NewService(ghent, st, clock.NewSettable(benchDay.Start()))
		s := subject(t, ghent, facts{"resident": entitlement.Bool(true), "increased_allowance": entitlement.Bool(true)}, nil)
		rep, err := svc.Run(context.Background(), slices.Values([]*entitlement.Subject{s}), entitlement.RunOptions{
			Date: d, Actor: "fuzz", DecisionRef: "CBS", Benefits: []string{entitlement.BenefitUiTPASKansentarief}})
		if refused {
			require.ErrorIs(t, err, entitlement.ErrValidation)
		} else if err == nil && rep.Granted == 1 {
			g, err := st.Current(context.Background(), "s1", entitlement.BenefitUiTPASKansentarief)
			require.NoError(t, err)
			_, err = json.Marshal(g)
			require.NoError(t, err)
		}
		_, err = ghent.Evaluate(s, entitlement.BenefitUiTPASKansentarief, d)
		if refused {
			require.ErrorIs(t, err, entitlement.ErrValidation)
		}
		err = s.Set("birth_date", entitlement.DateValue(d), prov)
		if refused {
			require.ErrorIs(t, err, entitlement.ErrValidation)
		}
		doc := fmt.Sprintf(`{"facts":[{"name":"a","kind":"date"}],"parameters":[{"name":"c","kind":"date","values":[{"from":%q,"value":%q}]}],
			"benefits":[{"id":"b","purpose":"p","legal_basis":{"decision":"d"},"condition":{"fact":"a","op":"lt","value":%q}}]}`, d, d, d)
		_, _, err = entitlement.ParsePolicy([]byte(doc))
		if refused {
			require.ErrorIs(t, err, entitlement.ErrValidation)
		}
	})
}
