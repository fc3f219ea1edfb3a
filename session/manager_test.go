package session_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/session"
)

// countingStore counts the writes a Manager makes.
type countingStore struct {
	session.Store
	touches atomic.Int64
}

func (c *countingStore) Touch(ctx context.Context, h session.Hash, seen, idle time.Time) error {
	c.touches.Add(1)
	return c.Store.Touch(ctx, h, seen, idle)
}

var start = time.Date(2026, 10, 25, 1, 0, 0, 0, clock.Brussels) // the night the clocks go back

func newManager() (*session.Manager, *countingStore, *clock.Settable) {
	st := &countingStore{Store: session.NewMemStore()}
	clk := clock.NewSettable(start)
	return &session.Manager{Store: st, Absolute: 8 * time.Hour, Idle: 30 * time.Minute, Clock: clk}, st, clk
}

var visitor = session.Data{Subject: "demo-jan", GivenName: "Jan", FamilyName: "Janssens", INSZ: "90022742191", IDToken: "eyJhbGciOi.secret.sig", CSRF: "csrf-1"}

// signIn creates a session and returns the cookie the browser keeps.
func signIn(t *testing.T, m *session.Manager, data session.Data, carried ...*http.Cookie) *http.Cookie {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/aanmelden/terug", nil)
	for _, c := range carried {
		req.AddCookie(c)
	}
	_, err := m.Create(rec, req, data)
	require.NoError(t, err)
	cookies := rec.Result().Cookies()
	require.Len(t, cookies, 1)
	return cookies[0]
}

func load(m *session.Manager, c *http.Cookie) (*session.Session, error) {
	req := httptest.NewRequest("GET", "/", nil)
	if c != nil {
		req.AddCookie(c)
	}
	return m.Load(req)
}

func TestCreateSetsAHardenedCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		m, _, _ := newManager()
		m.Secure = secure
		c := signIn(t, m, visitor)
		assert.Equal(t, session.DefaultCookieName, c.Name)
		assert.Len(t, c.Value, 43, "256 bits, base64url")
		assert.True(t, c.HttpOnly)
		assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
		assert.Equal(t, "/", c.Path)
		assert.Equal(t, secure, c.Secure)
		assert.Zero(t, c.MaxAge, "a browser-session cookie")

		s, err := load(m, c)
		require.NoError(t, err)
		assert.Equal(t, visitor, s.Data)
		assert.Equal(t, session.Token(c.Value).Hash(), s.Hash, "the store is keyed by the token's hash")
		assert.NotContains(t, string(s.Hash[:]), c.Value)
	}
}

func TestNoSession(t *testing.T) {
	m, _, _ := newManager()
	signIn(t, m, visitor)
	for name, c := range map[string]*http.Cookie{
		"no cookie":     nil,
		"unknown token": {Name: session.DefaultCookieName, Value: string(session.NewToken())},
		"not a token":   {Name: session.DefaultCookieName, Value: "x"},
		"other name":    {Name: "other", Value: string(session.NewToken())},
	} {
		_, err := load(m, c)
		assert.ErrorIs(t, err, session.ErrNoSession, name)
		assert.ErrorIs(t, err, session.ErrNotFound, name)
	}
}

func TestIdleTimeout(t *testing.T) {
	m, st, clk := newManager()
	c := signIn(t, m, visitor)
	clk.Advance(29 * time.Minute)
	_, err := load(m, c)
	require.NoError(t, err, "29 minutes idle")
	clk.Advance(29 * time.Minute)
	_, err = load(m, c)
	require.NoError(t, err, "the previous request counted as activity")
	clk.Advance(30 * time.Minute)
	_, err = load(m, c)
	assert.ErrorIs(t, err, session.ErrNoSession, "30 minutes idle")
	_, err = st.Get(context.Background(), session.Token(c.Value).Hash())
	assert.ErrorIs(t, err, session.ErrNotFound, "an expired session is deleted when seen")
}

func TestAbsoluteTimeout(t *testing.T) {
	m, _, clk := newManager()
	c := signIn(t, m, visitor)
	for elapsed := 20 * time.Minute; elapsed < 8*time.Hour; elapsed += 20 * time.Minute {
		clk.Set(start.Add(elapsed))
		s, err := load(m, c)
		require.NoError(t, err, "active after %s", elapsed)
		assert.False(t, s.IdleExpiry.After(s.AbsoluteExpiry), "idle expiry never passes the absolute one")
	}
	clk.Set(start.Add(8 * time.Hour))
	_, err := load(m, c)
	assert.ErrorIs(t, err, session.ErrNoSession, "8 hours after sign-in, however active")
}

func TestTouchAtMostOnceAMinute(t *testing.T) {
	m, st, clk := newManager()
	c := signIn(t, m, visitor)
	for range 100 {
		clk.Advance(500 * time.Millisecond)
		_, err := load(m, c)
		require.NoError(t, err)
	}
	assert.Zero(t, st.touches.Load(), "50 seconds of requests: no write")
	clk.Advance(10 * time.Second)
	s, err := load(m, c)
	require.NoError(t, err)
	assert.EqualValues(t, 1, st.touches.Load())
	assert.True(t, s.LastSeen.Equal(start.Add(time.Minute)))
	assert.True(t, s.IdleExpiry.Equal(start.Add(31*time.Minute)))
	_, err = load(m, c)
	require.NoError(t, err)
	assert.EqualValues(t, 1, st.touches.Load())
}

func renew(t *testing.T, m *session.Manager, c *http.Cookie, data session.Data) (*http.Cookie, error) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/hoedanigheid", nil)
	req.AddCookie(c)
	_, err := m.Renew(rec, req, data)
	if err != nil {
		return nil, err
	}
	cookies := rec.Result().Cookies()
	require.Len(t, cookies, 1)
	return cookies[0], nil
}

func TestRenew(t *testing.T) {
	m, _, clk := newManager()
	old := signIn(t, m, visitor)
	clk.Advance(10 * time.Minute)
	asEnterprise := visitor
	asEnterprise.EnterpriseKBO, asEnterprise.EnterpriseName = "0403170701", "Frituur De Hoek"
	next, err := renew(t, m, old, asEnterprise)
	require.NoError(t, err)
	assert.NotEqual(t, old.Value, next.Value, "a new token")
	_, err = load(m, old)
	assert.ErrorIs(t, err, session.ErrNoSession, "the old token is dead: no fixation")
	s, err := load(m, next)
	require.NoError(t, err)
	assert.Equal(t, asEnterprise, s.Data)
	assert.True(t, s.Created.Equal(start), "the sign-in time stays")
	assert.True(t, s.AbsoluteExpiry.Equal(start.Add(8*time.Hour)), "switching capacity does not extend the session")

	_, err = renew(t, m, old, visitor)
	assert.ErrorIs(t, err, session.ErrNoSession)

	other := visitor
	other.Subject = "someone-else"
	_, err = renew(t, m, next, other)
	assert.Error(t, err, "Renew keeps the subject")
}

func TestConcurrentRenewOneWins(t *testing.T) {
	m, _, _ := newManager()
	c := signIn(t, m, visitor)
	var wg sync.WaitGroup
	var won atomic.Int64
	for range 20 {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/hoedanigheid", nil)
			req.AddCookie(c)
			if _, err := m.Renew(rec, req, visitor); err == nil {
				won.Add(1)
			} else {
				assert.ErrorIs(t, err, session.ErrNoSession)
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1, won.Load())
}

func TestCreateReplacesTheCarriedSession(t *testing.T) {
	m, _, _ := newManager()
	first := signIn(t, m, visitor)
	second := signIn(t, m, visitor, first)
	_, err := load(m, first)
	assert.ErrorIs(t, err, session.ErrNoSession)
	_, err = load(m, second)
	assert.NoError(t, err)
}

func TestDestroy(t *testing.T) {
	m, _, _ := newManager()
	c := signIn(t, m, visitor)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/afmelden", nil)
	req.AddCookie(c)
	require.NoError(t, m.Destroy(rec, req))
	cleared := rec.Result().Cookies()
	require.Len(t, cleared, 1)
	assert.Less(t, cleared[0].MaxAge, 0, "the cookie is removed")
	assert.Empty(t, cleared[0].Value)
	_, err := load(m, c)
	assert.ErrorIs(t, err, session.ErrNoSession)
}

func TestDestroySubjectEverywhere(t *testing.T) {
	m, _, _ := newManager()
	laptop, phone := signIn(t, m, visitor), signIn(t, m, visitor)
	an := visitor
	an.Subject = "demo-an"
	other := signIn(t, m, an)
	n, err := m.DestroySubject(context.Background(), visitor.Subject)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	for _, c := range []*http.Cookie{laptop, phone} {
		_, err := load(m, c)
		assert.ErrorIs(t, err, session.ErrNoSession)
	}
	_, err = load(m, other)
	assert.NoError(t, err)
}

func TestPurge(t *testing.T) {
	m, st, clk := newManager()
	stale := signIn(t, m, visitor)
	clk.Advance(20 * time.Minute)
	fresh := signIn(t, m, visitor)
	clk.Advance(15 * time.Minute)
	n, err := m.Purge(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = st.Get(context.Background(), session.Token(stale.Value).Hash())
	assert.ErrorIs(t, err, session.ErrNotFound)
	_, err = load(m, fresh)
	assert.NoError(t, err)
}

func TestLogsMaskPersonalData(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	m, _, _ := newManager()
	c := signIn(t, m, visitor)
	s, err := load(m, c)
	require.NoError(t, err)
	log.Info("signed in", "session", s, "data", s.Data, "token", session.Token(c.Value))
	out := buf.String()
	assert.Contains(t, out, "demo-jan")
	for _, secret := range []string{"90022742191", visitor.IDToken, visitor.CSRF, c.Value} {
		assert.NotContains(t, out, secret)
	}
}

// FuzzLoad feeds arbitrary cookie values: none panics and none loads a
// session but the one signed in.
func FuzzLoad(f *testing.F) {
	m, _, _ := newManager()
	rec := httptest.NewRecorder()
	_, err := m.Create(rec, httptest.NewRequest("GET", "/", nil), visitor)
	require.NoError(f, err)
	valid := rec.Result().Cookies()[0].Value
	f.Add(valid)
	f.Add("")
	f.Add(string(session.NewToken()))
	f.Add(valid[:42] + "\x00")
	f.Fuzz(func(t *testing.T, value string) {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Cookie", session.DefaultCookieName+"="+value)
		s, err := m.Load(req)
		if c, cerr := req.Cookie(session.DefaultCookieName); cerr == nil && c.Value == valid {
			assert.NoError(t, err)
			return
		}
		if err == nil {
			t.Fatalf("cookie %q loaded session of %s", value, s.Subject)
		}
	})
}

func TestCSRFTokenFilledWhenEmpty(t *testing.T) {
	m, _, _ := newManager()
	d := visitor
	d.CSRF = ""
	c := signIn(t, m, d)
	s, err := load(m, c)
	require.NoError(t, err)
	assert.Len(t, s.Data.CSRF, 43)
	other, err := load(m, signIn(t, m, d))
	require.NoError(t, err)
	assert.NotEqual(t, s.Data.CSRF, other.Data.CSRF, "one per session")

	next, err := renew(t, m, c, d)
	require.NoError(t, err)
	renewed, err := load(m, next)
	require.NoError(t, err)
	assert.Equal(t, s.Data.CSRF, renewed.Data.CSRF, "Renew keeps it unless given one")
}
