package demoidp_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/lokaalbestuur/bouwstenen/signin/demoidp"
)

var people = []demoidp.Person{
	{Subject: "demo-an", GivenName: "An", FamilyName: "Peeters", INSZ: "85073003328"},
	{Subject: "demo-jan", GivenName: "Jan", FamilyName: "Janssens", INSZ: "90022742191", Enterprises: []demoidp.Enterprise{
		{KBO: "0403170701", Name: "Frituur De Hoek"},
		{KBO: "0202239951", Name: "Bakkerij Jan"},
	}},
	{Subject: "demo-clerk", GivenName: "Els", FamilyName: "Loket", INSZ: "79010100183", Clerk: true},
}

// env is a relying party's view of one provider under test.
type env struct {
	srv      *httptest.Server
	idp      *demoidp.Provider
	provider *gooidc.Provider
	oauth    *oauth2.Config
	browser  *http.Client // follows no redirects: each step is checked
	redirect string
	logout   string
}

const secret = "demo-secret"

// newEnv starts a test server; with prefix "" the provider is its root
// handler (own listener), otherwise it is mounted on a portal-like mux.
func newEnv(t *testing.T, prefix string) *env {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e := &env{srv: srv, redirect: srv.URL + "/aanmelden/terug", logout: srv.URL + "/afgemeld"}
	idp, err := demoidp.New(demoidp.Config{
		Issuer: srv.URL + prefix,
		People: people,
		Client: demoidp.Client{ID: "portal", Secret: secret, RedirectURIs: []string{e.redirect}, PostLogoutRedirectURIs: []string{e.logout}},
	})
	require.NoError(t, err)
	e.idp = idp
	if prefix == "" {
		mux.Handle("/", idp)
	} else {
		mux.Handle(prefix+"/", idp)
	}
	ctx := gooidc.ClientContext(context.Background(), srv.Client())
	e.provider, err = gooidc.NewProvider(ctx, srv.URL+prefix)
	require.NoError(t, err)
	e.oauth = &oauth2.Config{
		ClientID: "portal", ClientSecret: secret, RedirectURL: e.redirect,
		Endpoint: e.provider.Endpoint(),
		Scopes:   []string{gooidc.ScopeOpenID, "profile", "rrn", "vo"},
	}
	e.browser = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return e
}

func (e *env) get(t *testing.T, u string) *http.Response {
	t.Helper()
	resp, err := e.browser.Get(e.abs(t, u))
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (e *env) abs(t *testing.T, u string) string {
	t.Helper()
	base, err := url.Parse(e.srv.URL)
	require.NoError(t, err)
	ref, err := url.Parse(u)
	require.NoError(t, err)
	return base.ResolveReference(ref).String()
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// authorize starts a sign-in and returns the login page's request ID.
func (e *env) authorize(t *testing.T, state, nonce, verifier string) string {
	t.Helper()
	resp := e.get(t, e.oauth.AuthCodeURL(state, gooidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)))
	require.Equal(t, http.StatusFound, resp.StatusCode, body(t, resp))
	login, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	page := e.get(t, login.String())
	require.Equal(t, http.StatusOK, page.StatusCode)
	html := body(t, page)
	assert.Contains(t, html, demoidp.Banner)
	assert.Contains(t, html, "Aanmelden namens Frituur De Hoek (0403170701)")
	id := login.Query().Get("id")
	require.NotEmpty(t, id)
	return id
}

// choose posts the person's choice and follows the provider's redirects
// back to the relying party; it returns the callback's query.
func (e *env) choose(t *testing.T, id, sub, kbo string) url.Values {
	t.Helper()
	resp, err := e.browser.PostForm(e.abs(t, e.loginPath()), url.Values{"id": {id}, "sub": {sub}, "kbo": {kbo}})
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode, body(t, resp))
	for range 3 {
		loc := e.abs(t, resp.Header.Get("Location"))
		if strings.HasPrefix(loc, e.redirect+"?") {
			u, err := url.Parse(loc)
			require.NoError(t, err)
			return u.Query()
		}
		resp = e.get(t, loc)
		require.Equal(t, http.StatusFound, resp.StatusCode, body(t, resp))
	}
	t.Fatalf("no redirect to the client's callback")
	return nil
}

func (e *env) loginPath() string {
	u, _ := url.Parse(e.idp.Issuer())
	return u.Path + "/aanmelden"
}

type claims struct {
	Sub           string   `json:"sub"`
	GivenName     string   `json:"given_name"`
	FamilyName    string   `json:"family_name"`
	RRN           string   `json:"rrn"`
	Doelgroepcode string   `json:"vo_doelgroepcode"`
	Orgcode       string   `json:"vo_orgcode"`
	Orgnaam       string   `json:"vo_orgnaam"`
	Roles         []string `json:"iv_bouwstenen_rol_3d"`
	Nonce         string   `json:"nonce"`
}

// signIn runs the whole code flow with PKCE S256 and returns the verified
// ID token's claims, the raw ID token and the OAuth2 token.
func (e *env) signIn(t *testing.T, sub, kbo string) (claims, string, *oauth2.Token) {
	t.Helper()
	ctx := gooidc.ClientContext(context.Background(), e.srv.Client())
	state, nonce, verifier := "state-"+sub, "nonce-"+sub, oauth2.GenerateVerifier()
	id := e.authorize(t, state, nonce, verifier)
	q := e.choose(t, id, sub, kbo)
	require.Equal(t, state, q.Get("state"))
	tok, err := e.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	raw, ok := tok.Extra("id_token").(string)
	require.True(t, ok, "token response has an id_token")
	idt, err := e.provider.Verifier(&gooidc.Config{ClientID: "portal"}).Verify(ctx, raw)
	require.NoError(t, err)
	var c claims
	require.NoError(t, idt.Claims(&c))
	assert.Equal(t, nonce, idt.Nonce)
	assert.Equal(t, e.idp.Issuer(), idt.Issuer)
	return c, raw, tok
}

func TestCodeFlow(t *testing.T) {
	for _, prefix := range []string{"/demo-idp", ""} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			e := newEnv(t, prefix)
			ctx := gooidc.ClientContext(context.Background(), e.srv.Client())

			t.Run("citizen", func(t *testing.T) {
				c, _, tok := e.signIn(t, "demo-an", "")
				assert.Equal(t, claims{Sub: "demo-an", GivenName: "An", FamilyName: "Peeters", RRN: "85073003328", Doelgroepcode: "BUR", Nonce: "nonce-demo-an"}, c)
				info, err := e.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
				require.NoError(t, err)
				var u claims
				require.NoError(t, info.Claims(&u))
				assert.Equal(t, claims{Sub: "demo-an", GivenName: "An", FamilyName: "Peeters", RRN: "85073003328", Doelgroepcode: "BUR"}, u)
			})
			t.Run("for an enterprise", func(t *testing.T) {
				c, _, tok := e.signIn(t, "demo-jan", "0202239951")
				assert.Equal(t, claims{Sub: "demo-jan", GivenName: "Jan", FamilyName: "Janssens", RRN: "90022742191",
					Doelgroepcode: "EA", Orgcode: "0202239951", Orgnaam: "Bakkerij Jan", Nonce: "nonce-demo-jan"}, c)
				info, err := e.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
				require.NoError(t, err)
				var u claims
				require.NoError(t, info.Claims(&u))
				assert.Equal(t, "EA", u.Doelgroepcode)
				assert.Equal(t, "0202239951", u.Orgcode)
			})
			t.Run("clerk has the role", func(t *testing.T) {
				c, _, _ := e.signIn(t, "demo-clerk", "")
				assert.Equal(t, []string{demoidp.RoleClerk}, c.Roles)
				c, _, _ = e.signIn(t, "demo-an", "")
				assert.Empty(t, c.Roles)
			})
		})
	}
}

func TestClientAuthentication(t *testing.T) {
	for name, style := range map[string]oauth2.AuthStyle{"client_secret_basic": oauth2.AuthStyleInHeader, "client_secret_post": oauth2.AuthStyleInParams} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, "/demo-idp")
			e.oauth.Endpoint.AuthStyle = style
			c, _, _ := e.signIn(t, "demo-an", "")
			assert.Equal(t, "demo-an", c.Sub)
		})
	}
}

func TestScopesLimitClaims(t *testing.T) {
	e := newEnv(t, "/demo-idp")
	e.oauth.Scopes = []string{gooidc.ScopeOpenID}
	c, _, _ := e.signIn(t, "demo-jan", "0403170701")
	assert.Equal(t, claims{Sub: "demo-jan", Nonce: "nonce-demo-jan"}, c, "no profile, rrn or vo claims without their scopes")
}

func TestEndSession(t *testing.T) {
	e := newEnv(t, "/demo-idp")
	ctx := gooidc.ClientContext(context.Background(), e.srv.Client())
	_, raw, tok := e.signIn(t, "demo-an", "")
	var disc struct {
		EndSession string `json:"end_session_endpoint"`
	}
	require.NoError(t, e.provider.Claims(&disc))
	require.Equal(t, e.idp.Issuer()+"/end_session", disc.EndSession)

	t.Run("unregistered post-logout URI refused", func(t *testing.T) {
		resp := e.get(t, disc.EndSession+"?"+url.Values{"id_token_hint": {raw}, "post_logout_redirect_uri": {"https://evil.example/"}}.Encode())
		assert.Empty(t, resp.Header.Get("Location"))
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Contains(t, body(t, resp), "Aanvraag geweigerd")
	})
	t.Run("redirects back with state and ends the tokens", func(t *testing.T) {
		resp := e.get(t, disc.EndSession+"?"+url.Values{"id_token_hint": {raw}, "post_logout_redirect_uri": {e.logout}, "state": {"bye"}}.Encode())
		require.Equal(t, http.StatusFound, resp.StatusCode, body(t, resp))
		assert.Equal(t, e.logout+"?state=bye", resp.Header.Get("Location"))
		_, err := e.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		assert.Error(t, err, "the access token no longer works after sign-out")
	})
	t.Run("without redirect: the provider's own page", func(t *testing.T) {
		resp := e.get(t, disc.EndSession)
		require.Equal(t, http.StatusFound, resp.StatusCode)
		page := e.get(t, resp.Header.Get("Location"))
		assert.Equal(t, http.StatusOK, page.StatusCode)
		assert.Contains(t, body(t, page), demoidp.Banner)
	})
}

func TestRefused(t *testing.T) {
	e := newEnv(t, "/demo-idp")
	ctx := gooidc.ClientContext(context.Background(), e.srv.Client())
	verifier := oauth2.GenerateVerifier()

	t.Run("unknown client", func(t *testing.T) {
		cfg := *e.oauth
		cfg.ClientID = "stranger"
		resp := e.get(t, cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)))
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "no login page and no redirect for an unknown client")
		assert.Empty(t, resp.Header.Get("Location"))
		html := body(t, resp)
		assert.Contains(t, html, "Aanvraag geweigerd")
		assert.Contains(t, html, demoidp.Banner)
	})
	t.Run("without PKCE", func(t *testing.T) {
		resp := e.get(t, e.oauth.AuthCodeURL("s"))
		require.Equal(t, http.StatusFound, resp.StatusCode)
		loc, err := url.Parse(resp.Header.Get("Location"))
		require.NoError(t, err)
		assert.Equal(t, e.redirect, loc.Scheme+"://"+loc.Host+loc.Path, "the error goes back to the client")
		assert.Equal(t, "invalid_request", loc.Query().Get("error"))
		assert.Empty(t, loc.Query().Get("code"))
	})
	t.Run("unregistered redirect URI", func(t *testing.T) {
		cfg := *e.oauth
		cfg.RedirectURL = "https://evil.example/cb"
		resp := e.get(t, cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)))
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Empty(t, resp.Header.Get("Location"), "never redirected to an unregistered URI")
		assert.Contains(t, body(t, resp), "Aanvraag geweigerd")
	})
	t.Run("enterprise the person does not represent", func(t *testing.T) {
		id := e.authorize(t, "s", "n", verifier)
		resp, err := e.browser.PostForm(e.abs(t, e.loginPath()), url.Values{"id": {id}, "sub": {"demo-an"}, "kbo": {"0403170701"}})
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
		assert.Contains(t, body(t, resp), "niet aanmelden namens die onderneming")
		// The request stays pending: the callback does not issue a code.
		cb := e.get(t, e.idp.Issuer()+"/authorize/callback?id="+id)
		assert.NotContains(t, cb.Header.Get("Location"), "code=")
	})
	t.Run("unknown person", func(t *testing.T) {
		id := e.authorize(t, "s", "n", verifier)
		resp, err := e.browser.PostForm(e.abs(t, e.loginPath()), url.Values{"id": {id}, "sub": {"nobody"}})
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	})
	t.Run("unknown sign-in request", func(t *testing.T) {
		resp := e.get(t, e.loginPath()+"?id=nope")
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Contains(t, body(t, resp), "bestaat niet of is verlopen")
	})
	t.Run("wrong PKCE verifier", func(t *testing.T) {
		id := e.authorize(t, "s", "n", verifier)
		q := e.choose(t, id, "demo-an", "")
		_, err := e.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier()))
		assert.Error(t, err)
	})
	t.Run("code used twice", func(t *testing.T) {
		id := e.authorize(t, "s", "n", verifier)
		q := e.choose(t, id, "demo-an", "")
		_, err := e.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
		require.NoError(t, err)
		_, err = e.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
		assert.Error(t, err)
	})
	t.Run("wrong client secret", func(t *testing.T) {
		id := e.authorize(t, "s", "n", verifier)
		q := e.choose(t, id, "demo-an", "")
		cfg := *e.oauth
		cfg.ClientSecret = "guess"
		_, err := cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
		assert.Error(t, err)
	})
}

func TestNewRefusesBadConfig(t *testing.T) {
	ok := demoidp.Client{ID: "c", Secret: "s", RedirectURIs: []string{"http://x/cb"}}
	for name, cfg := range map[string]demoidp.Config{
		"relative issuer":   {Issuer: "/demo-idp", Client: ok},
		"no client secret":  {Issuer: "http://x", Client: demoidp.Client{ID: "c", RedirectURIs: []string{"http://x/cb"}}},
		"duplicate subject": {Issuer: "http://x", Client: ok, People: []demoidp.Person{{Subject: "a"}, {Subject: "a"}}},
		"invalid INSZ":      {Issuer: "http://x", Client: ok, People: []demoidp.Person{{Subject: "a", INSZ: "85073003329"}}},
		"INSZ with dots":    {Issuer: "http://x", Client: ok, People: []demoidp.Person{{Subject: "a", INSZ: "85.07.30-033.28"}}},
		"invalid KBO":       {Issuer: "http://x", Client: ok, People: []demoidp.Person{{Subject: "a", Enterprises: []demoidp.Enterprise{{KBO: "0403170702"}}}}},
		"KBO with BE":       {Issuer: "http://x", Client: ok, People: []demoidp.Person{{Subject: "a", Enterprises: []demoidp.Enterprise{{KBO: "BE0403170701"}}}}},
	} {
		_, err := demoidp.New(cfg)
		assert.ErrorIs(t, err, demoidp.ErrConfig, name)
	}
}
