package subsidy

import (
	"fmt"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
)

// The shared error kinds, re-exported so callers need not import internal/errs.
var (
	ErrNotFound          = errs.ErrNotFound
	ErrConflict          = errs.ErrConflict
	ErrInvalidTransition = errs.ErrInvalidTransition
	ErrValidation        = errs.ErrValidation
	ErrForbidden         = errs.ErrForbidden
)

// ValidationError names each field (by JSON name) and rule that input broke.
type ValidationError = errs.ValidationError

// DuplicateError is what a Store's CreateApplication returns when the
// application's idempotency key is already held: it names the
// application that holds it.
type DuplicateError = idem.DuplicateError

// Errors callers branch on; each wraps a shared kind.
var (
	// ErrCallClosed: the call is not open (before opening, after closing and any extension).
	ErrCallClosed = fmt.Errorf("%w: the call is not open", ErrInvalidTransition)
	// ErrBudgetExceeded: granting would put the committed amount above the call's budget.
	ErrBudgetExceeded = fmt.Errorf("%w: the call's budget would be exceeded", ErrConflict)
	// ErrBelowCommitted: a budget may not be lowered below what is already committed.
	ErrBelowCommitted = fmt.Errorf("%w: the budget would fall below what is committed", ErrConflict)
	// ErrConflictOfInterest: the assessor declared a conflict of interest for this application.
	ErrConflictOfInterest = fmt.Errorf("%w: the assessor has a conflict of interest", ErrForbidden)
	// ErrNotDecided: a payout or justification needs a positive decision first.
	ErrNotDecided = fmt.Errorf("%w: the application has no grant decision", ErrInvalidTransition)
)
