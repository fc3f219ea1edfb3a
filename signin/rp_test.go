package signin_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/pii"
	"github.com/lokaalbestuur/bouwstenen/signin"
)

var t0 = time.Date(2026, 12, 2, 9, 0, 0, 0, clock.Brussels)

func setup(t *testing.T, mod ...func(*signin.Config)) (*testOP, *signin.RP, *clock.Settable) {
	t.Helper()
	c := clock.NewSettable(t0)
	op := newTestOP(t, c)
	return op, newRP(t, op, c, mod...), c
}

func newRP(t *testing.T, op *testOP, c clock.Clock, mod ...func(*signin.Config)) *signin.RP {
	t.Helper()
	cfg := signin.Config{
		Issuer:                op.URL(),
		ClientID:              op.clientID,
		ClientSecret:          op.secret,
		RedirectURL:           "https://portaal.test/aanmelden/terug",
		Scopes:                signin.ACMIDMScopes,
		Claims:                signin.ACMIDM,
		CookieKey:             bytes.Repeat([]byte("k"), 32),
		PostLogoutRedirectURL: "https://portaal.test/afgemeld",
		Clock:                 c,
	}
	for _, m := range mod {
		m(&cfg)
	}
	rp, err := signin.New(context.Background(), cfg)
	require.NoError(t, err)
	return rp
}

// signIn runs a whole sign-in and returns the callback's results.
func signIn(t *testing.T, rp *signin.RP, returnTo string) (signin.Identity, string, *httptest.ResponseRecorder, error) {
	t.Helper()
	b := &browser{t: t}
	cb := b.authorize(b.start(rp, returnTo))
	rec := httptest.NewRecorder()
	id, ret, err := rp.Callback(rec, cb)
	return id, ret, rec, err
}

// refused asserts that err is of kind and that nothing came back.
func refused(t *testing.T, kind error, id signin.Identity, returnTo string, err error) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, kind)
	assert.Equal(t, signin.Identity{}, id, "nothing may be returned with an error")
	assert.Empty(t, returnTo)
	assert.NotEmpty(t, signin.Message(err))
}

func TestSignInEndToEnd(t *testing.T) {
	op, rp, _ := setup(t)
	b := &browser{t: t}
	authURL := b.start(rp, "/ondernemers/dossiers?tab=open")

	// The request to the provider: code flow, PKCE S256, state, nonce, the ACM/IDM scopes.
	require.Len(t, b.cookies, 1)
	pendingCookie := b.cookies[0]
	assert.True(t, strings.HasPrefix(pendingCookie.Name, "__Host-signin-pending-"))
	assert.True(t, pendingCookie.Secure)
	assert.True(t, pendingCookie.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, pendingCookie.SameSite)
	assert.Equal(t, 600, pendingCookie.MaxAge)
	assert.NotContains(t, pendingCookie.Value, "ondernemers", "the return path is sealed, not readable")

	cb := b.authorize(authURL)
	q := op.lastAuth
	assert.Equal(t, "code", q.Get("response_type"))
	assert.Equal(t, "openid profile rrn vo", q.Get("scope"))
	assert.Equal(t, "S256", q.Get("code_challenge_method"))
	assert.Len(t, q.Get("code_challenge"), 43)
	assert.Len(t, q.Get("state"), 43)
	assert.Len(t, q.Get("nonce"), 43)
	assert.Equal(t, "__Host-signin-pending-"+q.Get("state"), pendingCookie.Name)

	rec := httptest.NewRecorder()
	id, returnTo, err := rp.Callback(rec, cb)
	require.NoError(t, err)
	assert.Equal(t, "/ondernemers/dossiers?tab=open", returnTo)
	assert.Equal(t, 1, op.pkceChecked, "the provider checked the PKCE verifier")

	assert.Equal(t, "acm-8c2f1e7a", id.Subject)
	assert.Equal(t, "Jan", id.GivenName)
	assert.Equal(t, "Peeters", id.FamilyName)
	assert.Equal(t, pii.INSZ("85073003328"), id.INSZ)
	assert.Equal(t, signin.CapacityEconomicActor, id.Capacity)
	require.NotNil(t, id.Organisation)
	assert.Equal(t, signin.Organisation{Code: "0202239951", Name: "Bakkerij Peeters"}, *id.Organisation)
	assert.Nil(t, id.Mandate)
	assert.NotEmpty(t, id.IDToken)
	assert.Equal(t, t0.Add(5*time.Minute).Unix(), id.Expiry.Unix())
	assert.Equal(t, clock.Brussels, id.Expiry.Location())

	// The pending-sign-in cookie is cleared.
	cleared := rec.Result().Cookies()
	require.Len(t, cleared, 1)
	assert.Equal(t, pendingCookie.Name, cleared[0].Name)
	assert.Equal(t, -1, cleared[0].MaxAge)
}

func TestCitizenWithStandardClaims(t *testing.T) {
	c := clock.NewSettable(t0)
	op := newTestOP(t, c)
	op.set(func(op *testOP) { op.claims = map[string]any{"sub": "u-1", "given_name": "An", "family_name": "Claes"} })
	rp := newRP(t, op, c, func(cfg *signin.Config) {
		cfg.Claims = signin.ClaimMapping{}
		cfg.Scopes = nil
		cfg.RedirectURL = "http://localhost:8080/terug"
	})
	b := &browser{t: t}
	authURL := b.start(rp, "")
	assert.Equal(t, "openid profile", mustQuery(t, authURL).Get("scope"))
	require.Len(t, b.cookies, 1)
	assert.False(t, b.cookies[0].Secure, "an http redirect URL (development) gets a cookie without Secure")
	assert.True(t, strings.HasPrefix(b.cookies[0].Name, "signin-pending-"))
	id, returnTo, err := rp.Callback(httptest.NewRecorder(), b.authorize(authURL))
	require.NoError(t, err)
	assert.Equal(t, "/", returnTo)
	assert.Equal(t, signin.CapacityCitizen, id.Capacity)
	assert.Nil(t, id.Organisation)
	assert.Equal(t, pii.INSZ(""), id.INSZ)
	assert.Equal(t, "An Claes", id.Name().String())
}

func TestCallbackRefusals(t *testing.T) {
	tests := []struct {
		name string
		kind error
		// arrange changes the provider before the sign-in; callback changes
		// the callback request. Either may be nil.
		arrange  func(op *testOP, c *clock.Settable)
		callback func(t *testing.T, r *http.Request) *http.Request
	}{
		{name: "forged state", kind: signin.ErrState,
			callback: func(_ *testing.T, r *http.Request) *http.Request { return withQuery(r, "state", randomString()) }},
		{name: "empty state", kind: signin.ErrState,
			callback: func(_ *testing.T, r *http.Request) *http.Request { return withQuery(r, "state", "") }},
		{name: "tampered cookie", kind: signin.ErrState,
			callback: func(t *testing.T, r *http.Request) *http.Request {
				c := r.Cookies()[0]
				raw, err := base64.RawURLEncoding.DecodeString(c.Value)
				require.NoError(t, err)
				raw[len(raw)-20] ^= 1
				r.Header.Del("Cookie")
				r.AddCookie(&http.Cookie{Name: c.Name, Value: base64.RawURLEncoding.EncodeToString(raw)})
				return r
			}},
		{name: "cookie of another state", kind: signin.ErrState,
			callback: func(_ *testing.T, r *http.Request) *http.Request {
				// A valid cookie value under the name of a forged state.
				c := r.Cookies()[0]
				state := randomString()
				r.Header.Del("Cookie")
				r.AddCookie(&http.Cookie{Name: "__Host-signin-pending-" + state, Value: c.Value})
				return withQuery(r, "state", state)
			}},
		{name: "pending sign-in older than ten minutes", kind: signin.ErrState,
			callback: func(_ *testing.T, r *http.Request) *http.Request { return r },
			arrange:  nil},
		{name: "no pending sign-in", kind: signin.ErrNoPendingSignIn,
			callback: func(_ *testing.T, r *http.Request) *http.Request { r.Header.Del("Cookie"); return r }},
		{name: "wrong nonce", kind: signin.ErrNonce,
			arrange: func(op *testOP, _ *clock.Settable) {
				op.tamper = func(c map[string]any) { c["nonce"] = "another-sign-in" }
			}},
		{name: "no nonce", kind: signin.ErrNonce,
			arrange: func(op *testOP, _ *clock.Settable) { op.tamper = func(c map[string]any) { delete(c, "nonce") } }},
		{name: "signed with another key, unknown kid", kind: signin.ErrToken,
			arrange: func(op *testOP, _ *clock.Settable) {
				op.signKey = &signingKey{kid: "attacker", priv: testKeys(nil)[2]}
			}},
		{name: "signed with another key, published kid", kind: signin.ErrToken,
			arrange: func(op *testOP, _ *clock.Settable) {
				op.signKey = &signingKey{kid: "key-1", priv: testKeys(nil)[2]}
			}},
		{name: "HS256 with the client secret (algorithm confusion)", kind: signin.ErrToken,
			arrange: func(op *testOP, _ *clock.Settable) {
				op.forge = func(c map[string]any) string { return signHS256([]byte(op.secret+"-padded-to-thirty-two-bytes"), c) }
			}},
		{name: "unsigned (alg none)", kind: signin.ErrToken,
			arrange: func(op *testOP, _ *clock.Settable) { op.forge = unsigned }},
		{name: "no ID token", kind: signin.ErrToken,
			arrange: func(op *testOP, _ *clock.Settable) { op.forge = func(map[string]any) string { return "" } }},
		{name: "expired", kind: signin.ErrExpired,
			arrange: func(op *testOP, _ *clock.Settable) {
				op.tamper = func(c map[string]any) { c["exp"] = t0.Add(-2 * time.Minute).Unix() }
			}},
		{name: "other audience", kind: signin.ErrToken,
			arrange: func(op *testOP, _ *clock.Settable) {
				op.tamper = func(c map[string]any) { c["aud"] = "another-client" }
			}},
		{name: "several audiences without azp", kind: signin.ErrToken,
			arrange: func(op *testOP, _ *clock.Settable) {
				op.tamper = func(c map[string]any) { c["aud"] = []string{"gemeente-portaal", "another-client"} }
			}},
		{name: "authorised party is another client", kind: signin.ErrToken,
			arrange: func(op *testOP, _ *clock.Settable) {
				op.tamper = func(c map[string]any) { c["azp"] = "another-client" }
			}},
		{name: "other issuer", kind: signin.ErrToken,
			arrange: func(op *testOP, _ *clock.Settable) { op.issuer = "https://authenticatie.vlaanderen.be/op" }},
		{name: "issued in the future", kind: signin.ErrToken,
			arrange: func(op *testOP, _ *clock.Settable) {
				op.tamper = func(c map[string]any) { c["iat"] = t0.Add(3 * time.Minute).Unix() }
			}},
		{name: "not yet valid", kind: signin.ErrToken,
			arrange: func(op *testOP, _ *clock.Settable) {
				op.tamper = func(c map[string]any) { c["nbf"] = t0.Add(3 * time.Minute).Unix() }
			}},
		{name: "wrong at_hash", kind: signin.ErrToken,
			arrange: func(op *testOP, _ *clock.Settable) {
				op.tamper = func(c map[string]any) { c["at_hash"] = "AAAAAAAAAAAAAAAAAAAAAA" }
			}},
		{name: "enterprise capacity without enterprise", kind: signin.ErrCapacity,
			arrange: func(op *testOP, _ *clock.Settable) { op.tamper = func(c map[string]any) { delete(c, "vo_orgcode") } }},
		{name: "enterprise number that fails mod 97", kind: signin.ErrCapacity,
			arrange: func(op *testOP, _ *clock.Settable) {
				op.tamper = func(c map[string]any) { c["vo_orgcode"] = "0202239952" }
			}},
		{name: "no capacity", kind: signin.ErrCapacity,
			arrange: func(op *testOP, _ *clock.Settable) {
				op.tamper = func(c map[string]any) { delete(c, "vo_doelgroepcode") }
			}},
		{name: "invalid national register number", kind: signin.ErrClaims,
			arrange: func(op *testOP, _ *clock.Settable) { op.tamper = func(c map[string]any) { c["rrn"] = "85073003329" } }},
		{name: "provider error", kind: signin.ErrProvider,
			callback: func(_ *testing.T, r *http.Request) *http.Request {
				r = withQuery(r, "error", "access_denied")
				return withQuery(r, "code", "")
			}},
	}
	// Why each is refused, so that none passes for another reason.
	reasons := map[string]string{
		"forged state": "no pending sign-in for this state", "empty state": "no state",
		"tampered cookie": "does not authenticate", "cookie of another state": "does not authenticate",
		"pending sign-in older than ten minutes": "expired", "no pending sign-in": "no pending-sign-in cookie",
		"wrong nonce": "nonce", "no nonce": "nonce",
		"signed with another key, unknown kid": "signature", "signed with another key, published kid": "signature",
		"HS256 with the client secret (algorithm confusion)": "malformed jwt", "unsigned (alg none)": "malformed jwt",
		"no ID token": "no id_token", "expired": "expired at", "other audience": "audience",
		"several audiences without azp": "azp", "authorised party is another client": "azp",
		"other issuer": "different provider", "issued in the future": "future", "not yet valid": "not valid before",
		"wrong at_hash": "at_hash", "enterprise capacity without enterprise": "without an organisation",
		"enterprise number that fails mod 97": "enterprise number", "no capacity": "no capacity",
		"invalid national register number": "national register number", "provider error": "access_denied",
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op, rp, c := setup(t)
			if tt.arrange != nil {
				op.set(func(op *testOP) { tt.arrange(op, c) })
			}
			b := &browser{t: t}
			cb := b.authorize(b.start(rp, "/mijn"))
			if tt.name == "pending sign-in older than ten minutes" {
				c.Advance(signin.PendingTTL)
			}
			if tt.callback != nil {
				cb = tt.callback(t, cb)
			}
			id, returnTo, err := rp.Callback(httptest.NewRecorder(), cb)
			refused(t, tt.kind, id, returnTo, err)
			require.Contains(t, reasons, tt.name)
			assert.Contains(t, err.Error(), reasons[tt.name])
		})
	}
}

func TestReplayedCallbackIsRefused(t *testing.T) {
	op, rp, _ := setup(t)
	b := &browser{t: t}
	cb := b.authorize(b.start(rp, "/mijn"))
	replay := cb.Clone(context.Background())

	_, _, err := rp.Callback(httptest.NewRecorder(), cb)
	require.NoError(t, err)

	// The same request again, cookie and all (an attacker who kept both).
	id, returnTo, err := rp.Callback(httptest.NewRecorder(), replay)
	refused(t, signin.ErrState, id, returnTo, err)
	assert.Contains(t, err.Error(), "already used")
	assert.Equal(t, 1, op.tokenCalls, "a replay is refused before the code is redeemed")
}

func TestStolenCodeNeedsItsVerifier(t *testing.T) {
	// PKCE: a code issued for one sign-in, injected into another browser's
	// callback, is refused by the provider because the verifier differs.
	op, rp, _ := setup(t)
	victim, attacker := &browser{t: t}, &browser{t: t}
	victimCb := victim.authorize(victim.start(rp, "/"))
	attackerCb := attacker.authorize(attacker.start(rp, "/"))
	injected := withQuery(attackerCb, "code", victimCb.URL.Query().Get("code"))
	id, returnTo, err := rp.Callback(httptest.NewRecorder(), injected)
	refused(t, signin.ErrProvider, id, returnTo, err)
	var pe *signin.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "invalid_grant", pe.Code)
	assert.Equal(t, 0, op.pkceChecked)
}

func TestProviderErrorMessage(t *testing.T) {
	_, rp, _ := setup(t)
	b := &browser{t: t}
	cb := b.authorize(b.start(rp, "/"))
	cb = withQuery(withQuery(cb, "code", ""), "error", "access_denied")
	_, _, err := rp.Callback(httptest.NewRecorder(), cb)
	var pe *signin.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "access_denied", pe.Code)
	assert.Equal(t, "U hebt het aanmelden afgebroken. U kunt opnieuw aanmelden wanneer u wilt.", signin.Message(err))
}

func TestOpenRedirectIsRefused(t *testing.T) {
	_, rp, _ := setup(t)
	for _, returnTo := range []string{
		"https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example",
		"javascript:alert(1)", "/\t/evil.example", "mijn/dossiers", "/a b", "http:/evil.example",
	} {
		rec := httptest.NewRecorder()
		err := rp.Start(rec, httptest.NewRequest(http.MethodGet, "/aanmelden", nil), returnTo)
		assert.ErrorIs(t, err, signin.ErrReturnTo, returnTo)
		assert.Empty(t, rec.Header().Get("Location"), returnTo)
		assert.Empty(t, rec.Header().Get("Set-Cookie"), returnTo)
	}
}

func TestKeyRotation(t *testing.T) {
	op, rp, _ := setup(t)
	_, _, _, err := signIn(t, rp, "/")
	require.NoError(t, err)
	require.Equal(t, 1, op.jwksCalls)

	// The provider rotates: key-1 is gone, key-2 signs and is published.
	k := testKeys(t)
	newKey := &signingKey{kid: "key-2", priv: k[1]}
	oldKey := op.signKey
	op.set(func(op *testOP) { op.signKey, op.published = newKey, []*signingKey{newKey} })
	id, _, _, err := signIn(t, rp, "/")
	require.NoError(t, err, "a token signed with the new key verifies after the JWKS is fetched again")
	assert.Equal(t, "acm-8c2f1e7a", id.Subject)
	assert.Equal(t, 2, op.jwksCalls)

	// A token still signed with the withdrawn key is refused.
	op.set(func(op *testOP) { op.signKey = oldKey })
	id, returnTo, _, err := signIn(t, rp, "/")
	refused(t, signin.ErrToken, id, returnTo, err)
}

func TestClockSkew(t *testing.T) {
	tests := []struct {
		name   string
		skew   time.Duration
		exp    time.Duration // relative to the RP's clock
		iat    time.Duration
		refuse error
	}{
		{"expired within the default skew", 0, -30 * time.Second, -6 * time.Minute, nil},
		{"expired beyond the default skew", 0, -61 * time.Second, -6 * time.Minute, signin.ErrExpired},
		{"expired within a larger skew", 3 * time.Minute, -150 * time.Second, -6 * time.Minute, nil},
		{"expired beyond a larger skew", 3 * time.Minute, -181 * time.Second, -6 * time.Minute, signin.ErrExpired},
		{"provider clock ahead within skew", 0, 5 * time.Minute, 50 * time.Second, nil},
		{"provider clock ahead beyond skew", 0, 5 * time.Minute, 70 * time.Second, signin.ErrToken},
		{"exactly at expiry minus skew", time.Minute, -time.Minute, -6 * time.Minute, signin.ErrExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op, rp, _ := setup(t, func(c *signin.Config) { c.Skew = tt.skew })
			op.set(func(op *testOP) {
				op.tamper = func(c map[string]any) {
					c["exp"] = t0.Add(tt.exp).Unix()
					c["iat"] = t0.Add(tt.iat).Unix()
				}
			})
			id, returnTo, _, err := signIn(t, rp, "/x")
			if tt.refuse == nil {
				require.NoError(t, err)
				assert.Equal(t, "/x", returnTo)
				return
			}
			refused(t, tt.refuse, id, returnTo, err)
		})
	}
}

func TestUserInfoFillsMissingClaims(t *testing.T) {
	c := clock.NewSettable(t0)
	op := newTestOP(t, c)
	op.set(func(op *testOP) {
		op.claims = map[string]any{"sub": "acm-1", "given_name": "Jan"}
		op.userinfo = map[string]any{"sub": "acm-1", "given_name": "Other", "family_name": "Peeters", "rrn": "85073003328",
			"vo_doelgroepcode": "BUR"}
	})
	rp := newRP(t, op, c, func(cfg *signin.Config) { cfg.UserInfo = true })
	id, _, _, err := signIn(t, rp, "/")
	require.NoError(t, err)
	assert.Equal(t, "Jan", id.GivenName, "the ID token's claim wins")
	assert.Equal(t, "Peeters", id.FamilyName)
	assert.Equal(t, pii.INSZ("85073003328"), id.INSZ)
	assert.Equal(t, signin.CapacityCitizen, id.Capacity)

	// A UserInfo answer about someone else is refused.
	op.set(func(op *testOP) { op.userinfo["sub"] = "acm-2" })
	id, returnTo, _, err := signIn(t, rp, "/")
	refused(t, signin.ErrToken, id, returnTo, err)

	// Without UserInfo the missing capacity is refused.
	rp = newRP(t, op, c)
	id, returnTo, _, err = signIn(t, rp, "/")
	refused(t, signin.ErrCapacity, id, returnTo, err)
}

func TestCapacityHint(t *testing.T) {
	op, rp, _ := setup(t)
	b := &browser{t: t}
	authURL := b.start(rp, "/", signin.CapacityHint(signin.CapacityEconomicActor, "0428315871"),
		signin.AuthParam("state", "mine"), signin.AuthParam("ui_locales", "nl"))
	q := mustQuery(t, authURL)
	hint, err := base64.StdEncoding.DecodeString(q.Get("login_hint"))
	require.NoError(t, err)
	var got map[string]string
	require.NoError(t, json.Unmarshal(hint, &got))
	assert.Equal(t, map[string]string{"cap_hint": "EA", "code_hint": "0428315871"}, got)
	assert.Equal(t, "nl", q.Get("ui_locales"))
	assert.NotEqual(t, "mine", q.Get("state"), "AuthParam cannot override the state")
	_ = op
}

func TestLogoutURL(t *testing.T) {
	_, rp, _ := setup(t)
	got, err := url.Parse(rp.LogoutURL("the.id.token", "xyz"))
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(got.Path, "/logout"))
	assert.Equal(t, url.Values{
		"id_token_hint":            {"the.id.token"},
		"client_id":                {"gemeente-portaal"},
		"post_logout_redirect_uri": {"https://portaal.test/afgemeld"},
		"state":                    {"xyz"},
	}, got.Query())

	sw, err := url.Parse(rp.SwitchCapacityURL("", ""))
	require.NoError(t, err)
	assert.Equal(t, "true", sw.Query().Get("switch"))
	assert.Equal(t, "gemeente-portaal", sw.Query().Get("client_id"))

	c := clock.NewSettable(t0)
	op := newTestOP(t, c)
	op.set(func(op *testOP) { op.endSession = false })
	rp = newRP(t, op, c)
	assert.Empty(t, rp.LogoutURL("the.id.token", ""), "no end_session_endpoint: local sign-out only")
	assert.Empty(t, rp.SwitchCapacityURL("the.id.token", ""))
}

func TestNewRefusesBadConfig(t *testing.T) {
	c := clock.NewSettable(t0)
	op := newTestOP(t, c)
	good := signin.Config{Issuer: op.URL(), ClientID: "c", RedirectURL: "https://p.test/cb", CookieKey: bytes.Repeat([]byte("k"), 32)}
	tests := map[string]func(*signin.Config){
		"no issuer":         func(c *signin.Config) { c.Issuer = "" },
		"short cookie key":  func(c *signin.Config) { c.CookieKey = c.CookieKey[:31] },
		"relative redirect": func(c *signin.Config) { c.RedirectURL = "/cb" },
		"skew too large":    func(c *signin.Config) { c.Skew = 6 * time.Minute },
		"issuer mismatch":   func(c *signin.Config) { c.Issuer = op.URL() + "/" },
		"no provider":       func(c *signin.Config) { c.Issuer = "http://127.0.0.1:1" },
	}
	for name, mod := range tests {
		t.Run(name, func(t *testing.T) {
			cfg := good
			mod(&cfg)
			_, err := signin.New(context.Background(), cfg)
			assert.ErrorIs(t, err, signin.ErrConfig)
		})
	}
	_, err := signin.New(context.Background(), good)
	assert.NoError(t, err)
}

func TestErrorKinds(t *testing.T) {
	assert.ErrorIs(t, signin.ErrExpired, signin.ErrToken)
	assert.NotErrorIs(t, signin.ErrToken, signin.ErrExpired)
	assert.NotErrorIs(t, signin.ErrState, signin.ErrToken)
	kinds := []error{signin.ErrNoPendingSignIn, signin.ErrState, signin.ErrNonce, signin.ErrToken, signin.ErrExpired,
		signin.ErrProvider, signin.ErrClaims, signin.ErrCapacity, signin.ErrReturnTo, signin.ErrConfig}
	seen := map[string]bool{}
	for _, k := range kinds {
		msg := signin.Message(errors.Join(k))
		assert.NotEmpty(t, msg)
		assert.False(t, seen[msg], "each kind has its own Dutch message: %q", msg)
		seen[msg] = true
	}
	assert.Equal(t, "Het aanmelden is mislukt. Probeer het opnieuw.", signin.Message(errors.New("x")))
	assert.Empty(t, signin.Message(nil))
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u.Query()
}

func TestPendingSignInsAreCapped(t *testing.T) {
	_, rp, c := setup(t)
	b := &browser{t: t}
	var urls []string
	for range 6 {
		urls = append(urls, b.start(rp, "/"))
		c.Advance(time.Second)
		assert.LessOrEqual(t, len(b.cookies), signin.MaxPending)
	}
	assert.Len(t, b.cookies, signin.MaxPending)
	// The newest sign-ins still complete; the oldest was dropped.
	_, _, err := rp.Callback(httptest.NewRecorder(), b.authorize(urls[5]))
	require.NoError(t, err)
	_, _, err = rp.Callback(httptest.NewRecorder(), b.authorize(urls[4]))
	require.NoError(t, err)
	_, _, err = rp.Callback(httptest.NewRecorder(), b.authorize(urls[0]))
	assert.ErrorIs(t, err, signin.ErrState)

	// Expired pending sign-ins are cleared at the next start.
	c.Advance(signin.PendingTTL)
	b.start(rp, "/")
	assert.Len(t, b.cookies, 1)
}

func TestCallbackResponseHeaders(t *testing.T) {
	_, rp, _ := setup(t)
	_, _, rec, err := signIn(t, rp, "/")
	require.NoError(t, err)
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	assert.Equal(t, "no-referrer", rec.Header().Get("Referrer-Policy"))
}

func TestTwoInstances(t *testing.T) {
	c := clock.NewSettable(t0)
	op := newTestOP(t, c)
	guard := signin.NewMemoryReplayGuard(c.Now) // stands in for a shared store
	shared := func(cfg *signin.Config) { cfg.Replay = guard }
	a, b := newRP(t, op, c, shared), newRP(t, op, c, shared)

	// Started on A, completed on B: they share the cookie key.
	br := &browser{t: t}
	cb := br.authorize(br.start(a, "/mijn"))
	replay := cb.Clone(context.Background())
	id, returnTo, err := b.Callback(httptest.NewRecorder(), cb)
	require.NoError(t, err)
	assert.Equal(t, "/mijn", returnTo)
	assert.Equal(t, "acm-8c2f1e7a", id.Subject)

	// Replayed on A: the shared guard refuses it before the code is redeemed.
	id, returnTo, err = a.Callback(httptest.NewRecorder(), replay)
	refused(t, signin.ErrState, id, returnTo, err)
	assert.Equal(t, 1, op.tokenCalls)

	// An instance with a guard of its own lets the replay through to the
	// provider, whose codes are single use: still refused, one step later.
	lone := newRP(t, op, c)
	id, returnTo, err = lone.Callback(httptest.NewRecorder(), replay.Clone(context.Background()))
	refused(t, signin.ErrProvider, id, returnTo, err)
	assert.Contains(t, err.Error(), "invalid_grant")
}
