package payment

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Event types this package emits.
const (
	EventRequestCreated = "payment.request_created"
	EventStatusChanged  = "payment.status_changed"
	EventPaymentBooked  = "payment.payment_booked"
	EventReminderSent   = "payment.reminder_sent"
	EventUnmatched      = "payment.unmatched_credit"
)

// StatusChanged is the payload of EventStatusChanged.
type StatusChanged struct {
	From   Status `json:"from"`
	To     Status `json:"to"`
	Reason string `json:"reason"`
}

// Service holds the use cases of payment requests. Its store makes the
// events it emits durable with each change.
type Service struct {
	store Store
	clock clock.Clock
}

// NewService returns a Service over store; c defaults to the real clock.
func NewService(store Store, c clock.Clock) *Service {
	if c == nil {
		c = clock.Real{}
	}
	return &Service{store: store, clock: c}
}

func (s *Service) newEvent(typ string, agg uuid.UUID, payload any) event.Event {
	return event.Event{ID: id.New(), Type: typ, AggregateID: agg, Time: s.clock.Now(), Payload: payload}
}

// Create validates n, gives the request a fresh structured reference and
// stores it as open. With an idempotency key it is safe to retry: a repeat
// returns the first request, with its reference, and emits nothing (see
// NewRequest.IdempotencyKey).
func (s *Service) Create(ctx context.Context, n NewRequest) (*Request, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var digest string
	if key := n.IdempotencyKey; key != "" {
		n.IdempotencyKey = ""
		digest = idem.Digest(n)
		n.IdempotencyKey = key
		// A retry after the first create finished draws no number.
		prev, err := s.store.GetByIdempotencyKey(ctx, key)
		if err == nil {
			return s.repeat(prev, key, digest)
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	seq, err := s.store.NextSequence(ctx)
	if err != nil {
		return nil, err
	}
	ref, err := referenceFor(seq, n.UseRF)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	r := &Request{
		ID: id.New(), Creditor: n.Creditor, Debtor: n.Debtor, DueDate: n.DueDate,
		Reference: ref, Status: StatusOpen, CreatedAt: now, Refunded: decimal.Zero,
		Metadata: maps.Clone(n.Metadata), IdempotencyKey: n.IdempotencyKey, RequestDigest: digest,
	}
	total := decimal.Zero
	for _, l := range n.Lines {
		a := LineAmount(l.Quantity, l.UnitPrice)
		r.Lines = append(r.Lines, Line{Description: l.Description, Quantity: l.Quantity, UnitPrice: l.UnitPrice, Amount: a})
		total = total.Add(a)
	}
	r.Amount = total
	r.Timeline = []TimelineEntry{{At: now, To: StatusOpen, Reason: "created"}}
	err = s.store.Create(ctx, r, s.newEvent(EventRequestCreated, r.ID, r))
	if held, dup := idem.Existing(err); dup {
		// A concurrent create with the key won.
		prev, err := s.store.Get(ctx, held)
		if err != nil {
			return nil, err
		}
		return s.repeat(prev, n.IdempotencyKey, digest)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// repeat answers a create whose key prev holds: prev for the same request,
// ErrConflict for another.
func (s *Service) repeat(prev *Request, key, digest string) (*Request, error) {
	if err := idem.Same(key, prev.RequestDigest, digest); err != nil {
		return nil, err
	}
	return prev, nil
}

// referenceFor turns a sequence number into a reference; the sequence
// never repeats, so neither does the reference.
func referenceFor(seq uint64, rf bool) (Reference, error) {
	if rf {
		c, err := NewCreditorReference(fmt.Sprintf("%010d", seq))
		return RFReference(c), err
	}
	o, err := NewOGM(seq)
	return OGMReference(o), err
}

// Get returns the request.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*Request, error) {
	return s.store.Get(ctx, id)
}

// List yields the requests that match q, oldest first: the open ones to
// reconcile, or the invoices of a payer ("facturen van een betaler") by
// Query.Payers, which stores answer from an index.
func (s *Service) List(ctx context.Context, q Query) iter.Seq2[*Request, error] {
	return s.store.List(ctx, q)
}

// Unmatched yields the statement lines no request claimed, oldest first,
// for a clerk to assign or send back.
func (s *Service) Unmatched(ctx context.Context) iter.Seq2[Unmatched, error] {
	return s.store.Unmatched(ctx)
}

// UnmatchedLine returns the unmatched statement line recorded under key,
// for a clerk who assigns it; ErrNotFound when there is none.
func (s *Service) UnmatchedLine(ctx context.Context, key string) (Unmatched, error) {
	return s.store.GetUnmatched(ctx, key)
}

// update runs fn in the store's Update and emits a status event when the
// status moved.
func (s *Service) update(ctx context.Context, id uuid.UUID, fn func(r *Request, now time.Time) ([]event.Event, error)) (*Request, error) {
	return s.store.Update(ctx, id, func(r *Request) (Change, error) {
		from, n := r.Status, len(r.Timeline)
		evs, err := fn(r, s.clock.Now())
		if err != nil {
			return Change{}, err
		}
		if r.Status != from && len(r.Timeline) > n {
			last := r.Timeline[len(r.Timeline)-1]
			evs = append(evs, s.newEvent(EventStatusChanged, r.ID, StatusChanged{From: from, To: r.Status, Reason: last.Reason}))
		}
		return Change{Events: evs}, nil
	})
}

// Cancel withdraws a request nothing was paid for.
func (s *Service) Cancel(ctx context.Context, id uuid.UUID, reason string) (*Request, error) {
	if err := checkReason(reason); err != nil {
		return nil, err
	}
	return s.update(ctx, id, func(r *Request, now time.Time) ([]event.Event, error) {
		if r.Paid().IsPositive() {
			return nil, errs.Wrap(ErrInvalidTransition, "payment request %s has payments; refund instead", r.ID)
		}
		return nil, r.transition(StatusCanceled, now, "canceled: "+reason)
	})
}

// Expire marks a request that was not paid in time as expired.
func (s *Service) Expire(ctx context.Context, id uuid.UUID) (*Request, error) {
	return s.update(ctx, id, func(r *Request, now time.Time) ([]event.Event, error) {
		return nil, r.transition(StatusExpired, now, "expired")
	})
}

// Remind records a reminder after the due date, adding fee (zero for
// none) to what is due.
func (s *Service) Remind(ctx context.Context, id uuid.UUID, fee decimal.Decimal) (*Request, error) {
	if fee.IsNegative() || !fee.Equal(fee.Truncate(2)) {
		return nil, errs.Invalid("fee", "euro", "the fee must be a euro amount, not negative, with at most two decimals")
	}
	return s.update(ctx, id, func(r *Request, now time.Time) ([]event.Event, error) {
		if !calendar.DateIn(now).After(r.DueDate) {
			return nil, errs.Wrap(ErrInvalidTransition, "payment request %s is not past its due date %s", r.ID, r.DueDate)
		}
		if !r.Status.awaiting() {
			return nil, errs.Wrap(ErrInvalidTransition, "payment request %s is %s", r.ID, r.Status)
		}
		m := Reminder{Number: len(r.Reminders) + 1, SentAt: now, Fee: fee}
		r.Reminders = append(r.Reminders, m)
		r.settle(now, "reminder fee")
		return []event.Event{s.newEvent(EventReminderSent, r.ID, m)}, nil
	})
}

// BookPayment books money received for a request once per p.Key; it
// reports whether it was booked now (false: booked before).
func (s *Service) BookPayment(ctx context.Context, id uuid.UUID, p Payment) (bool, error) {
	if err := validate.Input(p); err != nil {
		return false, err
	}
	if p.Key == "" {
		return false, errs.Invalid("key", "required", "a payment needs a key")
	}
	if !p.Amount.IsPositive() || !p.Amount.Equal(p.Amount.Truncate(2)) {
		return false, errs.Invalid("amount", "euro", "a payment is a positive euro amount with at most two decimals")
	}
	booked := false
	_, err := s.update(ctx, id, func(r *Request, now time.Time) ([]event.Event, error) {
		if p.BookedAt.IsZero() {
			p.BookedAt = now
		}
		if booked = r.BookPayment(p); !booked {
			return nil, nil
		}
		return []event.Event{s.newEvent(EventPaymentBooked, r.ID, p)}, nil
	})
	return booked, err
}

// Refund records that amount was paid back, and marks the request refunded.
func (s *Service) Refund(ctx context.Context, id uuid.UUID, amount decimal.Decimal, reason string) (*Request, error) {
	if err := checkReason(reason); err != nil {
		return nil, err
	}
	if !amount.IsPositive() || !amount.Equal(amount.Truncate(2)) {
		return nil, errs.Invalid("amount", "euro", "a refund is a positive euro amount with at most two decimals")
	}
	return s.update(ctx, id, func(r *Request, now time.Time) ([]event.Event, error) {
		if amount.Add(r.Refunded).GreaterThan(r.Paid()) {
			return nil, errs.Invalid("amount", "max", "cannot refund more than was paid")
		}
		r.Refunded = r.Refunded.Add(amount)
		return nil, r.transition(StatusRefunded, now, "refunded: "+reason)
	})
}

// checkReason refuses a reason no store can keep (see validate.TextProblem).
func checkReason(reason string) error {
	var c errs.Collector
	validate.CheckText(&c, "reason", reason)
	return c.Err()
}

// EPCFor returns the EPC QR content for what is still outstanding on r.
func EPCFor(r *Request, information string) EPCCode {
	amount := r.Outstanding()
	if !amount.IsPositive() {
		amount = decimal.Zero
	}
	return EPCCode{
		BIC: r.Creditor.BIC, Name: r.Creditor.Name, IBAN: r.Creditor.IBAN,
		Amount: amount, Reference: r.Reference, Information: information,
	}
}
