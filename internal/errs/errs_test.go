package errs

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKinds(t *testing.T) {
	err := fmt.Errorf("saving case: %w", Wrap(ErrConflict, "version %d is stale", 3))
	assert.ErrorIs(t, err, ErrConflict)
	assert.NotErrorIs(t, err, ErrNotFound)
	assert.Equal(t, "saving case: conflict: version 3 is stale", err.Error())
}

func TestValidationError(t *testing.T) {
	var c Collector
	assert.NoError(t, c.Err())
	c.Add("period.end", "after", "must be after the start")
	assert.True(t, c.Merge("requester", Invalid("email", "email", "must be an e-mail address")))
	assert.True(t, c.Merge("", nil))
	assert.False(t, c.Merge("x", errors.New("boom")))
	err := fmt.Errorf("apply: %w", c.Err())
	assert.ErrorIs(t, err, ErrValidation)
	var ve *ValidationError
	assert.True(t, errors.As(err, &ve))
	assert.Len(t, ve.Fields, 2)
	f, ok := ve.Field("requester.email")
	assert.True(t, ok)
	assert.Equal(t, "email", f.Rule)
	_, ok = ve.Field("nope")
	assert.False(t, ok)
	assert.Equal(t, "apply: validation failed: period.end: must be after the start; requester.email: must be an e-mail address", err.Error())
}

func TestHTTPStatus(t *testing.T) {
	for err, want := range map[error]int{
		nil:                                     200,
		Wrap(ErrNotFound, "case"):               404,
		Invalid("x", "required", "is required"): 422,
		Wrap(ErrConflict, "v"):                  409,
		ErrInvalidTransition:                    409,
		ErrForbidden:                            403,
		errors.New("disk on fire"):              500,
	} {
		assert.Equal(t, want, HTTPStatus(err), "%v", err)
	}
}
