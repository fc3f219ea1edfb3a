package payment

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// The reasons a payment link is refused; each wraps ErrForbidden.
var (
	ErrLinkSignature = fmt.Errorf("%w: payment link signature does not match", ErrForbidden)
	ErrLinkExpired   = fmt.Errorf("%w: payment link has expired", ErrForbidden)
	ErrLinkKey       = fmt.Errorf("%w: payment link signed with an unknown key", ErrForbidden)
	ErrLinkMalformed = fmt.Errorf("%w: payment link is malformed", ErrForbidden)
)

// LinkSigner makes and checks payment links ("betaallink"): URLs that
// carry only the request's random ID, an expiry and an HMAC-SHA256
// signature, so they reveal nothing about the invoice and cannot be
// forged or extended. Keys rotate by ID: links signed with an older key
// stay valid as long as that key is in Keys.
type LinkSigner struct {
	// BaseURL is where the municipality's payment page lives.
	BaseURL string
	// Keys maps key IDs to secrets of at least 32 bytes.
	Keys map[string][]byte
	// Current is the key ID new links are signed with.
	Current string
	// Clock gives the time links expire against; nil means the real clock.
	Clock clock.Clock
}

// Link returns a signed URL for the request that is valid until expires.
func (s *LinkSigner) Link(id uuid.UUID, expires time.Time) (string, error) {
	key, ok := s.Keys[s.Current]
	if !ok || len(key) < 32 {
		return "", errs.Invalid("current", "key", "the current key %q is missing or shorter than 32 bytes", s.Current)
	}
	u, err := url.Parse(s.BaseURL)
	if err != nil {
		return "", errs.Invalid("base_url", "url", "the base URL is not a URL: %v", err)
	}
	exp := strconv.FormatInt(expires.Unix(), 10)
	q := u.Query()
	q.Set("r", id.String())
	q.Set("e", exp)
	q.Set("k", s.Current)
	q.Set("s", linkMAC(key, s.Current, id.String(), exp))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Verify checks a link and returns the request it identifies. The
// signature is checked before the expiry so that nothing about an
// unsigned link is disclosed.
func (s *LinkSigner) Verify(link string) (uuid.UUID, error) {
	u, err := url.Parse(link)
	if err != nil {
		return uuid.Nil, ErrLinkMalformed
	}
	q := u.Query()
	rid, exp, kid, sig := q.Get("r"), q.Get("e"), q.Get("k"), q.Get("s")
	if rid == "" || exp == "" || kid == "" || sig == "" {
		return uuid.Nil, ErrLinkMalformed
	}
	key, ok := s.Keys[kid]
	if !ok {
		return uuid.Nil, ErrLinkKey
	}
	want := linkMAC(key, kid, rid, exp)
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return uuid.Nil, ErrLinkSignature
	}
	id, err := uuid.Parse(rid)
	if err != nil {
		return uuid.Nil, ErrLinkMalformed
	}
	e, err := strconv.ParseInt(exp, 10, 64)
	if err != nil {
		return uuid.Nil, ErrLinkMalformed
	}
	c := s.Clock
	if c == nil {
		c = clock.Real{}
	}
	if !c.Now().Before(time.Unix(e, 0)) {
		return uuid.Nil, ErrLinkExpired
	}
	return id, nil
}

// linkMAC signs the key ID too, so a link cannot be moved to another key.
func linkMAC(key []byte, kid, id, exp string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("payment-link/v1\n" + kid + "\n" + id + "\n" + exp))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
