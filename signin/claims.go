package signin

import (
	"strings"

	"github.com/lokaalbestuur/bouwstenen/internal/validate"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// ClaimMapping names, for each field of an Identity, the claim that carries
// it. An empty name means the provider does not assert that field. ACMIDM
// is the mapping for the Flemish government's provider; Standard suits a
// provider that asserts only the OpenID Connect standard claims.
type ClaimMapping struct {
	Subject    string
	GivenName  string
	FamilyName string
	// INSZ names the claim with the national register number.
	INSZ string
	// Capacity names the claim with the capacity code (BUR, EA, ...).
	Capacity string
	// OrganisationCode and OrganisationName name the claims with the chosen
	// organisation's key and name.
	OrganisationCode string
	OrganisationName string
	// LegalRepresentativeOf and Mandator name the claims for a mandate.
	LegalRepresentativeOf string
	Mandator              string
	// Roles names the claim with the person's roles in this application.
	// ACM/IDM names it after the application, "<toepassing>_rol_3d" (the
	// integration file says which), so ACMIDM leaves it empty; set it.
	Roles string
	// DefaultCapacity is the capacity of a token without a capacity claim.
	// Empty means such a token is refused with ErrCapacity.
	DefaultCapacity Capacity
}

// ACMIDM maps the claims of the Flemish government's access and identity
// management (ACM/IDM, "Vlaams Toegangsbeheer"), scopes openid, profile,
// rrn and vo (see ACMIDMScopes). A token without vo_doelgroepcode is
// refused: ask for the vo scope.
var ACMIDM = ClaimMapping{
	Subject:               "sub",
	GivenName:             "given_name",
	FamilyName:            "family_name",
	INSZ:                  "rrn",
	Capacity:              "vo_doelgroepcode",
	OrganisationCode:      "vo_orgcode",
	OrganisationName:      "vo_orgnaam",
	LegalRepresentativeOf: "wv_orgcode",
	Mandator:              "ssm_mandaatgever",
}

// ACMIDMScopes are the scopes to ask ACM/IDM for with the ACMIDM mapping.
// The integration file ("integratiedossier") must grant them to the client.
var ACMIDMScopes = []string{"openid", "profile", "rrn", "vo"}

// Standard maps the OpenID Connect standard claims (sub, given_name,
// family_name) and signs everyone in as a citizen.
var Standard = ClaimMapping{
	Subject:         "sub",
	GivenName:       "given_name",
	FamilyName:      "family_name",
	DefaultCapacity: CapacityCitizen,
}

// names lists the claims the mapping reads.
func (m ClaimMapping) names() []string {
	var out []string
	for _, n := range []string{m.Subject, m.GivenName, m.FamilyName, m.INSZ, m.Capacity,
		m.OrganisationCode, m.OrganisationName, m.LegalRepresentativeOf, m.Mandator, m.Roles} {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// IdentityFromClaims builds an Identity from verified claims by the mapping.
// It fails with ErrClaims when the subject is missing, a claim is not a
// string or the national register number is invalid, and with ErrCapacity
// when the capacity is missing (and the mapping has no default), an
// organisation capacity names no organisation, an economic actor's
// enterprise number is invalid or a mandate names an invalid one. A
// citizen's token that also names an organisation yields no Organisation:
// the capacity decides.
func IdentityFromClaims(m ClaimMapping, claims map[string]any) (Identity, error) {
	var id Identity
	str := func(name string) (string, error) {
		if name == "" {
			return "", nil
		}
		v, ok := claims[name]
		if !ok || v == nil {
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", fail(ErrClaims, "claim %q is not a string", name)
		}
		return strings.TrimSpace(s), nil
	}
	var err error
	sub := m.Subject
	if sub == "" {
		sub = "sub"
	}
	if id.Subject, err = str(sub); err != nil {
		return Identity{}, err
	}
	if id.Subject == "" {
		return Identity{}, fail(ErrClaims, "no subject")
	}
	if id.GivenName, err = str(m.GivenName); err != nil {
		return Identity{}, err
	}
	if id.FamilyName, err = str(m.FamilyName); err != nil {
		return Identity{}, err
	}
	rrn, err := str(m.INSZ)
	if err != nil {
		return Identity{}, err
	}
	if rrn != "" {
		n, ok := pii.ParseINSZ(rrn)
		if !ok {
			return Identity{}, fail(ErrClaims, "claim %q is not a valid national register number", m.INSZ)
		}
		id.INSZ = n
	}

	capCode, err := str(m.Capacity)
	if err != nil {
		return Identity{}, err
	}
	id.Capacity = Capacity(strings.ToUpper(capCode))
	if id.Capacity == "" {
		id.Capacity = m.DefaultCapacity
	}
	if id.Capacity == "" {
		return Identity{}, fail(ErrCapacity, "no capacity asserted (claim %q)", m.Capacity)
	}
	if id.Capacity.ForOrganisation() {
		code, err := str(m.OrganisationCode)
		if err != nil {
			return Identity{}, err
		}
		name, err := str(m.OrganisationName)
		if err != nil {
			return Identity{}, err
		}
		if code == "" {
			return Identity{}, fail(ErrCapacity, "capacity %s without an organisation (claim %q)", id.Capacity, m.OrganisationCode)
		}
		if id.Capacity == CapacityEconomicActor {
			kbo, ok := normaliseKBO(code)
			if !ok {
				return Identity{}, fail(ErrCapacity, "claim %q is not a valid enterprise number", m.OrganisationCode)
			}
			code = kbo
		}
		id.Organisation = &Organisation{Code: code, Name: name}
	}

	var mandate Mandate
	for _, f := range []struct {
		claim string
		into  *string
	}{{m.LegalRepresentativeOf, &mandate.LegalRepresentativeOf}, {m.Mandator, &mandate.Mandator}} {
		v, err := str(f.claim)
		if err != nil {
			return Identity{}, err
		}
		if v == "" {
			continue
		}
		kbo, ok := normaliseKBO(v)
		if !ok {
			return Identity{}, fail(ErrCapacity, "claim %q is not a valid enterprise number", f.claim)
		}
		*f.into = kbo
	}
	if mandate != (Mandate{}) {
		id.Mandate = &mandate
	}
	if id.Roles, err = strs(claims, m.Roles); err != nil {
		return Identity{}, err
	}
	return id, nil
}

// strs reads a claim that holds one string or an array of strings.
func strs(claims map[string]any, name string) ([]string, error) {
	if name == "" {
		return nil, nil
	}
	switch v := claims[name].(type) {
	case nil:
		return nil, nil
	case string:
		if v = strings.TrimSpace(v); v == "" {
			return nil, nil
		}
		return []string{v}, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, fail(ErrClaims, "claim %q holds a value that is not a string", name)
			}
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	}
	return nil, fail(ErrClaims, "claim %q is neither a string nor a list of strings", name)
}

// normaliseKBO returns a valid enterprise number ("ondernemingsnummer") as
// its ten digits: dots, spaces and a leading "BE" dropped, the old
// nine-digit form given its leading 0.
func normaliseKBO(s string) (string, bool) {
	if !validate.KBO(s) {
		return "", false
	}
	d := make([]byte, 0, 10)
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	if len(d) == 9 {
		d = append([]byte{'0'}, d...)
	}
	return string(d), true
}
