package signin

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"sync"
	"time"
)

// PendingTTL is how long a started sign-in may take: its cookie expires
// after it, and a callback after it is refused with ErrState.
const PendingTTL = 10 * time.Minute

// maxCookieValue bounds what decodePending reads; a pending sign-in takes
// about 250 characters.
const maxCookieValue = 1024

// pending is a sign-in under way: what Callback needs to check the
// provider's answer. It lives in a cookie, sealed with AES-GCM under a key
// derived from Config.CookieKey, with the state as associated data, so a
// cookie opens only for the state it was made for.
type pending struct {
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	ReturnTo string `json:"r"`
	Expires  int64  `json:"e"` // Unix seconds
}

// sealer seals and opens pending sign-ins.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (sealer, error) {
	// Derive the AES key, so the configured secret is not used directly and
	// could serve another purpose under another label.
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("bouwstenen/signin pending sign-in v1"))
	block, err := aes.NewCipher(mac.Sum(nil))
	if err != nil {
		return sealer{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return sealer{}, err
	}
	return sealer{aead: aead}, nil
}

// seal returns the cookie value for p bound to state.
func (s sealer) seal(state string, p pending) (string, error) {
	plain, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(state))), nil
}

// open decodes a cookie value made by seal for state and checks that it is
// still valid at now. Anything else, whatever its bytes, is ErrState.
func (s sealer) open(state, value string, now time.Time) (pending, error) {
	if len(value) > maxCookieValue {
		return pending{}, fail(ErrState, "pending sign-in cookie too long")
	}
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return pending{}, fail(ErrState, "pending sign-in cookie not base64")
	}
	ns := s.aead.NonceSize()
	if len(raw) < ns+s.aead.Overhead() {
		return pending{}, fail(ErrState, "pending sign-in cookie too short")
	}
	plain, err := s.aead.Open(nil, raw[:ns], raw[ns:], []byte(state))
	if err != nil {
		return pending{}, fail(ErrState, "pending sign-in cookie does not authenticate for this state")
	}
	var p pending
	if err := json.Unmarshal(plain, &p); err != nil {
		return pending{}, fail(ErrState, "pending sign-in cookie unreadable")
	}
	if !now.Before(time.Unix(p.Expires, 0)) {
		return pending{}, fail(ErrState, "pending sign-in expired")
	}
	if p.Nonce == "" || p.Verifier == "" {
		return pending{}, fail(ErrState, "pending sign-in incomplete")
	}
	if _, err := LocalPath(p.ReturnTo); err != nil {
		return pending{}, err
	}
	return p, nil
}

// LocalPath returns returnTo when it is a path on this site ("/mijn/dossiers?x=1"),
// and "/" for "". Anything a browser could follow to another site — an
// absolute URL, a scheme, "//host", a backslash that browsers read as a
// slash, a control character — fails with ErrReturnTo. Start and Callback
// apply it, so the sign-in is no open redirect.
func LocalPath(returnTo string) (string, error) {
	if returnTo == "" {
		return "/", nil
	}
	if len(returnTo) > 2048 {
		return "", fail(ErrReturnTo, "longer than 2048 bytes")
	}
	if returnTo[0] != '/' {
		return "", fail(ErrReturnTo, "not a path starting with /")
	}
	if len(returnTo) > 1 && (returnTo[1] == '/' || returnTo[1] == '\\') {
		return "", fail(ErrReturnTo, "starts with // or /\\, another host")
	}
	for i := 0; i < len(returnTo); i++ {
		if c := returnTo[i]; c < 0x21 || c == 0x7f || c == '\\' {
			return "", fail(ErrReturnTo, "control character, space or backslash")
		}
	}
	u, err := url.Parse(returnTo)
	if err != nil {
		return "", fail(ErrReturnTo, "not a URL path")
	}
	if u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "", fail(ErrReturnTo, "not a local path")
	}
	return returnTo, nil
}

// ReplayGuard remembers the states of callbacks already handled, so a
// replayed callback is refused even if the browser (or an attacker) kept
// the cleared cookie. The default is an in-memory guard for one process;
// several instances behind a load balancer share one guard (a database
// table with a unique key and an expiry) so a callback replayed on another
// instance is refused too.
type ReplayGuard interface {
	// Use records state as used until the given time and reports whether it
	// was unused. It must be atomic: of two concurrent calls with one state,
	// exactly one reports true.
	Use(ctx context.Context, state string, until time.Time) (bool, error)
}

// MemoryReplayGuard is a ReplayGuard for one process. Entries are dropped
// once their time has passed, so it holds at most the states of the last
// PendingTTL.
type MemoryReplayGuard struct {
	mu     sync.Mutex
	used   map[string]time.Time
	pruned time.Time
	now    func() time.Time
}

// NewMemoryReplayGuard returns an empty guard that tells time by now.
func NewMemoryReplayGuard(now func() time.Time) *MemoryReplayGuard {
	return &MemoryReplayGuard{used: make(map[string]time.Time), now: now}
}

// Use implements ReplayGuard.
func (g *MemoryReplayGuard) Use(_ context.Context, state string, until time.Time) (bool, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if now.Sub(g.pruned) > time.Minute {
		for s, t := range g.used {
			if !now.Before(t) {
				delete(g.used, s)
			}
		}
		g.pruned = now
	}
	if t, ok := g.used[state]; ok && now.Before(t) {
		return false, nil
	}
	g.used[state] = until
	return true, nil
}

// Len returns how many states the guard holds.
func (g *MemoryReplayGuard) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.used)
}
