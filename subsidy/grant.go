package subsidy

import (
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// Cents rounds an amount to the cent, half away from zero: the one place
// where amounts computed from shares are rounded.
func Cents(d decimal.Decimal) decimal.Decimal { return d.Round(2) }

// TrancheKind tells the advance from the balance.
type TrancheKind string

// The kinds of tranche.
const (
	// Advance ("voorschot") is paid at decision.
	Advance TrancheKind = "advance"
	// Balance ("saldo") is paid after the justification is approved.
	Balance TrancheKind = "balance"
)

// Tranche is one part of the grant paid out ("schijf").
type Tranche struct {
	No     int             `json:"no"`
	Kind   TrancheKind     `json:"kind"`
	Amount decimal.Decimal `json:"amount"`
	// Due is set when the condition of the tranche is met.
	Due     bool      `json:"due"`
	DueAt   time.Time `json:"due_at,omitzero"`
	Ordered bool      `json:"ordered"`
}

// OrderStatus is where a payment order is.
type OrderStatus string

// The statuses of a payment order.
const (
	OrderOpen OrderStatus = "open"
	// OrderExported is in a SEPA batch sent to the bank; only the bank's
	// confirmation moves it on, so it is never exported twice.
	OrderExported OrderStatus = "exported"
	OrderPaid     OrderStatus = "paid"
)

// PaymentOrder is an instruction to pay a tranche ("betalingsopdracht").
type PaymentOrder struct {
	ID      uuid.UUID `json:"id"`
	Tranche int       `json:"tranche"`
	// Gross is the tranche amount; Offset the part kept to settle recovery
	// claims; Amount what is transferred.
	Gross     decimal.Decimal `json:"gross"`
	Offset    decimal.Decimal `json:"offset"`
	Amount    decimal.Decimal `json:"amount"`
	IBAN      string          `json:"iban"`
	Creditor  string          `json:"creditor"`
	Reference string          `json:"reference"`
	Status    OrderStatus     `json:"status"`
	// Batch is the message id of the SEPA batch the order went out in.
	Batch     string    `json:"batch,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	PaidAt    time.Time `json:"paid_at,omitzero"`
}

// Movement is one line of the commitment ledger for an application.
type Movement struct {
	Kind   string          `json:"kind"` // reserve, release, pay, refund
	Amount decimal.Decimal `json:"amount"`
	At     time.Time       `json:"at"`
	Reason string          `json:"reason"`
}

// Justification is the beneficiary's account of the spending ("verantwoording").
type Justification struct {
	Costs       []CostLine      `json:"costs"`
	SubmittedAt time.Time       `json:"submitted_at"`
	Approved    bool            `json:"approved"`
	Accepted    decimal.Decimal `json:"accepted"`
	DecidedAt   time.Time       `json:"decided_at,omitzero"`
}

// Settlement is a part of a recovery claim paid back.
type Settlement struct {
	How     string          `json:"how"` // refund or offset
	Amount  decimal.Decimal `json:"amount"`
	At      time.Time       `json:"at"`
	OrderID uuid.UUID       `json:"order_id,omitzero"`
}

// RecoveryClaim is an overpayment to be paid back ("terugvordering").
type RecoveryClaim struct {
	ID          uuid.UUID       `json:"id"`
	Amount      decimal.Decimal `json:"amount"`
	Settlements []Settlement    `json:"settlements"`
	CreatedAt   time.Time       `json:"created_at"`
}

// Open is what is still to be paid back.
func (c RecoveryClaim) Open() decimal.Decimal {
	open := c.Amount
	for _, s := range c.Settlements {
		open = open.Sub(s.Amount)
	}
	return open
}

// Grant is what follows a positive decision.
type Grant struct {
	// Amount is the amount granted; after approved justification the final amount.
	Amount        decimal.Decimal `json:"amount"`
	Final         bool            `json:"final"`
	Tranches      []Tranche       `json:"tranches"`
	Orders        []PaymentOrder  `json:"orders"`
	Movements     []Movement      `json:"movements"`
	Justification *Justification  `json:"justification,omitempty"`
	Claims        []RecoveryClaim `json:"claims,omitempty"`
}

// NewGrant plans the tranches: an advance of the call's advance share, due
// at once, and the balance, due after approved justification.
func NewGrant(call *Call, amount decimal.Decimal, now time.Time) *Grant {
	g := &Grant{Amount: amount}
	advance := Cents(amount.Mul(call.AdvanceShare))
	if advance.IsPositive() {
		g.Tranches = append(g.Tranches, Tranche{No: 1, Kind: Advance, Amount: advance, Due: true, DueAt: now})
	}
	g.Tranches = append(g.Tranches, Tranche{No: len(g.Tranches) + 1, Kind: Balance, Amount: amount.Sub(advance)})
	g.Movements = append(g.Movements, Movement{Kind: "reserve", Amount: amount, At: now, Reason: "decision"})
	return g
}

// Paid is what has been transferred or offset for this grant.
func (g *Grant) Paid() decimal.Decimal {
	p := decimal.Zero
	for _, o := range g.Orders {
		if o.Status == OrderPaid {
			p = p.Add(o.Gross)
		}
	}
	return p
}

// Ordered is the gross amount of all payment orders, paid or not.
func (g *Grant) Ordered() decimal.Decimal {
	p := decimal.Zero
	for _, o := range g.Orders {
		p = p.Add(o.Gross)
	}
	return p
}

// FinalAmount is the call's rule: the lower of the grant and the cost share of the accepted costs.
func FinalAmount(call *Call, granted, accepted decimal.Decimal) decimal.Decimal {
	return decimal.Min(granted, Cents(accepted.Mul(call.CostShare)))
}

// Finalise applies the approved justification: the balance tranche becomes
// due for what is left, and what was ordered beyond the final amount
// becomes a recovery claim. It returns the amount released from the ledger.
func (g *Grant) Finalise(final decimal.Decimal, now time.Time) (released decimal.Decimal, claim *RecoveryClaim) {
	ordered := g.Ordered()
	notOrdered := g.Amount.Sub(ordered)
	for i := range g.Tranches {
		t := &g.Tranches[i]
		if t.Kind == Balance && !t.Ordered {
			t.Amount = decimal.Max(decimal.Zero, final.Sub(ordered))
			t.Due, t.DueAt = true, now
			if t.Amount.IsZero() {
				t.Ordered = true // nothing to pay
			}
		}
	}
	if final.LessThan(ordered) {
		claim = &RecoveryClaim{ID: id.New(), Amount: ordered.Sub(final), CreatedAt: now}
		g.Claims = append(g.Claims, *claim)
		released = notOrdered
	} else {
		released = g.Amount.Sub(final)
	}
	if released.IsPositive() {
		g.Movements = append(g.Movements, Movement{Kind: "release", Amount: released, At: now, Reason: "final amount after justification"})
	}
	g.Amount = decimal.Max(final, ordered)
	g.Final = true
	return released, claim
}

// OpenClaims is what the beneficiary still owes.
func (g *Grant) OpenClaims() decimal.Decimal {
	d := decimal.Zero
	for _, c := range g.Claims {
		d = d.Add(c.Open())
	}
	return d
}

// offset settles open claims from a payment of gross, oldest claim first,
// and returns the part kept.
func (g *Grant) offset(gross decimal.Decimal, orderID uuid.UUID, now time.Time) decimal.Decimal {
	kept := decimal.Zero
	for i := range g.Claims {
		left := gross.Sub(kept)
		open := g.Claims[i].Open()
		if !open.IsPositive() || !left.IsPositive() {
			continue
		}
		take := decimal.Min(open, left)
		g.Claims[i].Settlements = append(g.Claims[i].Settlements, Settlement{How: "offset", Amount: take, At: now, OrderID: orderID})
		kept = kept.Add(take)
	}
	return kept
}
