package signin_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/signin"
)

// testOP is an OpenID provider for tests: discovery, authorization, token
// (with PKCE S256 and single-use codes), JWKS and UserInfo endpoints. Its
// knobs let a test change the claims and the signing key of the next ID
// token, and which keys the JWKS publishes.
type testOP struct {
	srv   *httptest.Server
	clock *clock.Settable

	mu          sync.Mutex
	clientID    string
	secret      string
	signKey     *signingKey   // key that signs ID tokens
	published   []*signingKey // keys in the JWKS
	codes       map[string]codeGrant
	claims      map[string]any       // claims every ID token carries, besides the protocol's
	tamper      func(map[string]any) // changes the next ID tokens' claims, if set
	userinfo    map[string]any       // UserInfo answer; nil: no endpoint in discovery
	endSession  bool                 // publish an end_session_endpoint
	lastAuth    url.Values           // parameters of the last authorization request
	tokenCalls  int                  // token requests received
	pkceChecked int                  // token requests whose code_verifier matched
	jwksCalls   int                  // JWKS requests received
	issuer      string               // "iss" of ID tokens; "" means the server's URL
	discoveryFn func(map[string]any) // changes the discovery document, if set
	accessToken string
	forge       func(claims map[string]any) string // makes the ID token instead of signKey, if set
}

type codeGrant struct {
	challenge, method, nonce, redirect string
	used                               bool
}

type signingKey struct {
	kid  string
	priv *rsa.PrivateKey
}

var (
	keysOnce sync.Once
	keys     [3]*rsa.PrivateKey
)

// testKeys returns three RSA keys, made once per test binary (RSA key
// generation is slow on a shared machine).
func testKeys(t testing.TB) [3]*rsa.PrivateKey {
	keysOnce.Do(func() {
		for i := range keys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			keys[i] = k
		}
	})
	return keys
}

func newTestOP(t testing.TB, c *clock.Settable) *testOP {
	op := startTestOP(c)
	t.Cleanup(op.srv.Close)
	return op
}

// startTestOP starts a provider; the caller closes op.srv.
func startTestOP(c *clock.Settable) *testOP {
	k := testKeys(nil)
	key := &signingKey{kid: "key-1", priv: k[0]}
	op := &testOP{
		clock:       c,
		clientID:    "gemeente-portaal",
		secret:      "s3cret",
		signKey:     key,
		published:   []*signingKey{key},
		codes:       map[string]codeGrant{},
		endSession:  true,
		accessToken: "at-" + randomString(),
		claims: map[string]any{
			"sub":              "acm-8c2f1e7a",
			"given_name":       "Jan",
			"family_name":      "Peeters",
			"rrn":              "85073003328",
			"vo_doelgroepcode": "EA",
			"vo_orgcode":       "0202239951",
			"vo_orgnaam":       "Bakkerij Peeters",
		},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", op.discovery)
	mux.HandleFunc("GET /authorize", op.authorize)
	mux.HandleFunc("POST /token", op.token)
	mux.HandleFunc("GET /jwks", op.jwks)
	mux.HandleFunc("GET /userinfo", op.userInfo)
	op.srv = httptest.NewServer(mux)
	return op
}

func (op *testOP) URL() string { return op.srv.URL }

func (op *testOP) set(f func(op *testOP)) {
	op.mu.Lock()
	defer op.mu.Unlock()
	f(op)
}

func (op *testOP) discovery(w http.ResponseWriter, _ *http.Request) {
	op.mu.Lock()
	defer op.mu.Unlock()
	doc := map[string]any{
		"issuer":                                op.srv.URL,
		"authorization_endpoint":                op.srv.URL + "/authorize",
		"token_endpoint":                        op.srv.URL + "/token",
		"jwks_uri":                              op.srv.URL + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	}
	if op.endSession {
		doc["end_session_endpoint"] = op.srv.URL + "/logout"
	}
	if op.userinfo != nil {
		doc["userinfo_endpoint"] = op.srv.URL + "/userinfo"
	}
	if op.discoveryFn != nil {
		op.discoveryFn(doc)
	}
	writeJSON(w, http.StatusOK, doc)
}

// authorize signs the person in at once (a test has no one to ask) and
// redirects back with a code bound to the PKCE challenge and the nonce.
func (op *testOP) authorize(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	defer op.mu.Unlock()
	q := r.URL.Query()
	op.lastAuth = q
	if q.Get("client_id") != op.clientID || q.Get("response_type") != "code" {
		http.Error(w, "bad client or response type", http.StatusBadRequest)
		return
	}
	code := randomString()
	op.codes[code] = codeGrant{challenge: q.Get("code_challenge"), method: q.Get("code_challenge_method"), nonce: q.Get("nonce"), redirect: q.Get("redirect_uri")}
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect", http.StatusBadRequest)
		return
	}
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token redeems a code once, checking the client, the redirect URI and the
// PKCE verifier (RFC 7636 4.6: BASE64URL(SHA256(verifier)) == challenge).
func (op *testOP) token(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.tokenCalls++
	if err := r.ParseForm(); err != nil {
		oauthError(w, "invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != op.clientID || secret != op.secret {
		oauthError(w, "invalid_client")
		return
	}
	grant, ok := op.codes[r.PostForm.Get("code")]
	if !ok || grant.used || r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("redirect_uri") != grant.redirect {
		oauthError(w, "invalid_grant")
		return
	}
	grant.used = true
	op.codes[r.PostForm.Get("code")] = grant
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if grant.method != "S256" || base64.RawURLEncoding.EncodeToString(sum[:]) != grant.challenge {
		oauthError(w, "invalid_grant")
		return
	}
	op.pkceChecked++
	now := op.clock.Now()
	claims := maps.Clone(op.claims)
	iss := op.issuer
	if iss == "" {
		iss = op.srv.URL
	}
	claims["iss"] = iss
	claims["aud"] = op.clientID
	claims["iat"] = now.Unix()
	claims["exp"] = now.Add(5 * time.Minute).Unix()
	claims["nonce"] = grant.nonce
	if op.tamper != nil {
		op.tamper(claims)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": op.accessToken,
		"token_type":   "Bearer",
		"expires_in":   300,
		"id_token":     op.idToken(claims),
	})
}

func (op *testOP) jwks(w http.ResponseWriter, _ *http.Request) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.jwksCalls++
	var set jose.JSONWebKeySet
	for _, k := range op.published {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: &k.priv.PublicKey, KeyID: k.kid, Algorithm: "RS256", Use: "sig"})
	}
	writeJSON(w, http.StatusOK, set)
}

func (op *testOP) userInfo(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	defer op.mu.Unlock()
	if op.userinfo == nil || r.Header.Get("Authorization") != "Bearer "+op.accessToken {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	writeJSON(w, http.StatusOK, op.userinfo)
}

func (op *testOP) idToken(claims map[string]any) string {
	if op.forge != nil {
		return op.forge(claims)
	}
	return sign(op.signKey, claims)
}

// signHS256 signs with a shared secret: the algorithm-confusion attack,
// where a verifier that trusts the token's "alg" takes a public value as
// the HMAC key.
func signHS256(secret []byte, claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: secret}, (&jose.SignerOptions{}).WithType("JWT"))
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

// unsigned returns a token with "alg": "none".
func unsigned(claims map[string]any) string {
	payload, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + base64.RawURLEncoding.EncodeToString(payload) + "."
}

func sign(k *signingKey, claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: k.priv, KeyID: k.kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		panic(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		panic(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		panic(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		panic(err)
	}
	return s
}

func oauthError(w http.ResponseWriter, code string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomString() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// browser follows a sign-in the way a browser would: it calls Start, takes
// the redirect to the provider, and builds the provider's redirect back
// as a request to Callback carrying the cookies Start set.
type browser struct {
	t       testing.TB
	cookies []*http.Cookie
}

// start runs rp.Start and returns the provider's authorization URL.
func (b *browser) start(rp *signin.RP, returnTo string, opts ...signin.StartOption) string {
	b.t.Helper()
	rec := httptest.NewRecorder()
	require.NoError(b.t, rp.Start(rec, b.callback("https://portaal.test/aanmelden"), returnTo, opts...))
	require.Equal(b.t, http.StatusFound, rec.Code)
	b.apply(rec.Result().Cookies())
	return rec.Header().Get("Location")
}

// authorize visits the provider's authorization URL and returns the
// callback request the provider sends the browser to.
func (b *browser) authorize(authURL string) *http.Request {
	b.t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(authURL)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	require.Equal(b.t, http.StatusFound, resp.StatusCode)
	return b.callback(resp.Header.Get("Location"))
}

// apply stores and deletes cookies as a browser would for Set-Cookie.
func (b *browser) apply(set []*http.Cookie) {
	for _, c := range set {
		b.cookies = slices.DeleteFunc(b.cookies, func(old *http.Cookie) bool { return old.Name == c.Name })
		if c.MaxAge >= 0 {
			b.cookies = append(b.cookies, c)
		}
	}
}

// callback builds a request to callbackURL with the browser's cookies.
func (b *browser) callback(callbackURL string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, callbackURL, nil)
	for _, c := range b.cookies {
		r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	return r
}

// withQuery returns a copy of r with one query parameter changed.
func withQuery(r *http.Request, name, value string) *http.Request {
	u := *r.URL
	q := u.Query()
	q.Set(name, value)
	u.RawQuery = q.Encode()
	r2 := r.Clone(r.Context())
	r2.URL = &u
	r2.RequestURI = u.RequestURI()
	return r2
}
