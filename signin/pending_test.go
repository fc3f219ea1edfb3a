package signin

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	testNow   = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	testState = "xE7zD5qv3m8cYV6oG6dQ0D1bJxkOaB1yPq3l0vJmT8k"
)

func testSealer(t testing.TB) sealer {
	s, err := newSealer(bytes.Repeat([]byte("k"), 32))
	require.NoError(t, err)
	return s
}

func TestPendingRoundTrip(t *testing.T) {
	s := testSealer(t)
	p := pending{Nonce: "n", Verifier: "v", ReturnTo: "/mijn?x=1", Expires: testNow.Add(PendingTTL).Unix()}
	v, err := s.seal(testState, p)
	require.NoError(t, err)
	assert.Less(t, len(v), 300)

	got, err := s.open(testState, v, testNow)
	require.NoError(t, err)
	assert.Equal(t, p, got)

	_, err = s.open(testState+"x", v, testNow)
	assert.ErrorIs(t, err, ErrState, "bound to its state")
	_, err = s.open(testState, v, testNow.Add(PendingTTL))
	assert.ErrorIs(t, err, ErrState, "expired after ten minutes")
	other, err := newSealer(bytes.Repeat([]byte("j"), 32))
	require.NoError(t, err)
	_, err = other.open(testState, v, testNow)
	assert.ErrorIs(t, err, ErrState, "sealed under another key")

	// A sealed pending sign-in that names a foreign return address (a key
	// leak, say) is still refused.
	bad, err := s.seal(testState, pending{Nonce: "n", Verifier: "v", ReturnTo: "//evil.example", Expires: p.Expires})
	require.NoError(t, err)
	_, err = s.open(testState, bad, testNow)
	assert.ErrorIs(t, err, ErrReturnTo)
}

// FuzzOpenPending feeds the cookie decoder any state and value: it never
// panics, opens only what seal made for that state, and refuses everything
// else with ErrState.
func FuzzOpenPending(f *testing.F) {
	s := testSealer(f)
	valid, err := s.seal(testState, pending{Nonce: "n", Verifier: "v", ReturnTo: "/", Expires: testNow.Add(time.Minute).Unix()})
	require.NoError(f, err)
	f.Add(testState, valid)
	f.Add(testState, valid[:len(valid)-1])
	f.Add(testState, valid+"A")
	f.Add("", "")
	f.Add(testState, "!!!!")
	f.Add(testState, string(bytes.Repeat([]byte("A"), 5000)))
	want := pending{Nonce: "n", Verifier: "v", ReturnTo: "/", Expires: testNow.Add(time.Minute).Unix()}
	f.Fuzz(func(t *testing.T, state, value string) {
		// Each fuzzing process seals its own value (the AEAD nonce is
		// random), so success is judged by content, not by equality with
		// this process's valid.
		p, err := s.open(state, value, testNow)
		if err == nil {
			assert.Equal(t, testState, state, "opened for a state it was not sealed for")
			assert.Equal(t, want, p, "opened a value seal did not make")
			return
		}
		assert.True(t, errors.Is(err, ErrState), "%v", err)
		assert.Equal(t, pending{}, p)
	})
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "/",
		"/":                      "/",
		"/mijn/dossiers?tab=a#b": "/mijn/dossiers?tab=a#b",
		"/%2F%2Fevil.example":    "/%2F%2Fevil.example", // a path, percent-encoded: stays on this site
	} {
		got, err := LocalPath(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got)
	}
	for _, in := range []string{
		"https://evil.example", "//evil.example", "/\\evil.example", "\\/evil.example", "/\\/evil.example",
		"javascript:alert(1)", "data:text/html,x", "mijn", " /mijn", "/mijn\r\nSet-Cookie: x=y", "/\x00",
		"/a\tb", "/\x7f", "/" + string(bytes.Repeat([]byte("a"), 2048)),
	} {
		_, err := LocalPath(in)
		assert.ErrorIs(t, err, ErrReturnTo, "%q", in)
	}
}

// FuzzLocalPath checks the property that matters: whatever LocalPath
// accepts, resolved against this site's URL the way a browser resolves a
// Location header, stays on this site.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "/mijn?x=1", "//evil", "/\\evil", "https://evil", "/%2f%2fevil", "/.//evil", "/;//evil", "/@evil", "/?//evil", "/#//evil"} {
		f.Add(s)
	}
	base, err := url.Parse("https://loket.gemeente.be/aanmelden/terug")
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := LocalPath(s)
		if err != nil {
			assert.ErrorIs(t, err, ErrReturnTo)
			return
		}
		u, err := url.Parse(got)
		require.NoError(t, err)
		abs := base.ResolveReference(u)
		assert.Equal(t, "https", abs.Scheme, "%q", s)
		assert.Equal(t, "loket.gemeente.be", abs.Host, "%q", s)
		assert.Nil(t, abs.User, "%q", s)
	})
}

func TestMemoryReplayGuard(t *testing.T) {
	now := testNow
	var mu sync.Mutex
	g := NewMemoryReplayGuard(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	ctx := context.Background()

	// One hundred concurrent uses of one state: exactly one is first.
	var first atomic.Int32
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			ok, err := g.Use(ctx, "s1", testNow.Add(PendingTTL))
			assert.NoError(t, err)
			if ok {
				first.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), first.Load())

	ok, err := g.Use(ctx, "s2", testNow.Add(PendingTTL))
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, 2, g.Len())

	// Past their time, entries are dropped: memory holds only recent states.
	mu.Lock()
	now = testNow.Add(PendingTTL + 2*time.Minute)
	mu.Unlock()
	ok, err = g.Use(ctx, "s3", now.Add(PendingTTL))
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, 1, g.Len())
}
