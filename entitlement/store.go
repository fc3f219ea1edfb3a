package entitlement

import (
	"context"
	"iter"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// Store keeps grants, opt-outs and the audit trail. Every write stores its
// audit entry and events atomically with the change.
type Store interface {
	// Create stores a new current grant, unless the subject already holds a
	// current grant for the benefit (ErrAlreadyGranted) or opted out of it
	// (ErrOptedOut). This check is what makes a batch re-run, or two runs at
	// once, grant nothing twice.
	Create(ctx context.Context, g Grant, a AuditEntry, events []event.Event) error
	// Update changes one grant under a version check; fn runs on fresh data
	// and returns the audit entry and events to store with the change.
	Update(ctx context.Context, id uuid.UUID, fn func(*Grant) (AuditEntry, []event.Event, error)) error
	// Get returns a grant.
	Get(ctx context.Context, id uuid.UUID) (Grant, error)
	// Current returns the subject's current grant for the benefit, or ErrNotFound.
	Current(ctx context.Context, subjectID, benefit string) (Grant, error)
	// Held streams the current grants for a benefit.
	Held(ctx context.Context, benefit string) iter.Seq2[Grant, error]
	// OptOut records the citizen's refusal and, atomically, applies end to
	// their current grant for the benefit (if any) so it stops.
	OptOut(ctx context.Context, o OptOut, end func(*Grant), a AuditEntry, events []event.Event) error
	// OptedOut reports whether the subject refused the benefit.
	OptedOut(ctx context.Context, subjectID, benefit string) (bool, error)
	// Audit streams the audit trail of a subject, oldest first.
	Audit(ctx context.Context, subjectID string) iter.Seq2[AuditEntry, error]
}
