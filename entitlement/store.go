package entitlement

import (
	"context"
	"iter"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// Store keeps grants, opt-outs and the audit trail. It holds no business
// rule: it applies CheckCreate and CheckUpdate under its lock or in its
// transaction, and stores each change's audit entry and events atomically
// with it.
type Store interface {
	// Create stores a new grant with its change (Version becomes 1) when
	// CheckCreate admits it on what the store holds for the grant's subject
	// and benefit, and for its idempotency key, under a lock that makes two
	// concurrent creates see each other. A refused create stores nothing.
	Create(ctx context.Context, g *Grant, ch GrantChange) error
	// Get returns a copy of a grant, or ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (*Grant, error)
	// Update runs fn on a fresh copy of a grant under a row lock or the
	// store's lock, checks the result with CheckUpdate, and stores it with
	// the change fn returns (Version one higher); an error from fn or the
	// check stores nothing. It returns the stored grant.
	Update(ctx context.Context, id uuid.UUID, fn func(*Grant) (GrantChange, error)) (*Grant, error)
	// Current returns the subject's current grant for the benefit, or ErrNotFound.
	Current(ctx context.Context, subjectID, benefit string) (*Grant, error)
	// Held streams the current grants for a benefit, by subject ID.
	Held(ctx context.Context, benefit string) iter.Seq2[Grant, error]
	// Grants streams every grant a subject was ever given, current or
	// not, oldest first.
	Grants(ctx context.Context, subjectID string) iter.Seq2[Grant, error]
	// GrantSummaries streams what Grants streams, each grant without its
	// Reason (nil), which a store need not read.
	GrantSummaries(ctx context.Context, subjectID string) iter.Seq2[Grant, error]
	// OptOut records the citizen's refusal (the first one stays) and,
	// atomically, runs fn on their current grant for the benefit (nil when
	// they hold none) and stores what it returns, as Update does.
	OptOut(ctx context.Context, o OptOut, fn func(current *Grant) (GrantChange, error)) error
	// OptOutOf returns the subject's refusal of the benefit, or ErrNotFound.
	OptOutOf(ctx context.Context, subjectID, benefit string) (*OptOut, error)
	// Audit streams the audit trail of a subject, oldest first.
	Audit(ctx context.Context, subjectID string) iter.Seq2[AuditEntry, error]
}

// GrantChange is what a change of a grant stores with it, atomically: its
// audit entry ("audittrail") and its events. (Change is the name of a
// batch's assessment.)
type GrantChange struct {
	Audit  AuditEntry
	Events []event.Event
}
