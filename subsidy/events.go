package subsidy

import (
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// The event types the service emits.
const (
	EventSchemeCreated          = "subsidy.scheme_created"
	EventCallCreated            = "subsidy.call_created"
	EventBudgetChanged          = "subsidy.budget_changed"
	EventDeadlineExtended       = "subsidy.deadline_extended"
	EventDrafted                = "subsidy.application_drafted"
	EventSubmitted              = "subsidy.application_submitted"
	EventAdmissibilityChecked   = "subsidy.admissibility_checked"
	EventAssessmentStarted      = "subsidy.assessment_started"
	EventConflictDeclared       = "subsidy.conflict_declared"
	EventScored                 = "subsidy.scored"
	EventDecided                = "subsidy.decided"
	EventGrantReduced           = "subsidy.grant_reduced"
	EventWithdrawn              = "subsidy.withdrawn"
	EventExpired                = "subsidy.draft_expired"
	EventPaymentOrdered         = "subsidy.payment_ordered"
	EventPaymentConfirmed       = "subsidy.payment_confirmed"
	EventJustificationSubmitted = "subsidy.justification_submitted"
	EventJustificationApproved  = "subsidy.justification_approved"
	EventRecoveryClaimed        = "subsidy.recovery_claimed"
	EventRefunded               = "subsidy.refunded"
)

// Change is the payload of every subsidy event.
type Change struct {
	CallID        uuid.UUID       `json:"call_id"`
	ApplicationID uuid.UUID       `json:"application_id,omitzero"`
	Status        Status          `json:"status,omitempty"`
	Amount        decimal.Decimal `json:"amount"`
	Detail        string          `json:"detail,omitempty"`
}

func newEvent(typ string, agg uuid.UUID, at time.Time, c Change) event.Event {
	return event.Event{ID: id.New(), Type: typ, AggregateID: agg, Time: at, Payload: c}
}

// commit adds d (negative to release) to what the call has committed to
// the application's applicant.
func (c *Call) commit(a *Application, d decimal.Decimal) {
	if c.PerApplicant == nil {
		c.PerApplicant = map[string]decimal.Decimal{}
	}
	k := a.ApplicantRef
	v := c.PerApplicant[k].Add(d)
	if v.IsZero() {
		delete(c.PerApplicant, k)
		return
	}
	c.PerApplicant[k] = v
}

// CommittedFor is what the call has committed to the application's
// applicant, over all their applications.
func (c *Call) CommittedFor(a *Application) decimal.Decimal { return c.PerApplicant[a.ApplicantRef] }

// CheckApplicantMax is the call's maximum per applicant: committing amount
// more to the application's applicant may not take them above it. field
// names the input that asked it.
func (c *Call) CheckApplicantMax(a *Application, amount decimal.Decimal, field string) error {
	if c.CommittedFor(a).Add(amount).GreaterThan(c.MaxPerApplicant) {
		return errs.Invalid(field, "max", "the applicant would exceed the call's maximum per applicant (%s)", c.MaxPerApplicant.StringFixed(2))
	}
	return nil
}
