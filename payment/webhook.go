package payment

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// StartCheckout starts a checkout at the provider for what is still due
// and marks the request pending. The idempotency key is derived from the
// request and the amount, so a retried or doubled click starts one
// checkout, while a new amount (after a reminder fee) starts a new one.
// Once a checkout is over without payment (failed, canceled, expired), the
// key counts it too, so the debtor's next attempt starts a new checkout
// instead of getting the dead one back.
func (s *Service) StartCheckout(ctx context.Context, p Provider, id uuid.UUID, returnURL string) (Checkout, error) {
	var vc errs.Collector
	validate.CheckText(&vc, "return_url", returnURL)
	if err := vc.Err(); err != nil {
		return Checkout{}, err
	}
	r, err := s.store.Get(ctx, id)
	if err != nil {
		return Checkout{}, err
	}
	if !r.Status.awaiting() {
		return Checkout{}, errs.Wrap(ErrInvalidTransition, "payment request %s is %s", r.ID, r.Status)
	}
	due := r.Outstanding()
	key := "checkout:" + r.ID.String() + ":" + due.StringFixed(2)
	if n := endedCheckouts(r); n > 0 {
		key += ":" + strconv.Itoa(n)
	}
	c, err := p.CreateCheckout(ctx, CheckoutRequest{
		RequestID: r.ID, Amount: due, Description: "Payment " + r.Reference.String(),
		Reference: r.Reference.Key(), ReturnURL: returnURL,
		IdempotencyKey: key,
	})
	if err != nil {
		return Checkout{}, err
	}
	_, err = s.update(ctx, id, func(r *Request, now time.Time) ([]event.Event, error) {
		r.Checkout = c.PaymentID
		if r.Status != StatusPending && CanTransition(r.Status, StatusPending) {
			r.setStatus(StatusPending, now, "checkout "+c.PaymentID)
		}
		return nil, nil
	})
	return c, err
}

// endedCheckouts counts the checkouts that ended without payment: the times
// the request left pending for anything but money.
func endedCheckouts(r *Request) int {
	n := 0
	for _, e := range r.Timeline {
		if e.From == StatusPending && (e.To == StatusFailed || e.To == StatusOpen || e.To == StatusExpired) {
			n++
		}
	}
	return n
}

// HandleWebhook verifies a provider's webhook, fetches the payment's
// authoritative status and applies it. Applying is idempotent and
// depends only on the provider's current answer, so duplicate deliveries
// change nothing and deliveries out of order cannot move a request back.
// A forged or stale webhook returns an error wrapping ErrForbidden and
// changes nothing.
func (s *Service) HandleWebhook(ctx context.Context, p Provider, h http.Header, body []byte) error {
	ev, err := p.VerifyWebhook(h, body)
	if err != nil {
		return err
	}
	pp, err := p.Payment(ctx, ev.PaymentID)
	if err != nil {
		return err
	}
	_, err = s.update(ctx, pp.RequestID, func(r *Request, now time.Time) ([]event.Event, error) {
		return s.applyProvider(r, pp, now), nil
	})
	return err
}

// applyProvider brings r in line with the provider's view of one payment.
func (s *Service) applyProvider(r *Request, pp ProviderPayment, now time.Time) []event.Event {
	key := "provider:" + pp.ID
	switch pp.Status {
	case ProviderPaid, ProviderRefunded:
		var evs []event.Event
		p := Payment{Key: key, Amount: pp.Amount, BookedAt: now, Source: "provider"}
		if r.BookPayment(p) {
			evs = append(evs, s.newEvent(EventPaymentBooked, r.ID, p))
		}
		if pp.Status == ProviderRefunded && r.Status != StatusRefunded && CanTransition(r.Status, StatusRefunded) {
			r.Refunded = r.Refunded.Add(pp.Refunded)
			r.setStatus(StatusRefunded, now, "refunded by provider "+pp.ID)
		}
		return evs
	case ProviderFailed:
		if r.Status == StatusPending && r.Checkout == pp.ID {
			r.setStatus(StatusFailed, now, "checkout "+pp.ID+" failed")
		}
	case ProviderCanceled, ProviderExpired:
		if r.Status == StatusPending && r.Checkout == pp.ID {
			r.setStatus(StatusOpen, now, "checkout "+pp.ID+" "+string(pp.Status))
		}
	case ProviderOpen, ProviderPending:
		if r.Checkout == pp.ID && r.Status != StatusPending && CanTransition(r.Status, StatusPending) && !r.HasPayment(key) {
			r.setStatus(StatusPending, now, "checkout "+pp.ID+" under way")
		}
	}
	return nil
}
