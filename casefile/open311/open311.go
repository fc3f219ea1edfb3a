// Package open311 serves a casefile.Service over Open311 GeoReport v2
// (https://wiki.open311.org/GeoReport_v2), so existing Open311 apps and
// clients (FixMyStreet and the like) can file reports ("meldingen") and
// follow them.
//
// Mount the handler under the endpoint's base path with http.StripPrefix.
// It answers
//
//	GET  discovery.json             the endpoint's discovery document
//	GET  services.json              the categories of the case type
//	GET  services/{code}.json       a service definition: the category's extra questions
//	GET  requests.json              service requests, filtered as the specification says
//	POST requests.json              file a service request
//	GET  requests/{id}.json         one service request, by case reference
//	GET  servicerequestupdates.json the public updates in a window (mySociety's extension,
//	                                which FixMyStreet polls to sync statuses back)
//
// and the same paths ending in .xml. The format is what follows the last
// dot, so service codes may hold dots. Errors use the Open311 error
// format, a list of {code, description}, with the matching HTTP status.
//
// A service_code is the category code, or "category.subcategory".
// Access is the caller's: Keys checks api_key (who may POST, who sees
// every category in full), Public says what the public sees of each
// category, and RateLimit wraps the handler to bound each client. Mount
// one handler per jurisdiction; jurisdiction_id is accepted and ignored.
//
// POST takes attribute[code]=value (attribute[code][]=value for a list)
// for the category's extra questions, an Idempotency-Key header to make a
// retry safe, and media_url as a link kept with the case. A request filed
// with lat/long only gets its address from Addresses, when set.
// VALIDATION.md says how FixMyStreet's own client was run against it.
package open311

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

// Handler is the Open311 endpoint for one case type of a service.
type Handler struct {
	Service *casefile.Service
	// Type is the code of the case type served, e.g. "meldingen".
	Type string
	// Lang picks the labels: "nl" (default) or "en".
	Lang string
	// Agency names the responsible body in responses ("agency_responsible").
	Agency string
	// Notice is the service_notice sent back with new requests.
	Notice string
	// MaxResults caps GET requests.json (Open311 suggests 1000); 200 when 0.
	MaxResults int
	// Clock sets "now" for the default 90-day window; clock.Real{} when nil.
	Clock clock.Clock
	// Public says what anyone sees of each category; see Disclosure.
	// A category not in it is not shown to the public at all.
	Public map[string]Disclosure
	// Keys checks the api_key of a request and says what it allows; nil
	// lets anyone POST and shows everyone what Public allows.
	Keys func(ctx context.Context, apiKey string) (Access, error)
	// Addresses turns a point into an address for a request filed with
	// lat/long only; nil leaves such a request without an address.
	Addresses AddressLookup
	// Discovery fills discovery.json; see DiscoveryInfo.
	Discovery DiscoveryInfo
}

// Error is one entry of the Open311 error format.
type Error struct {
	XMLName     xml.Name `json:"-" xml:"error"`
	Code        int      `json:"code" xml:"code"`
	Description string   `json:"description" xml:"description"`
}

type errorList struct {
	XMLName xml.Name `xml:"errors"`
	Errors  []Error
}

// ServeHTTP routes by path and format.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	base, format := splitFormat(path)
	if format == "" {
		writeErrors(w, "json", http.StatusNotFound, Error{Code: 404, Description: "unknown resource; use services.json, requests.json or requests/{id}.json"})
		return
	}
	switch {
	case base == "discovery":
		if allow(w, r, format, http.MethodGet) {
			h.discovery(w, format)
		}
	case base == "services":
		if allow(w, r, format, http.MethodGet) {
			h.services(w, format)
		}
	case strings.HasPrefix(base, "services/") && len(base) > len("services/"):
		if allow(w, r, format, http.MethodGet) {
			h.definition(w, format, base[len("services/"):])
		}
	case base == "requests":
		if !allow(w, r, format, http.MethodGet, http.MethodPost) {
			return
		}
		if r.Method == http.MethodPost {
			h.create(w, r, format)
			return
		}
		h.list(w, r, format)
	case strings.HasPrefix(base, "requests/") && !strings.Contains(base[len("requests/"):], "/"):
		if allow(w, r, format, http.MethodGet) {
			h.one(w, r, format, base[len("requests/"):])
		}
	case base == "servicerequestupdates":
		if allow(w, r, format, http.MethodGet) {
			h.updates(w, r, format)
		}
	default:
		writeErrors(w, format, http.StatusNotFound, Error{Code: 404, Description: "unknown resource " + path})
	}
}

// splitFormat cuts the format off a path: what follows the last dot, when
// it is json or xml; "" otherwise.
func splitFormat(path string) (base, format string) {
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return path, ""
	}
	switch f := path[i+1:]; f {
	case "json", "xml":
		return path[:i], f
	}
	return path, ""
}

func allow(w http.ResponseWriter, r *http.Request, format string, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeErrors(w, format, http.StatusMethodNotAllowed, Error{Code: 405, Description: "method " + r.Method + " not allowed"})
	return false
}

func write(w http.ResponseWriter, format string, status int, v any) {
	if format == "xml" {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(xml.Header))
		_ = xml.NewEncoder(w).Encode(v)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErrors(w http.ResponseWriter, format string, status int, errs ...Error) {
	if format == "xml" {
		write(w, format, status, errorList{Errors: errs})
		return
	}
	write(w, format, status, errs)
}

// writeErr maps the SDK's error kinds onto Open311 errors.
func writeErr(w http.ResponseWriter, format string, err error) {
	var ve *casefile.ValidationError
	switch {
	case errors.As(err, &ve):
		out := make([]Error, len(ve.Fields))
		for i, f := range ve.Fields {
			out[i] = Error{Code: 400, Description: open311Field(f.Field) + ": " + f.Message}
		}
		writeErrors(w, format, http.StatusBadRequest, out...)
	case errors.Is(err, casefile.ErrNotFound):
		writeErrors(w, format, http.StatusNotFound, Error{Code: 404, Description: "service request not found"})
	case errors.Is(err, casefile.ErrForbidden):
		writeErrors(w, format, http.StatusForbidden, Error{Code: 403, Description: "forbidden: " + err.Error()})
	case errors.Is(err, casefile.ErrConflict):
		writeErrors(w, format, http.StatusConflict, Error{Code: 409, Description: "conflict: " + err.Error()})
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		writeErrors(w, format, http.StatusServiceUnavailable, Error{Code: 503, Description: "request cancelled"})
	default:
		writeErrors(w, format, http.StatusInternalServerError, Error{Code: 500, Description: "internal error"})
	}
}

// open311Field names a casefile field the way the client sent it.
func open311Field(f string) string {
	switch {
	case f == "category" || f == "type":
		return "service_code"
	case strings.HasPrefix(f, "location.point"):
		return "lat/long"
	case f == "location" || strings.HasPrefix(f, "location."):
		return "location"
	case f == "requester.email":
		return "email"
	case f == "requester.phone":
		return "phone"
	case strings.HasPrefix(f, "attributes."):
		return "attribute[" + f[len("attributes."):] + "]"
	case strings.HasPrefix(f, "requester.name"):
		return "first_name/last_name"
	}
	return f
}

func (h *Handler) lang() string {
	if h.Lang == "en" {
		return "en"
	}
	return "nl"
}

func (h *Handler) maxResults() int {
	if h.MaxResults <= 0 {
		return 200
	}
	return h.MaxResults
}

func (h *Handler) now() time.Time {
	if h.Clock == nil {
		return time.Now()
	}
	return h.Clock.Now()
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// w3cLayouts are the W3C date-time forms a client may send: with or
// without seconds, with fractions, with Z or an offset.
var w3cLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"}

// ParseDateTime reads a W3C date-time (https://www.w3.org/TR/NOTE-datetime)
// with hours and minutes at least: 2026-12-01T00:00Z,
// 2026-12-01T00:00:00+01:00, 2026-12-01T00:00:00.5Z.
func ParseDateTime(s string) (time.Time, bool) {
	for _, l := range w3cLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
