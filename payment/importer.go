package payment

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
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
// reference is booked on its request; credits without a usable reference
// are kept as unmatched with suggestions by amount and counterparty for a
// clerk to confirm. A reversal (StatementLine.Reversal) is never booked:
// it is kept as unmatched with reason OutcomeReversal and reported with
// the request its reference names, whose payment a clerk must undo. Only
// euro is reconciled: a statement in another currency, or a line with
// fractions of a cent, is refused with a *ValidationError. A bank transaction is booked or kept once, by its
// StatementLine.TransactionKey: the same credit in a second import, in
// another statement or in the other format, even at the same moment, is
// reported as OutcomeDuplicate and books nothing. The report's lines, the
// payments booked and the unmatched records carry that key as their Key.
func (s *Service) Import(ctx context.Context, st Statement) (Report, error) {
	if err := validate.Input(st); err != nil {
		return Report{}, err
	}
	if err := checkEuro(st); err != nil {
		return Report{}, err
	}
	rep := Report{StatementID: st.ID, Counts: map[Outcome]int{}, Booked: decimal.Zero, ToReview: decimal.Zero}
	seen := map[string]int{}
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
		if l.Account == "" {
			l.Account = st.Account
		}
		rl := ReportLine{Line: l}
		// Two lines of one statement with the same transaction key are two
		// transactions (a bank does not list one twice); their order tells
		// them apart, in this import and the next.
		key := l.TransactionKey()
		if n := seen[key]; n > 0 {
			key += "#" + strconv.Itoa(n+1)
		}
		seen[l.TransactionKey()]++
		// From here on the line is known by its transaction: the report,
		// the payment and the unmatched record all carry that key.
		l.Key = key
		rl.Line.Key = key
		switch {
		case l.Reversal:
			// Money taken back, or given back: never booked, always shown.
			rl.Outcome = OutcomeReversal
			if err := s.reversedRequest(ctx, l, &rl); err != nil {
				return rep, err
			}
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
		switch rl.Outcome {
		case OutcomeUnknownReference, OutcomeSuggested, OutcomeUnmatched, OutcomeReversal:
			first, err := s.recordUnmatched(ctx, l, rl.Outcome)
			if err != nil {
				return rep, err
			}
			if !first {
				rl.Outcome, rl.Suggestions = OutcomeDuplicate, nil
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

// recordUnmatched keeps l for a clerk once per key; it reports false when
// the key was kept before.
func (s *Service) recordUnmatched(ctx context.Context, l StatementLine, why Outcome) (bool, error) {
	u := Unmatched{Key: l.Key, Line: l, Reason: string(why), RecordedAt: s.clock.Now()}
	return s.store.RecordUnmatched(ctx, u, s.newEvent(EventUnmatched, UnmatchedID(u.Key), u))
}

// unmatchedSpace is the UUID namespace of unmatched statement lines.
var unmatchedSpace = uuid.MustParse("6f1d2c0e-3b4a-4f5e-9d8c-7a6b5c4d3e2f")

// UnmatchedID is the aggregate ID of the events of the unmatched line
// with key: the same for one key, different for two. Each line is its own
// aggregate, so an ordered consumer that parks one line's event holds up
// no other line.
func UnmatchedID(key string) uuid.UUID { return uuid.NewSHA1(unmatchedSpace, []byte(key)) }

// reversedRequest names in rl the request a reversal's reference points
// at, if any, so the clerk sees which payment the bank took back.
func (s *Service) reversedRequest(ctx context.Context, l StatementLine, rl *ReportLine) error {
	if l.Reference.IsZero() {
		return nil
	}
	r, err := s.store.GetByReference(ctx, l.Reference.Key())
	switch {
	case errors.Is(err, ErrNotFound):
		return nil
	case err != nil:
		return err
	}
	rl.RequestID, rl.Status = r.ID.String(), r.Status
	return nil
}

// checkEuro refuses a statement that is not in euro (an empty currency is
// euro: old CODA files and camt.053 lines do not say) and lines with
// fractions of a cent, which no euro transfer has.
func checkEuro(st Statement) error {
	var c errs.Collector
	if cur := strings.TrimSpace(st.Currency); cur != "" && cur != "EUR" {
		c.Add("currency", "currency", "is %s: only statements in EUR are reconciled", cur)
	}
	for i, l := range st.Lines {
		if !l.Amount.Equal(l.Amount.Round(2)) {
			c.Add(fmt.Sprintf("lines[%d].amount", i), "cents", "%s has fractions of a cent", l.Amount)
		}
	}
	return c.Err()
}
