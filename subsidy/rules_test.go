package subsidy_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/pii"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
	"github.com/lokaalbestuur/bouwstenen/subsidy/subsidytest"
)

func eur(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestCallRulesValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*subsidy.CallRules)
		field  string
	}{
		{"valid", func(*subsidy.CallRules) {}, ""},
		{"no title", func(r *subsidy.CallRules) { r.Title = " " }, "title"},
		{"closes before opens", func(r *subsidy.CallRules) { r.Closes = r.Opens.Add(-time.Hour) }, "closes"},
		{"zero budget", func(r *subsidy.CallRules) { r.Budget = decimal.Zero }, "budget"},
		{"budget in tenths of cents", func(r *subsidy.CallRules) { r.Budget = eur("100.001") }, "budget"},
		{"max per applicant below per application", func(r *subsidy.CallRules) { r.MaxPerApplicant = eur("100") }, "max_per_applicant"},
		{"max per application over budget", func(r *subsidy.CallRules) { r.MaxPerApplication = eur("20000"); r.MaxPerApplicant = eur("20000") }, "max_per_application"},
		{"unknown aggregation", func(r *subsidy.CallRules) { r.Aggregation = "mode" }, "aggregation"},
		{"unknown partial rule", func(r *subsidy.CallRules) { r.Partial = "" }, "partial_rule"},
		{"no criteria", func(r *subsidy.CallRules) { r.Criteria = nil }, "criteria"},
		{"zero weight", func(r *subsidy.CallRules) { r.Criteria[0].Weight = 0 }, "criteria[0].weight"},
		{"min above max", func(r *subsidy.CallRules) { r.Criteria[1].MinScore = 11 }, "criteria[1].min_score"},
		{"duplicate criterion", func(r *subsidy.CallRules) { r.Criteria[1].ID = r.Criteria[0].ID }, "criteria[1].id"},
		{"question without text", func(r *subsidy.CallRules) { r.Questions[0].Text = "" }, "questions[0].text"},
		{"condition on unknown field", func(r *subsidy.CallRules) { r.ApplicantRules[0].Field = "shoe_size" }, "applicant_conditions[0].field"},
		{"condition gte not a number", func(r *subsidy.CallRules) { r.ApplicationRules[0].Values = []string{"lots"} }, "application_conditions[0].values"},
		{"condition unknown op", func(r *subsidy.CallRules) { r.ApplicationRules[0].Op = "like" }, "application_conditions[0].op"},
		{"cost share above 1", func(r *subsidy.CallRules) { r.CostShare = eur("1.1") }, "cost_share"},
		{"negative advance", func(r *subsidy.CallRules) { r.AdvanceShare = eur("-0.1") }, "advance_share"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := subsidytest.Rules()
			tt.change(&r)
			err := r.Validate()
			if tt.field == "" {
				assert.NoError(t, err)
				return
			}
			var ve *subsidy.ValidationError
			require.ErrorAs(t, err, &ve)
			_, ok := ve.Field(tt.field)
			assert.True(t, ok, "want %s in %v", tt.field, err)
		})
	}
}

func TestAdmissibility(t *testing.T) {
	call := subsidy.Call{CallRules: subsidytest.Rules()}
	ok := subsidy.Application{ApplicationInput: subsidytest.Input(uuid.Nil, "1000")}
	assert.Empty(t, subsidy.Admissibility(&call, &ok))

	bad := subsidy.Application{ApplicationInput: subsidytest.Input(uuid.Nil, "200")}
	bad.Attachments = nil
	bad.Answers = nil
	bad.Applicant.Address.Country = "NL"
	reasons := subsidy.Admissibility(&call, &bad)
	assert.Len(t, reasons, 4, "country, minimum cost (400), quote, question: %v", reasons)
}

func TestApplicationInputValidate(t *testing.T) {
	call := subsidy.Call{CallRules: subsidytest.Rules()}
	tests := []struct {
		name   string
		change func(*subsidy.ApplicationInput)
		field  string
	}{
		{"valid", func(*subsidy.ApplicationInput) {}, ""},
		{"person valid", func(in *subsidy.ApplicationInput) {
			in.Applicant.Kind, in.Applicant.INSZ = subsidy.Person, subsidytest.ValidINSZ
		}, ""},
		{"person bad INSZ", func(in *subsidy.ApplicationInput) {
			in.Applicant.Kind, in.Applicant.INSZ = subsidy.Person, "85073100329"
		}, "applicant.insz"},
		{"bad KBO", func(in *subsidy.ApplicationInput) { in.Applicant.KBO = "0207446773" }, "applicant.kbo"},
		{"bad IBAN", func(in *subsidy.ApplicationInput) { in.Applicant.IBAN = "BE00" }, "applicant.iban"},
		{"unknown kind", func(in *subsidy.ApplicationInput) { in.Applicant.Kind = "robot" }, "applicant.kind"},
		{"over max", func(in *subsidy.ApplicationInput) { in.Requested = eur("4000.01") }, "requested"},
		{"more than costs", func(in *subsidy.ApplicationInput) { in.Costs[0].Amount = eur("10") }, "requested"},
		{"no costs", func(in *subsidy.ApplicationInput) { in.Costs = nil }, "costs"},
		{"unknown answer", func(in *subsidy.ApplicationInput) { in.Answers["colour"] = "red" }, "answers.colour"},
		{"attachment without name", func(in *subsidy.ApplicationInput) { in.Attachments[0].FileName = "" }, "attachments[0].file_name"},
		{"accented names are fine", func(in *subsidy.ApplicationInput) {
			in.Applicant.Organisation, in.Applicant.Name.Given, in.Applicant.Name.Family = "Œuvre Ærø vzw", "Łukasz", "Żółć"
		}, ""},
		{"organisation name no transfer can carry", func(in *subsidy.ApplicationInput) { in.Applicant.Organisation = "龍" }, "applicant.organisation"},
		{"person name no transfer can carry", func(in *subsidy.ApplicationInput) {
			in.Applicant.Kind, in.Applicant.INSZ = subsidy.Person, subsidytest.ValidINSZ
			in.Applicant.Name.Given, in.Applicant.Name.Family = "小龍", "李"
		}, "applicant.name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := subsidytest.Input(uuid.Nil, "1000")
			tt.change(&in)
			err := in.Validate(&call)
			if tt.field == "" {
				assert.NoError(t, err)
				return
			}
			var ve *subsidy.ValidationError
			require.ErrorAs(t, err, &ve)
			_, ok := ve.Field(tt.field)
			assert.True(t, ok, "want %s in %v", tt.field, err)
		})
	}
}

func FuzzApplicantValidate(f *testing.F) {
	f.Add("0207446772", "BE68539007547034", "85073100328")
	f.Add("BE 0207.446.772", "BE68 5390 0754 7034", "")
	f.Add("", "XX", "1")
	f.Fuzz(func(t *testing.T, kbo, ibanText, insz string) {
		for _, kind := range []subsidy.ApplicantKind{subsidy.Person, subsidy.Organisation} {
			a := subsidytest.Organisation()
			a.Kind, a.KBO, a.IBAN = kind, kbo, ibanText
			if kind == subsidy.Person {
				a.INSZ = pii.INSZ(insz)
			}
			err := a.Validate()
			if err != nil {
				var ve *subsidy.ValidationError
				require.ErrorAs(t, err, &ve)
				require.NotEmpty(t, ve.Fields)
			}
		}
	})
}

func TestRankAggregation(t *testing.T) {
	rules := subsidytest.Rules()
	scores := func(impact ...float64) []subsidy.Score {
		var s []subsidy.Score
		for i, p := range impact {
			s = append(s, subsidy.Score{Assessor: fmt.Sprint(i), Criterion: "impact", Points: p},
				subsidy.Score{Assessor: fmt.Sprint(i), Criterion: "quality", Points: 5})
		}
		return s
	}
	cards := []subsidy.Scorecard{
		{ApplicationID: id.New(), Requested: eur("100"), Scores: scores(10, 10, 1)}, // mean 7, median 10
		{ApplicationID: id.New(), Requested: eur("100"), Scores: scores(8, 8, 8)},   // 8
		{ApplicationID: id.New(), Requested: eur("100"), Scores: scores(9, 9, 0)},   // mean 6, median 9
		{ApplicationID: id.New(), Requested: eur("100"), Scores: scores(3, 3, 3)},   // below the minimum 4
		{ApplicationID: id.New(), Requested: eur("100"), Scores: scores()},          // not scored
	}
	for _, tt := range []struct {
		agg   subsidy.Aggregation
		order []int
	}{
		{subsidy.Mean, []int{1, 0, 2}},
		{subsidy.Median, []int{0, 2, 1}},
	} {
		t.Run(string(tt.agg), func(t *testing.T) {
			rules.Aggregation = tt.agg
			call := subsidy.Call{CallRules: rules}
			res := subsidy.Rank(&call, cards)
			require.Len(t, res, 5)
			for i, want := range tt.order {
				assert.Equal(t, cards[want].ApplicationID, res[i].ApplicationID, "rank %d", i+1)
				assert.Equal(t, i+1, res[i].Rank)
			}
			assert.Zero(t, res[3].Rank)
			assert.Zero(t, res[4].Rank)
			assert.NotEmpty(t, res[3].Dropped)
		})
	}
}

func TestAllocate(t *testing.T) {
	res := []subsidy.Result{
		{ApplicationID: id.New(), Requested: eur("600"), Rank: 1},
		{ApplicationID: id.New(), Requested: eur("600"), Rank: 2},
		{ApplicationID: id.New(), Requested: eur("300"), Rank: 3},
		{ApplicationID: id.New(), Requested: eur("100"), Rank: 0, Dropped: "low"},
	}
	for _, tt := range []struct {
		rule subsidy.PartialRule
		want []string
	}{
		{subsidy.PartialGrant, []string{"600", "400", "0", "0"}},
		{subsidy.SkipToNext, []string{"600", "0", "300", "0"}},
		{subsidy.StopAtFirst, []string{"600", "0", "0", "0"}},
	} {
		t.Run(string(tt.rule), func(t *testing.T) {
			got := subsidy.Allocate(eur("1000"), tt.rule, res)
			for i, w := range tt.want {
				assert.True(t, got[i].Proposed.Equal(eur(w)), "%d: %s, want %s", i, got[i].Proposed, w)
			}
			assert.Equal(t, subsidy.Refused, got[3].Outcome)
		})
	}
}

func TestFinalAmount(t *testing.T) {
	call := subsidy.Call{CallRules: subsidytest.Rules()} // 80 %
	for _, tt := range []struct{ granted, accepted, want string }{
		{"1000", "2000", "1000"},
		{"1000", "1000", "800"},
		{"1000", "333.33", "266.66"},
		{"1000", "0.01", "0.01"},
		{"1000", "0", "0"},
	} {
		got := subsidy.FinalAmount(&call, eur(tt.granted), eur(tt.accepted))
		assert.True(t, got.Equal(eur(tt.want)), "%s/%s: %s", tt.granted, tt.accepted, got)
	}
}

// benchCards builds n applications scored by 5 assessors on 4 criteria.
func benchCards(n int) (*subsidy.Call, []subsidy.Scorecard) {
	rules := subsidytest.Rules()
	rules.Budget = eur("1000000")
	rules.Criteria = []subsidy.Criterion{
		{ID: "impact", Name: "Impact", Weight: 3, MinScore: 2, MaxPoints: 10},
		{ID: "quality", Name: "Quality", Weight: 2, MaxPoints: 10},
		{ID: "reach", Name: "Reach", Weight: 1, MaxPoints: 10},
		{ID: "cost", Name: "Cost", Weight: 1, MaxPoints: 10},
	}
	r := rand.New(rand.NewPCG(1, 2))
	cards := make([]subsidy.Scorecard, n)
	at := subsidytest.Opens
	for i := range cards {
		scores := make([]subsidy.Score, 0, 20)
		for a := range 5 {
			for _, c := range rules.Criteria {
				scores = append(scores, subsidy.Score{Assessor: fmt.Sprint("assessor-", a), Criterion: c.ID, Points: float64(r.IntN(11)), Motivation: "as discussed"})
			}
		}
		cards[i] = subsidy.Scorecard{ApplicationID: id.New(), Requested: decimal.NewFromInt(int64(500 + r.IntN(4500))), SubmittedAt: at.Add(time.Duration(i) * time.Second), Scores: scores}
	}
	return &subsidy.Call{CallRules: rules}, cards
}

// BenchmarkAssessment scores, ranks and allocates 10,000 applications with
// 5 assessors each (the target is 50 ms).
func BenchmarkAssessment(b *testing.B) {
	for _, agg := range []subsidy.Aggregation{subsidy.Mean, subsidy.Median} {
		b.Run(string(agg), func(b *testing.B) {
			call, cards := benchCards(10_000)
			call.Aggregation = agg
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				for i := range cards {
					for _, sc := range cards[i].Scores {
						if err := call.CheckScore(sc, nil); err != nil {
							b.Fatal(err)
						}
					}
				}
				res := subsidy.Rank(call, cards)
				alloc := subsidy.Allocate(call.Budget, call.Partial, res)
				if len(alloc) != len(cards) {
					b.Fatal("lost applications")
				}
			}
		})
	}
}
