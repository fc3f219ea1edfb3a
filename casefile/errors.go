package casefile

import "github.com/lokaalbestuur/bouwstenen/internal/errs"

// The shared error kinds, re-exported so callers need not import internal
// packages; errors.Is works across every package of the SDK.
var (
	ErrNotFound          = errs.ErrNotFound
	ErrConflict          = errs.ErrConflict
	ErrInvalidTransition = errs.ErrInvalidTransition
	ErrValidation        = errs.ErrValidation
	ErrForbidden         = errs.ErrForbidden
)

// ValidationError names each field (by JSON name) and the rule it broke.
type ValidationError = errs.ValidationError

// FieldError is one entry of a ValidationError.
type FieldError = errs.FieldError
