package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// session is what the portal remembers of a signed-in browser: who is
// signed in (demo only), the token that proves a form came from our own
// page, and a message for the next page. Two requests of one browser may
// run at once (two tabs, a double click), so the fields that change are
// behind a lock.
//
// Anonymous visitors have no session: the server keeps nothing for them.
// Their form token is a random value in a cookie of their own (a "double
// submit" cookie), their one message ("U bent afgemeld.") a cookie too.
type session struct {
	// CSRF never changes: signing in starts a new session instead.
	CSRF string

	mu       sync.Mutex
	personID string
	flash    string
	expires  time.Time
}

// person returns the ID of the demo person signed in.
func (s *session) person() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.personID
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

// sessions keeps the sessions of signed-in visitors in memory, keyed by a
// random cookie value. It is the seam where a store shared by several
// portals goes (another issue): start, lookup and end are all the host
// asks of it. Expired sessions are removed when they are looked up and in
// a sweep every sweepEvery new sessions, so visitors who never come back do
// not pile up.
type sessions struct {
	mu      sync.Mutex
	byID    map[string]*session
	ttl     time.Duration
	created int
}

const (
	sessionCookie = "portal_session"
	// csrfCookie holds an anonymous visitor's form token.
	csrfCookie = "portal_csrf"
	// flashCookie holds an anonymous visitor's message for the next page.
	flashCookie = "portal_flash"
	sweepEvery  = 1024
)

func newSessions(ttl time.Duration) *sessions {
	return &sessions{byID: map[string]*session{}, ttl: ttl}
}

// len is how many sessions the server keeps.
func (s *sessions) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byID)
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// lookup returns the live session of r, or nil: it never starts one.
func (s *sessions) lookup(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.byID[c.Value]
	if !ok {
		return nil
	}
	sess.mu.Lock()
	alive := now.Before(sess.expires)
	if alive {
		sess.expires = now.Add(s.ttl)
	}
	sess.mu.Unlock()
	if !alive {
		delete(s.byID, c.Value)
		return nil
	}
	return sess
}

// start signs personID in: a new session with a new cookie value and a
// new CSRF token; the session r had, if any, ends. A key someone planted
// before the sign-in is worth nothing after it. secure marks the cookie
// for HTTPS only.
func (s *sessions) start(w http.ResponseWriter, r *http.Request, personID string, secure bool) *session {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, err := r.Cookie(sessionCookie); err == nil {
		delete(s.byID, c.Value)
	}
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
		SameSite: http.SameSiteLaxMode, Secure: secure,
	})
	return sess
}

// end signs r's visitor out: their session is forgotten and its cookie
// removed.
func (s *sessions) end(w http.ResponseWriter, r *http.Request, secure bool) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.mu.Lock()
		delete(s.byID, c.Value)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: secure})
}

// anonymousToken returns the form token of an anonymous visitor: the
// value of their csrf cookie, set now when they have none.
func anonymousToken(w http.ResponseWriter, r *http.Request, secure bool) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	token := randomToken()
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: secure})
	return token
}

// setAnonymousFlash keeps msg for an anonymous visitor's next page, in a
// cookie.
func setAnonymousFlash(w http.ResponseWriter, msg string, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: secure, MaxAge: 60})
}

// takeAnonymousFlash returns the message of an anonymous visitor's cookie
// and removes it.
func takeAnonymousFlash(w http.ResponseWriter, r *http.Request, secure bool) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: secure})
	msg, err := url.QueryUnescape(c.Value)
	if err != nil {
		return ""
	}
	return msg
}

// validToken reports whether the form of r carries want.
func validToken(r *http.Request, want string) bool {
	got := r.PostFormValue("csrf")
	return want != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
