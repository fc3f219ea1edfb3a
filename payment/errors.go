package payment

import (
	"errors"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
)

// The shared error kinds, re-exported so callers need only this package.
var (
	ErrNotFound          = errs.ErrNotFound
	ErrConflict          = errs.ErrConflict
	ErrInvalidTransition = errs.ErrInvalidTransition
	ErrValidation        = errs.ErrValidation
	ErrForbidden         = errs.ErrForbidden
)

// ValidationError lists every field of an input that breaks a rule.
type ValidationError = errs.ValidationError

// The reasons a reference, account number or bank code is rejected. Each
// *ParseError wraps one of them, so callers can branch with errors.Is.
var (
	// ErrFormat reports characters or a length the format does not allow.
	ErrFormat = errors.New("wrong format")
	// ErrCheckDigits reports check digits that do not match: a mistyped or
	// swapped digit.
	ErrCheckDigits = errors.New("check digits do not match")
	// ErrNationalCheck reports a Belgian account number whose own check
	// digits do not match even though the IBAN check does.
	ErrNationalCheck = errors.New("national check digits do not match")
	// ErrCountry reports an IBAN or BIC country that is not known.
	ErrCountry = errors.New("unknown country")
)

// ParseError says which kind of value could not be parsed and why.
// errors.Is(err, ErrValidation) is true for it, as is errors.Is with the
// specific reason (ErrFormat, ErrCheckDigits, ...).
type ParseError struct {
	// What names the value: "ogm", "creditor_reference", "iban", "bic".
	What string
	// Input is the text that was rejected.
	Input string
	// Reason is one of the Err... reasons above.
	Reason error
	// Detail adds words for a clerk, e.g. "expected 12 digits".
	Detail string
}

// Error says what was rejected and why.
func (e *ParseError) Error() string {
	s := e.What + " " + quote(e.Input) + ": " + e.Reason.Error()
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Unwrap returns the reason.
func (e *ParseError) Unwrap() error { return e.Reason }

// Is makes errors.Is(err, ErrValidation) true.
func (e *ParseError) Is(target error) bool { return target == ErrValidation }

func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	return "\"" + s + "\""
}

func parseErr(what, input string, reason error, detail string) error {
	return &ParseError{What: what, Input: input, Reason: reason, Detail: detail}
}

// DuplicateError is what a Store's Create returns when the request's
// idempotency key is already held: it names the request that holds it.
type DuplicateError = idem.DuplicateError
