package payment

import (
	"context"
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// ReportLine is the outcome for one statement line.
type ReportLine struct {
	Line        StatementLine `json:"line"`
	Outcome     Outcome       `json:"outcome"`
	RequestID   string        `json:"request_id,omitempty"`
	Status      Status        `json:"status,omitempty"` // the request's status after booking
	Suggestions []Suggestion  `json:"suggestions,omitempty"`
}

// Report is the reconciliation report of one imported statement
// ("afpuntingsrapport").
type Report struct {
	StatementID string          `json:"statement_id"`
	Lines       []ReportLine    `json:"lines"`
	Counts      map[Outcome]int `json:"counts"`
	Booked      decimal.Decimal `json:"booked"`    // money booked on requests by this import
	ToReview    decimal.Decimal `json:"to_review"` // credits a clerk must assign or send back
}

// Import reconciles a bank statement: each credit with a structured
// reference is booked on its request (once: the line key makes a second
// import of the same statement, even a concurrent one, book nothing);
// credits without a usable reference are kept as unmatched with
// suggestions by amount and counterparty for a clerk to confirm.
func (s *Service) Import(ctx context.Context, st Statement) (Report, error) {
	rep := Report{StatementID: st.ID, Counts: map[Outcome]int{}, Booked: decimal.Zero, ToReview: decimal.Zero}
	var ix *Index
	index := func() (*Index, error) {
		if ix != nil {
			return ix, nil
		}
		var cands []Candidate
		for r, err := range s.store.List(ctx, Query{Statuses: []Status{StatusOpen, StatusPending, StatusPartiallyPaid, StatusFailed, StatusExpired}}) {
			if err != nil {
				return nil, err
			}
			cands = append(cands, CandidateOf(r))
		}
		ix = NewIndex(cands)
		return ix, nil
	}
	for _, l := range st.Lines {
		rl := ReportLine{Line: l}
		switch {
		case !l.Credit():
			rl.Outcome = OutcomeDebit
		case !l.Reference.IsZero():
			if err := s.bookLine(ctx, l, &rl); err != nil {
				return rep, err
			}
			if rl.Outcome == OutcomeUnknownReference {
				// A mistyped reference: the amount may still point at the request.
				idx, err := index()
				if err != nil {
					return rep, err
				}
				rl.Suggestions = idx.Suggest(l)
			}
		default:
			idx, err := index()
			if err != nil {
				return rep, err
			}
			if rl.Suggestions = idx.Suggest(l); len(rl.Suggestions) > 0 {
				rl.Outcome = OutcomeSuggested
			} else {
				rl.Outcome = OutcomeUnmatched
			}
		}
		if rl.Outcome == OutcomeUnknownReference || rl.Outcome == OutcomeSuggested || rl.Outcome == OutcomeUnmatched {
			if err := s.recordUnmatched(ctx, l, rl.Outcome); err != nil {
				return rep, err
			}
		}
		switch rl.Outcome {
		case OutcomePaid, OutcomePartial, OutcomeOverpaid:
			rep.Booked = rep.Booked.Add(l.Amount)
		case OutcomeClosed, OutcomeUnknownReference, OutcomeSuggested, OutcomeUnmatched:
			rep.ToReview = rep.ToReview.Add(l.Amount)
		}
		rep.Counts[rl.Outcome]++
		rep.Lines = append(rep.Lines, rl)
	}
	return rep, nil
}

func (s *Service) bookLine(ctx context.Context, l StatementLine, rl *ReportLine) error {
	r, err := s.store.GetByReference(ctx, l.Reference.Key())
	if errors.Is(err, ErrNotFound) {
		rl.Outcome = OutcomeUnknownReference
		return nil
	}
	if err != nil {
		return err
	}
	p := Payment{Key: l.Key, Amount: l.Amount, BookedAt: l.BookingDate.Start(), Source: "statement", Counterparty: l.CounterpartyName}
	if p.BookedAt.IsZero() {
		p.BookedAt = s.clock.Now()
	}
	booked := false
	after, err := s.update(ctx, r.ID, func(r *Request, _ time.Time) ([]event.Event, error) {
		if booked = r.BookPayment(p); !booked {
			return nil, nil
		}
		return []event.Event{s.newEvent(EventPaymentBooked, r.ID, p)}, nil
	})
	if err != nil {
		return err
	}
	rl.RequestID, rl.Status = r.ID.String(), after.Status
	switch {
	case !booked:
		rl.Outcome = OutcomeDuplicate
	case after.Status == StatusCanceled || after.Status == StatusRefunded:
		rl.Outcome = OutcomeClosed
	case after.Status == StatusPartiallyPaid:
		rl.Outcome = OutcomePartial
	case after.Status == StatusOverpaid:
		rl.Outcome = OutcomeOverpaid
	default:
		rl.Outcome = OutcomePaid
	}
	return nil
}

func (s *Service) recordUnmatched(ctx context.Context, l StatementLine, why Outcome) error {
	u := Unmatched{Key: l.Key, Line: l, Reason: string(why), RecordedAt: s.clock.Now()}
	_, err := s.store.RecordUnmatched(ctx, u, s.newEvent(EventUnmatched, [16]byte{}, u))
	return err
}
