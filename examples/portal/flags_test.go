package main

import (
	"encoding/base64"
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/signin"
)

func TestOIDCFlags(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	withSecret := env(map[string]string{envClientSecret: "geheim"})
	for _, tc := range []struct {
		name    string
		args    []string
		getenv  func(string) string
		wantErr string
		check   func(t *testing.T, c *oidcConfig)
	}{
		{name: "no issuer: the demo", args: nil, getenv: withSecret, check: func(t *testing.T, c *oidcConfig) { assert.Nil(t, c) }},
		{name: "ACM/IDM", args: []string{"-oidc-issuer", "https://authenticatie-ti.vlaanderen.be/op", "-oidc-client-id", "x"}, getenv: withSecret,
			check: func(t *testing.T, c *oidcConfig) {
				assert.Equal(t, signin.ACMIDM, c.Claims)
				assert.Equal(t, signin.ACMIDMScopes, c.Scopes)
				assert.Equal(t, "geheim", c.ClientSecret)
			}},
		{name: "another provider, its own claims", args: []string{"-oidc-issuer", "https://idp.example", "-oidc-client-id", "x", "-oidc-claims", "standard",
			"-oidc-claim-rrn", "nrn", "-oidc-claim-roles", "groups", "-oidc-clerk-role", "loket", "-oidc-scopes", "openid profile nrn"}, getenv: withSecret,
			check: func(t *testing.T, c *oidcConfig) {
				assert.Equal(t, "nrn", c.Claims.INSZ)
				assert.Equal(t, "groups", c.Claims.Roles)
				assert.Equal(t, signin.CapacityCitizen, c.Claims.DefaultCapacity)
				assert.Equal(t, []string{"openid", "profile", "nrn"}, c.Scopes)
				assert.Equal(t, "loket", c.ClerkRole)
			}},
		{name: "no client ID", args: []string{"-oidc-issuer", "https://idp.example"}, getenv: withSecret, wantErr: "-oidc-client-id"},
		{name: "no secret", args: []string{"-oidc-issuer", "https://idp.example", "-oidc-client-id", "x"}, getenv: env(nil), wantErr: envClientSecret},
		{name: "unknown mapping", args: []string{"-oidc-issuer", "https://idp.example", "-oidc-client-id", "x", "-oidc-claims", "saml"}, getenv: withSecret, wantErr: "acmidm or standard"},
		{name: "clerk role without roles claim", args: []string{"-oidc-issuer", "https://idp.example", "-oidc-client-id", "x", "-oidc-clerk-role", "loket"}, getenv: withSecret, wantErr: "-oidc-claim-roles"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("portal", flag.ContinueOnError)
			o := oidcFlags(fs)
			require.NoError(t, fs.Parse(tc.args))
			c, err := o.config(tc.getenv)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			tc.check(t, c)
		})
	}
}

func FuzzCookieSecret(f *testing.F) {
	f.Add(base64.StdEncoding.EncodeToString(make([]byte, 32)))
	f.Add("")
	f.Add("niet base64!")
	f.Add(base64.StdEncoding.EncodeToString(make([]byte, 31)))
	f.Fuzz(func(t *testing.T, v string) {
		b, err := cookieSecret(func(string) string { return v })
		if err == nil && v != "" {
			assert.GreaterOrEqual(t, len(b), 32, "a secret shorter than 32 bytes is refused")
		}
	})
}
