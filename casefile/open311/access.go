package open311

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Disclosure is what the public sees of a category's requests, after
// Signalen's rule: a report is the reporter's, so the public sees that a
// problem is known and being handled, not the reporter's words or the
// exact door.
type Disclosure int

// The disclosures, least first.
const (
	// Hidden lists nothing and answers requests/{id} with 404.
	Hidden Disclosure = iota
	// Summary shows service, status, dates and the place to about 100 m
	// (lat/long to three decimals, the street without a house number),
	// never the description or the exact address.
	Summary
	// Full shows the description and the exact address too.
	Full
)

// Access is what an API key allows.
type Access struct {
	// Post allows filing service requests.
	Post bool
	// Private shows every category in Full, whatever Public says: for the
	// municipality's own systems and the partners that sync back, such as
	// a FixMyStreet that needs the status of the reports it sent.
	Private bool
}

// AddressLookup finds the address of a point ("omgekeerd adres opzoeken"),
// for requests filed with lat/long only. The caller provides it, e.g. on
// the Flemish address register; ErrNotFound or any error leaves the
// request without an address.
type AddressLookup interface {
	Reverse(ctx context.Context, p casefile.Point) (pii.Address, error)
}

// access returns what the request's api_key allows: everything but
// private reads when no Keys is set, nothing for an unknown key.
func (h *Handler) access(r *http.Request) (Access, error) {
	if h.Keys == nil {
		return Access{Post: true}, nil
	}
	key := r.URL.Query().Get("api_key")
	if r.Method == http.MethodPost {
		if k := r.PostFormValue("api_key"); k != "" {
			key = k
		}
	}
	if key == "" {
		return Access{}, nil
	}
	return h.Keys(r.Context(), key)
}

// disclosure returns what the caller sees of category.
func (h *Handler) disclosure(a Access, category string) Disclosure {
	if a.Private {
		return Full
	}
	return h.Public[category]
}

// coarse rounds a coordinate to three decimals, about 100 m.
func coarse(v float64) float64 { return math.Round(v*1000) / 1000 }

// RateLimit wraps next so each client (by key, e.g. the api_key or the
// remote address) makes at most burst requests at once and perSecond on
// average after that (a token bucket per client). A client over its
// limit gets 429 Too Many Requests in the Open311 error format, with
// Retry-After. clk is clock.Real{} when nil.
func RateLimit(next http.Handler, perSecond float64, burst int, key func(*http.Request) string, clk clock.Clock) http.Handler {
	if clk == nil {
		clk = clock.Real{}
	}
	l := &limiter{rate: perSecond, burst: float64(burst), clk: clk, buckets: map[string]*bucket{}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wait, ok := l.take(key(r)); !ok {
			_, format := splitFormat(r.URL.Path)
			if format == "" {
				format = "json"
			}
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			writeErrors(w, format, http.StatusTooManyRequests, Error{Code: 429, Description: "too many requests; retry after " + wait.Round(time.Second).String()})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// ClientKey is a key for RateLimit: the api_key when given, else the
// remote address without its port.
func ClientKey(r *http.Request) string {
	if k := r.URL.Query().Get("api_key"); k != "" {
		return "key:" + k
	}
	host := r.RemoteAddr
	for i := len(host) - 1; i >= 0; i-- {
		if host[i] == ':' {
			host = host[:i]
			break
		}
		if host[i] == ']' {
			break
		}
	}
	return "addr:" + host
}

type bucket struct {
	tokens float64
	at     time.Time
}

type limiter struct {
	mu          sync.Mutex
	rate, burst float64
	clk         clock.Clock
	buckets     map[string]*bucket
	swept       time.Time
}

// take spends a token of key's bucket, or says how long until one is there.
func (l *limiter) take(key string) (time.Duration, bool) {
	now := l.clk.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	// Full buckets hold nothing worth keeping: drop them now and then so
	// the map stays as small as the set of recent clients.
	if full := time.Duration(l.burst / l.rate * float64(time.Second)); now.Sub(l.swept) > full && len(l.buckets) > 1024 {
		for k, b := range l.buckets {
			if now.Sub(b.at) > full {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return 0, true
	}
	return time.Duration((1 - b.tokens) / l.rate * float64(time.Second)), false
}
