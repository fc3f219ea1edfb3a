package payment

import (
	"context"
	"iter"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// Change is what an update leaves besides the new request: the events to
// make durable with it.
type Change struct {
	Events []event.Event
}

// Store keeps payment requests. It holds no business rule: every change
// goes through Update, which runs fn with ApplyChange on fresh data under
// a lock or in a transaction that locks the row, so concurrent writers
// cannot both win; the events of a change are made durable with it
// (published under the lock in memory, written to the outbox in
// PostgreSQL). Implementations: MemStore and payment/pgstore; both pass
// paymenttest.Run.
type Store interface {
	// NextSequence returns a number never returned before, the base of
	// collision-free structured references.
	NextSequence(ctx context.Context) (uint64, error)
	// Create stores a new request with its events; ErrConflict when its
	// ID or reference is taken. When r.IdempotencyKey is set and a request
	// holds it, Create stores nothing and returns a *DuplicateError naming
	// that request; of concurrent creates with one key exactly one stores.
	Create(ctx context.Context, r *Request, events ...event.Event) error
	// Get returns a copy of the request; ErrNotFound when there is none.
	Get(ctx context.Context, id uuid.UUID) (*Request, error)
	// GetByReference finds the request whose Reference.Key() is key.
	GetByReference(ctx context.Context, key string) (*Request, error)
	// GetByIdempotencyKey finds the request created with key.
	GetByIdempotencyKey(ctx context.Context, key string) (*Request, error)
	// Update runs ApplyChange(r, fn) on a fresh copy r of the request and
	// stores r with the change's events; it returns the stored request.
	// When fn fails nothing is stored or emitted.
	Update(ctx context.Context, id uuid.UUID, fn func(*Request) (Change, error)) (*Request, error)
	// List yields the requests that match q, oldest first, page by page.
	// With q.Payers set it reads an index of the payers, not every request.
	List(ctx context.Context, q Query) iter.Seq2[*Request, error]
	// RecordUnmatched keeps a statement line no request claimed, once per
	// key; it reports false when the key was recorded before.
	RecordUnmatched(ctx context.Context, u Unmatched, events ...event.Event) (bool, error)
	// Unmatched yields the recorded unmatched lines, oldest first.
	Unmatched(ctx context.Context) iter.Seq2[Unmatched, error]
	// GetUnmatched returns the unmatched line recorded under key;
	// ErrNotFound when there is none.
	GetUnmatched(ctx context.Context, key string) (Unmatched, error)
}

// ApplyChange is what every Store's Update does to the fresh copy r under
// its lock or in its transaction: it runs fn, refuses a change of what a
// store indexes — the ID, the reference, the idempotency key, the payer —
// (ErrConflict), and counts the version up. Stores call
// it, so the rule lives here once and a municipality's own store cannot
// get it wrong.
func ApplyChange(r *Request, fn func(*Request) (Change, error)) (Change, error) {
	id, key, ik, payer := r.ID, r.Reference.Key(), r.IdempotencyKey, r.Debtor.PayerKey()
	ch, err := fn(r)
	if err != nil {
		return Change{}, err
	}
	if r.ID != id || r.Reference.Key() != key || r.IdempotencyKey != ik || r.Debtor.PayerKey() != payer {
		return Change{}, errs.Wrap(ErrConflict, "payment request %s: id, reference, idempotency key and payer cannot change", id)
	}
	r.Version++
	return ch, nil
}

// Query selects requests for List.
type Query struct {
	// Statuses keeps only these statuses; empty keeps all.
	Statuses []Status
	// DueBefore keeps requests due before this date; zero keeps all.
	DueBefore time.Time
	// Payers keeps only the requests whose Debtor.PayerKey() is one of
	// these; empty keeps all.
	Payers []string
}

// Matches reports whether r is selected by q.
func (q Query) Matches(r *Request) bool {
	if len(q.Statuses) > 0 && !slices.Contains(q.Statuses, r.Status) {
		return false
	}
	if len(q.Payers) > 0 && !slices.Contains(q.Payers, r.Debtor.PayerKey()) {
		return false
	}
	return q.DueBefore.IsZero() || r.DueDate.Start().Before(q.DueBefore)
}

// Unmatched is a credit on a bank statement that no request claimed, kept
// for a clerk to assign or send back.
type Unmatched struct {
	Key        string        `json:"key"`
	Line       StatementLine `json:"line"`
	Reason     string        `json:"reason"`
	RecordedAt time.Time     `json:"recorded_at"`
}
