package assistant

import "github.com/lokaalbestuur/bouwstenen/internal/errs"

// The error kinds of this package, shared with every bouwstenen package so
// errors.Is works across them.
var (
	ErrNotFound   = errs.ErrNotFound
	ErrConflict   = errs.ErrConflict
	ErrValidation = errs.ErrValidation
	ErrForbidden  = errs.ErrForbidden
)

// ValidationError lists every field of an input that breaks a rule.
type ValidationError = errs.ValidationError
