package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
	"github.com/lokaalbestuur/bouwstenen/signin"
)

// fakeOP is an OpenID provider for the attack tests: it signs the person
// in at once and lets a test change the next ID token (its claims, its
// key), the way a hostile or broken provider, or an attacker in between,
// would.
type fakeOP struct {
	srv *httptest.Server

	mu     sync.Mutex
	key    *rsa.PrivateKey // the published key
	claims map[string]any
	tamper func(claims map[string]any) // changes the next tokens' claims
	signer *rsa.PrivateKey             // signs instead of key, if set
	codes  map[string]fakeGrant
}

type fakeGrant struct{ nonce, challenge, redirect string }

var (
	fakeKeysOnce sync.Once
	fakeKeys     [2]*rsa.PrivateKey
)

func newFakeOP(t *testing.T) *fakeOP {
	fakeKeysOnce.Do(func() {
		for i := range fakeKeys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			fakeKeys[i] = k
		}
	})
	op := &fakeOP{key: fakeKeys[0], codes: map[string]fakeGrant{}, claims: map[string]any{
		"sub": "acm-tom", "given_name": "Tom", "family_name": "Claes", "rrn": "88051212342",
		"vo_doelgroepcode": "EA", "vo_orgcode": cafeKBO, "vo_orgnaam": "Café De Hoek",
	}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		u := op.srv.URL
		writeJSONTest(w, map[string]any{"issuer": u, "authorization_endpoint": u + "/authorize", "token_endpoint": u + "/token",
			"jwks_uri": u + "/jwks", "end_session_endpoint": u + "/logout", "response_types_supported": []string{"code"},
			"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"},
			"code_challenge_methods_supported": []string{"S256"}})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		writeJSONTest(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &op.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		code := rand.Text()
		op.mu.Lock()
		op.codes[code] = fakeGrant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
		op.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"?code="+code+"&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		op.mu.Lock()
		defer op.mu.Unlock()
		g, ok := op.codes[r.PostFormValue("code")]
		delete(op.codes, r.PostFormValue("code"))
		sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
		if id, secret, _ := r.BasicAuth(); !ok || id != "portaal" || secret != "geheim" || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":"invalid_grant"}`)
			return
		}
		claims := maps.Clone(op.claims)
		now := time.Now()
		claims["iss"], claims["aud"], claims["nonce"] = op.srv.URL, "portaal", g.nonce
		claims["iat"], claims["exp"] = now.Unix(), now.Add(5*time.Minute).Unix()
		if op.tamper != nil {
			op.tamper(claims)
		}
		key := op.key
		if op.signer != nil {
			key = op.signer
		}
		writeJSONTest(w, map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": signTest(key, claims)})
	})
	op.srv = httptest.NewServer(mux)
	t.Cleanup(op.srv.Close)
	return op
}

func (op *fakeOP) set(f func(op *fakeOP)) {
	op.mu.Lock()
	defer op.mu.Unlock()
	f(op)
}

func writeJSONTest(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func signTest(k *rsa.PrivateKey, claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: k, KeyID: "k1"}}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		panic(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		panic(err)
	}
	s, _ := jws.CompactSerialize()
	return s
}

// portalAt composes the portal for a real provider (the flags'
// configuration) on a test server whose address is its public URL.
func portalAt(t *testing.T, op *fakeOP) (*app, *client) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	a, err := newApp(ctx, log, demo.Town(), wiring.NewBackend(log, nil), false, signInConfig{
		PublicURL: "http://" + srv.Listener.Addr().String(),
		OIDC:      &oidcConfig{Issuer: op.srv.URL, ClientID: "portaal", ClientSecret: "geheim", Scopes: signin.ACMIDMScopes, Claims: signin.ACMIDM},
	})
	require.NoError(t, err)
	srv.Config.Handler = a.handler
	srv.Start()
	t.Cleanup(srv.Close)
	return a, &client{t: t, srv: srv, c: &http.Client{Jar: newJar(t)}}
}

// TestRealProviderSignIn: with -oidc-issuer the portal signs in at that
// provider (here a fake one), and starts no demo provider.
func TestRealProviderSignIn(t *testing.T) {
	op := newFakeOP(t)
	_, c := portalAt(t, op)
	status, body := c.get("/aanmelden")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "U bent aangemeld als Tom Claes, namens Café De Hoek.")
	assert.Contains(t, body, "U handelt namens <strong>Café De Hoek (0202.239.951)</strong>")
	status, _ = c.get("/demo-idp/.well-known/openid-configuration")
	assert.Equal(t, http.StatusNotFound, status, "no demo provider next to a real one")

	resp, _ := c.noRedirectsSharing().raw(http.MethodPost, "/afmelden", url.Values{"csrf": {csrf(t, body)}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.True(t, strings.HasPrefix(resp.Header.Get("Location"), op.srv.URL+"/logout?"), "RP-initiated logout at the provider")
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "form-action 'self' "+op.srv.URL, "the sign-out form may redirect to the provider")
}

// noRedirectsSharing is c's browser, cookies and all, showing redirects.
func (c *client) noRedirectsSharing() *client {
	nr := c.noRedirects()
	nr.c.Jar = c.c.Jar
	return nr
}

// TestAttacksOnTheSignInAreRefused: each is refused with a Dutch page, and
// nobody is signed in.
func TestAttacksOnTheSignInAreRefused(t *testing.T) {
	op := newFakeOP(t)
	_, c := portalAt(t, op)
	refused := func(t *testing.T, c *client, status int, body, want string) {
		t.Helper()
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Contains(t, body, "<h1>Aanmelden mislukt</h1>")
		assert.Contains(t, body, want)
		assert.Empty(t, c.cookie("sessie"), "no session")
		assert.NotContains(t, body, "U handelt")
	}
	tokens := []struct {
		name   string
		tamper func(op *fakeOP)
		want   string
	}{
		{"wrong nonce", func(op *fakeOP) { op.tamper = func(c map[string]any) { c["nonce"] = "een-andere" } }, signin.Message(signin.ErrNonce)},
		{"signed with another key", func(op *fakeOP) { op.signer = fakeKeys[1] }, signin.Message(signin.ErrToken)},
		{"expired", func(op *fakeOP) {
			op.tamper = func(c map[string]any) { c["exp"] = time.Now().Add(-10 * time.Minute).Unix() }
		}, signin.Message(signin.ErrExpired)},
		{"for another audience", func(op *fakeOP) { op.tamper = func(c map[string]any) { c["aud"] = "een-andere-toepassing" } }, signin.Message(signin.ErrToken)},
		{"from another issuer", func(op *fakeOP) { op.tamper = func(c map[string]any) { c["iss"] = "https://evil.example" } }, signin.Message(signin.ErrToken)},
		{"an enterprise number that is not one", func(op *fakeOP) { op.tamper = func(c map[string]any) { c["vo_orgcode"] = "0202239950" } }, signin.Message(signin.ErrCapacity)},
		{"an enterprise capacity without an enterprise", func(op *fakeOP) { op.tamper = func(c map[string]any) { delete(c, "vo_orgcode") } }, signin.Message(signin.ErrCapacity)},
	}
	for _, tc := range tokens {
		t.Run(tc.name, func(t *testing.T) {
			op.set(func(op *fakeOP) { op.tamper, op.signer = nil, nil; tc.tamper(op) })
			t.Cleanup(func() { op.set(func(op *fakeOP) { op.tamper, op.signer = nil, nil }) })
			b := c.another()
			status, body := b.get("/aanmelden")
			refused(t, b, status, body, tc.want)
		})
	}
	t.Run("a capacity this portal has no door for", func(t *testing.T) {
		op.set(func(op *fakeOP) {
			op.tamper = func(c map[string]any) { c["vo_doelgroepcode"] = "LB"; c["vo_orgcode"] = "0207.501.061" }
		})
		t.Cleanup(func() { op.set(func(op *fakeOP) { op.tamper = nil }) })
		b := c.another()
		status, body := b.get("/aanmelden")
		assert.Equal(t, http.StatusForbidden, status)
		assert.Contains(t, body, "alleen gebruiken als burger of namens een onderneming")
		assert.Empty(t, b.cookie("sessie"))
	})

	// A callback without a sign-in under way in this browser.
	b := c.another()
	status, body := b.get("/aanmelden/terug?code=abc&state=xyz")
	refused(t, b, status, body, signin.Message(signin.ErrNoPendingSignIn))

	// A forged state: this browser started a sign-in, the callback names another.
	nr := c.noRedirects()
	resp, _ := nr.raw(http.MethodGet, "/aanmelden", nil)
	require.Equal(t, http.StatusFound, resp.StatusCode)
	resp, body = nr.raw(http.MethodGet, "/aanmelden/terug?code=abc&state=vervalst", nil)
	refused(t, nr, resp.StatusCode, body, signin.Message(signin.ErrState))

	// A replayed callback: the browser (or an attacker) that kept the
	// pending cookie and the callback URL cannot use them twice.
	nr = c.noRedirects()
	resp, _ = nr.raw(http.MethodGet, "/aanmelden", nil)
	u, _ := url.Parse(c.srv.URL)
	pending := nr.c.Jar.Cookies(u)
	authz, err := http.Get(resp.Header.Get("Location")) // the provider's redirect back (http.Get follows it no further than our check)
	require.NoError(t, err)
	authz.Body.Close()
	callback := authz.Request.URL.RequestURI()
	resp, body = nr.raw(http.MethodGet, callback, nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, body)
	require.NotEmpty(t, nr.cookie("sessie"), "the first use signs in")
	again := c.noRedirects()
	again.c.Jar.SetCookies(u, pending)
	resp, body = again.raw(http.MethodGet, callback, nil)
	refused(t, again, resp.StatusCode, body, signin.Message(signin.ErrState))
}
