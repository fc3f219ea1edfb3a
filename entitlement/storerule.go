package entitlement

import (
	"fmt"

	"github.com/google/uuid"
)

// Existing is what a store holds, under its lock, that bears on a new
// grant: found by the grant's idempotency key and by its subject and
// benefit.
type Existing struct {
	KeyHolder uuid.UUID // the grant created with the same idempotency key, or uuid.Nil
	OptedOut  bool      // the subject refused the benefit
	Current   uuid.UUID // the subject's current grant for the benefit, or uuid.Nil
}

// CheckCreate is the rule every Store applies, under its lock, before it
// stores a new grant: a taken idempotency key is a *DuplicateError naming
// its grant (the service then decides, by the request's digest, whether
// it is a repeat); a subject who opted out is ErrOptedOut; a subject who
// holds a current grant for the benefit is ErrAlreadyGranted. This is what
// makes a run that is retried, or two runs at once, grant nothing twice.
func CheckCreate(g *Grant, e Existing) error {
	switch {
	case g.IdempotencyKey != "" && e.KeyHolder != uuid.Nil:
		return &DuplicateError{Key: g.IdempotencyKey, ID: e.KeyHolder}
	case e.OptedOut:
		return ErrOptedOut
	case e.Current != uuid.Nil:
		return ErrAlreadyGranted
	}
	return nil
}

// CheckUpdate is the rule every Store applies to the result of an
// update's function before it stores it: what identifies a grant (its ID,
// subject, benefit, creation and idempotency key) never changes, and a
// grant that stopped never becomes current again (a new grant is made).
// Without it a store's indexes by subject and by current grant would go
// stale, each store in its own way.
func CheckUpdate(old, next *Grant) error {
	if next.ID != old.ID || next.SubjectID != old.SubjectID || next.Benefit != old.Benefit || !next.CreatedAt.Equal(old.CreatedAt) ||
		next.IdempotencyKey != old.IdempotencyKey || next.RequestDigest != old.RequestDigest {
		return fmt.Errorf("%w: a grant's ID, subject, benefit, creation and idempotency key never change", ErrInvalidTransition)
	}
	if !old.Status.Current() && next.Status.Current() {
		return fmt.Errorf("%w: a grant that is %s does not become current again", ErrInvalidTransition, old.Status)
	}
	return nil
}
