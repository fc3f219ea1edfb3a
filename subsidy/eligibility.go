package subsidy

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
)

// Holds reports whether the application meets the condition.
func (cd Condition) Holds(a *Application) bool {
	v, ok := a.Value(cd.Field)
	if !ok {
		return false
	}
	switch cd.Op {
	case "eq", "in":
		return slices.Contains(cd.Values, v)
	case "gte", "lte":
		have, err1 := decimal.NewFromString(v)
		want, err2 := decimal.NewFromString(cd.Values[0])
		if err1 != nil || err2 != nil {
			return false
		}
		if cd.Op == "gte" {
			return have.GreaterThanOrEqual(want)
		}
		return have.LessThanOrEqual(want)
	}
	return false
}

// Admissibility lists why the application is not admissible
// ("onontvankelijk"): failed eligibility conditions, missing documents and
// unanswered required questions. An empty list means admissible.
func Admissibility(call *Call, a *Application) []string {
	var reasons []string
	for _, cd := range call.ApplicantRules {
		if !cd.Holds(a) {
			reasons = append(reasons, fmt.Sprintf("applicant condition not met: %s", cd.Name))
		}
	}
	for _, cd := range call.ApplicationRules {
		if !cd.Holds(a) {
			reasons = append(reasons, fmt.Sprintf("application condition not met: %s", cd.Name))
		}
	}
	for _, d := range call.Documents {
		if !slices.ContainsFunc(a.Attachments, func(at Attachment) bool { return at.DocumentID == d.ID }) {
			reasons = append(reasons, fmt.Sprintf("required document missing: %s", d.Name))
		}
	}
	for _, q := range call.Questions {
		if q.Required && a.Answers[q.ID] == "" {
			reasons = append(reasons, fmt.Sprintf("required question not answered: %s", q.Text))
		}
	}
	return reasons
}
