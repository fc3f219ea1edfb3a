package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

// session is what the portal remembers of one browser: who is signed in
// (demo only) and the token that proves a form came from our own page.
type session struct {
	PersonID string
	CSRF     string
	Flash    string
	expires  time.Time
}

// sessions keeps sessions in memory, keyed by a random cookie value.
type sessions struct {
	mu   sync.Mutex
	byID map[string]*session
	ttl  time.Duration
}

const sessionCookie = "portal_session"

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
		if sess, ok := s.byID[c.Value]; ok && now.Before(sess.expires) {
			sess.expires = now.Add(s.ttl)
			return sess
		}
	}
	key := randomToken()
	sess := &session{CSRF: randomToken(), expires: now.Add(s.ttl)}
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
