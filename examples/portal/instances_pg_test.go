package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/signin"
	"github.com/lokaalbestuur/bouwstenen/signin/demoidp"
)

// instance is one portal started by run, as main starts it.
type instance struct {
	url  string
	stop func()
}

// startInstance runs the portal with cfg on a free port until the test
// ends or stop is called.
func startInstance(t *testing.T, log *slog.Logger, cfg config) *instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan net.Addr, 1)
	done := make(chan error, 1)
	cfg.Addr = "127.0.0.1:0"
	cfg.Listening = func(a net.Addr) { addr <- a }
	go func() { done <- run(ctx, log, cfg) }()
	select {
	case a := <-addr:
		in := &instance{url: "http://" + a.String()}
		stopped := false
		in.stop = func() {
			if !stopped {
				stopped = true
				cancel()
				require.NoError(t, <-done)
			}
		}
		t.Cleanup(in.stop)
		return in
	case err := <-done:
		cancel()
		t.Fatalf("portal did not start: %v", err)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("portal did not start within a minute")
	}
	return nil
}

// TestTwoInstancesOneDatabase: two portals started by run on one
// PostgreSQL database, behind a round-robin reverse proxy, with one
// provider (the demo provider on a server of its own, as a real one
// would be). A visitor signs in through the proxy and is served by both;
// the session survives a restart of an instance; signed out on one, the
// other refuses the session; and an event is handled once, not once per
// instance.
func TestTwoInstancesOneDatabase(t *testing.T) {
	pool := testPool(t, 4)
	pgURL := os.Getenv(pgEnv)
	sep := "?"
	if strings.Contains(pgURL, "?") {
		sep = "&"
	}
	pgURL += sep + "search_path=" + currentSchema(t, pool)
	ctx := context.Background()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: &logs}, nil))

	proxy := httptest.NewUnstartedServer(nil)
	public := "http://" + proxy.Listener.Addr().String()
	idpSrv := httptest.NewUnstartedServer(nil)
	var people []demoidp.Person
	for _, p := range demo.Town().People {
		people = append(people, demoidp.Person{Subject: p.ID, GivenName: p.Name.Given, FamilyName: p.Name.Family, INSZ: string(p.INSZ), Clerk: p.Clerk})
	}
	idp, err := demoidp.New(demoidp.Config{Issuer: "http://" + idpSrv.Listener.Addr().String(), People: people,
		Client: demoidp.Client{ID: "portaal", Secret: "geheim", RedirectURIs: []string{public + "/aanmelden/terug"}, PostLogoutRedirectURIs: []string{public + "/"}}})
	require.NoError(t, err)
	idpSrv.Config.Handler = idp
	idpSrv.Start()
	t.Cleanup(idpSrv.Close)

	claims := signin.ACMIDM
	claims.Roles = demoidp.RoleClaim
	cfg := config{Postgres: pgURL, SignIn: signInConfig{PublicURL: public, Secret: bytes.Repeat([]byte("s"), 32),
		OIDC: &oidcConfig{Issuer: idp.Issuer(), ClientID: "portaal", ClientSecret: "geheim", Scopes: signin.ACMIDMScopes, Claims: claims, ClerkRole: demoidp.RoleClerk}}}
	a := startInstance(t, log, cfg) // the first seeds the database
	b := startInstance(t, log, cfg)

	var next atomic.Int64
	backends := []*url.URL{mustURL(t, a.url), mustURL(t, b.url)}
	served := make([]atomic.Int64, 2)
	proxy.Config.Handler = &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		i := int(next.Add(1)) % 2
		served[i].Add(1)
		pr.SetURL(backends[i])
		pr.Out.Host = pr.In.Host
	}}
	proxy.Start()
	t.Cleanup(proxy.Close)

	// Sign in through the proxy: the sign-in starts on one instance, the
	// callback lands on the other, the page after it on the first again.
	browser := &client{t: t, srv: proxy, c: &http.Client{Jar: newJar(t)}}
	_, page := browser.get("/aanmelden")
	require.Contains(t, page, demoidp.Banner)
	resp, err := browser.c.PostForm(idp.Issuer()+"/aanmelden", url.Values{"id": {demoRequest(t, page)}, "sub": {"an"}})
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.Contains(t, string(body), "U bent aangemeld als An Peeters.")
	assert.Positive(t, served[0].Load())
	assert.Positive(t, served[1].Load())
	cookie := browser.cookie("sessie")
	require.NotEmpty(t, cookie)
	token := csrf(t, string(body))

	// Each instance directly, with the session cookie.
	direct := func(in *instance, method, path string, form url.Values) *http.Response {
		t.Helper()
		var rd io.Reader
		if form != nil {
			rd = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, in.url+path, rd)
		require.NoError(t, err)
		req.Host = proxy.Listener.Addr().String()
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.AddCookie(&http.Cookie{Name: "sessie", Value: cookie})
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	assert.Equal(t, http.StatusOK, direct(a, http.MethodGet, "/mijn-dossiers", nil).StatusCode)
	assert.Equal(t, http.StatusOK, direct(b, http.MethodGet, "/mijn-dossiers", nil).StatusCode)

	// An event, handled once by the two instances' consumers: the clerk
	// takes a report in, and its requester gets one notice, not two.
	count := func() int {
		var n int
		require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM delivery_deliveries").Scan(&n))
		return n
	}
	clerk := &client{t: t, srv: proxy, c: &http.Client{Jar: newJar(t)}}
	_, page = clerk.get("/aanmelden")
	resp, err = clerk.c.PostForm(idp.Issuer()+"/aanmelden", url.Values{"id": {demoRequest(t, page)}, "sub": {"balie"}})
	require.NoError(t, err)
	resp.Body.Close()
	_, list := clerk.get("/balie/meldingen")
	m := acceptFormRE.FindStringSubmatch(list)
	require.NotNil(t, m, "a report to take in")
	before := count()
	status, _ := clerk.post(m[1], url.Values{"csrf": {csrf(t, list)}, "version": {m[2]}, "transition": {"accept"}})
	require.Equal(t, http.StatusOK, status)
	require.Eventually(t, func() bool { return count() > before }, 30*time.Second, 100*time.Millisecond, "the requester's notice is delivered")
	time.Sleep(2 * time.Second) // time for a second consumer to deliver it again, if it would
	assert.Equal(t, before+1, count(), "one notice, though two instances consume the events")

	// A restart of an instance keeps the session: it lives in PostgreSQL.
	a.stop()
	a = startInstance(t, log, cfg)
	assert.Equal(t, http.StatusOK, direct(a, http.MethodGet, "/mijn-dossiers", nil).StatusCode, "signed in after the restart")

	// Signed out on A, B refuses the session.
	out := direct(a, http.MethodPost, "/afmelden", url.Values{"csrf": {token}})
	require.Equal(t, http.StatusSeeOther, out.StatusCode)
	assert.True(t, strings.HasPrefix(out.Header.Get("Location"), idp.Issuer()+"/end_session"), "and at the provider")
	refused := direct(b, http.MethodGet, "/mijn-dossiers", nil)
	assert.Equal(t, http.StatusSeeOther, refused.StatusCode)
	assert.True(t, strings.HasPrefix(refused.Header.Get("Location"), "/aanmelden"), "B sends to the sign-in")

	assert.NotContains(t, logs.String(), "Peeters", "no personal data in the logs")
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}
