package main

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/signin/demoidp"
)

// The tests sign in the way a visitor does: the portal's /aanmelden sends
// the browser to the embedded demo provider, the demo person is chosen
// there (as a citizen, or for one of their enterprises), and the provider
// sends the browser back to /aanmelden/terug, where the portal checks the
// token and only then creates the session.

var demoRequestRE = regexp.MustCompile(`name="id" value="([^"]+)"`)

// signIn signs in as the demo person, as a citizen, and returns the page
// the portal leads to (Mijn dossiers, or the clerk's Balie).
func (c *client) signIn(person string) string {
	c.t.Helper()
	return c.signInAs(person, "")
}

// signInFor signs in as the demo person for the enterprise with the KBO
// number kbo (ten digits).
func (c *client) signInFor(person, kbo string) string {
	c.t.Helper()
	return c.signInAs(person, kbo)
}

func (c *client) signInAs(person, kbo string) string {
	c.t.Helper()
	status, page := c.demoLoginPage("/aanmelden")
	require.Equal(c.t, http.StatusOK, status, page)
	status, body := c.post("/demo-idp/aanmelden", url.Values{"id": {demoRequest(c.t, page)}, "sub": {person}, "kbo": {kbo}})
	require.Equal(c.t, http.StatusOK, status, body)
	return body
}

// demoLoginPage opens path (a page that leads to the sign-in) and returns
// the demo provider's page it ends on.
func (c *client) demoLoginPage(path string) (int, string) {
	c.t.Helper()
	status, page := c.get(path)
	require.Contains(c.t, page, demoidp.Banner, "the sign-in leads to the demo provider, marked as a demo")
	return status, page
}

// demoRequest is the authorization request's ID on the demo provider's page.
func demoRequest(t *testing.T, page string) string {
	t.Helper()
	m := demoRequestRE.FindStringSubmatch(page)
	require.NotNil(t, m, "the demo provider's page names its request")
	return m[1]
}

// cafeKBO is the KBO number of Café De Hoek, for which Lotte and Tom may sign in.
const cafeKBO = "0202239951"
