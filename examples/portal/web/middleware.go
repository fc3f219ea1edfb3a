package web

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"runtime/debug"
	"strconv"

	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// recoverer turns a panic into a plain error page: the user never sees a stack trace; the log does.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				s.serverError(w, r, "panic")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every answer carries, and HSTS on an
// answer over HTTPS (directly, or through a trusted proxy): a browser
// then never asks for the portal over plain HTTP again.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

type sessionKey struct{}

// sessionOf is the session of the signed-in visitor of r, or nil.
func sessionOf(r *http.Request) *session {
	sess, _ := r.Context().Value(sessionKey{}).(*session)
	return sess
}

// visitor puts who is signed in into the request's context, where the
// blocks read it with frontoffice.VisitorFrom. It starts no session: an
// anonymous visitor costs the server nothing. Every answer to a signed-in
// visitor is personal: no cache may keep it.
func (s *Server) visitor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sess := s.sessions.lookup(r); sess != nil {
			if p, ok := s.town.Person(sess.person()); ok {
				ctx := context.WithValue(r.Context(), sessionKey{}, sess)
				r = r.WithContext(frontoffice.WithVisitor(ctx, visitorOf(p)))
				w.Header().Set("Cache-Control", "no-store")
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Unprotected is a block with POST routes that other servers call (a
// payment provider's webhook): they carry no form token and prove
// themselves otherwise (a signature). Unprotected returns their paths.
type Unprotected interface {
	Unprotected() []string
}

// Uploader is a block with routes that take more than a form: uploads.
// BodyLimits maps a route's pattern (as registered on the mux, e.g.
// "POST /vergunningen/aanvragen") to the most bytes its body may have.
type Uploader interface {
	BodyLimits() map[string]int64
}

// maxForm bounds the body of every request that is not an upload.
const maxForm = 1 << 20

// protect limits every request's body (maxForm, or the block's own limit
// for an upload) and refuses every state-changing request from another
// site (http.CrossOriginProtection: the browser's Sec-Fetch-Site, or the
// Origin header) or whose form does not carry the visitor's token (their
// session's, or an anonymous visitor's cookie: browsers that send neither
// header are covered too), except on the paths the blocks declare
// Unprotected. A body too large is refused with 413 before it is read
// further, and never spooled to disk: only an upload route's files are.
func (s *Server) protect(mux *http.ServeMux) http.Handler {
	open := map[string]bool{}
	limits := map[string]int64{}
	for _, b := range s.blocks {
		if u, ok := b.(Unprotected); ok {
			for _, p := range u.Unprotected() {
				open[p] = true
			}
		}
		if u, ok := b.(Uploader); ok {
			maps.Copy(limits, u.BodyLimits())
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxForm)
		if r.Body != nil && r.Body != http.NoBody {
			_, pattern := mux.Handler(r)
			if l, ok := limits[pattern]; ok {
				limit = l
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			mux.ServeHTTP(w, r)
			return
		}
		if open[r.URL.Path] {
			mux.ServeHTTP(w, r)
			return
		}
		if err := s.origins.Check(r); err != nil {
			s.log.Warn("cross-origin form refused", "method", r.Method, "path", r.URL.Path, "origin", r.Header.Get("Origin"))
			s.FormExpired(w, r)
			return
		}
		// Files beyond 1 MiB of an upload go to a temporary file, within
		// the upload's limit; a form is all in memory (at most maxForm).
		err := r.ParseMultipartForm(1 << 20)
		if errors.Is(err, http.ErrNotMultipart) {
			err = r.ParseForm()
		}
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				s.Message(w, r, http.StatusRequestEntityTooLarge, "Te groot",
					fmt.Sprintf("Wat u verstuurde is te groot: hoogstens %s. Ga terug en kies kleinere bestanden.", megabytes(limit)))
				return
			}
			s.Message(w, r, http.StatusBadRequest, "Formulier onleesbaar", "Het formulier kon niet gelezen worden. Probeer het opnieuw.")
			return
		}
		want := ""
		if sess := sessionOf(r); sess != nil {
			want = sess.CSRF
		} else if c, err := r.Cookie(csrfCookie); err == nil {
			want = c.Value
		}
		if !validToken(r, want) {
			s.FormExpired(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// megabytes says n bytes in Dutch: "10 MB", "1 MB".
func megabytes(n int64) string {
	return strconv.FormatInt((n+(1<<20)-1)>>20, 10) + " MB"
}
