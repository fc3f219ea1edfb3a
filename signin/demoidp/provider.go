package demoidp

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/lokaalbestuur/bouwstenen/internal/validate"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Enterprise is an enterprise (onderneming) a demo person may represent.
type Enterprise struct {
	// KBO is the enterprise number (ondernemingsnummer), ten digits, asserted as vo_orgcode.
	KBO string
	// Name is asserted as vo_orgnaam.
	Name string
}

// Person is a demo person the sign-in page lists.
type Person struct {
	// Subject is the stable identifier asserted as sub; unique per person.
	Subject    string
	GivenName  string
	FamilyName string
	// INSZ is the national register number (rijksregisternummer), asserted as
	// rrn: 11 digits without dots or dashes, or empty.
	INSZ string
	// Enterprises are those the person may sign in for ("namens een onderneming").
	Enterprises []Enterprise
	// Clerk marks a municipal clerk (loketmedewerker): they get RoleClaim.
	Clerk bool
}

// LogValue shows the subject and a masked INSZ only: a Person is personal data.
func (p Person) LogValue() slog.Value {
	return slog.GroupValue(slog.String("sub", p.Subject), slog.Any("insz", pii.INSZ(p.INSZ)))
}

// Client is the one relying party the provider knows.
type Client struct {
	ID     string
	Secret string
	// RedirectURIs are the exact callback URLs the client may use.
	RedirectURIs []string
	// PostLogoutRedirectURIs are the exact URLs end_session may send a user back to.
	PostLogoutRedirectURIs []string
}

// Config configures a Provider.
type Config struct {
	// Issuer is the provider's URL, with the path it is mounted under
	// (http://localhost:8080/demo-idp) or without one on its own listener.
	Issuer string
	// People are listed on the sign-in page, in this order.
	People []Person
	// Client is the registered relying party.
	Client Client
}

// Claim names the provider asserts; see the package documentation.
const (
	ClaimRRN           = "rrn"
	ClaimDoelgroepcode = "vo_doelgroepcode"
	ClaimDoelgroepnaam = "vo_doelgroepnaam"
	ClaimOrgcode       = "vo_orgcode"
	ClaimOrgnaam       = "vo_orgnaam"
	// RoleClaim holds the demo clerk's roles.
	RoleClaim = "iv_bouwstenen_rol_3d"
	// RoleClerk is the role value of a clerk (loketmedewerker).
	RoleClerk = "BouwstenenGebruiker-loketmedewerker"
)

// Capacities (hoedanigheden) as vo_doelgroepcode values.
const (
	Citizen       = "BUR" // burger
	EconomicActor = "EA"  // economische actor: signed in for an enterprise
	ScopeRRN      = "rrn"
	ScopeVO       = "vo"
	loginPath     = "/aanmelden"
	loggedOutPath = "/afgemeld"
)

// ErrConfig is wrapped by the error New returns for an unusable Config.
var ErrConfig = errors.New("demoidp: invalid configuration")

// Provider is the demo OpenID provider, an http.Handler for everything
// under its issuer's path.
type Provider struct {
	issuer  string
	prefix  string // the issuer's path, "" or "/demo-idp"
	handler http.Handler
	store   *storage
}

// New starts a provider with a fresh RS256 signing key.
func New(cfg Config) (*Provider, error) {
	u, err := url.Parse(cfg.Issuer)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%w: issuer %q must be an absolute http(s) URL without query", ErrConfig, cfg.Issuer)
	}
	issuer := strings.TrimSuffix(cfg.Issuer, "/")
	prefix := strings.TrimSuffix(u.Path, "/")
	if cfg.Client.ID == "" || cfg.Client.Secret == "" || len(cfg.Client.RedirectURIs) == 0 {
		return nil, fmt.Errorf("%w: the client needs an ID, a secret and a redirect URI", ErrConfig)
	}
	seen := map[string]bool{}
	for _, p := range cfg.People {
		if p.Subject == "" || seen[p.Subject] {
			return nil, fmt.Errorf("%w: every person needs a unique subject (%q)", ErrConfig, p.Subject)
		}
		seen[p.Subject] = true
		if n, ok := pii.ParseINSZ(p.INSZ); p.INSZ != "" && (!ok || string(n) != p.INSZ) {
			return nil, fmt.Errorf("%w: person %s: INSZ must be 11 digits of a valid national register number", ErrConfig, p.Subject)
		}
		for _, e := range p.Enterprises {
			if len(e.KBO) != 10 || !validate.KBO(e.KBO) {
				return nil, fmt.Errorf("%w: person %s: enterprise number %q must be 10 digits of a valid KBO number", ErrConfig, p.Subject, e.KBO)
			}
		}
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("demoidp: signing key: %w", err)
	}
	st := newStorage(cfg, key, prefix+loginPath)
	var cryptoKey [32]byte
	rand.Read(cryptoKey[:])
	opCfg := &op.Config{
		CryptoKey:                cryptoKey,
		CryptoKeyId:              rand.Text()[:8],
		DefaultLogoutRedirectURI: prefix + loggedOutPath,
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		SupportedUILocales:       []language.Tag{language.Dutch},
		SupportedScopes:          []string{"openid", "profile", ScopeRRN, ScopeVO},
		SupportedClaims: []string{"sub", "aud", "exp", "iat", "iss", "auth_time", "nonce", "acr", "amr", "c_hash", "at_hash", "azp",
			"given_name", "family_name", ClaimRRN, ClaimDoelgroepcode, ClaimDoelgroepnaam, ClaimOrgcode, ClaimOrgnaam, RoleClaim},
	}
	var opts []op.Option
	if u.Scheme == "http" {
		opts = append(opts, op.WithAllowInsecure())
	}
	provider, err := op.NewProvider(opCfg, st, op.StaticIssuer(issuer), opts...)
	if err != nil {
		return nil, fmt.Errorf("demoidp: %w", err)
	}
	p := &Provider{issuer: issuer, prefix: prefix, store: st}
	login := &loginPage{store: st, people: cfg.People, callback: op.AuthCallbackURL(provider)}
	mux := http.NewServeMux()
	interceptor := op.NewIssuerInterceptor(provider.IssuerFromRequest)
	mux.Handle("GET "+loginPath, interceptor.Handler(http.HandlerFunc(login.show)))
	mux.Handle("POST "+loginPath, interceptor.Handler(http.HandlerFunc(login.choose)))
	mux.HandleFunc("GET "+loggedOutPath, loggedOut)
	// Browsers reach authorize and end_session; their refusals get a Dutch page.
	mux.Handle(provider.AuthorizationEndpoint().Relative(), dutchRefusals(provider))
	mux.Handle(provider.EndSessionEndpoint().Relative(), dutchRefusals(provider))
	mux.Handle("/", provider)
	p.handler = mux
	return p, nil
}

// Issuer is the provider's issuer URL, as it appears in discovery and tokens.
func (p *Provider) Issuer() string { return p.issuer }

// ServeHTTP serves the provider's endpoints and pages. Mounted under the
// issuer's path on another mux, it strips that path itself.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p.prefix == "" {
		p.handler.ServeHTTP(w, r)
		return
	}
	http.StripPrefix(p.prefix, p.handler).ServeHTTP(w, r)
}

func (p Person) enterprise(kbo string) (Enterprise, bool) {
	i := slices.IndexFunc(p.Enterprises, func(e Enterprise) bool { return e.KBO == kbo })
	if i < 0 {
		return Enterprise{}, false
	}
	return p.Enterprises[i], true
}
