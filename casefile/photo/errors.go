package photo

import (
	"errors"
	"fmt"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// The kinds of refusal a caller branches on. Each also answers
// errors.Is(err, ErrValidation), so one HTTP mapping turns them into a 4xx.
var (
	// ErrUnsupported reports content that is not a JPEG, PNG or WebP image
	// ("geen foto"), whatever its name or Content-Type says.
	ErrUnsupported = errors.New("photo: not a JPEG, PNG or WebP image")
	// ErrTooLarge reports an upload over a byte or pixel limit; the error is a
	// *LimitError that names the limit.
	ErrTooLarge = errors.New("photo: too large")
	// ErrCorrupt reports an image that is truncated or malformed.
	ErrCorrupt = errors.New("photo: corrupt or truncated image")
	// ErrValidation is the SDK's shared validation kind.
	ErrValidation = errs.ErrValidation
)

// kindError carries one of the sentinels above and the cause.
type kindError struct {
	kind  error
	cause error
}

func (e *kindError) Error() string {
	if e.cause == nil {
		return e.kind.Error()
	}
	return e.kind.Error() + ": " + e.cause.Error()
}

func (e *kindError) Is(target error) bool { return target == e.kind || target == ErrValidation }
func (e *kindError) Unwrap() error        { return e.cause }

func unsupported(format string, args ...any) error {
	return &kindError{kind: ErrUnsupported, cause: fmt.Errorf(format, args...)}
}

func corrupt(cause error) error { return &kindError{kind: ErrCorrupt, cause: cause} }

// LimitError says which limit an upload broke: "bytes", "pixels", "width"
// or "height". errors.Is(err, ErrTooLarge) reports true for it.
type LimitError struct {
	Limit string // which limit
	Max   int64  // the configured maximum
	Got   int64  // what the upload has (for "bytes": at least this much)
}

// Error says the limit in words.
func (e *LimitError) Error() string {
	return fmt.Sprintf("photo: too large: %s %d exceeds the limit of %d", e.Limit, e.Got, e.Max)
}

// Is makes errors.Is(err, ErrTooLarge) and errors.Is(err, ErrValidation) true.
func (e *LimitError) Is(target error) bool { return target == ErrTooLarge || target == ErrValidation }
