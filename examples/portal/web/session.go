package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/session"
)

// The portal keeps no state for an anonymous visitor: a session
// (session.Manager, in memory or in PostgreSQL) is created at sign-in
// only, and holds who signed in, in which capacity, and the token every
// form of the session carries (CSRF). A message for the next page (a
// "flash") lives in a short cookie sealed with an HMAC, so the sign-out
// can say "U bent afgemeld." to a visitor who no longer has a session.

type sessionKey struct{}

// sessionOf returns the live session the visitor middleware found for r.
func sessionOf(r *http.Request) (*session.Session, bool) {
	s, ok := r.Context().Value(sessionKey{}).(*session.Session)
	return s, ok
}

// visitorOf is the signed-in visitor as the blocks see them.
func visitorOf(d session.Data) frontoffice.Visitor {
	v := frontoffice.Visitor{Subject: d.Subject, INSZ: d.INSZ, GivenName: d.GivenName, FamilyName: d.FamilyName, Clerk: d.Clerk}
	if d.EnterpriseKBO != "" {
		v.Enterprise = &frontoffice.Enterprise{KBO: d.EnterpriseKBO, Name: d.EnterpriseName}
	}
	return v
}

// validCSRF reports whether the form of r carries its session's token, or
// for an anonymous visitor (the assistant's question form) the token of
// their csrfCookie (a "double submit" cookie: no state on the server).
func validCSRF(r *http.Request) bool {
	want := ""
	if s, ok := sessionOf(r); ok {
		want = s.Data.CSRF
	} else if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		want = c.Value
	}
	got := r.PostFormValue("csrf")
	return want != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// csrfCookie holds an anonymous visitor's form token.
const csrfCookie = "portal_csrf"

// anonymousToken returns the form token of an anonymous visitor, setting
// its cookie when the request has none.
func (s *Server) anonymousToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	t := string(session.NewToken())
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: t, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	return t
}

// flashCookie holds the message for the next page.
const flashCookie = "melding"

// maxFlash bounds a flash message, so a cookie stays far below the limits.
const maxFlash = 1000

// flashes seals and opens the flash cookie.
type flashes struct {
	key    []byte
	secure bool
}

func (f flashes) mac(msg string) string {
	m := hmac.New(sha256.New, f.key)
	m.Write([]byte("bouwstenen portal flash v1\x00"))
	m.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// add appends msg to the message of the next page, after what the
// request carried and what this response added before.
func (f flashes) add(w http.ResponseWriter, r *http.Request, msg string) {
	msg = f.pending(w, r) + msg
	if len(msg) > maxFlash {
		msg = strings.ToValidUTF8(msg[:maxFlash], "")
	}
	dropSetCookie(w, flashCookie)
	value := base64.RawURLEncoding.EncodeToString([]byte(msg)) + "." + f.mac(msg)
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: value, Path: "/", MaxAge: 300,
		HttpOnly: true, Secure: f.secure, SameSite: http.SameSiteLaxMode})
}

// take returns the message for this page (the request's, and what this
// response added) and clears the cookie.
func (f flashes) take(w http.ResponseWriter, r *http.Request) string {
	msg := f.pending(w, r)
	if _, err := r.Cookie(flashCookie); msg == "" && err != nil {
		return "" // nothing to show, nothing to clear: no cookie for nothing
	}
	dropSetCookie(w, flashCookie)
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: f.secure, SameSite: http.SameSiteLaxMode})
	return msg
}

// pending is the message of this response's flash cookie if it set one,
// or else of the request's.
func (f flashes) pending(w http.ResponseWriter, r *http.Request) string {
	for _, line := range w.Header().Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(line); err == nil && c.Name == flashCookie {
			msg, _ := f.open(c.Value)
			return msg
		}
	}
	msg, _ := f.read(r)
	return msg
}

// dropSetCookie removes the response's Set-Cookie lines for the cookie name.
func dropSetCookie(w http.ResponseWriter, name string) {
	lines := w.Header().Values("Set-Cookie")
	kept := lines[:0:0]
	for _, line := range lines {
		if c, err := http.ParseSetCookie(line); err == nil && c.Name == name {
			continue
		}
		kept = append(kept, line)
	}
	w.Header().Del("Set-Cookie")
	for _, line := range kept {
		w.Header().Add("Set-Cookie", line)
	}
}

func (f flashes) read(r *http.Request) (string, bool) {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return "", false
	}
	msg, err := f.open(c.Value)
	return msg, err == nil
}

var errFlash = errors.New("flash cookie not ours")

// open returns the message of a cookie value that add made; anything else
// (tampered, foreign) is refused, so no one can put words on our pages.
func (f flashes) open(value string) (string, error) {
	enc, mac, ok := strings.Cut(value, ".")
	if !ok || len(value) > 2*maxFlash {
		return "", errFlash
	}
	b, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return "", errFlash
	}
	if !hmac.Equal([]byte(mac), []byte(f.mac(string(b)))) {
		return "", errFlash
	}
	return string(b), nil
}
