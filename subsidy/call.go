package subsidy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Aggregation is how the scores of several assessors on one criterion combine.
type Aggregation string

// The aggregations a call can choose.
const (
	Mean   Aggregation = "mean"
	Median Aggregation = "median"
)

// PartialRule is what the allocation does with the first ranked application
// whose request no longer fits in the remaining budget.
type PartialRule string

// The partial grant rules a call can choose.
const (
	// PartialGrant grants the remainder ("gedeeltelijke toekenning") and stops.
	PartialGrant PartialRule = "partial"
	// SkipToNext refuses it and continues with the next one that still fits.
	SkipToNext PartialRule = "skip"
	// StopAtFirst refuses it and every application ranked below it.
	StopAtFirst PartialRule = "stop"
)

// Criterion is a scoring criterion ("beoordelingscriterium").
type Criterion struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Weight multiplies the aggregated points in the total.
	Weight float64 `json:"weight"`
	// MinScore is the aggregated score below which the application drops out.
	MinScore float64 `json:"min_score"`
	// MaxPoints is the highest score an assessor may give (the lowest is 0).
	MaxPoints float64 `json:"max_points"`
}

// RequiredDocument is an attachment every application must carry.
type RequiredDocument struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Question is a question on the application form.
type Question struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Required bool   `json:"required"`
}

// Condition is an eligibility condition on the applicant or the
// application. Field names a value (see Application.Value); Op is "eq",
// "in", "gte" or "lte"; gte and lte compare decimals.
type Condition struct {
	Name   string   `json:"name"`
	Field  string   `json:"field"`
	Op     string   `json:"op"`
	Values []string `json:"values"`
}

// Extension moves the closing moment for some applications or applicants
// ("termijnverlenging").
type Extension struct {
	ID             uuid.UUID   `json:"id"`
	ApplicationIDs []uuid.UUID `json:"application_ids"`
	// Applicants holds the references (Application.ApplicantRef, a keyed
	// hash of the KBO or national register number) of the applicants it
	// covers, so an applicant without a draft yet can be given more time.
	Applicants []string  `json:"applicants,omitempty"`
	Until      time.Time `json:"until"`
	Reason     string    `json:"reason"`
	GrantedBy  string    `json:"granted_by"`
	GrantedAt  time.Time `json:"granted_at"`
}

// Ledger is the call's commitment ledger ("vastleggingen"): Reserved is
// granted but not yet paid, Paid is paid out. Budget ≥ Reserved + Paid at all times.
type Ledger struct {
	Reserved decimal.Decimal `json:"reserved"`
	Paid     decimal.Decimal `json:"paid"`
}

// Committed is everything the call has promised.
func (l Ledger) Committed() decimal.Decimal { return l.Reserved.Add(l.Paid) }

// Check holds the ledger's invariant: what is reserved and paid is never
// more than the budget (ErrBudgetExceeded). The service checks it after
// every change, under the store's lock, so every store holds it; the
// PostgreSQL store's CHECK constraint is a second guard.
func (l Ledger) Check(budget decimal.Decimal) error {
	if l.Committed().GreaterThan(budget) {
		return fmt.Errorf("%w: %s committed, budget %s", ErrBudgetExceeded, l.Committed().StringFixed(2), budget.StringFixed(2))
	}
	return nil
}

// CallRules are the parts of a call a clerk defines.
type CallRules struct {
	Title             string             `json:"title"`
	Opens             time.Time          `json:"opens"`
	Closes            time.Time          `json:"closes"`
	Budget            decimal.Decimal    `json:"budget"`
	MaxPerApplicant   decimal.Decimal    `json:"max_per_applicant"`
	MaxPerApplication decimal.Decimal    `json:"max_per_application"`
	ApplicantRules    []Condition        `json:"applicant_conditions"`
	ApplicationRules  []Condition        `json:"application_conditions"`
	Criteria          []Criterion        `json:"criteria"`
	MinTotal          float64            `json:"min_total"`
	Aggregation       Aggregation        `json:"aggregation"`
	Partial           PartialRule        `json:"partial_rule"`
	Documents         []RequiredDocument `json:"documents"`
	Questions         []Question         `json:"questions"`
	// CostShare is the share of accepted costs the final amount may reach
	// (e.g. 0.8); the final amount is the lower of the grant and that share.
	CostShare decimal.Decimal `json:"cost_share"`
	// AdvanceShare is the share of the grant paid as an advance at decision (0 for none).
	AdvanceShare decimal.Decimal `json:"advance_share"`
}

// Call is one round of a scheme ("oproep", "aanvraagronde").
type Call struct {
	ID        uuid.UUID `json:"id"`
	SchemeID  uuid.UUID `json:"scheme_id"`
	CallRules           // the definition
	Ledger    Ledger    `json:"ledger"`
	// PerApplicant is what is committed per applicant, keyed by
	// Application.ApplicantRef, so the maximum per applicant holds under
	// the call's lock.
	PerApplicant map[string]decimal.Decimal `json:"per_applicant"`
	// ApplicantKeyID names the ApplicantKey the call's applicant references
	// are made under, for its whole life (see WithApplicantKeys).
	ApplicantKeyID string      `json:"applicant_key_id"`
	Extensions     []Extension `json:"extensions"`
	CreatedAt      time.Time   `json:"created_at"`
	Version        int         `json:"version"`
}

// ClosesFor is the closing moment for one application, extensions for it
// or for its applicant (matched by Application.ApplicantRef) included.
func (c *Call) ClosesFor(a *Application) time.Time {
	closes := c.Closes
	for _, e := range c.Extensions {
		if !e.Until.After(closes) {
			continue
		}
		if slices.Contains(e.ApplicationIDs, a.ID) || a.ApplicantRef != "" && slices.Contains(e.Applicants, a.ApplicantRef) {
			closes = e.Until
		}
	}
	return closes
}

// OpenFor reports whether the application may still be submitted at now.
func (c *Call) OpenFor(a *Application, now time.Time) bool {
	return !now.Before(c.Opens) && now.Before(c.ClosesFor(a))
}

// Criterion returns the criterion with the id.
func (c *Call) Criterion(id string) (Criterion, bool) {
	for _, cr := range c.Criteria {
		if cr.ID == id {
			return cr, true
		}
	}
	return Criterion{}, false
}

// Available is the budget not yet committed.
func (c *Call) Available() decimal.Decimal { return c.Budget.Sub(c.Ledger.Committed()) }

func euro(c *errs.Collector, field string, d decimal.Decimal, required bool) {
	switch {
	case required && !d.IsPositive():
		c.Add(field, "gt", "must be more than zero")
	case !validate.Euro(d):
		c.Add(field, "euro", "must be an amount in euro, not negative, at most two decimals")
	}
}

func share(c *errs.Collector, field string, d decimal.Decimal) {
	if d.IsNegative() || d.GreaterThan(decimal.NewFromInt(1)) {
		c.Add(field, "range", "must be between 0 and 1")
	}
}

func uniqueIDs(c *errs.Collector, field string, ids []string) {
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		f := fmt.Sprintf("%s[%d].id", field, i)
		switch {
		case strings.TrimSpace(id) == "":
			c.Add(f, "required", "is required")
		case seen[id]:
			c.Add(f, "unique", "%q is used twice", id)
		}
		seen[id] = true
	}
}

// Validate reports every rule the definition breaks, so an invalid call is
// rejected when it is created: its own rules and the shared ones for text
// and dates (validate.Input: opening and closing between the years
// calendar.MinYear and calendar.MaxYear, no control characters).
func (r CallRules) Validate() error {
	var c errs.Collector
	c.Merge("", validate.Input(r))
	if strings.TrimSpace(r.Title) == "" {
		c.Add("title", "required", "is required")
	}
	if r.Opens.IsZero() {
		c.Add("opens", "required", "is required")
	}
	if r.Closes.IsZero() {
		c.Add("closes", "required", "is required")
	} else if !r.Closes.After(r.Opens) {
		c.Add("closes", "gtfield", "must be after the opening moment")
	}
	euro(&c, "budget", r.Budget, true)
	euro(&c, "max_per_application", r.MaxPerApplication, true)
	euro(&c, "max_per_applicant", r.MaxPerApplicant, true)
	if r.MaxPerApplicant.LessThan(r.MaxPerApplication) {
		c.Add("max_per_applicant", "gtefield", "must be at least the maximum per application")
	}
	if r.MaxPerApplication.GreaterThan(r.Budget) {
		c.Add("max_per_application", "ltefield", "must not exceed the budget")
	}
	switch r.Aggregation {
	case Mean, Median:
	default:
		c.Add("aggregation", "oneof", "must be mean or median")
	}
	switch r.Partial {
	case PartialGrant, SkipToNext, StopAtFirst:
	default:
		c.Add("partial_rule", "oneof", "must be partial, skip or stop")
	}
	if len(r.Criteria) == 0 {
		c.Add("criteria", "required", "at least one scoring criterion is required")
	}
	ids := make([]string, len(r.Criteria))
	for i, cr := range r.Criteria {
		ids[i] = cr.ID
		f := fmt.Sprintf("criteria[%d]", i)
		if strings.TrimSpace(cr.Name) == "" {
			c.Add(f+".name", "required", "is required")
		}
		if !(cr.Weight > 0) {
			c.Add(f+".weight", "gt", "must be more than zero")
		}
		if !(cr.MaxPoints > 0) {
			c.Add(f+".max_points", "gt", "must be more than zero")
		}
		if cr.MinScore < 0 || cr.MinScore > cr.MaxPoints {
			c.Add(f+".min_score", "range", "must be between 0 and the maximum points")
		}
	}
	uniqueIDs(&c, "criteria", ids)
	ids = ids[:0]
	for _, d := range r.Documents {
		ids = append(ids, d.ID)
	}
	uniqueIDs(&c, "documents", ids)
	ids = ids[:0]
	for i, q := range r.Questions {
		ids = append(ids, q.ID)
		if strings.TrimSpace(q.Text) == "" {
			c.Add(fmt.Sprintf("questions[%d].text", i), "required", "is required")
		}
	}
	uniqueIDs(&c, "questions", ids)
	conditions(&c, "applicant_conditions", r.ApplicantRules)
	conditions(&c, "application_conditions", r.ApplicationRules)
	share(&c, "cost_share", r.CostShare)
	if r.CostShare.IsZero() {
		c.Add("cost_share", "required", "is required (1 for the full accepted costs)")
	}
	share(&c, "advance_share", r.AdvanceShare)
	return c.Err()
}

func conditions(c *errs.Collector, field string, conds []Condition) {
	for i, cd := range conds {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !knownField(cd.Field) {
			c.Add(f+".field", "oneof", "%q is not a field an application has", cd.Field)
		}
		switch cd.Op {
		case "eq", "in":
		case "gte", "lte":
			for _, v := range cd.Values {
				if _, err := decimal.NewFromString(v); err != nil {
					c.Add(f+".values", "numeric", "%q is not a number", v)
				}
			}
		default:
			c.Add(f+".op", "oneof", "must be eq, in, gte or lte")
		}
		if len(cd.Values) == 0 || (cd.Op != "in" && len(cd.Values) != 1) {
			c.Add(f+".values", "len", "eq, gte and lte take one value, in one or more")
		}
	}
}
