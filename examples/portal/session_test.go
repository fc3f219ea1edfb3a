package main

import (
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sessionCookieOf(t *testing.T, c *client) string {
	t.Helper()
	u, err := url.Parse(c.srv.URL)
	require.NoError(t, err)
	for _, ck := range c.c.Jar.Cookies(u) {
		if ck.Name == "portal_session" {
			return ck.Value
		}
	}
	return ""
}

func TestSignInRenewsTheSession(t *testing.T) {
	c := newClient(t, io.Discard)
	// A key planted before the sign-in (session fixation) is not adopted.
	u, err := url.Parse(c.srv.URL)
	require.NoError(t, err)
	c.c.Jar.SetCookies(u, []*http.Cookie{{Name: "portal_session", Value: "geplant", Path: "/"}})
	body := c.signIn("an")
	first := sessionCookieOf(t, c)
	require.NotEmpty(t, first)
	assert.NotEqual(t, "geplant", first)
	oldToken := csrf(t, body)

	// Signing in again, as someone else, renews the key.
	c.signIn("mohamed")
	after := sessionCookieOf(t, c)
	assert.NotEqual(t, first, after, "a key from before the sign-in is worth nothing after it")

	// Someone holding the old key is not signed in.
	planted := &client{t: t, srv: c.srv, c: &http.Client{Jar: newJar(t), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	planted.c.Jar.SetCookies(u, []*http.Cookie{{Name: "portal_session", Value: first, Path: "/"}})
	status, _ := planted.get("/mijn-dossiers")
	assert.Equal(t, http.StatusSeeOther, status, "the old session sends to the sign-in page")

	// The old CSRF token is no longer valid either.
	status, _ = c.post("/afmelden", url.Values{"csrf": {oldToken}})
	assert.Equal(t, http.StatusForbidden, status)
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
