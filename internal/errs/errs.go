// Package errs holds the error kinds every bouwstenen package shares.
//
// Each domain package re-exports these values (for example
// `var ErrNotFound = errs.ErrNotFound`), so errors.Is works across packages
// and one mapping to HTTP status codes serves them all.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// The kinds a caller branches on.
var (
	// ErrNotFound reports that the requested item does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict reports a lost race: a stale version, a duplicate key or a
	// resource already taken. Reload and try again, or report it.
	ErrConflict = errors.New("conflict")
	// ErrInvalidTransition reports a state change the lifecycle does not allow
	// from the current state.
	ErrInvalidTransition = errors.New("invalid transition")
	// ErrValidation reports input that breaks one or more rules. The error
	// is a *ValidationError that lists each field.
	ErrValidation = errors.New("validation failed")
	// ErrForbidden reports an actor who may not do what was asked.
	ErrForbidden = errors.New("forbidden")
)

// FieldError is one broken rule on one field.
type FieldError struct {
	// Field is the path of the field as it appears in JSON, e.g. "requester.email".
	Field string `json:"field"`
	// Rule is the rule that was broken, e.g. "required", "max", "iban".
	Rule string `json:"rule"`
	// Param is the rule's parameter, e.g. "10000" for max=10000, or "".
	Param string `json:"param,omitempty"`
	// Message says in plain words what is wrong.
	Message string `json:"message"`
}

// String returns "field: message".
func (f FieldError) String() string { return f.Field + ": " + f.Message }

// ValidationError lists every field of an input that breaks a rule.
// errors.Is(err, ErrValidation) reports true for it.
type ValidationError struct {
	Fields []FieldError `json:"fields"`
}

// Error joins the field messages.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	return "validation failed: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrValidation) true.
func (e *ValidationError) Is(target error) bool { return target == ErrValidation }

// Field returns the first entry for the named field, if any.
func (e *ValidationError) Field(name string) (FieldError, bool) {
	for _, f := range e.Fields {
		if f.Field == name {
			return f, true
		}
	}
	return FieldError{}, false
}

// Invalid returns a *ValidationError with one entry, for rules checked
// outside the struct validator (cross-field and domain rules).
func Invalid(field, rule, format string, args ...any) *ValidationError {
	return &ValidationError{Fields: []FieldError{{Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)}}}
}

// Collector gathers field errors for one input and returns them as one
// *ValidationError, or nil when nothing was added.
type Collector struct {
	fields []FieldError
}

// Add records that field broke rule.
func (c *Collector) Add(field, rule, format string, args ...any) {
	c.fields = append(c.fields, FieldError{Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// Merge adds the entries of err when it is a *ValidationError, prefixing
// each field with prefix and a dot (no prefix when prefix is "").
// It returns false for any other non-nil error, which the caller must handle.
func (c *Collector) Merge(prefix string, err error) bool {
	if err == nil {
		return true
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, f := range ve.Fields {
		if prefix != "" {
			f.Field = prefix + "." + f.Field
		}
		c.fields = append(c.fields, f)
	}
	return true
}

// Err returns the collected *ValidationError, or nil when there is none.
func (c *Collector) Err() error {
	if len(c.fields) == 0 {
		return nil
	}
	return &ValidationError{Fields: c.fields}
}

// Wrap returns an error that is kind for errors.Is and says msg.
//
//	errs.Wrap(errs.ErrConflict, "case %s changed since version %d", id, v)
func Wrap(kind error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", kind, fmt.Sprintf(format, args...))
}

// HTTPStatus maps an error to the HTTP status code a handler should answer
// with: 404 not found, 422 validation, 409 conflict or invalid transition,
// 403 forbidden, and 500 for everything else.
func HTTPStatus(err error) int {
	switch {
	case err == nil:
		return 200
	case errors.Is(err, ErrNotFound):
		return 404
	case errors.Is(err, ErrValidation):
		return 422
	case errors.Is(err, ErrConflict), errors.Is(err, ErrInvalidTransition):
		return 409
	case errors.Is(err, ErrForbidden):
		return 403
	}
	return 500
}
