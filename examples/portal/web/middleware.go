package web

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/session"
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
// then never asks for the portal over plain HTTP again. The sign-out and
// the capacity switch are forms whose answer redirects to the identity
// provider, so its origin is a form-action too (browsers check redirects
// of a form against it).
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	csp := "default-src 'self'; img-src 'self' data:; form-action 'self'" + s.providerOrigin + "; frame-ancestors 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// visitor puts who is signed in into the request's context, where the
// blocks read it with frontoffice.VisitorFrom. It loads the session the
// request's cookie names, if it is live; a visitor without one stays
// anonymous, and nothing is stored for them.
func (s *Server) visitor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, err := s.sessions.Load(r)
		switch {
		case err == nil:
			ctx := context.WithValue(r.Context(), sessionKey{}, sess)
			r = r.WithContext(frontoffice.WithVisitor(ctx, visitorOf(sess.Data)))
			// Every answer to a signed-in visitor is personal: no cache may keep it.
			w.Header().Set("Cache-Control", "no-store")
		case errors.Is(err, session.ErrNoSession):
			w = signInRedirects{ResponseWriter: w, r: r}
		default:
			s.serverError(w, r, err.Error())
			return
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
		if open[r.URL.Path] || (s.demoIdP != nil && strings.HasPrefix(r.URL.Path, demoPrefix)) {
			// The demo provider's forms are its own business, as a real
			// provider's would be: not this portal's session or token.
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
		if !validCSRF(r) {
			if _, ok := sessionOf(r); !ok && r.URL.Path == signOutPath {
				// Signed out already (elsewhere, or the session expired).
				http.Redirect(w, r, "/", http.StatusSeeOther)
				return
			}
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
