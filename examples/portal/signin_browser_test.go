package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBrowserSignIn: in a real browser, Lotte signs in through the
// embedded demo provider as a citizen, switches to her café (through the
// provider again), sees the café's dossiers and the capacity banner on
// every page, and signs out; Tom then signs in for the same café directly
// from the ondernemersloket's front door.
func TestBrowserSignIn(t *testing.T) {
	needChrome(t)
	dir := artifactsDir(t)
	logs := &lockedBuffer{}
	a := newTestApp(t, logs)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("portal log:\n%s", logs.String())
		}
	})
	lotte := openTab(t, srv.URL, "aanmelden", dir)

	require.Equal(t, http.StatusOK, lotte.visit("/subsidies"), "a page for the signed-in leads to the sign-in")
	assert.Equal(t, "Kies een demopersoon", lotte.text("h1"))
	assert.Contains(t, lotte.text(".demo"), "Demo-aanmelddienst", "the demo provider says it is one")
	lotte.screenshot("demo-aanmelddienst")
	require.Equal(t, http.StatusOK, lotte.signIn("lotte"))
	assert.Equal(t, "/subsidies", lotte.path(), "back on the page the sign-in started from")
	assert.Contains(t, lotte.text(".capacity p"), "U handelt als burger")
	lotte.screenshot("als-burger")

	require.Equal(t, http.StatusOK, lotte.submit(`form[action="/hoedanigheid-wisselen"]`))
	require.Equal(t, http.StatusOK, lotte.signInFor("lotte", cafeKBO))
	assert.Equal(t, "/subsidies", lotte.path())
	assert.Equal(t, "U handelt namens Café De Hoek (0202.239.951).", lotte.text(".capacity p"))
	require.Equal(t, http.StatusOK, lotte.follow(`nav a[href="/mijn-dossiers"]`))
	assert.Equal(t, "U handelt namens Café De Hoek (0202.239.951).", lotte.text(".capacity p"), "on every page")
	assert.Contains(t, lotte.text("main"), "Terras, Dorpsplein 3 (Café De Hoek)")
	lotte.screenshot("namens-cafe")
	lotte.signOut()
	assert.Equal(t, 0, lotte.count(".capacity"), "signed out: no capacity")

	tom := openTab(t, srv.URL, "ondernemersloket", dir)
	require.Equal(t, http.StatusOK, tom.visit("/ondernemers"))
	require.Equal(t, http.StatusOK, tom.follow(`main a[href^="/aanmelden"]`))
	require.Equal(t, http.StatusOK, tom.signInFor("tom", cafeKBO))
	assert.Equal(t, "/mijn-dossiers", tom.path())
	assert.Equal(t, "U handelt namens Café De Hoek (0202.239.951).", tom.text(".capacity p"))
	assert.Contains(t, tom.text("main"), "Terras, Dorpsplein 3 (Café De Hoek)", "every person the provider asserts for the café sees its dossiers")
	tom.screenshot("tom-namens-cafe")
	tom.signOut()

	assert.NotContains(t, logs.String(), "Janssens", "no personal data in the portal's log")
	assert.NotContains(t, logs.String(), "90020199704")
}
