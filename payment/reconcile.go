package payment

import (
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Outcome is what reconciliation decided for one statement line.
type Outcome string

// The outcomes of matching a statement line.
const (
	// OutcomePaid: the structured reference matched and the request is now paid.
	OutcomePaid Outcome = "paid"
	// OutcomePartial: matched, but less than is due arrived.
	OutcomePartial Outcome = "partially_paid"
	// OutcomeOverpaid: matched, and more than is due arrived.
	OutcomeOverpaid Outcome = "overpaid"
	// OutcomeClosed: matched a canceled or refunded request; the money is to be sent back.
	OutcomeClosed Outcome = "closed_request"
	// OutcomeDuplicate: this bank transaction was booked, or kept for a
	// clerk, before: the same statement imported twice, or the same
	// transaction in another statement or in the other format.
	OutcomeDuplicate Outcome = "duplicate"
	// OutcomeUnknownReference: a valid reference no request carries.
	OutcomeUnknownReference Outcome = "unknown_reference"
	// OutcomeSuggested: no reference, but candidates by amount and
	// counterparty for a clerk to confirm.
	OutcomeSuggested Outcome = "suggested"
	// OutcomeUnmatched: nothing to go on.
	OutcomeUnmatched Outcome = "unmatched"
	// OutcomeDebit: money going out; not reconciled against requests.
	OutcomeDebit Outcome = "debit"
	// OutcomeReversal: the bank undid an earlier movement ("storno"), most
	// often a credit taken back; nothing is booked, a clerk undoes the
	// payment on the request named, if any.
	OutcomeReversal Outcome = "reversal"
)

// Candidate is the little of an open request that matching needs.
type Candidate struct {
	ID          uuid.UUID
	Key         string          // Reference.Key()
	Outstanding decimal.Decimal // what is still due
	DebtorName  string
	DebtorIBAN  string
}

// CandidateOf extracts the matching data of r.
func CandidateOf(r *Request) Candidate {
	return Candidate{ID: r.ID, Key: r.Reference.Key(), Outstanding: r.Outstanding(), DebtorName: r.Debtor.DisplayName(), DebtorIBAN: r.Debtor.IBAN}
}

// Suggestion is a request a line may pay, with how sure the match is (0–1).
type Suggestion struct {
	RequestID  uuid.UUID `json:"request_id"`
	Confidence float64   `json:"confidence"`
	Why        string    `json:"why"`
}

// Index finds open requests by structured reference and by outstanding
// amount. It is built once per import and is read-only afterwards, so
// one index serves concurrent matchers.
type Index struct {
	cands   []Candidate
	byOGM   map[uint64]int32
	byRF    map[string]int32
	byCents []int32 // candidate positions sorted by outstanding cents
	cents   []int64 // cents[i] belongs to byCents[i]
}

// NewIndex indexes cands.
func NewIndex(cands []Candidate) *Index {
	ix := &Index{cands: cands, byOGM: make(map[uint64]int32, len(cands)), byRF: map[string]int32{}}
	ix.byCents = make([]int32, len(cands))
	for i, c := range cands {
		ix.byCents[i] = int32(i)
		if n, ok := ogmKey(c.Key); ok {
			ix.byOGM[n] = int32(i)
		} else if c.Key != "" {
			ix.byRF[c.Key] = int32(i)
		}
	}
	all := make([]int64, len(cands))
	for i, c := range cands {
		all[i] = toCents(c.Outstanding)
	}
	slices.SortFunc(ix.byCents, func(a, b int32) int {
		switch {
		case all[a] < all[b]:
			return -1
		case all[a] > all[b]:
			return 1
		}
		return int(a - b)
	})
	ix.cents = make([]int64, len(cands))
	for i, p := range ix.byCents {
		ix.cents[i] = all[p]
	}
	return ix
}

// Len returns the number of candidates.
func (ix *Index) Len() int { return len(ix.cands) }

// ogmKey turns the 12 digits of an OGM key into a number, so a million
// keys need no strings in the map.
func ogmKey(k string) (uint64, bool) {
	if len(k) != 12 {
		return 0, false
	}
	var n uint64
	for i := 0; i < 12; i++ {
		if k[i] < '0' || k[i] > '9' {
			return 0, false
		}
		n = n*10 + uint64(k[i]-'0')
	}
	return n, true
}

// toCents returns d in cents; amounts with fractions of a cent, which no
// request has, round so they can still land near a candidate.
func toCents(d decimal.Decimal) int64 { return d.Shift(2).Round(0).IntPart() }

// ByReference returns the candidate whose reference has key.
func (ix *Index) ByReference(key string) (Candidate, bool) {
	var i int32
	var ok bool
	if n, isOGM := ogmKey(key); isOGM {
		i, ok = ix.byOGM[n]
	} else {
		i, ok = ix.byRF[key]
	}
	if !ok {
		return Candidate{}, false
	}
	return ix.cands[i], true
}

// maxSuggestions caps the candidates offered to a clerk for one line.
const maxSuggestions = 3

// Suggest ranks the candidates whose outstanding amount equals the line's
// amount: the same amount alone is weak evidence (more so when many
// requests share it); the counterparty's account or name raises it.
// Confidence stays below 1: a clerk confirms.
func (ix *Index) Suggest(l StatementLine) []Suggestion {
	c := toCents(l.Amount)
	lo, _ := slices.BinarySearch(ix.cents, c)
	hi := lo
	for hi < len(ix.cents) && ix.cents[hi] == c {
		hi++
	}
	if lo == hi {
		return nil
	}
	base := 0.5 / float64(hi-lo)
	if base < 0.05 {
		base = 0.05
	}
	var out []Suggestion
	iban := strings.ReplaceAll(strings.ToUpper(l.CounterpartyIBAN), " ", "")
	name := strings.ToUpper(l.CounterpartyName)
	text := strings.ToUpper(l.Text)
	for _, p := range ix.byCents[lo:hi] {
		cand := ix.cands[p]
		s := Suggestion{RequestID: cand.ID, Confidence: base, Why: "same amount"}
		if iban != "" && cand.DebtorIBAN != "" && iban == strings.ReplaceAll(strings.ToUpper(cand.DebtorIBAN), " ", "") {
			s.Confidence += 0.35
			s.Why += ", known account of the debtor"
		}
		if dn := strings.ToUpper(cand.DebtorName); dn != "" && (name != "" && (strings.Contains(name, dn) || strings.Contains(dn, name)) || strings.Contains(text, dn)) {
			s.Confidence += 0.1
			s.Why += ", debtor's name"
		}
		if s.Confidence > 0.95 {
			s.Confidence = 0.95
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b Suggestion) int {
		switch {
		case a.Confidence > b.Confidence:
			return -1
		case a.Confidence < b.Confidence:
			return 1
		}
		return 0
	})
	if len(out) > maxSuggestions {
		out = out[:maxSuggestions]
	}
	return out
}

// Decision is the pure matching verdict for one line, before booking.
type Decision struct {
	Line        StatementLine
	Outcome     Outcome // OutcomePaid stands for "matched by reference" until booked
	RequestID   uuid.UUID
	Suggestions []Suggestion
}

// Match decides for each line: by structured reference first, then by
// amount and counterparty. It touches no store, so it can run over large
// statements against a large index.
func Match(lines []StatementLine, ix *Index) []Decision {
	out := make([]Decision, len(lines))
	for i, l := range lines {
		out[i] = ix.decide(l)
	}
	return out
}

func (ix *Index) decide(l StatementLine) Decision {
	d := Decision{Line: l}
	switch {
	case l.Reversal:
		d.Outcome = OutcomeReversal
	case !l.Credit():
		d.Outcome = OutcomeDebit
	case !l.Reference.IsZero():
		c, ok := ix.ByReference(l.Reference.Key())
		if !ok {
			d.Outcome = OutcomeUnknownReference
			d.Suggestions = ix.Suggest(l)
			return d
		}
		d.RequestID = c.ID
		switch l.Amount.Cmp(c.Outstanding) {
		case -1:
			d.Outcome = OutcomePartial
		case 0:
			d.Outcome = OutcomePaid
		default:
			d.Outcome = OutcomeOverpaid
		}
	default:
		if d.Suggestions = ix.Suggest(l); len(d.Suggestions) > 0 {
			d.Outcome = OutcomeSuggested
		} else {
			d.Outcome = OutcomeUnmatched
		}
	}
	return d
}
