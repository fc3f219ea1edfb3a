// Package idem holds what every idempotent create shares: the rules for an
// idempotency key, the digest of a request, and the one decision a service
// takes when a store reports the key taken.
//
// A create that a caller may retry (after a timeout, a crash, a double
// click) carries a key the caller chooses ("permit-fee:" + permitID). The
// service stores the key and a digest of the request with the object; the
// store keeps keys unique. A second create with the key returns the first
// object when the request is the same, and ErrConflict when it differs.
package idem

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// MaxKey is the longest key, in bytes.
const MaxKey = 255

// CheckKey adds an error to c when key is too long or not plain text. An
// empty key means the create is not idempotent.
func CheckKey(c *errs.Collector, field, key string) {
	if len(key) > MaxKey {
		c.Add(field, "max", "must be at most %d bytes long", MaxKey)
		return
	}
	validate.CheckText(c, field, key)
}

// Digest returns a fingerprint of a request: the hex SHA-256 of its JSON
// encoding. Clear the key (and anything the service fills in) before, so
// only what the caller asked for counts.
func Digest(request any) string {
	b, err := json.Marshal(request)
	if err != nil {
		panic(fmt.Sprintf("idem: digest of %T: %v", request, err)) // requests are plain data
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// DuplicateError is what a store returns from a create whose idempotency
// key an earlier object holds: it stores nothing and names that object.
type DuplicateError struct {
	Key string
	ID  uuid.UUID
}

// Error says which object holds the key.
func (e *DuplicateError) Error() string {
	return fmt.Sprintf("idempotency key %q is held by %s", e.Key, e.ID)
}

// Existing returns the ID of the object that holds the key when err is a
// *DuplicateError.
func Existing(err error) (uuid.UUID, bool) {
	if err == nil {
		return uuid.Nil, false
	}
	var d *DuplicateError
	if errors.As(err, &d) {
		return d.ID, true
	}
	return uuid.Nil, false
}

// Same decides a repeated create: nil when the stored digest is the
// request's (return the stored object), otherwise ErrConflict.
func Same(key, stored, request string) error {
	if stored == request {
		return nil
	}
	return errs.Wrap(errs.ErrConflict, "idempotency key %q was used for a different request", key)
}
