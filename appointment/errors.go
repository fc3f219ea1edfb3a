package appointment

import (
	"fmt"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
)

// Shared error kinds, re-exported so callers need only this package.
var (
	ErrNotFound          = errs.ErrNotFound
	ErrConflict          = errs.ErrConflict
	ErrInvalidTransition = errs.ErrInvalidTransition
	ErrValidation        = errs.ErrValidation
	ErrForbidden         = errs.ErrForbidden
)

// ValidationError lists each bad field and the rule it breaks.
type ValidationError = errs.ValidationError

// ErrSlotTaken means the slot is real and open, but has no capacity left; it
// wraps ErrConflict because another booking won the race.
var ErrSlotTaken = fmt.Errorf("%w: slot taken", ErrConflict)

// ErrLimitReached means the citizen already holds the maximum number of open
// bookings for the service.
var ErrLimitReached = fmt.Errorf("%w: open booking limit reached", ErrConflict)

// ErrHoldExpired means a hold ran out before it was confirmed; the citizen
// must pick a slot again.
var ErrHoldExpired = fmt.Errorf("%w: hold expired", ErrInvalidTransition)

// ErrTooLate means the change comes after the service's minimum notice for
// rescheduling or cancelling.
var ErrTooLate = fmt.Errorf("%w: within the minimum notice", ErrForbidden)

// ErrReferenceTaken means a new booking drew a reference already in use;
// the Scheduler draws another and retries.
var ErrReferenceTaken = fmt.Errorf("%w: booking reference in use", ErrConflict)

// DuplicateError is what a Store's Create returns when the booking's
// idempotency key is already held: it names the booking that holds it.
type DuplicateError = idem.DuplicateError
