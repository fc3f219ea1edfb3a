package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/lokaalbestuur/bouwstenen/clock"
)

// Defaults of a Manager's zero fields.
const (
	DefaultCookieName = "sessie"
	DefaultAbsolute   = 8 * time.Hour
	DefaultIdle       = 30 * time.Minute
	DefaultTouchEvery = time.Minute
)

// Manager creates, loads, renews and ends sessions through their cookie.
// Set its fields before first use and do not change them afterwards; a
// Manager is then safe for concurrent use.
type Manager struct {
	// Store keeps the sessions; required.
	Store Store
	// CookieName defaults to DefaultCookieName. With Secure, "__Host-sessie"
	// also lets the browser refuse the cookie from a subdomain.
	CookieName string
	// Absolute is how long a session lasts after sign-in, active or not (DefaultAbsolute).
	Absolute time.Duration
	// Idle is how long a session lasts without a request (DefaultIdle).
	Idle time.Duration
	// TouchEvery is how stale LastSeen may get before a request writes it
	// again (DefaultTouchEvery): one write a minute, not one per request,
	// at the price of an idle timeout up to that much early.
	TouchEvery time.Duration
	// Secure marks the cookie Secure: set it whenever the site is served over HTTPS.
	Secure bool
	// Clock defaults to the system clock.
	Clock clock.Clock
}

func (m *Manager) cookieName() string { return cmp(m.CookieName, DefaultCookieName) }
func (m *Manager) absolute() time.Duration {
	return cmp(m.Absolute, DefaultAbsolute)
}
func (m *Manager) idle() time.Duration       { return cmp(m.Idle, DefaultIdle) }
func (m *Manager) touchEvery() time.Duration { return cmp(m.TouchEvery, DefaultTouchEvery) }
func (m *Manager) now() time.Time {
	if m.Clock == nil {
		return time.Now()
	}
	return m.Clock.Now()
}

func cmp[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// idleExpiry is at + Idle, never after the absolute deadline.
func (m *Manager) idleExpiry(at, absolute time.Time) time.Time {
	e := at.Add(m.idle())
	if e.After(absolute) {
		return absolute
	}
	return e
}

// Create starts a session for a visitor who just signed in and sets its
// cookie. A session the request still carried is deleted first: a sign-in
// never continues an earlier token. An empty data.CSRF is filled with a
// fresh random token.
func (m *Manager) Create(w http.ResponseWriter, r *http.Request, data Data) (*Session, error) {
	if data.Subject == "" {
		return nil, errors.New("session: Create needs the visitor's subject")
	}
	if t, ok := m.token(r); ok {
		if err := m.Store.Delete(r.Context(), t.Hash()); err != nil {
			return nil, fmt.Errorf("session: delete the previous session: %w", err)
		}
	}
	if data.CSRF == "" {
		data.CSRF = string(NewToken())
	}
	now := m.now()
	abs := now.Add(m.absolute())
	t := NewToken()
	s := Session{Hash: t.Hash(), Subject: data.Subject, Data: data, Created: now, LastSeen: now, IdleExpiry: m.idleExpiry(now, abs), AbsoluteExpiry: abs}
	if err := m.Store.Create(r.Context(), s); err != nil {
		return nil, fmt.Errorf("session: create: %w", err)
	}
	m.setCookie(w, t)
	return &s, nil
}

// Load returns the request's live session, or ErrNoSession. It records
// the request as activity when LastSeen is TouchEvery old or older.
func (m *Manager) Load(r *http.Request) (*Session, error) {
	t, ok := m.token(r)
	if !ok {
		return nil, ErrNoSession
	}
	return m.load(r.Context(), t.Hash())
}

func (m *Manager) load(ctx context.Context, h Hash) (*Session, error) {
	s, err := m.Store.Get(ctx, h)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("session: load: %w", err)
	}
	now := m.now()
	if s.Expired(now) {
		if err := m.Store.Delete(ctx, h); err != nil {
			return nil, fmt.Errorf("session: delete expired session: %w", err)
		}
		return nil, ErrNoSession
	}
	if now.Sub(s.LastSeen) >= m.touchEvery() {
		idle := m.idleExpiry(now, s.AbsoluteExpiry)
		err := m.Store.Touch(ctx, h, now, idle)
		if errors.Is(err, ErrNotFound) {
			return nil, ErrNoSession // signed out meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("session: touch: %w", err)
		}
		s.LastSeen, s.IdleExpiry = now, idle
	}
	return s, nil
}

// Renew replaces the request's live session by one with a new token and
// data, and sets the new cookie: at sign-in and at a capacity switch,
// against session fixation. The new session keeps the old one's sign-in
// time and absolute deadline. Without a live session it returns
// ErrNoSession; of two concurrent renewals of one session, one wins and
// the other gets ErrNoSession. An empty data.CSRF keeps the old session's.
func (m *Manager) Renew(w http.ResponseWriter, r *http.Request, data Data) (*Session, error) {
	t, ok := m.token(r)
	if !ok {
		return nil, ErrNoSession
	}
	old, err := m.load(r.Context(), t.Hash())
	if err != nil {
		return nil, err
	}
	if data.Subject != old.Subject {
		return nil, errors.New("session: Renew cannot change the subject; sign in anew with Create")
	}
	if data.CSRF == "" {
		data.CSRF = old.Data.CSRF
	}
	now := m.now()
	next := NewToken()
	s := Session{Hash: next.Hash(), Subject: data.Subject, Data: data, Created: old.Created, LastSeen: now,
		IdleExpiry: m.idleExpiry(now, old.AbsoluteExpiry), AbsoluteExpiry: old.AbsoluteExpiry}
	err = m.Store.Replace(r.Context(), old.Hash, s)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("session: renew: %w", err)
	}
	m.setCookie(w, next)
	return &s, nil
}

// Destroy ends the request's session, if any, and clears its cookie.
func (m *Manager) Destroy(w http.ResponseWriter, r *http.Request) error {
	if t, ok := m.token(r); ok {
		if err := m.Store.Delete(r.Context(), t.Hash()); err != nil {
			return fmt.Errorf("session: destroy: %w", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: m.cookieName(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: m.Secure, SameSite: http.SameSiteLaxMode})
	return nil
}

// DestroySubject ends every session of a person, on every device and
// instance, and returns how many there were.
func (m *Manager) DestroySubject(ctx context.Context, subject string) (int, error) {
	n, err := m.Store.DeleteSubject(ctx, subject)
	if err != nil {
		return 0, fmt.Errorf("session: destroy subject: %w", err)
	}
	return n, nil
}

// Purge deletes the sessions that have expired and returns how many.
func (m *Manager) Purge(ctx context.Context) (int, error) {
	n, err := m.Store.Purge(ctx, m.now())
	if err != nil {
		return 0, fmt.Errorf("session: purge: %w", err)
	}
	return n, nil
}

// token reads the cookie; a value that cannot be a token is ignored
// without a store round trip.
func (m *Manager) token(r *http.Request) (Token, bool) {
	c, err := r.Cookie(m.cookieName())
	if err != nil || len(c.Value) != tokenLen {
		return "", false
	}
	return Token(c.Value), true
}

// tokenLen is the length of a base64url-encoded 32-byte token.
const tokenLen = 43

// setCookie sets a browser-session cookie (no Expires): closing the
// browser forgets it, and the server's timeouts bound it anyway.
func (m *Manager) setCookie(w http.ResponseWriter, t Token) {
	http.SetCookie(w, &http.Cookie{Name: m.cookieName(), Value: string(t), Path: "/",
		HttpOnly: true, Secure: m.Secure, SameSite: http.SameSiteLaxMode})
}
