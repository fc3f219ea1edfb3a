package main

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/signin/demoidp"
)

// noRedirects is a browser of c's server that shows each redirect instead
// of following it, with its own cookies.
func (c *client) noRedirects() *client {
	return &client{t: c.t, srv: c.srv, c: &http.Client{Jar: newJar(c.t),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// raw requests path and returns the response, its body read.
func (c *client) raw(method, path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.srv.URL+path, body)
	require.NoError(c.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.c.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp, string(b)
}

// cookie returns the value of the browser's cookie name, or "".
func (c *client) cookie(name string) string {
	u, err := url.Parse(c.srv.URL)
	require.NoError(c.t, err)
	for _, ck := range c.c.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

func TestSignInThroughTheDemoProviderAndOut(t *testing.T) {
	var logs bytes.Buffer
	c := newClient(t, &logs)

	status, page := c.demoLoginPage("/mijn-dossiers")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, demoidp.Banner, "the demo provider says it is one")
	assert.Empty(t, c.cookie("sessie"), "no session before the sign-in")

	status, body := c.post("/demo-idp/aanmelden", url.Values{"id": {demoRequest(t, page)}, "sub": {"an"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "<h1>Mijn dossiers</h1>", "back on the page that asked for the sign-in")
	assert.Contains(t, body, "85.07.30-033.28")
	assert.Contains(t, body, "U bent aangemeld als An Peeters.")
	assert.Contains(t, body, "U handelt als <strong>burger</strong>", "the capacity is on the page")
	assert.NotEmpty(t, c.cookie("sessie"))

	assert.NotContains(t, logs.String(), "Peeters", "no personal data in the log")
	assert.NotContains(t, logs.String(), "85073003328")

	// Signing out ends the session here and at the provider (RP-initiated
	// logout), which sends the browser back home.
	out := c.noRedirects()
	out.c.Jar = c.c.Jar
	resp, _ := out.raw(http.MethodPost, "/afmelden", url.Values{"csrf": {csrf(t, body)}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	logout, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, c.srv.URL+"/demo-idp/end_session", logout.Scheme+"://"+logout.Host+logout.Path)
	assert.NotEmpty(t, logout.Query().Get("id_token_hint"))
	assert.Equal(t, c.srv.URL+"/", logout.Query().Get("post_logout_redirect_uri"))
	assert.Empty(t, c.cookie("sessie"))

	resp, body = c.raw(http.MethodGet, strings.TrimPrefix(resp.Header.Get("Location"), c.srv.URL), nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "/", resp.Request.URL.Path, "the provider sends the browser home")
	assert.Contains(t, body, "U bent afgemeld.")
	assert.Contains(t, body, `href="/aanmelden?terug=%2f"`)
	_, page = c.demoLoginPage("/mijn-dossiers")
	assert.Contains(t, page, "Kies een demopersoon", "signed out: the dossiers ask for a sign-in again")
}

// TestNoStateForAnonymousVisitors: browsing without signing in starts no
// session (an anonymous form token lives in a cookie only); starting a
// sign-in sets only its short-lived pending cookie.
func TestNoStateForAnonymousVisitors(t *testing.T) {
	a := newTestApp(t, io.Discard)
	c := serve(t, a).noRedirects()
	for _, path := range []string{"/", "/ondernemers", "/mijn-dossiers", "/vergunningen/aanvragen", "/subsidies", "/bestaat-niet", "/static/style.css"} {
		resp, _ := c.raw(http.MethodGet, path, nil)
		for _, ck := range resp.Cookies() {
			assert.NotEqual(t, "sessie", ck.Name, "%s starts a session", path)
		}
	}
	resp, _ := c.raw(http.MethodPost, "/vraag-stellen", url.Values{"question": {"?"}})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "no form token: no form passes")

	resp, _ = c.raw(http.MethodGet, "/aanmelden", nil)
	require.Equal(t, http.StatusFound, resp.StatusCode)
	cookies := resp.Cookies()
	require.Len(t, cookies, 1)
	assert.True(t, strings.HasPrefix(cookies[0].Name, "signin-pending-"))
	assert.True(t, cookies[0].HttpOnly)
}

func TestSignInReturnsToThePageYouCameFrom(t *testing.T) {
	c := newClient(t, io.Discard)
	nr := c.noRedirects()
	resp, _ := nr.raw(http.MethodGet, "/vergunningen/aanvragen?soort=terras", nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "/aanmelden?terug=%2Fvergunningen%2Faanvragen%3Fsoort%3Dterras", resp.Header.Get("Location"))

	_, page := c.demoLoginPage(resp.Header.Get("Location"))
	resp, _ = c.raw(http.MethodPost, "/demo-idp/aanmelden", url.Values{"id": {demoRequest(t, page)}, "sub": {"an"}})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "/vergunningen/aanvragen?soort=terras", resp.Request.URL.RequestURI())

	// Only a path of this site: anything else leads to the default page.
	other := c.another()
	for _, back := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example"} {
		_, page := other.demoLoginPage("/aanmelden?terug=" + url.QueryEscape(back))
		resp, _ = other.raw(http.MethodPost, "/demo-idp/aanmelden", url.Values{"id": {demoRequest(t, page)}, "sub": {"mohamed"}})
		require.Equal(t, http.StatusOK, resp.StatusCode, back)
		assert.Equal(t, c.srv.URL+"/mijn-dossiers", resp.Request.URL.String(), back)
	}

	clerk := c.another()
	body := clerk.signIn("balie")
	assert.Contains(t, body, "<h1>Balie</h1>", "the clerk, asserted by the provider's role claim, starts at the counter")
}

// TestSignInRenewsTheSession: every sign-in and every capacity switch
// gives a new session token; the one before is worth nothing after it.
func TestSignInRenewsTheSession(t *testing.T) {
	c := newClient(t, io.Discard)
	body := c.signIn("lotte")
	citizen := c.cookie("sessie")
	require.NotEmpty(t, citizen)
	oldToken := csrf(t, body)

	// The switch goes through the provider again; the new token asserts the café.
	status, page := c.post("/hoedanigheid-wisselen", url.Values{"csrf": {oldToken}, "terug": {"/vraag-stellen"}})
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, page, "Kies een demopersoon")
	status, body = c.post("/demo-idp/aanmelden", url.Values{"id": {demoRequest(t, page)}, "sub": {"lotte"}, "kbo": {cafeKBO}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "<h1>Vraag stellen</h1>", "back where the switch was asked")
	assert.Contains(t, body, "U handelt namens <strong>Café De Hoek (0202.239.951)</strong>")
	forCafe := c.cookie("sessie")
	assert.NotEqual(t, citizen, forCafe, "a capacity switch renews the session")

	planted := c.another()
	u, _ := url.Parse(c.srv.URL)
	planted.c.Jar.SetCookies(u, []*http.Cookie{{Name: "sessie", Value: citizen, Path: "/"}})
	_, page = planted.demoLoginPage("/mijn-dossiers")
	assert.Contains(t, page, "Kies een demopersoon", "the old token signs no one in")

	// Signing in as someone else in the same browser starts anew.
	c.signIn("an")
	assert.NotEqual(t, forCafe, c.cookie("sessie"))
	status, _ = c.post("/afmelden", url.Values{"csrf": {oldToken}})
	assert.Equal(t, http.StatusForbidden, status, "the form token of an earlier session is refused")
}

// TestOneBrowserTwoRequestsAtOnce runs under -race: two tabs of one
// browser post and render at the same time.
func TestOneBrowserTwoRequestsAtOnce(t *testing.T) {
	c := newClient(t, io.Discard)
	body := c.signIn("an")
	token := csrf(t, body)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			resp, err := c.c.PostForm(c.srv.URL+"/vraag-stellen", url.Values{"csrf": {token}, "for": {"self"}, "category": {"other"}, "question": {"Vraag"}})
			if assert.NoError(t, err) {
				_ = resp.Body.Close()
			}
		})
		wg.Go(func() {
			resp, err := c.c.Get(c.srv.URL + "/mijn-dossiers")
			if assert.NoError(t, err) {
				_ = resp.Body.Close()
			}
		})
	}
	wg.Wait()
}
