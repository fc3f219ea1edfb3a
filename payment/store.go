package payment

import (
	"context"
	"iter"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// Store keeps payment requests. Every change goes through Update, which
// runs fn on fresh data under a lock or transaction, so concurrent writers
// cannot both win; the events fn returns are made durable with the change
// (published under the lock in memory, written to the outbox in
// PostgreSQL).
type Store interface {
	// NextSequence returns a number never returned before, the base of
	// collision-free structured references.
	NextSequence(ctx context.Context) (uint64, error)
	// Create stores a new request; ErrConflict when its ID or reference
	// is taken.
	Create(ctx context.Context, r *Request, events ...event.Event) error
	// Get returns a copy of the request; ErrNotFound when there is none.
	Get(ctx context.Context, id uuid.UUID) (*Request, error)
	// GetByReference finds the request whose Reference.Key() is key.
	GetByReference(ctx context.Context, key string) (*Request, error)
	// Update applies fn to the current request and saves it with its
	// version increased. When fn returns an error nothing is saved.
	Update(ctx context.Context, id uuid.UUID, fn func(*Request) ([]event.Event, error)) error
	// List yields the requests that match q, oldest first, page by page.
	List(ctx context.Context, q Query) iter.Seq2[*Request, error]
	// RecordUnmatched keeps a statement line no request claimed, once per
	// key; it reports false when the key was recorded before.
	RecordUnmatched(ctx context.Context, u Unmatched, events ...event.Event) (bool, error)
	// Unmatched yields the recorded unmatched lines, oldest first.
	Unmatched(ctx context.Context) iter.Seq2[Unmatched, error]
}

// Query selects requests for List.
type Query struct {
	// Statuses keeps only these statuses; empty keeps all.
	Statuses []Status
	// DueBefore keeps requests due before this date; zero keeps all.
	DueBefore time.Time
}

// Matches reports whether r is selected by q.
func (q Query) Matches(r *Request) bool {
	if len(q.Statuses) > 0 {
		ok := false
		for _, s := range q.Statuses {
			ok = ok || r.Status == s
		}
		if !ok {
			return false
		}
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
