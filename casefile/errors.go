package casefile

import (
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
)

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

// DuplicateError is what a Store's Create returns when the case's
// idempotency key is already held: it names the case that holds it.
type DuplicateError = idem.DuplicateError

// FieldError is one entry of a ValidationError.
type FieldError = errs.FieldError
