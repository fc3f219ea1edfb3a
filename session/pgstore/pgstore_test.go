package pgstore_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/session"
	"github.com/lokaalbestuur/bouwstenen/session/pgstore"
	"github.com/lokaalbestuur/bouwstenen/session/sessiontest"
)

func newStore(t testing.TB, pool *pgxpool.Pool) *pgstore.Store {
	t.Helper()
	st := pgstore.New(pool)
	require.NoError(t, st.Migrate(context.Background()))
	return st
}

func TestPgStore(t *testing.T) {
	sessiontest.Run(t, func(t *testing.T) session.Store { return newStore(t, pgtest.Pool(t, 0)) })
}

// signIn creates a session through m and returns its cookie.
func signIn(t testing.TB, m *session.Manager, data session.Data) *http.Cookie {
	t.Helper()
	rec := httptest.NewRecorder()
	_, err := m.Create(rec, httptest.NewRequest("GET", "/aanmelden/terug", nil), data)
	require.NoError(t, err)
	return rec.Result().Cookies()[0]
}

func load(m *session.Manager, c *http.Cookie) (*session.Session, error) {
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(c)
	return m.Load(req)
}

// reopen opens a second pool on the same schema: another process, or the
// same one after a restart.
func reopen(t *testing.T, pool *pgxpool.Pool) *pgxpool.Pool {
	t.Helper()
	p, err := pgxpool.NewWithConfig(context.Background(), pool.Config().Copy())
	require.NoError(t, err)
	t.Cleanup(p.Close)
	return p
}

func TestSessionsSurviveARestartAndAreShared(t *testing.T) {
	pool := pgtest.Pool(t, 0)
	data := session.Data{Subject: "demo-jan", GivenName: "Jan", INSZ: "90022742191", EnterpriseKBO: "0403170701", IDToken: "eyJ.a.b", CSRF: "c"}
	a := &session.Manager{Store: newStore(t, pool)}
	c := signIn(t, a, data)
	pool.Close() // instance A stops

	b := &session.Manager{Store: newStore(t, reopen(t, pool))}
	s, err := load(b, c)
	require.NoError(t, err, "a new store on the same database reads the session")
	assert.Equal(t, data, s.Data)

	phone := signIn(t, b, data)
	c2 := &session.Manager{Store: newStore(t, reopen(t, pool))}
	n, err := c2.DestroySubject(context.Background(), "demo-jan")
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	for _, ck := range []*http.Cookie{c, phone} {
		_, err := load(b, ck)
		assert.ErrorIs(t, err, session.ErrNoSession, "signed out everywhere")
	}
}

func TestManagerTimeoutsAndPurge(t *testing.T) {
	clk := clock.NewSettable(time.Date(2026, 3, 29, 1, 45, 0, 0, clock.Brussels))
	m := &session.Manager{Store: newStore(t, pgtest.Pool(t, 0)), Idle: 30 * time.Minute, Absolute: 8 * time.Hour, Clock: clk}
	stale := signIn(t, m, session.Data{Subject: "a"})
	clk.Advance(20 * time.Minute)
	fresh := signIn(t, m, session.Data{Subject: "b"})
	clk.Advance(15 * time.Minute)
	n, err := m.Purge(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = load(m, stale)
	assert.ErrorIs(t, err, session.ErrNoSession)
	s, err := load(m, fresh)
	require.NoError(t, err)
	assert.True(t, s.LastSeen.Equal(clk.Now()), "touched after 15 minutes")
}

func BenchmarkLoad(b *testing.B) {
	m := &session.Manager{Store: newStore(b, pgtest.Pool(b, 0))}
	c := signIn(b, m, session.Data{Subject: "demo-jan", GivenName: "Jan", INSZ: "90022742191", IDToken: strings.Repeat("x", 900), CSRF: "c"})
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(c)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Load(req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadParallel(b *testing.B) {
	m := &session.Manager{Store: newStore(b, pgtest.Pool(b, 8))}
	c := signIn(b, m, session.Data{Subject: "demo-jan", GivenName: "Jan", INSZ: "90022742191", IDToken: strings.Repeat("x", 900), CSRF: "c"})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest("GET", "/", nil)
		req.AddCookie(c)
		for pb.Next() {
			if _, err := m.Load(req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
