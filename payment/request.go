package payment

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Creditor is the municipality or its entity that is owed the money
// ("schuldeiser").
type Creditor struct {
	Name             string `json:"name"`
	IBAN             IBAN   `json:"iban"`
	BIC              BIC    `json:"bic,omitzero"`
	EnterpriseNumber string `json:"enterprise_number,omitempty"` // KBO number
}

// DebtorKind says whether the debtor is a person or an enterprise.
type DebtorKind string

// The kinds of debtor.
const (
	DebtorPerson     DebtorKind = "person"
	DebtorEnterprise DebtorKind = "enterprise"
)

// Debtor is who owes the money ("schuldenaar"): a citizen or an enterprise.
type Debtor struct {
	Kind DebtorKind `json:"kind"`
	// Person is the name of a person debtor.
	Person pii.Name `json:"person,omitzero"`
	// INSZ is a person debtor's national register number
	// ("rijksregisternummer"), when known; it files the invoice under the
	// person (see PayerKey).
	INSZ pii.INSZ `json:"insz,omitempty"`
	// EnterpriseName and EnterpriseNumber (KBO) identify an enterprise debtor.
	EnterpriseName   string      `json:"enterprise_name,omitempty"`
	EnterpriseNumber string      `json:"enterprise_number,omitempty"`
	Email            pii.Email   `json:"email,omitempty"`
	Address          pii.Address `json:"address,omitzero"`
	// IBAN is an account the debtor is known to pay from; it raises the
	// confidence of a match on amount.
	IBAN string `json:"iban,omitempty"`
}

// DisplayName is the name as it appears on the invoice.
func (d Debtor) DisplayName() string {
	if d.Kind == DebtorEnterprise {
		return d.EnterpriseName
	}
	return d.Person.String()
}

// PayerKey is who pays across invoices ("betaler"), the key Query.Payers
// selects by: "kbo:" and the ten digits of an enterprise debtor's number,
// "insz:" and the national register number of a person debtor, or "" when
// the debtor carries neither.
func (d Debtor) PayerKey() string {
	switch {
	case d.Kind == DebtorEnterprise && d.EnterpriseNumber != "":
		return "kbo:" + digits(d.EnterpriseNumber)
	case d.Kind == DebtorPerson && d.INSZ != "":
		return "insz:" + digits(string(d.INSZ))
	}
	return ""
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// Line is one line of an invoice ("factuurlijn").
type Line struct {
	Description string          `json:"description"`
	Quantity    decimal.Decimal `json:"quantity"`
	UnitPrice   decimal.Decimal `json:"unit_price"`
	// Amount is Quantity × UnitPrice rounded to the cent (see LineAmount).
	Amount decimal.Decimal `json:"amount"`
}

// LineAmount is the one place a line total is rounded: half away from zero
// to the cent.
func LineAmount(quantity, unitPrice decimal.Decimal) decimal.Decimal {
	return quantity.Mul(unitPrice).Round(2)
}

// Reminder is a reminder sent after the due date ("herinnering"), with an
// optional fee added to what is due.
type Reminder struct {
	Number int             `json:"number"`
	SentAt time.Time       `json:"sent_at"`
	Fee    decimal.Decimal `json:"fee"`
}

// Payment is money received for a request, booked once per key.
type Payment struct {
	// Key identifies the money movement: a statement line or a provider
	// payment. Booking the same key twice changes nothing.
	Key          string          `json:"key"`
	Amount       decimal.Decimal `json:"amount"`
	BookedAt     time.Time       `json:"booked_at"`
	Source       string          `json:"source"` // "coda", "camt.053", "provider", "manual"
	Counterparty string          `json:"counterparty,omitempty"`
}

// TimelineEntry records one status change and why.
type TimelineEntry struct {
	At     time.Time `json:"at"`
	From   Status    `json:"from,omitempty"`
	To     Status    `json:"to"`
	Reason string    `json:"reason"`
}

// Request is a payment request or invoice ("betaalverzoek", "factuur").
type Request struct {
	ID        uuid.UUID       `json:"id"`
	Version   int             `json:"version"`
	Creditor  Creditor        `json:"creditor"`
	Debtor    Debtor          `json:"debtor"`
	Lines     []Line          `json:"lines"`
	Amount    decimal.Decimal `json:"amount"` // sum of the lines
	DueDate   calendar.Date   `json:"due_date"`
	Reference Reference       `json:"reference"`
	Status    Status          `json:"status"`
	Reminders []Reminder      `json:"reminders,omitempty"`
	Payments  []Payment       `json:"payments,omitempty"`
	Refunded  decimal.Decimal `json:"refunded"`
	// Checkout is the provider's id of the running checkout, if any.
	Checkout  string          `json:"checkout,omitempty"`
	Timeline  []TimelineEntry `json:"timeline"`
	CreatedAt time.Time       `json:"created_at"`
	// Metadata is the caller's, as given at creation (see
	// NewRequest.Metadata).
	Metadata map[string]string `json:"metadata,omitempty"`
	// IdempotencyKey is the key the request was created with, if any; a
	// store keeps it unique.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// RequestDigest fingerprints the NewRequest, so a repeat with the same
	// key is told apart from a different request.
	RequestDigest string `json:"request_digest,omitempty"`
}

// Due is what the debtor owes in total: the lines plus reminder fees.
func (r *Request) Due() decimal.Decimal {
	d := r.Amount
	for _, m := range r.Reminders {
		d = d.Add(m.Fee)
	}
	return d
}

// Paid is the sum of the booked payments.
func (r *Request) Paid() decimal.Decimal {
	var p decimal.Decimal
	for _, m := range r.Payments {
		p = p.Add(m.Amount)
	}
	return p
}

// Outstanding is what is still to be paid; negative when overpaid.
func (r *Request) Outstanding() decimal.Decimal { return r.Due().Sub(r.Paid()) }

// HasPayment reports whether a payment with key is already booked.
func (r *Request) HasPayment(key string) bool {
	for _, p := range r.Payments {
		if p.Key == key {
			return true
		}
	}
	return false
}

// setStatus moves the request and records why; it does nothing when the
// status does not change.
func (r *Request) setStatus(to Status, at time.Time, reason string) bool {
	if r.Status == to {
		return false
	}
	r.Timeline = append(r.Timeline, TimelineEntry{At: at, From: r.Status, To: to, Reason: reason})
	r.Status = to
	return true
}

// transition applies an explicit status change if the lifecycle allows it.
func (r *Request) transition(to Status, at time.Time, reason string) error {
	if !CanTransition(r.Status, to) {
		return errs.Wrap(ErrInvalidTransition, "payment request %s: %s to %s", r.ID, r.Status, to)
	}
	r.setStatus(to, at, reason)
	return nil
}

// BookPayment adds p unless its key is already booked, and lets the status
// follow the money. It reports whether anything changed. Money received for
// a canceled or refunded request is still booked (it is in the bank), but
// the status stays, so the report shows it as money to send back.
func (r *Request) BookPayment(p Payment) bool {
	if r.HasPayment(p.Key) {
		return false
	}
	r.Payments = append(r.Payments, p)
	r.settle(p.BookedAt, "payment "+p.Key)
	return true
}

// settle sets the status the booked money calls for.
func (r *Request) settle(at time.Time, reason string) {
	if r.Status == StatusCanceled || r.Status == StatusRefunded {
		return
	}
	paid := r.Paid()
	if paid.IsZero() {
		return
	}
	switch paid.Cmp(r.Due()) {
	case -1:
		r.setStatus(StatusPartiallyPaid, at, reason)
	case 0:
		r.setStatus(StatusPaid, at, reason)
	default:
		r.setStatus(StatusOverpaid, at, reason)
	}
}

// NewLine is one line of a NewRequest.
type NewLine struct {
	Description string          `json:"description"`
	Quantity    decimal.Decimal `json:"quantity"`
	UnitPrice   decimal.Decimal `json:"unit_price"`
}

// NewRequest is the input to create a payment request.
type NewRequest struct {
	Creditor Creditor      `json:"creditor"`
	Debtor   Debtor        `json:"debtor"`
	Lines    []NewLine     `json:"lines"`
	DueDate  calendar.Date `json:"due_date"`
	// UseRF asks for an ISO 11649 RF reference instead of an OGM.
	UseRF bool `json:"use_rf,omitempty"`
	// Metadata is free-form data of the caller kept with the request, as
	// Stripe has it, so a consumer finds what it created ("permit_id"):
	// at most MaxMetadataKeys keys of at most MaxMetadataKey bytes without
	// square brackets, values of at most MaxMetadataValue bytes.
	Metadata map[string]string `json:"metadata,omitempty"`
	// IdempotencyKey makes the create safe to retry: a second Create with
	// the key returns the first request when the NewRequest is the same,
	// and ErrConflict when it differs. Empty means every Create makes a
	// request.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// The limits of NewRequest.Metadata, Stripe's.
const (
	MaxMetadataKeys  = 50
	MaxMetadataKey   = 40
	MaxMetadataValue = 500
)

// Validate reports every field that breaks a rule.
func (n NewRequest) Validate() error {
	var c errs.Collector
	c.Merge("", validate.Input(n)) // text and dates every store can keep
	if n.Creditor.Name == "" || len([]rune(n.Creditor.Name)) > EPCMaxName {
		c.Add("creditor.name", "required", "the creditor needs a name of at most 70 characters")
	}
	if n.Creditor.IBAN.IsZero() {
		c.Add("creditor.iban", "required", "the creditor's IBAN is required")
	}
	switch n.Debtor.Kind {
	case DebtorPerson:
		if n.Debtor.Person.Family == "" {
			c.Add("debtor.person.family", "required", "the debtor's family name is required")
		}
		if n.Debtor.INSZ != "" && !validate.INSZ(string(n.Debtor.INSZ)) {
			c.Add("debtor.insz", "insz", "the national register number is not valid")
		}
	case DebtorEnterprise:
		if n.Debtor.EnterpriseName == "" {
			c.Add("debtor.enterprise_name", "required", "the enterprise's name is required")
		}
		if n.Debtor.EnterpriseNumber != "" && !validate.KBO(n.Debtor.EnterpriseNumber) {
			c.Add("debtor.enterprise_number", "kbo", "the enterprise number is not valid")
		}
	default:
		c.Add("debtor.kind", "oneof", "the debtor is a person or an enterprise")
	}
	if len(n.Lines) == 0 {
		c.Add("lines", "required", "at least one line is required")
	}
	total := decimal.Zero
	for i, l := range n.Lines {
		f := "lines." + itoa(i)
		if l.Description == "" {
			c.Add(f+".description", "required", "each line needs a description")
		}
		if !l.Quantity.IsPositive() {
			c.Add(f+".quantity", "gt", "the quantity must be more than zero")
		}
		if l.UnitPrice.IsNegative() || !l.UnitPrice.Equal(l.UnitPrice.Truncate(2)) {
			c.Add(f+".unit_price", "euro", "the unit price must be a euro amount, not negative, with at most two decimals")
		}
		total = total.Add(LineAmount(l.Quantity, l.UnitPrice))
	}
	if len(n.Lines) > 0 && (!total.IsPositive() || total.GreaterThan(epcMaxAmount)) {
		c.Add("lines", "total", "the total must be between 0.01 and 999999999.99 euro")
	}
	if n.DueDate.IsZero() {
		c.Add("due_date", "required", "the due date is required")
	}
	checkMetadata(&c, n.Metadata)
	idem.CheckKey(&c, "idempotency_key", n.IdempotencyKey)
	return c.Err()
}

// checkMetadata applies the limits of NewRequest.Metadata; text itself is
// checked by validate.Input.
func checkMetadata(c *errs.Collector, m map[string]string) {
	if len(m) > MaxMetadataKeys {
		c.Add("metadata", "max", "at most %d keys", MaxMetadataKeys)
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v, f := m[k], "metadata["+strconv.Quote(k)+"]"
		switch {
		case k == "" || len(k) > MaxMetadataKey || strings.ContainsAny(k, "[]"):
			c.Add("metadata", "key", "a key has 1 to %d bytes and no square brackets", MaxMetadataKey)
		case len(v) > MaxMetadataValue:
			c.Add(f, "max", "a value has at most %d bytes", MaxMetadataValue)
		}
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
