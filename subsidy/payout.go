package subsidy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/iban"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

func granted(a *Application) (*Grant, error) {
	if a.Status != Decided || a.Grant == nil {
		return nil, fmt.Errorf("%w: %s", ErrNotDecided, a.Status)
	}
	return a.Grant, nil
}

// OrderPayments creates a payment order for every due tranche not yet
// ordered. Open recovery claims on the application itself or on the
// applications listed in offsetFrom (same applicant, same call) are offset
// against the payment ("verrekening"). It returns the new orders.
func (s *Service) OrderPayments(ctx context.Context, appID uuid.UUID, offsetFrom ...uuid.UUID) ([]PaymentOrder, error) {
	a0, err := s.store.Application(ctx, appID)
	if err != nil {
		return nil, err
	}
	var orders []PaymentOrder
	err = s.change(ctx, a0.CallID, append([]uuid.UUID{appID}, offsetFrom...), func(call *Call, apps []*Application) ([]event.Event, error) {
		a, now := apps[0], s.clock.Now()
		g, err := granted(a)
		if err != nil {
			return nil, err
		}
		normalized := iban.Normalize(a.Applicant.IBAN)
		if err := iban.Check(normalized); err != nil {
			return nil, errs.Invalid("applicant.iban", "iban", "is not a valid IBAN: %v", err)
		}
		for _, other := range apps[1:] {
			if other.Applicant.Key() != a.Applicant.Key() || other.Grant == nil {
				return nil, errs.Invalid("offset_from", "same_applicant", "application %s is not a grant to the same applicant", other.ID)
			}
		}
		var evs []event.Event
		orders = orders[:0]
		for i := range g.Tranches {
			t := &g.Tranches[i]
			if !t.Due || t.Ordered || !t.Amount.IsPositive() {
				continue
			}
			o := PaymentOrder{ID: id.New(), Tranche: t.No, Gross: t.Amount, Offset: decimal.Zero, IBAN: normalized,
				Creditor: a.Applicant.Creditor(), Reference: fmt.Sprintf("%s %s %d", call.Title, t.Kind, t.No), Status: OrderOpen, CreatedAt: now}
			for _, from := range apps {
				kept := from.Grant.offset(o.Gross.Sub(o.Offset), o.ID, now)
				if kept.IsPositive() {
					o.Offset = o.Offset.Add(kept)
					// money kept is money paid back on the other grant
					from.Grant.Amount = from.Grant.Amount.Sub(kept)
					call.Ledger.Paid = call.Ledger.Paid.Sub(kept)
					call.commit(from, kept.Neg())
					from.Grant.Movements = append(from.Grant.Movements, Movement{Kind: "refund", Amount: kept, At: now, Reason: "offset against order " + o.ID.String()})
					evs = append(evs, newEvent(EventRefunded, from.ID, now, Change{CallID: call.ID, ApplicationID: from.ID, Amount: kept, Detail: "offset"}))
				}
			}
			o.Amount = o.Gross.Sub(o.Offset)
			t.Ordered = true
			if o.Amount.IsZero() { // wholly offset: nothing goes to the bank
				o.Status, o.PaidAt = OrderPaid, now
				call.Ledger.Reserved = call.Ledger.Reserved.Sub(o.Gross)
				call.Ledger.Paid = call.Ledger.Paid.Add(o.Gross)
				g.Movements = append(g.Movements, Movement{Kind: "pay", Amount: o.Gross, At: now, Reason: "order " + o.ID.String() + " settled by offset"})
			}
			g.Orders = append(g.Orders, o)
			orders = append(orders, o)
			evs = append(evs, newEvent(EventPaymentOrdered, a.ID, now, Change{CallID: call.ID, ApplicationID: a.ID, Amount: o.Amount, Detail: o.ID.String()}))
		}
		return evs, nil
	})
	return orders, err
}

// ConfirmPayment records that the bank executed the order: the amount
// moves from reserved to paid.
func (s *Service) ConfirmPayment(ctx context.Context, appID, orderID uuid.UUID) error {
	return s.update(ctx, appID, func(call *Call, a *Application, now time.Time) ([]event.Event, error) {
		g, err := granted(a)
		if err != nil {
			return nil, err
		}
		for i := range g.Orders {
			o := &g.Orders[i]
			if o.ID != orderID {
				continue
			}
			if o.Status != OrderOpen && o.Status != OrderExported {
				return nil, fmt.Errorf("%w: order %s is %s", ErrInvalidTransition, o.ID, o.Status)
			}
			o.Status, o.PaidAt = OrderPaid, now
			call.Ledger.Reserved = call.Ledger.Reserved.Sub(o.Gross)
			call.Ledger.Paid = call.Ledger.Paid.Add(o.Gross)
			g.Movements = append(g.Movements, Movement{Kind: "pay", Amount: o.Gross, At: now, Reason: "order " + o.ID.String()})
			return []event.Event{newEvent(EventPaymentConfirmed, a.ID, now, Change{CallID: call.ID, ApplicationID: a.ID, Amount: o.Gross, Detail: o.ID.String()})}, nil
		}
		return nil, fmt.Errorf("%w: order %s", ErrNotFound, orderID)
	})
}

// SubmitJustification records the beneficiary's spending.
func (s *Service) SubmitJustification(ctx context.Context, appID uuid.UUID, costs []CostLine) error {
	var c errs.Collector
	c.Merge("", validate.Input(struct {
		Costs []CostLine `json:"costs"`
	}{costs}))
	if len(costs) == 0 {
		c.Add("costs", "required", "at least one cost line is required")
	}
	for i, l := range costs {
		euro(&c, fmt.Sprintf("costs[%d].amount", i), l.Amount, true)
		if strings.TrimSpace(l.Description) == "" {
			c.Add(fmt.Sprintf("costs[%d].description", i), "required", "is required")
		}
	}
	if err := c.Err(); err != nil {
		return err
	}
	return s.update(ctx, appID, func(call *Call, a *Application, now time.Time) ([]event.Event, error) {
		g, err := granted(a)
		if err != nil {
			return nil, err
		}
		if g.Final {
			return nil, fmt.Errorf("%w: the justification was already approved", ErrInvalidTransition)
		}
		g.Justification = &Justification{Costs: costs, SubmittedAt: now, Accepted: decimal.Zero}
		return []event.Event{newEvent(EventJustificationSubmitted, a.ID, now, Change{CallID: call.ID, ApplicationID: a.ID, Amount: total(costs)})}, nil
	})
}

func total(costs []CostLine) decimal.Decimal {
	t := decimal.Zero
	for _, l := range costs {
		t = t.Add(l.Amount)
	}
	return t
}

// ApproveJustification accepts part or all of the justified costs. The
// final amount follows the call's rule; the balance tranche becomes due and
// any overpayment becomes a recovery claim. It returns the final amount.
func (s *Service) ApproveJustification(ctx context.Context, appID uuid.UUID, accepted decimal.Decimal) (final decimal.Decimal, err error) {
	var c errs.Collector
	euro(&c, "accepted", accepted, false)
	if err := c.Err(); err != nil {
		return decimal.Zero, err
	}
	err = s.update(ctx, appID, func(call *Call, a *Application, now time.Time) ([]event.Event, error) {
		g, err := granted(a)
		if err != nil {
			return nil, err
		}
		j := g.Justification
		if j == nil || j.Approved {
			return nil, fmt.Errorf("%w: no justification waiting for approval", ErrInvalidTransition)
		}
		if accepted.GreaterThan(total(j.Costs)) {
			return nil, errs.Invalid("accepted", "ltefield", "is more than the justified costs (%s)", total(j.Costs).StringFixed(2))
		}
		j.Approved, j.Accepted, j.DecidedAt = true, accepted, now
		final = FinalAmount(call, g.Amount, accepted)
		released, claim := g.Finalise(final, now)
		call.Ledger.Reserved = call.Ledger.Reserved.Sub(released)
		call.commit(a, released.Neg())
		evs := []event.Event{newEvent(EventJustificationApproved, a.ID, now, Change{CallID: call.ID, ApplicationID: a.ID, Amount: final})}
		if claim != nil {
			evs = append(evs, newEvent(EventRecoveryClaimed, a.ID, now, Change{CallID: call.ID, ApplicationID: a.ID, Amount: claim.Amount, Detail: claim.ID.String()}))
		}
		return evs, nil
	})
	return final, err
}

// RecordRefund records money paid back on a recovery claim.
func (s *Service) RecordRefund(ctx context.Context, appID, claimID uuid.UUID, amount decimal.Decimal) error {
	var c errs.Collector
	euro(&c, "amount", amount, true)
	if err := c.Err(); err != nil {
		return err
	}
	return s.update(ctx, appID, func(call *Call, a *Application, now time.Time) ([]event.Event, error) {
		if a.Grant == nil {
			return nil, ErrNotDecided
		}
		g := a.Grant
		for i := range g.Claims {
			cl := &g.Claims[i]
			if cl.ID != claimID {
				continue
			}
			if amount.GreaterThan(cl.Open()) {
				return nil, errs.Invalid("amount", "lte", "is more than the open claim (%s)", cl.Open().StringFixed(2))
			}
			cl.Settlements = append(cl.Settlements, Settlement{How: "refund", Amount: amount, At: now})
			g.Amount = g.Amount.Sub(amount)
			call.Ledger.Paid = call.Ledger.Paid.Sub(amount)
			call.commit(a, amount.Neg())
			g.Movements = append(g.Movements, Movement{Kind: "refund", Amount: amount, At: now, Reason: "refund on claim " + cl.ID.String()})
			return []event.Event{newEvent(EventRefunded, a.ID, now, Change{CallID: call.ID, ApplicationID: a.ID, Amount: amount, Detail: "refund"})}, nil
		}
		return nil, fmt.Errorf("%w: recovery claim %s", ErrNotFound, claimID)
	})
}

// ReduceGrant lowers a grant by a new decision ("herziening"), e.g. when
// the project shrinks. The difference is released from the ledger and taken
// off the tranches not yet ordered, last tranche first; what was already
// ordered cannot be reduced here (that is a recovery after justification).
func (s *Service) ReduceGrant(ctx context.Context, appID uuid.UUID, in DecisionInput) error {
	var c errs.Collector
	c.Merge("", validate.Input(in))
	euro(&c, "amount", in.Amount, false)
	if strings.TrimSpace(in.Motivation) == "" {
		c.Add("motivation", "required", "a decision must be motivated")
	}
	if err := c.Err(); err != nil {
		return err
	}
	return s.update(ctx, appID, func(call *Call, a *Application, now time.Time) ([]event.Event, error) {
		if err := a.CheckVersion(in.Version); err != nil {
			return nil, err
		}
		g, err := granted(a)
		if err != nil {
			return nil, err
		}
		if g.Final {
			return nil, fmt.Errorf("%w: the grant is final", ErrInvalidTransition)
		}
		if !in.Amount.LessThan(g.Amount) {
			return nil, errs.Invalid("amount", "lt", "must be less than the grant (%s)", g.Amount.StringFixed(2))
		}
		if in.Amount.LessThan(g.Ordered()) {
			return nil, errs.Invalid("amount", "gte", "must be at least what is already ordered (%s)", g.Ordered().StringFixed(2))
		}
		cut := g.Amount.Sub(in.Amount)
		left := cut
		for i := len(g.Tranches) - 1; i >= 0 && left.IsPositive(); i-- {
			t := &g.Tranches[i]
			if t.Ordered {
				continue
			}
			take := decimal.Min(t.Amount, left)
			t.Amount = t.Amount.Sub(take)
			left = left.Sub(take)
		}
		g.Amount = in.Amount
		g.Movements = append(g.Movements, Movement{Kind: "release", Amount: cut, At: now, Reason: "reduced: " + in.Motivation})
		call.Ledger.Reserved = call.Ledger.Reserved.Sub(cut)
		call.commit(a, cut.Neg())
		a.Decision.Amount = in.Amount
		if in.Amount.IsZero() {
			a.Decision.Outcome = Refused
		} else {
			a.Decision.Outcome = GrantedPartially
		}
		return []event.Event{newEvent(EventGrantReduced, a.ID, now, Change{CallID: call.ID, ApplicationID: a.ID, Amount: in.Amount, Detail: in.Motivation})}, nil
	})
}
