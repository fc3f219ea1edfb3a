package signin_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/internal/validate"
	"github.com/lokaalbestuur/bouwstenen/pii"
	"github.com/lokaalbestuur/bouwstenen/signin"
)

func TestIdentityFromClaims(t *testing.T) {
	base := func(extra map[string]any) map[string]any {
		c := map[string]any{"sub": "p-1", "given_name": "Jan", "family_name": "Peeters", "rrn": "85.07.30-033.28"}
		for k, v := range extra {
			c[k] = v
		}
		return c
	}
	tests := []struct {
		name    string
		mapping signin.ClaimMapping
		claims  map[string]any
		want    signin.Identity
		err     error
	}{
		{name: "citizen", mapping: signin.ACMIDM, claims: base(map[string]any{"vo_doelgroepcode": "BUR"}),
			want: signin.Identity{Subject: "p-1", GivenName: "Jan", FamilyName: "Peeters", INSZ: "85073003328", Capacity: signin.CapacityCitizen}},
		{name: "citizen with stray organisation claims keeps none", mapping: signin.ACMIDM,
			claims: base(map[string]any{"vo_doelgroepcode": "BUR", "vo_orgcode": "0202239951"}),
			want:   signin.Identity{Subject: "p-1", GivenName: "Jan", FamilyName: "Peeters", INSZ: "85073003328", Capacity: signin.CapacityCitizen}},
		{name: "economic actor, enterprise number printed", mapping: signin.ACMIDM,
			claims: base(map[string]any{"vo_doelgroepcode": "ea", "vo_orgcode": "BE 0428.315.871", "vo_orgnaam": "NV Voorbeeld"}),
			want: signin.Identity{Subject: "p-1", GivenName: "Jan", FamilyName: "Peeters", INSZ: "85073003328", Capacity: signin.CapacityEconomicActor,
				Organisation: &signin.Organisation{Code: "0428315871", Name: "NV Voorbeeld"}}},
		{name: "economic actor, old nine-digit number", mapping: signin.ACMIDM,
			claims: base(map[string]any{"vo_doelgroepcode": "EA", "vo_orgcode": "428315871"}),
			want: signin.Identity{Subject: "p-1", GivenName: "Jan", FamilyName: "Peeters", INSZ: "85073003328", Capacity: signin.CapacityEconomicActor,
				Organisation: &signin.Organisation{Code: "0428315871"}}},
		{name: "legal representative and mandate", mapping: signin.ACMIDM,
			claims: base(map[string]any{"vo_doelgroepcode": "EA", "vo_orgcode": "0428315871", "wv_orgcode": "0428315871", "ssm_mandaatgever": "0207.451.227"}),
			want: signin.Identity{Subject: "p-1", GivenName: "Jan", FamilyName: "Peeters", INSZ: "85073003328", Capacity: signin.CapacityEconomicActor,
				Organisation: &signin.Organisation{Code: "0428315871"},
				Mandate:      &signin.Mandate{LegalRepresentativeOf: "0428315871", Mandator: "0207451227"}}},
		{name: "Flemish government entity keeps its OVO code", mapping: signin.ACMIDM,
			claims: base(map[string]any{"vo_doelgroepcode": "GID", "vo_orgcode": "OVO002949", "vo_orgnaam": "Agentschap"}),
			want: signin.Identity{Subject: "p-1", GivenName: "Jan", FamilyName: "Peeters", INSZ: "85073003328", Capacity: signin.CapacityFlemishGovernment,
				Organisation: &signin.Organisation{Code: "OVO002949", Name: "Agentschap"}}},
		{name: "unknown capacity code kept raw", mapping: signin.ACMIDM,
			claims: base(map[string]any{"vo_doelgroepcode": "XYZ", "vo_orgcode": "K-1"}),
			want: signin.Identity{Subject: "p-1", GivenName: "Jan", FamilyName: "Peeters", INSZ: "85073003328", Capacity: "XYZ",
				Organisation: &signin.Organisation{Code: "K-1"}}},
		{name: "standard mapping makes a citizen", mapping: signin.Standard, claims: base(nil),
			want: signin.Identity{Subject: "p-1", GivenName: "Jan", FamilyName: "Peeters", Capacity: signin.CapacityCitizen}},
		{name: "own claim names", mapping: signin.ClaimMapping{Subject: "uid", GivenName: "fn", FamilyName: "ln", INSZ: "nrn", DefaultCapacity: signin.CapacityCitizen},
			claims: map[string]any{"uid": "u9", "fn": "An", "ln": "Claes", "nrn": "85073003328"},
			want:   signin.Identity{Subject: "u9", GivenName: "An", FamilyName: "Claes", INSZ: "85073003328", Capacity: signin.CapacityCitizen}},
		{name: "roles as a list", mapping: withRoles(signin.Standard), claims: map[string]any{"sub": "u", "iv_bouwstenen_rol_3d": []any{"Loket:0207451227", " Beheer "}},
			want: signin.Identity{Subject: "u", Capacity: signin.CapacityCitizen, Roles: []string{"Loket:0207451227", "Beheer"}}},
		{name: "role as a string", mapping: withRoles(signin.Standard), claims: map[string]any{"sub": "u", "iv_bouwstenen_rol_3d": "Loket"},
			want: signin.Identity{Subject: "u", Capacity: signin.CapacityCitizen, Roles: []string{"Loket"}}},
		{name: "roles with a number", mapping: withRoles(signin.Standard), claims: map[string]any{"sub": "u", "iv_bouwstenen_rol_3d": []any{"Loket", 3.0}}, err: signin.ErrClaims},
		{name: "no subject", mapping: signin.ACMIDM, claims: map[string]any{"vo_doelgroepcode": "BUR"}, err: signin.ErrClaims},
		{name: "blank subject", mapping: signin.ACMIDM, claims: map[string]any{"sub": "  ", "vo_doelgroepcode": "BUR"}, err: signin.ErrClaims},
		{name: "subject not a string", mapping: signin.ACMIDM, claims: map[string]any{"sub": 12.0, "vo_doelgroepcode": "BUR"}, err: signin.ErrClaims},
		{name: "rrn check digits wrong", mapping: signin.ACMIDM, claims: base(map[string]any{"rrn": "85073003329", "vo_doelgroepcode": "BUR"}), err: signin.ErrClaims},
		{name: "rrn as number", mapping: signin.ACMIDM, claims: base(map[string]any{"rrn": 85073003328.0, "vo_doelgroepcode": "BUR"}), err: signin.ErrClaims},
		{name: "no capacity", mapping: signin.ACMIDM, claims: base(nil), err: signin.ErrCapacity},
		{name: "EA without organisation", mapping: signin.ACMIDM, claims: base(map[string]any{"vo_doelgroepcode": "EA"}), err: signin.ErrCapacity},
		{name: "EA with invalid KBO", mapping: signin.ACMIDM, claims: base(map[string]any{"vo_doelgroepcode": "EA", "vo_orgcode": "0428315872"}), err: signin.ErrCapacity},
		{name: "EA with a national register number as organisation", mapping: signin.ACMIDM, claims: base(map[string]any{"vo_doelgroepcode": "EA", "vo_orgcode": "85073003328"}), err: signin.ErrCapacity},
		{name: "mandate with invalid KBO", mapping: signin.ACMIDM, claims: base(map[string]any{"vo_doelgroepcode": "BUR", "ssm_mandaatgever": "123"}), err: signin.ErrCapacity},
		{name: "organisation code not a string", mapping: signin.ACMIDM, claims: base(map[string]any{"vo_doelgroepcode": "EA", "vo_orgcode": []any{"0428315871"}}), err: signin.ErrClaims},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := signin.IdentityFromClaims(tt.mapping, tt.claims)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.Equal(t, signin.Identity{}, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func withRoles(m signin.ClaimMapping) signin.ClaimMapping {
	m.Roles = "iv_bouwstenen_rol_3d"
	return m
}

func TestRoles(t *testing.T) {
	id := signin.Identity{Roles: []string{"Loket:0207451227", "Beheer"}}
	assert.True(t, id.HasRole("Loket"))
	assert.True(t, id.HasRole("Beheer"))
	assert.False(t, id.HasRole("Lok"))
	assert.True(t, id.HasRoleFor("Loket", "0207451227"))
	assert.False(t, id.HasRoleFor("Loket", "0428315871"))
	assert.False(t, id.HasRoleFor("Beheer", "0207451227"))
}

// FuzzIdentityFromClaims holds the mapping to its promises whatever the
// provider sends: an identity it returns has a subject, a valid national
// register number if any, an organisation exactly when the capacity is not
// a citizen's, and a valid ten-digit enterprise number for an economic
// actor and a mandate.
func FuzzIdentityFromClaims(f *testing.F) {
	f.Add("p-1", "85073003328", "EA", "0428315871", "0207451227", "")
	f.Add("p-1", "85.07.30-033.28", "BUR", "", "", "")
	f.Add("p-1", "", "LB", "OVO1", "", "0428.315.871")
	f.Add("", "x", "", "", "", "")
	f.Fuzz(func(t *testing.T, sub, rrn, capacity, org, wv, ssm string) {
		claims := map[string]any{"sub": sub, "rrn": rrn, "vo_doelgroepcode": capacity, "vo_orgcode": org, "wv_orgcode": wv, "ssm_mandaatgever": ssm}
		id, err := signin.IdentityFromClaims(signin.ACMIDM, claims)
		if err != nil {
			assert.Equal(t, signin.Identity{}, id)
			return
		}
		assert.NotEmpty(t, id.Subject)
		if id.INSZ != "" {
			_, ok := pii.ParseINSZ(string(id.INSZ))
			assert.True(t, ok)
		}
		assert.NotEmpty(t, id.Capacity)
		assert.Equal(t, id.Capacity.ForOrganisation(), id.Organisation != nil)
		if id.Capacity == signin.CapacityEconomicActor {
			assert.Len(t, id.Organisation.Code, 10)
			assert.True(t, validate.KBO(id.Organisation.Code))
		}
		if id.Mandate != nil {
			for _, code := range []string{id.Mandate.LegalRepresentativeOf, id.Mandate.Mandator} {
				if code != "" {
					assert.Len(t, code, 10)
					assert.True(t, validate.KBO(code))
				}
			}
		}
	})
}

func TestIdentityHidesPersonalData(t *testing.T) {
	id := signin.Identity{
		Subject: "acm-8c2f1e7a", GivenName: "Jan", FamilyName: "Peeters", INSZ: "85073003328",
		Capacity: signin.CapacityEconomicActor, Organisation: &signin.Organisation{Code: "0428315871", Name: "NV Voorbeeld"},
		IDToken: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhY20ifQ.c2lnbmF0dXJl",
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("signed in", "who", id)
	logged := buf.String()
	printed := fmt.Sprintf("%v %+v %#v %s", id, id, id, id)
	for _, out := range []string{logged, printed} {
		for _, secret := range []string{"850730", "85073003328", "Jan", "Peeters", "eyJ", "8c2f1e"} {
			assert.NotContains(t, out, secret)
		}
		assert.Contains(t, out, "*********28")
		assert.Contains(t, out, "0428315871")
		assert.Contains(t, out, "EA")
	}
	assert.Contains(t, logged, `"subject":"***1e7a"`)
}

func TestCapacityLabels(t *testing.T) {
	assert.Equal(t, "burger", signin.CapacityCitizen.Label())
	assert.Equal(t, "economische actor", signin.CapacityEconomicActor.Label())
	assert.Equal(t, "XYZ", signin.Capacity("XYZ").Label())
	assert.False(t, signin.CapacityCitizen.ForOrganisation())
	assert.True(t, signin.CapacityEconomicActor.ForOrganisation())
	n, ok := signin.Organisation{Code: "0428315871"}.EnterpriseNumber()
	assert.True(t, ok)
	assert.Equal(t, "0428.315.871", n)
	_, ok = signin.Organisation{Code: "OVO002949"}.EnterpriseNumber()
	assert.False(t, ok)
}
