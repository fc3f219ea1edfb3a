package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
	"github.com/lokaalbestuur/bouwstenen/session"
	sessionpg "github.com/lokaalbestuur/bouwstenen/session/pgstore"
	"github.com/lokaalbestuur/bouwstenen/signin"
	"github.com/lokaalbestuur/bouwstenen/signin/demoidp"
	signinpg "github.com/lokaalbestuur/bouwstenen/signin/pgstore"
)

// signInConfig says where the portal's visitors sign in: at a real OpenID
// provider (OIDC set: ACM/IDM or another), or at the embedded demo
// provider (OIDC nil), through the very same relying party (package
// signin) either way.
type signInConfig struct {
	// PublicURL is the portal's address as browsers reach it
	// (https://loket.gemeente.be); the redirect URI is PublicURL +
	// "/aanmelden/terug". With a real provider it is required. The demo
	// takes it from each request's host when it is empty.
	PublicURL string
	// OIDC is the real provider; nil runs the demo provider.
	OIDC *oidcConfig
	// Secret seals the pending-sign-in and flash cookies: 32 bytes or
	// more, the same on every instance. Empty: random, for one process.
	Secret []byte
	// Sessions: how long a session lasts after sign-in and without a
	// request; zero means session.DefaultAbsolute and DefaultIdle.
	Absolute, Idle time.Duration
	// Secure marks the cookies Secure: the portal is served over HTTPS
	// (an https PublicURL implies it).
	Secure bool
}

// oidcConfig is a real OpenID provider.
type oidcConfig struct {
	Issuer, ClientID, ClientSecret string
	// Scopes and Claims: signin.ACMIDMScopes and signin.ACMIDM for ACM/IDM.
	Scopes []string
	Claims signin.ClaimMapping
	// ClerkRole is the role value that makes a clerk (in the Claims.Roles claim).
	ClerkRole string
}

// signInParts are what the host gets from the configuration.
type signInParts struct {
	rp interface {
		RP(*http.Request) (*signin.RP, error)
	}
	demo      http.Handler // the demo provider, or nil
	clerkRole string
	sessions  *session.Manager
	secret    []byte
	secure    bool
	origin    string // the real provider's origin, for the CSP
}

// newSignIn makes the relying party (or the demo's), the session manager
// on the backend's store (memory or PostgreSQL) and, in PostgreSQL mode,
// the shared replay guard of the sign-in's states.
func newSignIn(ctx context.Context, cfg signInConfig, be *wiring.Backend, town *demo.Municipality) (*signInParts, error) {
	if cfg.Secret == nil {
		cfg.Secret = []byte(rand.Text() + rand.Text())
	}
	if len(cfg.Secret) < 32 {
		return nil, errors.New("portal: the cookie secret must hold at least 32 bytes")
	}
	if cfg.PublicURL != "" {
		u, err := url.Parse(cfg.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("portal: public URL %q must be http(s)://host[:port]", cfg.PublicURL)
		}
		cfg.PublicURL = strings.TrimSuffix(cfg.PublicURL, "/")
	}
	secure := cfg.Secure || strings.HasPrefix(cfg.PublicURL, "https://")
	var store session.Store = session.NewMemStore()
	var replay signin.ReplayGuard
	if be.Postgres() {
		pg := sessionpg.New(be.Pool)
		if err := pg.Migrate(ctx); err != nil {
			return nil, err
		}
		store = pg
		guard, err := signinpg.New(ctx, be.Pool, nil)
		if err != nil {
			return nil, err
		}
		replay = guard
	}
	name := session.DefaultCookieName
	if secure {
		name = "__Host-" + name
	}
	parts := &signInParts{
		sessions: &session.Manager{Store: store, CookieName: name, Absolute: cfg.Absolute, Idle: cfg.Idle, Secure: secure},
		secret:   cfg.Secret,
		secure:   secure,
	}
	if cfg.OIDC != nil {
		if cfg.PublicURL == "" {
			return nil, errors.New("portal: a real provider needs the portal's public URL (-public-url)")
		}
		o := cfg.OIDC
		parts.rp = &lazyRP{cfg: signin.Config{
			Issuer: o.Issuer, ClientID: o.ClientID, ClientSecret: o.ClientSecret,
			RedirectURL: cfg.PublicURL + "/aanmelden/terug", PostLogoutRedirectURL: cfg.PublicURL + "/",
			Scopes: o.Scopes, Claims: o.Claims, CookieKey: cfg.Secret, Replay: replay, UserInfo: true,
		}}
		parts.clerkRole = o.ClerkRole
		iss, err := url.Parse(o.Issuer)
		if err != nil || iss.Host == "" {
			return nil, fmt.Errorf("portal: issuer %q is not a URL", o.Issuer)
		}
		parts.origin = iss.Scheme + "://" + iss.Host
		return parts, nil
	}
	d := &demoSignIn{publicURL: cfg.PublicURL, secret: cfg.Secret, replay: replay, clientSecret: rand.Text(), sites: map[string]*demoSite{}}
	for _, p := range town.People {
		dp := demoidp.Person{Subject: p.ID, GivenName: p.Name.Given, FamilyName: p.Name.Family, INSZ: string(p.INSZ), Clerk: p.Clerk}
		for _, e := range p.Enterprises() {
			dp.Enterprises = append(dp.Enterprises, demoidp.Enterprise{KBO: digits(e.KBO), Name: e.Name})
		}
		d.people = append(d.people, dp)
	}
	parts.rp, parts.demo, parts.clerkRole = d, d, demoidp.RoleClerk
	return parts, nil
}

// lazyRP reads the provider's discovery document at the first sign-in, and
// again after a failure, so a portal starts while its provider is down.
type lazyRP struct {
	cfg signin.Config
	mu  sync.Mutex
	rp  *signin.RP
}

func (l *lazyRP) RP(r *http.Request) (*signin.RP, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rp != nil {
		return l.rp, nil
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	rp, err := signin.New(ctx, l.cfg)
	if err != nil {
		return nil, err
	}
	l.rp = rp
	return rp, nil
}

// demoSignIn is the embedded DEMO provider (package signin/demoidp, every
// page marked as a demo) under /demo-idp/ of the portal, with the demo
// people, and a relying party for it. The portal signs in there exactly as
// at a real provider: discovery, authorization code with PKCE, the token,
// its signature and claims; only the provider's address is the portal's
// own. Without a public URL it serves each host the portal is reached by
// (127.0.0.1:8080, localhost:8080, a test server) with a provider of its
// own, so the issuer is always the address the browser uses.
type demoSignIn struct {
	publicURL    string
	secret       []byte
	replay       signin.ReplayGuard
	clientSecret string
	people       []demoidp.Person

	mu    sync.Mutex
	sites map[string]*demoSite
}

type demoSite struct {
	idp *demoidp.Provider
	rp  *signin.RP
}

// maxDemoHosts bounds the providers a demo portal makes for the hosts it
// is reached by: a request with a made-up Host cannot grow it further.
const maxDemoHosts = 8

func (d *demoSignIn) site(r *http.Request) (*demoSite, error) {
	base := d.publicURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.sites[base]; ok {
		return s, nil
	}
	if len(d.sites) >= maxDemoHosts {
		return nil, fmt.Errorf("demo sign-in: more than %d hosts", maxDemoHosts)
	}
	idp, err := demoidp.New(demoidp.Config{
		Issuer: base + "/demo-idp",
		People: d.people,
		Client: demoidp.Client{ID: "demogem-portaal", Secret: d.clientSecret,
			RedirectURIs: []string{base + "/aanmelden/terug"}, PostLogoutRedirectURIs: []string{base + "/"}},
	})
	if err != nil {
		return nil, err
	}
	claims := signin.ACMIDM
	claims.Roles = demoidp.RoleClaim
	rp, err := signin.New(r.Context(), signin.Config{
		Issuer: idp.Issuer(), ClientID: "demogem-portaal", ClientSecret: d.clientSecret,
		RedirectURL: base + "/aanmelden/terug", PostLogoutRedirectURL: base + "/",
		Scopes: signin.ACMIDMScopes, Claims: claims, CookieKey: d.secret, Replay: d.replay,
		// The portal talks to its own demo provider in process, not over
		// the network: its host may be a name only browsers resolve.
		HTTPClient: &http.Client{Transport: inProcess{idp}, Timeout: 10 * time.Second},
	})
	if err != nil {
		return nil, err
	}
	s := &demoSite{idp: idp, rp: rp}
	d.sites[base] = s
	return s, nil
}

// RP implements web.SignIn.
func (d *demoSignIn) RP(r *http.Request) (*signin.RP, error) {
	s, err := d.site(r)
	if err != nil {
		return nil, err
	}
	return s.rp, nil
}

// ServeHTTP serves the demo provider under /demo-idp/.
func (d *demoSignIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s, err := d.site(r)
	if err != nil {
		http.Error(w, "Demo-aanmelddienst niet beschikbaar.", http.StatusServiceUnavailable)
		return
	}
	s.idp.ServeHTTP(w, r)
}

// inProcess is an http.RoundTripper that serves requests with a handler.
type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	in := req.Clone(req.Context())
	in.Host, in.RequestURI = req.URL.Host, req.URL.RequestURI()
	if in.Body == nil {
		in.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, in)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
