package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

// session is what the portal remembers of one browser: who is signed in
// (demo only), the token that proves a form came from our own page, and a
// message for the next page. Two requests of one browser may run at once
// (two tabs, a double click), so the fields that change are behind a lock.
type session struct {
	// CSRF never changes: signing in starts a new session instead.
	CSRF string

	mu       sync.Mutex
	personID string
	flash    string
	expires  time.Time
}

// person returns the ID of the demo person signed in, or "".
func (s *session) person() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.personID
}

// setFlash sets the message the next page shows.
func (s *session) setFlash(msg string) {
	s.mu.Lock()
	s.flash = msg
	s.mu.Unlock()
}

// addFlash adds to the message the next page shows.
func (s *session) addFlash(msg string) {
	s.mu.Lock()
	s.flash += msg
	s.mu.Unlock()
}

// takeFlash returns the message for this page and clears it.
func (s *session) takeFlash() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := s.flash
	s.flash = ""
	return msg
}

// sessions keeps sessions in memory, keyed by a random cookie value.
// Expired sessions are removed when they are looked up and in a sweep every
// sweepEvery new sessions, so visitors who never come back do not pile up.
type sessions struct {
	mu      sync.Mutex
	byID    map[string]*session
	ttl     time.Duration
	created int
}

const (
	sessionCookie = "portal_session"
	sweepEvery    = 1024
)

func newSessions(ttl time.Duration) *sessions {
	return &sessions{byID: map[string]*session{}, ttl: ttl}
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// get returns the session of r, starting a new one (and setting its cookie)
// when r has none or it expired.
func (s *sessions) get(w http.ResponseWriter, r *http.Request) *session {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, err := r.Cookie(sessionCookie); err == nil {
		if sess, ok := s.byID[c.Value]; ok {
			sess.mu.Lock()
			alive := now.Before(sess.expires)
			if alive {
				sess.expires = now.Add(s.ttl)
			}
			sess.mu.Unlock()
			if alive {
				return sess
			}
			delete(s.byID, c.Value)
		}
	}
	return s.start(w, r, now, "")
}

// renew starts a new session for personID ("" for nobody), with a new
// cookie value and a new CSRF token, and ends the old one. Signing in and
// out renew the session: a key someone planted before the sign-in is worth
// nothing after it.
func (s *sessions) renew(w http.ResponseWriter, r *http.Request, personID string) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, err := r.Cookie(sessionCookie); err == nil {
		delete(s.byID, c.Value)
	}
	return s.start(w, r, time.Now(), personID)
}

// start makes a session and sets its cookie; s.mu is held.
func (s *sessions) start(w http.ResponseWriter, r *http.Request, now time.Time, personID string) *session {
	if s.created++; s.created%sweepEvery == 0 {
		for key, sess := range s.byID {
			sess.mu.Lock()
			expired := !now.Before(sess.expires)
			sess.mu.Unlock()
			if expired {
				delete(s.byID, key)
			}
		}
	}
	key := randomToken()
	sess := &session{CSRF: randomToken(), personID: personID, expires: now.Add(s.ttl)}
	s.byID[key] = sess
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: key, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
	return sess
}

// validCSRF reports whether the form of r carries the session's token.
func (sess *session) validCSRF(r *http.Request) bool {
	got := r.PostFormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) == 1
}
