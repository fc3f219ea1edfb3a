package subsidy

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/lokaalbestuur/bouwstenen/internal/validate"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// ApplicantKey is a municipality's secret ("sleutel") for the applicant
// references a call keeps: what each applicant has been granted, and
// which applicants a deadline extension covers. A reference is an
// HMAC-SHA-256 of the applicant's KBO or national register number under
// the key, so whoever reads the database without the secret cannot turn
// references back into numbers by trying all 10⁸ birth dates and serials.
//
// ID names the key and is stored with every call (Call.ApplicantKeyID);
// Secret is at least 32 random bytes and is kept out of the database
// (configuration, a secret manager).
type ApplicantKey struct {
	ID     string
	Secret []byte
}

// ErrUnknownApplicantKey: the call's references were made under a key the
// service was not given (see WithApplicantKeys).
var ErrUnknownApplicantKey = errors.New("subsidy: the call's applicant key is not configured")

// Option configures a Service.
type Option func(*Service)

// WithApplicantKeys gives the service the key new calls use (current) and
// the keys of earlier calls that are still running (older).
//
// Each call records the ID of the key it was created under and keeps using
// that key for its whole life, so its references always compare. To
// rotate: make a new key current and pass the previous one in older; new
// calls use the new key, running calls the old one; once every call under
// the old key is closed and paid, drop it. A call whose key is missing
// refuses new drafts and extensions with ErrUnknownApplicantKey rather
// than compare references that cannot match.
//
// NewService panics when a key has an empty ID, a secret shorter than 32
// bytes, or an ID used twice: a configuration error to catch at start-up.
func WithApplicantKeys(current ApplicantKey, older ...ApplicantKey) Option {
	return func(s *Service) {
		s.keys = map[string][]byte{}
		s.currentKey = current.ID
		for _, k := range append([]ApplicantKey{current}, older...) {
			if k.ID == "" || len(k.Secret) < 32 {
				panic("subsidy: an applicant key needs an ID and a secret of at least 32 bytes")
			}
			if _, dup := s.keys[k.ID]; dup {
				panic(fmt.Sprintf("subsidy: applicant key %q given twice", k.ID))
			}
			s.keys[k.ID] = append([]byte(nil), k.Secret...)
		}
	}
}

// ephemeralKey is the key of a service given none: random, for the life of
// the process. Right for the memory store and tests; with a store that
// outlives the process, configure WithApplicantKeys.
func ephemeralKey() ApplicantKey {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret) // crypto/rand.Read never fails
	return ApplicantKey{ID: "ephemeral-" + hex.EncodeToString(secret[:4]), Secret: secret}
}

// applicantRef returns the reference of the applicant identified by key
// (Applicant.Key) under the call's applicant key.
func (s *Service) applicantRef(call *Call, key string) (string, error) {
	secret, ok := s.keys[call.ApplicantKeyID]
	if !ok {
		return "", fmt.Errorf("%w: call %s uses key %q", ErrUnknownApplicantKey, call.ID, call.ApplicantKeyID)
	}
	return reference(secret, key), nil
}

// reference is the HMAC-SHA-256 of an applicant key under a secret, in hex.
func reference(secret []byte, key string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(key))
	return hex.EncodeToString(mac.Sum(nil))
}

// applicantKeyOf returns Applicant.Key for a KBO or national register
// number, and false for anything else.
func applicantKeyOf(number string) (string, bool) {
	switch {
	case validate.KBO(number):
		return Applicant{Kind: Organisation, KBO: number}.Key(), true
	case validate.INSZ(number):
		return Applicant{Kind: Person, INSZ: pii.INSZ(number)}.Key(), true
	}
	return "", false
}

// ApplicantRef returns the reference the call keeps for the applicant, as
// CreateDraft stores it in Application.ApplicantRef: set it on an
// application that is not stored yet to ask Call.OpenFor whether an
// extension for the applicant keeps the call open for them.
func (s *Service) ApplicantRef(call *Call, a Applicant) (string, error) {
	return s.applicantRef(call, a.Key())
}
