package session

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"time"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Errors a caller branches on.
var (
	// ErrNotFound: no session has this token (never created, signed out, or purged).
	ErrNotFound = errs.ErrNotFound
	// ErrConflict: a session with this token hash exists already.
	ErrConflict = errs.ErrConflict
	// ErrNoSession is returned by Manager.Load when the request carries no
	// live session: no cookie, an unknown token, or an expired session.
	// errors.Is(err, ErrNotFound) also holds for it.
	ErrNoSession = fmt.Errorf("session: no live session: %w", errs.ErrNotFound)
)

// Token is the opaque value of the session cookie. Only its Hash is stored.
type Token string

// NewToken returns a token of 256 bits from crypto/rand, base64url-encoded.
func NewToken() Token {
	var b [32]byte
	rand.Read(b[:]) // never returns an error (crypto/rand, Go 1.24+)
	return Token(base64.RawURLEncoding.EncodeToString(b[:]))
}

// Hash is the SHA-256 hash of a token: the key a Store keeps.
type Hash [sha256.Size]byte

// Hash returns the token's hash.
func (t Token) Hash() Hash { return sha256.Sum256([]byte(t)) }

// LogValue never shows the token.
func (t Token) LogValue() slog.Value { return slog.StringValue("[token]") }

// Data is the signed-in visitor (aangemelde bezoeker), stored as JSON.
type Data struct {
	Subject    string   `json:"sub"`
	GivenName  string   `json:"given_name,omitempty"`
	FamilyName string   `json:"family_name,omitempty"`
	INSZ       pii.INSZ `json:"insz,omitempty"`
	// EnterpriseKBO and EnterpriseName are set when the visitor signed in
	// for an enterprise (namens een onderneming).
	EnterpriseKBO  string `json:"enterprise_kbo,omitempty"`
	EnterpriseName string `json:"enterprise_name,omitempty"`
	Clerk          bool   `json:"clerk,omitempty"`
	// IDToken is kept for RP-initiated logout (id_token_hint).
	IDToken string `json:"id_token,omitempty"`
	// CSRF is the token the session's forms carry; Create fills it in when empty.
	CSRF string `json:"csrf,omitempty"`
}

// LogValue shows the subject, a masked INSZ and the enterprise; never the
// ID token or the CSRF token.
func (d Data) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("sub", d.Subject),
		slog.Any("insz", d.INSZ),
		slog.String("enterprise_kbo", d.EnterpriseKBO),
		slog.Bool("clerk", d.Clerk),
	)
}

// Session is one stored session.
type Session struct {
	Hash     Hash
	Subject  string
	Data     Data
	Created  time.Time
	LastSeen time.Time
	// IdleExpiry is LastSeen plus the idle timeout, never after AbsoluteExpiry.
	IdleExpiry time.Time
	// AbsoluteExpiry is the sign-in time plus the absolute timeout.
	AbsoluteExpiry time.Time
}

// Expired reports whether the session is over at now.
func (s *Session) Expired(now time.Time) bool {
	return !now.Before(s.IdleExpiry) || !now.Before(s.AbsoluteExpiry)
}

// LogValue shows the subject and the times, never the hash's token or the ID token.
func (s *Session) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Any("data", s.Data),
		slog.Time("created", s.Created),
		slog.Time("last_seen", s.LastSeen),
	)
}
