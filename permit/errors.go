package permit

import "github.com/lokaalbestuur/bouwstenen/internal/errs"

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
