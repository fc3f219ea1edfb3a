package permit

import (
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
)

// The shared error kinds, re-exported so callers can branch with errors.Is
// without importing internal packages.
var (
	ErrNotFound          = errs.ErrNotFound
	ErrConflict          = errs.ErrConflict
	ErrInvalidTransition = errs.ErrInvalidTransition
	ErrValidation        = errs.ErrValidation
	ErrForbidden         = errs.ErrForbidden
)

// ValidationError names each invalid field (by its JSON name) and the rule it broke.
type ValidationError = errs.ValidationError

// DuplicateError is what a Store's Create returns when the application's
// idempotency key is already held: it names the application that holds it.
type DuplicateError = idem.DuplicateError
