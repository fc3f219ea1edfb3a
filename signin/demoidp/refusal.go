package demoidp

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// dutchRefusals shows the op package's plain-text refusals (an unknown
// client, an unregistered redirect or post-logout URI: cases where the
// protocol forbids redirecting back) as a Dutch page with the demo banner.
// Redirects, JSON answers and successes pass through untouched.
func dutchRefusals(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &refusalWriter{ResponseWriter: w}
		next.ServeHTTP(rw, r)
		if !rw.caught {
			return
		}
		render(w, rw.status, pageData{Title: "Aanvraag geweigerd",
			Error:   "De demo-aanmelddienst weigert deze aanvraag: " + rw.reason(),
			Message: "De toepassing die u hierheen stuurde, is niet (zo) geregistreerd. Ga terug en probeer opnieuw."})
	})
}

type refusalWriter struct {
	http.ResponseWriter
	status int
	caught bool
	body   bytes.Buffer
}

func (w *refusalWriter) WriteHeader(status int) {
	ct := w.Header().Get("Content-Type")
	if status >= 400 && (strings.HasPrefix(ct, "text/plain") || strings.HasPrefix(ct, "application/json")) {
		w.status, w.caught = status, true
		w.Header().Del("Content-Type")
		w.Header().Del("X-Content-Type-Options")
		return
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *refusalWriter) Write(b []byte) (int, error) {
	if w.caught {
		if w.body.Len() < 1024 {
			w.body.Write(b)
		}
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// reason is the refusal's description: the error_description of a JSON
// error, or the plain text.
func (w *refusalWriter) reason() string {
	var e struct {
		Description string `json:"error_description"`
	}
	if json.Unmarshal(w.body.Bytes(), &e) == nil && e.Description != "" {
		return e.Description
	}
	return strings.TrimSpace(w.body.String())
}
