package demoidp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"log/slog"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Lifetimes of what the provider keeps in memory.
const (
	authRequestTTL = 10 * time.Minute
	accessTokenTTL = 5 * time.Minute
	idTokenTTL     = 5 * time.Minute
)

var errNotFound = errors.New("demoidp: not found")

// storage is the in-memory op.Storage: the demo people, the one client,
// pending auth requests, codes and access tokens.
type storage struct {
	client   *client
	people   map[string]Person
	key      *rsa.PrivateKey
	keyID    string
	loginURL string

	mu       sync.Mutex
	requests map[string]*authRequest
	codes    map[string]string // code → request ID
	tokens   map[string]*accessToken
}

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
)

func newStorage(cfg Config, key *rsa.PrivateKey, loginURL string) *storage {
	people := make(map[string]Person, len(cfg.People))
	for _, p := range cfg.People {
		people[p.Subject] = p
	}
	return &storage{
		client:   &client{Client: cfg.Client, loginURL: loginURL},
		people:   people,
		key:      key,
		keyID:    rand.Text()[:12],
		loginURL: loginURL,
		requests: map[string]*authRequest{},
		codes:    map[string]string{},
		tokens:   map[string]*accessToken{},
	}
}

// capacity is what a person chose on the sign-in page.
type capacity struct {
	Subject string
	KBO     string // empty: as a citizen
}

// authRequest is a pending authorization request; done once a person chose.
type authRequest struct {
	id        string
	created   time.Time
	clientID  string
	redirect  string
	state     string
	nonce     string
	scopes    []string
	respType  oidc.ResponseType
	respMode  oidc.ResponseMode
	challenge *oidc.CodeChallenge

	chosen   *capacity
	authTime time.Time
}

var _ op.AuthRequest = (*authRequest)(nil)

func (a *authRequest) GetID() string          { return a.id }
func (a *authRequest) GetACR() string         { return "" }
func (a *authRequest) GetAMR() []string       { return []string{"demo"} }
func (a *authRequest) GetAudience() []string  { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time { return a.authTime }
func (a *authRequest) GetClientID() string    { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	return a.challenge
}
func (a *authRequest) GetNonce() string                   { return a.nonce }
func (a *authRequest) GetRedirectURI() string             { return a.redirect }
func (a *authRequest) GetResponseType() oidc.ResponseType { return a.respType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode { return a.respMode }
func (a *authRequest) GetScopes() []string                { return a.scopes }
func (a *authRequest) GetState() string                   { return a.state }
func (a *authRequest) Done() bool                         { return a.chosen != nil }
func (a *authRequest) GetSubject() string {
	if a.chosen == nil {
		return ""
	}
	return a.chosen.Subject
}

// LogValue keeps the request's state and nonce out of logs.
func (a *authRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", a.id), slog.String("client_id", a.clientID), slog.Bool("done", a.Done()))
}

type accessToken struct {
	id       string
	clientID string
	capacity capacity
	scopes   []string
	expires  time.Time
}

func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if len(req.Prompt) == 1 && req.Prompt[0] == oidc.PromptNone {
		return nil, oidc.ErrLoginRequired()
	}
	if req.CodeChallenge == "" || req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		// PKCE is required, as it is of any relying party this SDK builds.
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE with code_challenge_method S256 is required")
	}
	a := &authRequest{
		id:        rand.Text(),
		created:   time.Now(),
		clientID:  req.ClientID,
		redirect:  req.RedirectURI,
		state:     req.State,
		nonce:     req.Nonce,
		scopes:    req.Scopes,
		respType:  req.ResponseType,
		respMode:  req.ResponseMode,
		challenge: &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod},
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.purgeLocked(a.created)
	s.requests[a.id] = a
	return a, nil
}

// purgeLocked drops auth requests and tokens that have expired, so an
// abandoned sign-in costs memory for ten minutes at most.
func (s *storage) purgeLocked(now time.Time) {
	for id, a := range s.requests {
		if now.Sub(a.created) > authRequestTTL {
			delete(s.requests, id)
		}
	}
	for code, id := range s.codes {
		if _, ok := s.requests[id]; !ok {
			delete(s.codes, code)
		}
	}
	for id, t := range s.tokens {
		if now.After(t.expires) {
			delete(s.tokens, id)
		}
	}
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requestLocked(id)
}

func (s *storage) requestLocked(id string) (*authRequest, error) {
	a, ok := s.requests[id]
	if !ok || time.Since(a.created) > authRequestTTL {
		return nil, oidc.ErrInvalidRequest().WithDescription("sign-in request unknown or expired").WithParent(errNotFound)
	}
	return a, nil
}

// choose records a person's choice of capacity for a pending request.
func (s *storage) choose(id string, c capacity) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.requestLocked(id)
	if err != nil {
		return err
	}
	if a.chosen != nil {
		return errors.New("demoidp: sign-in request already completed")
	}
	a.chosen = &c
	a.authTime = time.Now()
	return nil
}

func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.codes[code]
	if !ok {
		return nil, oidc.ErrInvalidGrant().WithDescription("code unknown, used or expired")
	}
	return s.requestLocked(id)
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest is called once the code is exchanged: the request and
// its code are gone, so a code is used once.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	a, ok := req.(*authRequest)
	if !ok || a.chosen == nil {
		return "", time.Time{}, oidc.ErrUnsupportedGrantType()
	}
	t := &accessToken{id: rand.Text(), clientID: a.clientID, capacity: *a.chosen, scopes: a.scopes, expires: time.Now().Add(accessTokenTTL)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[t.id] = t
	return t.id, t.expires, nil
}

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType().WithDescription("the demo provider issues no refresh tokens")
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

// TerminateSession ends a person's sign-in at the client: their access
// tokens stop working at the userinfo endpoint.
func (s *storage) TerminateSession(_ context.Context, userID, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, t := range s.tokens {
		if t.capacity.Subject == userID && t.clientID == clientID {
			delete(s.tokens, id)
		}
	}
	return nil
}

func (s *storage) RevokeToken(_ context.Context, token, _, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tokens[token]; ok {
		if t.clientID != clientID {
			return oidc.ErrInvalidClient().WithDescription("token was not issued to this client")
		}
		delete(s.tokens, token)
	}
	return nil
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return k.id }

type publicKey struct {
	id  string
	key *rsa.PublicKey
}

func (k publicKey) ID() string                         { return k.id }
func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return k.key }

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	return signingKey{id: s.keyID, key: s.key}, nil
}

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{id: s.keyID, key: &s.key.PublicKey}}, nil
}

func (s *storage) GetClientByClientID(_ context.Context, clientID string) (op.Client, error) {
	if clientID != s.client.ID {
		return nil, oidc.ErrInvalidClient().WithDescription("unknown client").WithParent(errNotFound)
	}
	return s.client, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, clientID, secret string) error {
	idOK := subtle.ConstantTimeCompare([]byte(clientID), []byte(s.client.ID)) == 1
	secretOK := subtle.ConstantTimeCompare([]byte(secret), []byte(s.client.Secret)) == 1
	if !idOK || !secretOK {
		return oidc.ErrInvalidClient().WithDescription("client authentication failed")
	}
	return nil
}

// SetUserinfoFromScopes does nothing: the claims depend on the capacity
// chosen for the request, so SetUserinfoFromRequest sets them.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest sets the ID token's claims.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	a, ok := req.(*authRequest)
	if !ok || a.chosen == nil {
		return oidc.ErrServerError().WithDescription("no sign-in for this request")
	}
	return s.fill(info, *a.chosen, scopes)
}

// SetUserinfoFromToken answers the userinfo endpoint.
func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, _, _ string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok || time.Now().After(t.expires) {
		return oidc.ErrAccessDenied().WithDescription("token unknown, revoked or expired")
	}
	return s.fill(info, t.capacity, t.scopes)
}

// fill sets the claims of a person in a capacity for the granted scopes.
func (s *storage) fill(info *oidc.UserInfo, c capacity, scopes []string) error {
	p, ok := s.people[c.Subject]
	if !ok {
		return oidc.ErrServerError().WithDescription("person unknown")
	}
	var ent Enterprise
	if c.KBO != "" {
		if ent, ok = p.enterprise(c.KBO); !ok {
			return oidc.ErrAccessDenied().WithDescription("person does not represent this enterprise")
		}
	}
	for _, scope := range scopes {
		switch scope {
		case oidc.ScopeOpenID:
			info.Subject = p.Subject
		case oidc.ScopeProfile:
			info.GivenName = p.GivenName
			info.FamilyName = p.FamilyName
		case ScopeRRN:
			if p.INSZ != "" {
				info.AppendClaims(ClaimRRN, p.INSZ)
			}
		case ScopeVO:
			if c.KBO == "" {
				info.AppendClaims(ClaimDoelgroepcode, Citizen)
				info.AppendClaims(ClaimDoelgroepnaam, "Burgers")
			} else {
				info.AppendClaims(ClaimDoelgroepcode, EconomicActor)
				info.AppendClaims(ClaimDoelgroepnaam, "Economische actoren")
				info.AppendClaims(ClaimOrgcode, ent.KBO)
				info.AppendClaims(ClaimOrgnaam, ent.Name)
			}
			if p.Clerk {
				info.AppendClaims(RoleClaim, []string{RoleClerk})
			}
		}
	}
	return nil
}

func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return oidc.ErrUnsupportedGrantType().WithDescription("the demo provider has no introspection")
}

func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errNotFound
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, oidc.ErrUnsupportedGrantType()
}

func (s *storage) Health(context.Context) error { return nil }

// client is the registered relying party as op.Client: a confidential web
// application using the authorization code flow.
type client struct {
	Client
	loginURL string
}

var _ op.Client = (*client)(nil)

func (c *client) GetID() string                       { return c.ID }
func (c *client) RedirectURIs() []string              { return c.Client.RedirectURIs }
func (c *client) PostLogoutRedirectURIs() []string    { return c.Client.PostLogoutRedirectURIs }
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType         { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c *client) LoginURL(id string) string            { return c.loginURL + "?id=" + id }
func (c *client) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeBearer }
func (c *client) IDTokenLifetime() time.Duration       { return idTokenTTL }
func (c *client) DevMode() bool                        { return false }
func (c *client) ClockSkew() time.Duration             { return 0 }
func (c *client) IsScopeAllowed(scope string) bool     { return scope == ScopeRRN || scope == ScopeVO }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
