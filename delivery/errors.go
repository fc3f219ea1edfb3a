package delivery

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

// ValidationError names each invalid field and the rule it broke.
type ValidationError = errs.ValidationError

// DuplicateError is what a Store's Enqueue returns when a delivery of the
// document ID is already stored: the document ID is the idempotency key of
// Submit, and the error names the delivery that holds it.
type DuplicateError = idem.DuplicateError

// Package-specific errors. Each wraps a shared kind so errors.Is on the kind
// keeps working.
var (
	// ErrEmailUnverified means the category requires a verified e-mail
	// address and the party's address is not verified.
	ErrEmailUnverified = fmt.Errorf("%w: e-mail address not verified", ErrValidation)
	// ErrNoEmail means e-mail was chosen but the party has no address.
	ErrNoEmail = fmt.Errorf("%w: no e-mail address", ErrValidation)
	// ErrNoPostalAddress means paper was needed but there is no postal address.
	ErrNoPostalAddress = fmt.Errorf("%w: no postal address", ErrValidation)
	// ErrChannelNotAllowed means the category's rule does not allow the channel.
	ErrChannelNotAllowed = fmt.Errorf("%w: channel not allowed for category", ErrValidation)
	// ErrNoConsent means a digital channel was chosen without a valid consent.
	ErrNoConsent = fmt.Errorf("%w: no consent for digital channel", ErrValidation)
	// ErrAttachmentTooLarge means an attachment exceeds the rule's size limit.
	ErrAttachmentTooLarge = fmt.Errorf("%w: attachment too large", ErrValidation)
	// ErrUnknownMessage means a status callback names no message we sent.
	ErrUnknownMessage = fmt.Errorf("%w: unknown message", ErrNotFound)
	// ErrOutOfOrder means a status callback would move a message backwards,
	// e.g. "delivered" after "read".
	ErrOutOfOrder = fmt.Errorf("%w: status out of order", ErrInvalidTransition)
	// ErrTampered means the evidence chain does not verify.
	ErrTampered = fmt.Errorf("%w: evidence chain broken", ErrConflict)
	// ErrLeaseLost means another dispatcher took over a delivery whose lease
	// expired; the late acknowledgement is refused.
	ErrLeaseLost = fmt.Errorf("%w: lease lost", ErrConflict)
)
