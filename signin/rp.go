package signin

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/lokaalbestuur/bouwstenen/clock"
)

// DefaultSkew is the clock skew allowed between this server and the
// provider when Config.Skew is zero.
const DefaultSkew = time.Minute

// Config configures a relying party.
type Config struct {
	// Issuer is the provider's issuer URL; its discovery document is read
	// from Issuer + "/.well-known/openid-configuration" and must name the
	// same issuer. ACM/IDM: https://authenticatie.vlaanderen.be/op, for
	// testing https://authenticatie-ti.vlaanderen.be/op.
	Issuer string
	// ClientID and ClientSecret are the client's credentials with the
	// provider. Keep the secret out of source and logs (read it from the
	// environment).
	ClientID     string
	ClientSecret string
	// RedirectURL is this site's callback URL, registered with the provider
	// (in ACM/IDM: in the integration file). Its path must be routed to a
	// handler that calls Callback. An https URL makes the pending-sign-in
	// cookie Secure and __Host- prefixed.
	RedirectURL string
	// Scopes to ask for; "openid" is added if missing. Empty means openid
	// and profile. ACM/IDM: ACMIDMScopes.
	Scopes []string
	// Claims maps claims onto an Identity. The zero value means Standard.
	Claims ClaimMapping
	// CookieKey is a secret of at least 32 random bytes that seals the
	// pending-sign-in cookie. Every instance of the site needs the same key.
	CookieKey []byte
	// Skew is the clock difference with the provider that is tolerated when
	// checking an ID token's expiry, issue and not-before times. Zero means
	// DefaultSkew; it must not exceed five minutes.
	Skew time.Duration
	// PostLogoutRedirectURL is where the provider sends the browser after a
	// logout (registered with the provider, in ACM/IDM in the integration
	// file). Empty: the provider shows its own page.
	PostLogoutRedirectURL string
	// UserInfo asks the provider's UserInfo endpoint for the claims of the
	// mapping that the ID token lacks.
	UserInfo bool
	// HTTPClient talks to the provider; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Clock tells the time; nil means the system clock.
	Clock clock.Clock
	// Replay remembers used states; nil means a MemoryReplayGuard, good for
	// one instance. Several instances share one.
	Replay ReplayGuard
}

// RP is an OpenID Connect relying party ("aanmelden"): it starts a sign-in
// with a redirect to the provider and checks the provider's answer at the
// callback. It keeps no server-side state for a sign-in under way: that
// lives in a short-lived sealed cookie. It is safe for concurrent use.
type RP struct {
	cfg        Config
	mapping    ClaimMapping
	provider   *oidc.Provider
	verifier   *oidc.IDTokenVerifier
	oauth      oauth2.Config
	seal       sealer
	clock      clock.Clock
	replay     ReplayGuard
	endSession string
	secure     bool
	cookie     string // cookie-name prefix; the state follows it
}

// New reads the provider's discovery document and returns a relying party.
// It fails with ErrConfig when the configuration is incomplete or the
// document cannot be read or names another issuer.
func New(ctx context.Context, cfg Config) (*RP, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, fail(ErrConfig, "Issuer, ClientID and RedirectURL are required")
	}
	if len(cfg.CookieKey) < 32 {
		return nil, fail(ErrConfig, "CookieKey must hold at least 32 bytes")
	}
	redirect, err := url.Parse(cfg.RedirectURL)
	if err != nil || (redirect.Scheme != "https" && redirect.Scheme != "http") || redirect.Host == "" {
		return nil, fail(ErrConfig, "RedirectURL must be an absolute http(s) URL")
	}
	if cfg.Skew == 0 {
		cfg.Skew = DefaultSkew
	}
	if cfg.Skew < 0 || cfg.Skew > 5*time.Minute {
		return nil, fail(ErrConfig, "Skew must lie between 0 and 5 minutes")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	mapping := cfg.Claims
	if mapping == (ClaimMapping{}) {
		mapping = Standard
	}
	scopes := cfg.Scopes
	if len(scopes) == 0 {
		scopes = []string{oidc.ScopeOpenID, "profile"}
	}
	if !slices.Contains(scopes, oidc.ScopeOpenID) {
		scopes = append([]string{oidc.ScopeOpenID}, scopes...)
	}
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, cfg.HTTPClient), cfg.Issuer)
	if err != nil {
		return nil, fail(ErrConfig, "discovery: %v", err)
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := provider.Claims(&extra); err != nil {
		return nil, fail(ErrConfig, "discovery document: %v", err)
	}
	seal, err := newSealer(cfg.CookieKey)
	if err != nil {
		return nil, fail(ErrConfig, "cookie key: %v", err)
	}
	rp := &RP{
		cfg:     cfg,
		mapping: mapping,
		// Expiry is checked by checkTimes, with the configured skew.
		verifier: provider.Verifier(&oidc.Config{ClientID: cfg.ClientID, SkipExpiryCheck: true}),
		provider: provider,
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     provider.Endpoint(),
			RedirectURL:  cfg.RedirectURL,
			Scopes:       scopes,
		},
		seal:       seal,
		clock:      cfg.Clock,
		replay:     cfg.Replay,
		endSession: extra.EndSession,
		secure:     redirect.Scheme == "https",
		cookie:     "signin-pending-",
	}
	if rp.secure {
		rp.cookie = "__Host-signin-pending-"
	}
	if rp.replay == nil {
		rp.replay = NewMemoryReplayGuard(cfg.Clock.Now)
	}
	return rp, nil
}

// StartOption adds a parameter to the authentication request.
type StartOption func(url.Values)

// CapacityHint asks ACM/IDM to sign the person in directly in a capacity
// ("gericht aanmelden"): the login_hint {"cap_hint": capacity,
// "code_hint": organisation}, base64-encoded. Give organisation "" for a
// capacity at target-group level (BUR). ACM/IDM still checks that the
// person may take that capacity, and Callback still reads the capacity
// from the token, never from the hint.
func CapacityHint(capacity Capacity, organisation string) StartOption {
	hint := map[string]string{"cap_hint": string(capacity)}
	if organisation != "" {
		hint["code_hint"] = organisation
	}
	b, _ := json.Marshal(hint)
	return func(v url.Values) { v.Set("login_hint", base64.StdEncoding.EncodeToString(b)) }
}

// AuthParam adds any other parameter (prompt, acr_values, ui_locales ...)
// to the authentication request. The parameters this package sets (state,
// nonce, PKCE, scope, redirect) cannot be overridden.
func AuthParam(name, value string) StartOption {
	return func(v url.Values) { v.Set(name, value) }
}

var reserved = []string{"state", "nonce", "code_challenge", "code_challenge_method", "scope", "redirect_uri", "client_id", "response_type"}

// Start begins a sign-in: it sets the pending-sign-in cookie and redirects
// the browser to the provider. returnTo is the local path to go to after
// the sign-in ("" means "/"); anything else fails with ErrReturnTo and
// nothing is written, so the caller can show a page.
func (rp *RP) Start(w http.ResponseWriter, r *http.Request, returnTo string, opts ...StartOption) error {
	returnTo, err := LocalPath(returnTo)
	if err != nil {
		return err
	}
	state, nonce := randomToken(), randomToken()
	verifier := oauth2.GenerateVerifier()
	now := rp.clock.Now()
	value, err := rp.seal.seal(state, pending{Nonce: nonce, Verifier: verifier, ReturnTo: returnTo, Expires: now.Add(PendingTTL).Unix()})
	if err != nil {
		return err
	}
	params := url.Values{}
	for _, o := range opts {
		o(params)
	}
	authOpts := []oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)}
	for k := range params {
		if !slices.Contains(reserved, k) {
			authOpts = append(authOpts, oauth2.SetAuthURLParam(k, params.Get(k)))
		}
	}
	rp.dropOldPending(w, r, now)
	http.SetCookie(w, &http.Cookie{
		Name:     rp.cookie + state,
		Value:    value,
		Path:     "/",
		MaxAge:   int(PendingTTL / time.Second),
		Secure:   rp.secure,
		HttpOnly: true,
		// Lax: the provider's redirect back is a top-level GET from another site.
		SameSite: http.SameSiteLaxMode,
	})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, rp.oauth.AuthCodeURL(state, authOpts...), http.StatusFound)
	return nil
}

// Callback handles the provider's redirect back: it checks the state
// against the pending-sign-in cookie (and clears it), refuses a state used
// before, redeems the code with the PKCE verifier, verifies the ID token
// (signature by the provider's current keys, issuer, audience, expiry with
// the allowed skew, nonce) and maps its claims onto an Identity. It returns
// the identity and the local path the sign-in was started for. On any
// failure it returns an error of one of the package's kinds and a zero
// Identity; the caller signs nobody in and shows Message(err).
func (rp *RP) Callback(w http.ResponseWriter, r *http.Request) (Identity, string, error) {
	// The callback URL carries the code: no cache keeps it, and no page
	// shown at this URL sends it on as a Referer.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	q := r.URL.Query()
	state := q.Get("state")
	p, err := rp.takePending(w, r, state)
	if err != nil {
		return Identity{}, "", err
	}
	if code := q.Get("error"); code != "" {
		return Identity{}, "", &ProviderError{Code: clip(code, 64), Description: clip(q.Get("error_description"), 200)}
	}
	now := rp.clock.Now()
	first, err := rp.replay.Use(r.Context(), state, now.Add(PendingTTL+rp.cfg.Skew))
	if err != nil {
		return Identity{}, "", fail(ErrState, "replay guard: %v", err)
	}
	if !first {
		return Identity{}, "", fail(ErrState, "state already used (replayed callback)")
	}
	code := q.Get("code")
	if code == "" {
		return Identity{}, "", fail(ErrProvider, "no code in the callback")
	}
	ctx := oidc.ClientContext(r.Context(), rp.cfg.HTTPClient)
	tok, err := rp.oauth.Exchange(ctx, code, oauth2.VerifierOption(p.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return Identity{}, "", &ProviderError{Code: clip(re.ErrorCode, 64), Description: clip(re.ErrorDescription, 200), TokenEndpoint: true}
		}
		return Identity{}, "", fail(ErrProvider, "token endpoint unreachable")
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, "", fail(ErrToken, "no id_token in the token response")
	}
	idt, err := rp.verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, "", fail(ErrToken, "%v", err)
	}
	if err := rp.checkToken(idt, p.Nonce, tok.AccessToken, now); err != nil {
		return Identity{}, "", err
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, "", fail(ErrToken, "claims: %v", err)
	}
	if rp.cfg.UserInfo && rp.lacksClaims(claims) {
		if err := rp.addUserInfo(ctx, tok, idt.Subject, claims); err != nil {
			return Identity{}, "", err
		}
	}
	id, err := IdentityFromClaims(rp.mapping, claims)
	if err != nil {
		return Identity{}, "", err
	}
	id.IDToken = raw
	id.Expiry = idt.Expiry.In(clock.Brussels)
	return id, p.ReturnTo, nil
}

// takePending finds the pending sign-in for state, clears its cookie and
// opens it.
func (rp *RP) takePending(w http.ResponseWriter, r *http.Request, state string) (pending, error) {
	found := false
	for _, c := range r.Cookies() {
		if strings.HasPrefix(c.Name, rp.cookie) {
			found = true
			break
		}
	}
	if !found {
		return pending{}, fail(ErrNoPendingSignIn, "no pending-sign-in cookie")
	}
	if state == "" {
		return pending{}, fail(ErrState, "no state in the callback")
	}
	c, err := r.Cookie(rp.cookie + state)
	if err != nil {
		return pending{}, fail(ErrState, "no pending sign-in for this state")
	}
	rp.clearCookie(w, c.Name)
	return rp.seal.open(state, c.Value, rp.clock.Now())
}

// MaxPending is how many sign-ins one browser may have under way at once
// (a visitor who clicks "aanmelden" in two tabs has two). Start clears the
// oldest beyond it, so repeated clicks cannot grow the Cookie header until
// a proxy refuses every request to the site.
const MaxPending = 3

// dropOldPending clears this browser's pending-sign-in cookies that are
// unreadable, expired, or beyond the newest MaxPending-1, to make room for
// the one Start adds.
func (rp *RP) dropOldPending(w http.ResponseWriter, r *http.Request, now time.Time) {
	type held struct {
		name    string
		expires int64
	}
	var live []held
	for _, c := range r.Cookies() {
		state, ok := strings.CutPrefix(c.Name, rp.cookie)
		if !ok {
			continue
		}
		p, err := rp.seal.open(state, c.Value, now)
		if err != nil {
			rp.clearCookie(w, c.Name)
			continue
		}
		live = append(live, held{c.Name, p.Expires})
	}
	if len(live) < MaxPending {
		return
	}
	slices.SortFunc(live, func(a, b held) int { return int(b.expires - a.expires) })
	for _, h := range live[MaxPending-1:] {
		rp.clearCookie(w, h.name)
	}
}

func (rp *RP) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, Secure: rp.secure, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// checkToken applies what go-oidc leaves to the caller: times with the
// configured skew, the nonce, the authorised party and the access-token
// hash.
func (rp *RP) checkToken(idt *oidc.IDToken, nonce, accessToken string, now time.Time) error {
	skew := rp.cfg.Skew
	if idt.Expiry.IsZero() || !now.Add(-skew).Before(idt.Expiry) {
		return fail(ErrExpired, "expired at %s, now %s, skew %s", idt.Expiry.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339), skew)
	}
	if idt.IssuedAt.After(now.Add(skew)) {
		return fail(ErrToken, "issued in the future (%s, now %s, skew %s)", idt.IssuedAt.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339), skew)
	}
	var std struct {
		NotBefore *int64 `json:"nbf"`
		AZP       string `json:"azp"`
	}
	if err := idt.Claims(&std); err != nil {
		return fail(ErrToken, "claims: %v", err)
	}
	if std.NotBefore != nil && time.Unix(*std.NotBefore, 0).After(now.Add(skew)) {
		return fail(ErrToken, "not valid before %s", time.Unix(*std.NotBefore, 0).UTC().Format(time.RFC3339))
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return fail(ErrNonce, "the ID token's nonce is not this sign-in's")
	}
	// OpenID Connect Core 3.1.3.7, points 4 and 5.
	if (len(idt.Audience) > 1 || std.AZP != "") && std.AZP != rp.cfg.ClientID {
		return fail(ErrToken, "authorised party (azp) is not this client")
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(accessToken); err != nil {
			return fail(ErrToken, "at_hash: %v", err)
		}
	}
	return nil
}

func (rp *RP) lacksClaims(claims map[string]any) bool {
	for _, n := range rp.mapping.names() {
		if _, ok := claims[n]; !ok {
			return true
		}
	}
	return false
}

// addUserInfo adds the UserInfo claims that the ID token lacks; the ID
// token's own claims win. The UserInfo subject must be the token's
// (OpenID Connect Core 5.3.2).
func (rp *RP) addUserInfo(ctx context.Context, tok *oauth2.Token, subject string, claims map[string]any) error {
	if rp.provider.UserInfoEndpoint() == "" {
		return nil
	}
	ui, err := rp.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		// The error may quote the answer's body, which holds personal data.
		return fail(ErrProvider, "userinfo request failed")
	}
	if ui.Subject != subject {
		return fail(ErrToken, "userinfo subject is not the ID token's")
	}
	extra := map[string]any{}
	if err := ui.Claims(&extra); err != nil {
		return fail(ErrClaims, "userinfo claims unreadable")
	}
	for k, v := range extra {
		if _, ok := claims[k]; !ok {
			claims[k] = v
		}
	}
	return nil
}

// LogoutURL returns the provider's address for an RP-initiated logout
// (OpenID Connect RP-Initiated Logout 1.0; ACM/IDM "afmelden"), with the
// ID token as hint, the client ID, Config.PostLogoutRedirectURL and state
// (pass "" for none). Sign the person out locally first, then redirect
// there. It returns "" when the provider's discovery document names no
// end_session_endpoint: then a local sign-out is all there is.
func (rp *RP) LogoutURL(idTokenHint, state string) string {
	return rp.endSessionURL(idTokenHint, state, false)
}

// SwitchCapacityURL returns ACM/IDM's address for switching capacity
// ("switch identiteit"): the end_session_endpoint with the parameter
// "switch", which signs the person out of this client only and sends them
// to Config.PostLogoutRedirectURL (which should start a new sign-in) where
// ACM/IDM offers the choice of capacity again. It returns "" without an
// end_session_endpoint or a PostLogoutRedirectURL.
func (rp *RP) SwitchCapacityURL(idTokenHint, state string) string {
	if rp.cfg.PostLogoutRedirectURL == "" {
		return ""
	}
	return rp.endSessionURL(idTokenHint, state, true)
}

func (rp *RP) endSessionURL(idTokenHint, state string, switchCapacity bool) string {
	if rp.endSession == "" {
		return ""
	}
	u, err := url.Parse(rp.endSession)
	if err != nil {
		return ""
	}
	q := u.Query()
	if switchCapacity {
		q.Set("switch", "true")
	}
	if idTokenHint != "" {
		q.Set("id_token_hint", idTokenHint)
	}
	// ACM/IDM requires client_id when a post_logout_redirect_uri is sent.
	q.Set("client_id", rp.cfg.ClientID)
	if rp.cfg.PostLogoutRedirectURL != "" {
		q.Set("post_logout_redirect_uri", rp.cfg.PostLogoutRedirectURL)
	}
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("signin: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
