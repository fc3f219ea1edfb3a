package main

import (
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/signin"
)

// Environment variables with the secrets, which never go on a command line.
const (
	envClientSecret = "BOUWSTENEN_OIDC_CLIENT_SECRET"
	// envCookieSecret holds 32 random bytes or more, base64-encoded (openssl
	// rand -base64 32): the same on every instance.
	envCookieSecret = "BOUWSTENEN_COOKIE_SECRET"
)

// oidcOptions are the flags of a real OpenID provider.
type oidcOptions struct {
	issuer, clientID, scopes, claims, clerkRole *string
	claim                                       map[string]*string
}

// oidcFlags defines the provider's flags on fs.
func oidcFlags(fs *flag.FlagSet) *oidcOptions {
	o := &oidcOptions{
		issuer:    fs.String("oidc-issuer", "", "the OpenID provider's issuer URL (ACM/IDM: https://authenticatie.vlaanderen.be/op); empty runs the demo provider"),
		clientID:  fs.String("oidc-client-id", "", "the portal's client ID at the provider; the secret comes from $"+envClientSecret),
		scopes:    fs.String("oidc-scopes", "", "scopes, space-separated (default: openid profile rrn vo with -oidc-claims acmidm, openid profile otherwise)"),
		claims:    fs.String("oidc-claims", "acmidm", "claims mapping to start from: acmidm or standard (sub, given_name, family_name; everyone a citizen)"),
		clerkRole: fs.String("oidc-clerk-role", "", "the role value that makes a clerk (loketmedewerker), in the claim of -oidc-claim-roles"),
		claim:     map[string]*string{},
	}
	for _, c := range []struct{ name, usage string }{
		{"sub", "the subject"}, {"given-name", "the given name"}, {"family-name", "the family name"},
		{"rrn", "the national register number (rijksregisternummer)"}, {"capacity", "the capacity code (BUR, EA)"},
		{"orgcode", "the enterprise number (KBO) of the organisation acted for"}, {"orgname", "its name"},
		{"roles", "the application roles (ACM/IDM: <toepassing>_rol_3d)"},
	} {
		o.claim[c.name] = fs.String("oidc-claim-"+c.name, "", "claim with "+c.usage+" (overrides -oidc-claims)")
	}
	return o
}

// config returns the provider's configuration, or nil without -oidc-issuer.
func (o *oidcOptions) config(getenv func(string) string) (*oidcConfig, error) {
	if *o.issuer == "" {
		return nil, nil
	}
	if *o.clientID == "" {
		return nil, errors.New("-oidc-issuer needs -oidc-client-id")
	}
	secret := getenv(envClientSecret)
	if secret == "" {
		return nil, fmt.Errorf("-oidc-issuer needs the client secret in $%s", envClientSecret)
	}
	cfg := &oidcConfig{Issuer: *o.issuer, ClientID: *o.clientID, ClientSecret: secret, ClerkRole: *o.clerkRole}
	switch *o.claims {
	case "acmidm":
		cfg.Claims, cfg.Scopes = signin.ACMIDM, signin.ACMIDMScopes
	case "standard":
		cfg.Claims, cfg.Scopes = signin.Standard, []string{"openid", "profile"}
	default:
		return nil, fmt.Errorf("-oidc-claims %q: want acmidm or standard", *o.claims)
	}
	if *o.scopes != "" {
		cfg.Scopes = strings.Fields(*o.scopes)
	}
	for name, into := range map[string]*string{
		"sub": &cfg.Claims.Subject, "given-name": &cfg.Claims.GivenName, "family-name": &cfg.Claims.FamilyName,
		"rrn": &cfg.Claims.INSZ, "capacity": &cfg.Claims.Capacity, "orgcode": &cfg.Claims.OrganisationCode,
		"orgname": &cfg.Claims.OrganisationName, "roles": &cfg.Claims.Roles,
	} {
		if v := *o.claim[name]; v != "" {
			*into = v
		}
	}
	if cfg.ClerkRole != "" && cfg.Claims.Roles == "" {
		return nil, errors.New("-oidc-clerk-role needs -oidc-claim-roles: the claim that holds the roles")
	}
	return cfg, nil
}

// cookieSecret reads the cookie secret from the environment; nil when it
// is unset (one instance: a random one is made).
func cookieSecret(getenv func(string) string) ([]byte, error) {
	v := getenv(envCookieSecret)
	if v == "" {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(b) < 32 {
		return nil, fmt.Errorf("$%s must hold 32 bytes or more, base64-encoded", envCookieSecret)
	}
	return b, nil
}
