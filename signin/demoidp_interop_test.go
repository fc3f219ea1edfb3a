package signin_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/pii"
	"github.com/lokaalbestuur/bouwstenen/signin"
	"github.com/lokaalbestuur/bouwstenen/signin/demoidp"
)

// TestAgainstDemoProvider signs in through the embedded demo provider
// (zitadel/oidc's op): the relying party and the demo provider agree on
// the protocol and on the ACM/IDM-shaped claims.
func TestAgainstDemoProvider(t *testing.T) {
	mux := http.NewServeMux()
	site := httptest.NewServer(mux)
	t.Cleanup(site.Close)
	redirect, afterLogout := site.URL+"/aanmelden/terug", site.URL+"/afgemeld"
	idp, err := demoidp.New(demoidp.Config{
		Issuer: site.URL + "/demo-idp",
		People: []demoidp.Person{
			{Subject: "demo-jan", GivenName: "Jan", FamilyName: "Janssens", INSZ: "90022742191",
				Enterprises: []demoidp.Enterprise{{KBO: "0202239951", Name: "Bakkerij Jan"}}},
			{Subject: "demo-clerk", GivenName: "Els", FamilyName: "Loket", INSZ: "79010100183", Clerk: true},
		},
		Client: demoidp.Client{ID: "portal", Secret: "demo-secret", RedirectURIs: []string{redirect}, PostLogoutRedirectURIs: []string{afterLogout}},
	})
	require.NoError(t, err)
	mux.Handle("/demo-idp/", idp)

	mapping := signin.ACMIDM
	mapping.Roles = demoidp.RoleClaim
	rp, err := signin.New(context.Background(), signin.Config{
		Issuer: idp.Issuer(), ClientID: "portal", ClientSecret: "demo-secret", RedirectURL: redirect,
		Scopes: signin.ACMIDMScopes, Claims: mapping, CookieKey: bytes.Repeat([]byte("k"), 32),
		PostLogoutRedirectURL: afterLogout, HTTPClient: site.Client(),
	})
	require.NoError(t, err)

	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	abs := func(loc string) string {
		base, _ := url.Parse(site.URL)
		ref, err := url.Parse(loc)
		require.NoError(t, err)
		return base.ResolveReference(ref).String()
	}
	signIn := func(sub, kbo string) (signin.Identity, string, error) {
		rec := httptest.NewRecorder()
		require.NoError(t, rp.Start(rec, httptest.NewRequest(http.MethodGet, "/aanmelden", nil), "/ondernemers"))
		cookies := rec.Result().Cookies()
		resp, err := browser.Get(rec.Header().Get("Location"))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusFound, resp.StatusCode)
		login, err := url.Parse(abs(resp.Header.Get("Location")))
		require.NoError(t, err)
		resp, err = browser.PostForm(abs(login.Path), url.Values{"id": {login.Query().Get("id")}, "sub": {sub}, "kbo": {kbo}})
		require.NoError(t, err)
		resp.Body.Close()
		for range 3 {
			loc := abs(resp.Header.Get("Location"))
			if strings.HasPrefix(loc, redirect+"?") {
				cb := httptest.NewRequest(http.MethodGet, loc, nil)
				for _, c := range cookies {
					cb.AddCookie(c)
				}
				return rp.Callback(httptest.NewRecorder(), cb)
			}
			resp, err = browser.Get(loc)
			require.NoError(t, err)
			resp.Body.Close()
		}
		t.Fatal("no redirect to the callback")
		return signin.Identity{}, "", nil
	}

	id, returnTo, err := signIn("demo-jan", "0202239951")
	require.NoError(t, err)
	assert.Equal(t, "/ondernemers", returnTo)
	assert.Equal(t, "demo-jan", id.Subject)
	assert.Equal(t, pii.INSZ("90022742191"), id.INSZ)
	assert.Equal(t, signin.CapacityEconomicActor, id.Capacity)
	require.NotNil(t, id.Organisation)
	assert.Equal(t, signin.Organisation{Code: "0202239951", Name: "Bakkerij Jan"}, *id.Organisation)
	assert.False(t, id.HasRole(demoidp.RoleClerk))

	id, _, err = signIn("demo-jan", "")
	require.NoError(t, err)
	assert.Equal(t, signin.CapacityCitizen, id.Capacity)
	assert.Nil(t, id.Organisation)

	id, _, err = signIn("demo-clerk", "")
	require.NoError(t, err)
	assert.True(t, id.HasRole(demoidp.RoleClerk))

	logout, err := url.Parse(rp.LogoutURL(id.IDToken, "s"))
	require.NoError(t, err)
	assert.Equal(t, "/demo-idp/end_session", logout.Path)
	resp, err := browser.Get(logout.String())
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.True(t, strings.HasPrefix(resp.Header.Get("Location"), afterLogout), resp.Header.Get("Location"))
}
