package entitlement

import (
	"errors"
	"fmt"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
)

// The shared error kinds, re-exported so callers need not import internal packages.
var (
	ErrNotFound          = errs.ErrNotFound
	ErrConflict          = errs.ErrConflict
	ErrInvalidTransition = errs.ErrInvalidTransition
	ErrValidation        = errs.ErrValidation
	ErrForbidden         = errs.ErrForbidden
)

// ValidationError names each bad field (by its JSON path) and the rule it breaks.
type ValidationError = errs.ValidationError

// DuplicateError is what a Store's Create returns when the grant's
// idempotency key is already held: it names the grant that holds it.
type DuplicateError = idem.DuplicateError

// Package-specific errors callers branch on.
var (
	// ErrUnknownFact is returned when a fact name is not in the schema.
	ErrUnknownFact = fmt.Errorf("%w: unknown fact", ErrValidation)
	// ErrUnknownBenefit is returned when a benefit ID is not in the rule set.
	ErrUnknownBenefit = fmt.Errorf("%w: unknown benefit", ErrNotFound)
	// ErrAlreadyGranted is returned when the subject already holds the right.
	ErrAlreadyGranted = fmt.Errorf("%w: already granted", ErrConflict)
	// ErrOptedOut is returned when the citizen refused the right ("afstand").
	ErrOptedOut = fmt.Errorf("%w: the citizen opted out of this right", ErrForbidden)
	// ErrOutsidePeriod is matched by every *OutsidePeriodError.
	ErrOutsidePeriod = errors.New("date outside every parameter period")
)

// OutsidePeriodError says a parameter has no value on the evaluation date:
// the rules do not say what applies then, so nothing is decided.
type OutsidePeriodError struct {
	Parameter string
	Date      calendar.Date
}

// Error describes the parameter and the date.
func (e *OutsidePeriodError) Error() string {
	return fmt.Sprintf("entitlement: parameter %q has no value on %s", e.Parameter, e.Date)
}

// Is makes the error match ErrOutsidePeriod.
func (e *OutsidePeriodError) Is(target error) bool { return target == ErrOutsidePeriod }

type collector struct{ errs.Collector }

func (c *collector) add(field, rule, format string, args ...any) { c.Add(field, rule, format, args...) }
func (c *collector) err() error                                  { return c.Err() }
