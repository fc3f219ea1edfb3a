package session

import (
	"context"
	"time"
)

// Store keeps sessions by their token's hash. Implementations are safe for
// concurrent use; this package's memory store is the reference and
// session/pgstore keeps them in PostgreSQL. Both pass sessiontest.Run.
type Store interface {
	// Create stores a new session; ErrConflict if its hash is taken.
	Create(ctx context.Context, s Session) error
	// Get returns the session with this hash, expired or not, or ErrNotFound.
	Get(ctx context.Context, h Hash) (*Session, error)
	// Touch records activity: it sets LastSeen and IdleExpiry; ErrNotFound
	// if the session is gone.
	Touch(ctx context.Context, h Hash, lastSeen, idleExpiry time.Time) error
	// Replace deletes the session old and stores next in one step; when old
	// is gone (signed out, or renewed by a concurrent request) it stores
	// nothing and returns ErrNotFound, so of two renewals one wins.
	Replace(ctx context.Context, old Hash, next Session) error
	// Delete removes the session; deleting a missing one is not an error.
	Delete(ctx context.Context, h Hash) error
	// DeleteSubject removes every session of a subject and returns how many.
	DeleteSubject(ctx context.Context, subject string) (int, error)
	// Purge removes the sessions expired at now and returns how many.
	Purge(ctx context.Context, now time.Time) (int, error)
}
