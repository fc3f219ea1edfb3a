package subsidy

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/iban"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// ApplicantKind tells a person from an organisation.
type ApplicantKind string

// The kinds of applicant.
const (
	Person       ApplicantKind = "person"
	Organisation ApplicantKind = "organisation"
)

// Applicant is who asks the subsidy ("aanvrager") and receives it.
type Applicant struct {
	Kind ApplicantKind `json:"kind"`
	// Name is the person's name; for an organisation, its contact person.
	Name pii.Name `json:"name"`
	INSZ pii.INSZ `json:"insz,omitempty"`
	// Organisation is the legal name of an organisation.
	Organisation string `json:"organisation,omitempty"`
	// KBO is the enterprise number ("ondernemingsnummer") of an organisation.
	KBO     string      `json:"kbo,omitempty"`
	IBAN    string      `json:"iban"`
	Address pii.Address `json:"address"`
	Email   pii.Email   `json:"email"`
}

// Key identifies the applicant across applications: the KBO number or the INSZ.
func (a Applicant) Key() string {
	if a.Kind == Organisation {
		n := onlyDigits(a.KBO)
		if len(n) == 9 { // the old nine-digit form
			n = "0" + n
		}
		return "kbo:" + n
	}
	return "insz:" + onlyDigits(string(a.INSZ))
}

// Creditor is the account holder name on a payment.
func (a Applicant) Creditor() string {
	if a.Kind == Organisation {
		return a.Organisation
	}
	return a.Name.String()
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Validate checks the applicant, including the KBO number and the IBAN.
func (a Applicant) Validate() error {
	var c errs.Collector
	switch a.Kind {
	case Person:
		if !validate.INSZ(string(a.INSZ)) {
			c.Add("insz", "insz", "is not a valid national register number")
		}
	case Organisation:
		if strings.TrimSpace(a.Organisation) == "" {
			c.Add("organisation", "required", "is required for an organisation")
		}
		if !validate.KBO(a.KBO) {
			c.Add("kbo", "kbo", "is not a valid enterprise number")
		}
	default:
		c.Add("kind", "oneof", "must be person or organisation")
	}
	if strings.TrimSpace(a.Name.Given) == "" || strings.TrimSpace(a.Name.Family) == "" {
		c.Add("name", "required", "given and family name are required")
	}
	// The grant is paid by SEPA transfer to Creditor(): a name with no
	// letter the SEPA character set can carry would stop the payout batch.
	if cr := a.Creditor(); strings.TrimSpace(cr) != "" && latin(cr, maxName) == "" {
		field := "name"
		if a.Kind == Organisation {
			field = "organisation"
		}
		c.Add(field, "sepa_charset", "needs letters a bank transfer can carry (A–Z, with or without accents)")
	}
	if err := iban.Check(iban.Normalize(a.IBAN)); err != nil {
		c.Add("iban", "iban", "is not a valid IBAN: %v", err)
	}
	if !validate.PostalCode(a.Address.PostalCode) && (a.Address.Country == "" || a.Address.Country == "BE") {
		c.Add("address.postal_code", "be_postcode", "is not a Belgian postal code")
	}
	if !strings.Contains(string(a.Email), "@") {
		c.Add("email", "email", "is not an e-mail address")
	}
	return c.Err()
}

// CostLine is one line of the cost breakdown ("kostenraming").
type CostLine struct {
	Description string          `json:"description"`
	Amount      decimal.Decimal `json:"amount"`
}

// Attachment is the metadata of an uploaded document; the file lives elsewhere.
type Attachment struct {
	DocumentID string `json:"document_id"`
	FileName   string `json:"file_name"`
	MediaType  string `json:"media_type"`
	Size       int64  `json:"size"`
	SHA256     string `json:"sha256"`
}

// Status is where an application is in its lifecycle.
type Status string

// The statuses of an application.
const (
	Draft           Status = "draft"
	Submitted       Status = "submitted"
	Admissible      Status = "admissible"
	Inadmissible    Status = "inadmissible"
	UnderAssessment Status = "under_assessment"
	Decided         Status = "decided"
	Withdrawn       Status = "withdrawn"
	Expired         Status = "expired"
)

// Outcome is the decision on an application.
type Outcome string

// The outcomes of a decision.
const (
	Granted          Outcome = "granted"
	GrantedPartially Outcome = "granted_partially"
	Refused          Outcome = "refused"
)

// Decision is the college's decision ("besluit") on an application.
type Decision struct {
	Outcome    Outcome         `json:"outcome"`
	Amount     decimal.Decimal `json:"amount"`
	Motivation string          `json:"motivation"`
	At         time.Time       `json:"at"`
}

// ApplicationInput is what the applicant fills in.
type ApplicationInput struct {
	CallID      uuid.UUID         `json:"call_id"`
	Applicant   Applicant         `json:"applicant"`
	Requested   decimal.Decimal   `json:"requested"`
	Costs       []CostLine        `json:"costs"`
	Answers     map[string]string `json:"answers"`
	Attachments []Attachment      `json:"attachments"`
	// IdempotencyKey makes CreateDraft safe to retry (after a timeout, a
	// double click): a second CreateDraft with the key returns the first
	// application when the input is the same, and ErrConflict when it
	// differs. Empty means every CreateDraft makes a draft. Keys are unique
	// in the store, across calls.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// Validate checks the input on its own (the shared text rule of
// validate.Input included) and against the call's maxima.
func (in ApplicationInput) Validate(call *Call) error {
	var c errs.Collector
	c.Merge("", validate.Input(in))
	c.Merge("applicant", in.Applicant.Validate())
	idem.CheckKey(&c, "idempotency_key", in.IdempotencyKey)
	euro(&c, "requested", in.Requested, true)
	if in.Requested.GreaterThan(call.MaxPerApplication) {
		c.Add("requested", "max", "is more than the call's maximum per application (%s)", call.MaxPerApplication.StringFixed(2))
	}
	total := decimal.Zero
	for i, l := range in.Costs {
		euro(&c, fmt.Sprintf("costs[%d].amount", i), l.Amount, true)
		if strings.TrimSpace(l.Description) == "" {
			c.Add(fmt.Sprintf("costs[%d].description", i), "required", "is required")
		}
		total = total.Add(l.Amount)
	}
	if len(in.Costs) == 0 {
		c.Add("costs", "required", "a cost breakdown is required")
	} else if in.Requested.GreaterThan(total) {
		c.Add("requested", "ltefield", "is more than the total costs (%s)", total.StringFixed(2))
	}
	for q := range in.Answers {
		if rule, _ := validate.TextProblem(q); rule == "" && !hasQuestion(call, q) {
			c.Add("answers."+q, "oneof", "is not a question of this call")
		}
	}
	for i, a := range in.Attachments {
		if strings.TrimSpace(a.FileName) == "" {
			c.Add(fmt.Sprintf("attachments[%d].file_name", i), "required", "is required")
		}
		if a.Size < 0 {
			c.Add(fmt.Sprintf("attachments[%d].size", i), "gte", "must not be negative")
		}
	}
	return c.Err()
}

func hasQuestion(call *Call, id string) bool {
	for _, q := range call.Questions {
		if q.ID == id {
			return true
		}
	}
	return false
}

// Application is a request for a subsidy ("aanvraag").
type Application struct {
	ID uuid.UUID `json:"id"`
	ApplicationInput
	// ApplicantRef is the applicant's reference in the call: an HMAC of
	// Applicant.Key under the call's ApplicantKey, set by CreateDraft.
	ApplicantRef string `json:"applicant_ref"`
	// RequestDigest fingerprints the input CreateDraft was given (its
	// idempotency key left out), so a repeat with the key is told apart
	// from a different request.
	RequestDigest string `json:"request_digest,omitempty"`
	Status        Status `json:"status"`
	// Reasons say why the application was found inadmissible.
	Reasons     []string       `json:"reasons,omitempty"`
	Scores      []Score        `json:"scores,omitempty"`
	Conflicts   []string       `json:"conflicts,omitempty"`
	Decision    *Decision      `json:"decision,omitempty"`
	Grant       *Grant         `json:"grant,omitempty"`
	CreatedAt   time.Time      `json:"created_at"`
	SubmittedAt time.Time      `json:"submitted_at,omitzero"`
	Version     int            `json:"version"`
	History     []StatusChange `json:"history"`
}

// StatusChange records a step in the lifecycle.
type StatusChange struct {
	From Status    `json:"from"`
	To   Status    `json:"to"`
	At   time.Time `json:"at"`
}

var transitions = map[Status][]Status{
	Draft:           {Submitted, Withdrawn, Expired},
	Submitted:       {Admissible, Inadmissible, Withdrawn},
	Admissible:      {UnderAssessment, Withdrawn},
	UnderAssessment: {Decided, Withdrawn},
	Decided:         {Withdrawn},
}

// CheckVersion is the optimistic check of a step taken on what a person
// saw: a non-zero seen version that is not the application's is
// ErrConflict (someone changed it since); zero skips the check.
func (a *Application) CheckVersion(seen int) error {
	if seen != 0 && seen != a.Version {
		return fmt.Errorf("%w: application %s is at version %d, the step was taken on version %d", ErrConflict, a.ID, a.Version, seen)
	}
	return nil
}

// moveTo changes the status if the lifecycle allows it.
func (a *Application) moveTo(to Status, at time.Time) error {
	for _, s := range transitions[a.Status] {
		if s == to {
			a.History = append(a.History, StatusChange{From: a.Status, To: to, At: at})
			a.Status = to
			return nil
		}
	}
	return fmt.Errorf("%w: %s → %s", ErrInvalidTransition, a.Status, to)
}

// Value returns a field of the application the eligibility conditions can
// test: applicant.kind, applicant.postal_code, applicant.municipality,
// applicant.country, requested, total_costs, or answers.<question id>.
func (a *Application) Value(field string) (string, bool) {
	switch field {
	case "applicant.kind":
		return string(a.Applicant.Kind), true
	case "applicant.postal_code":
		return a.Applicant.Address.PostalCode, true
	case "applicant.municipality":
		return a.Applicant.Address.Municipality, true
	case "applicant.country":
		if a.Applicant.Address.Country == "" {
			return "BE", true
		}
		return a.Applicant.Address.Country, true
	case "requested":
		return a.Requested.String(), true
	case "total_costs":
		t := decimal.Zero
		for _, l := range a.Costs {
			t = t.Add(l.Amount)
		}
		return t.String(), true
	}
	if q, ok := strings.CutPrefix(field, "answers."); ok {
		v, ok := a.Answers[q]
		return v, ok
	}
	return "", false
}

func knownField(f string) bool {
	switch f {
	case "applicant.kind", "applicant.postal_code", "applicant.municipality", "applicant.country", "requested", "total_costs":
		return true
	}
	return strings.HasPrefix(f, "answers.") && len(f) > len("answers.")
}
