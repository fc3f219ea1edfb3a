package signin

import (
	"log/slog"
	"strings"
	"time"

	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Identity is who signed in and in which capacity, as the provider
// asserted it in a verified ID token (and, where configured, its UserInfo
// answer). It holds personal data: its LogValue and String mask it, and
// they never show the raw ID token.
type Identity struct {
	// Subject is the provider's stable identifier of the person ("sub"; in
	// ACM/IDM the PersoonsID).
	Subject string
	// GivenName and FamilyName are the person's names ("voornaam", "naam").
	GivenName, FamilyName string
	// INSZ is the national register number ("rijksregisternummer", claim
	// "rrn" in ACM/IDM), empty when the provider does not assert it.
	INSZ pii.INSZ
	// Capacity is the capacity ("hoedanigheid", "doelgroep") in which the
	// person signed in: as a citizen or for an organisation.
	Capacity Capacity
	// Organisation is the organisation the person acts for, when Capacity
	// is not CapacityCitizen; nil for a citizen.
	Organisation *Organisation
	// Mandate is set when the person acts as a legal representative or under
	// a mandate; nil otherwise.
	Mandate *Mandate
	// Roles are the person's roles in this application as the provider
	// asserted them (ACM/IDM: "Rol" or "Rol:organisatiesleutel"), nil when
	// the mapping names no roles claim.
	Roles []string
	// IDToken is the raw ID token, kept for the id_token_hint of a logout.
	// Never log it or show it.
	IDToken string
	// Expiry is when the ID token expires, in Europe/Brussels.
	Expiry time.Time
}

// HasRole reports whether the provider asserted role, on its own or for
// an organisation ("Rol:0428315871" counts for "Rol"). Use HasRoleFor to
// require the organisation.
func (id Identity) HasRole(role string) bool {
	for _, r := range id.Roles {
		if r == role || strings.HasPrefix(r, role+":") {
			return true
		}
	}
	return false
}

// HasRoleFor reports whether the provider asserted role for the
// organisation with key org ("Rol:org").
func (id Identity) HasRoleFor(role, org string) bool {
	for _, r := range id.Roles {
		if r == role+":"+org {
			return true
		}
	}
	return false
}

// Name returns the person's name as the pii type the domain packages use.
func (id Identity) Name() pii.Name { return pii.Name{Given: id.GivenName, Family: id.FamilyName} }

// LogValue shows the capacity and organisation, the subject's last four
// characters, the name's initials and the national register number's last
// two digits; never the ID token.
func (id Identity) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("subject", maskSubject(id.Subject)),
		slog.Any("name", id.Name()),
		slog.String("capacity", string(id.Capacity)),
	}
	if id.INSZ != "" {
		attrs = append(attrs, slog.Any("insz", id.INSZ))
	}
	if id.Organisation != nil {
		attrs = append(attrs, slog.String("organisation", id.Organisation.Code))
	}
	if id.Mandate != nil {
		attrs = append(attrs, slog.Any("mandate", *id.Mandate))
	}
	if len(id.Roles) > 0 {
		attrs = append(attrs, slog.Any("roles", id.Roles))
	}
	return slog.GroupValue(attrs...)
}

// String returns the same masked summary as LogValue, so printing an
// Identity with fmt by mistake discloses nothing.
func (id Identity) String() string {
	var b strings.Builder
	b.WriteString("signin.Identity{subject=" + maskSubject(id.Subject))
	b.WriteString(" name=" + id.Name().LogValue().String())
	b.WriteString(" capacity=" + string(id.Capacity))
	if id.INSZ != "" {
		b.WriteString(" insz=" + id.INSZ.Masked())
	}
	if id.Organisation != nil {
		b.WriteString(" organisation=" + id.Organisation.Code)
	}
	b.WriteString("}")
	return b.String()
}

// GoString is String, for %#v.
func (id Identity) GoString() string { return id.String() }

func maskSubject(s string) string {
	const keep = 4
	if len(s) <= keep {
		return strings.Repeat("*", len(s))
	}
	return "***" + s[len(s)-keep:]
}

// Capacity is the capacity ("hoedanigheid") in which a person signs in. In
// ACM/IDM it is the claim vo_doelgroepcode, the code of the target group
// ("doelgroep"). Codes this package does not name are kept as they came.
type Capacity string

// The capacities of ACM/IDM's target groups.
const (
	// CapacityCitizen is a citizen acting for themself ("burger", BUR).
	CapacityCitizen Capacity = "BUR"
	// CapacityEconomicActor is a person acting for an enterprise or other
	// organisation with a KBO number ("economische actor", EA).
	CapacityEconomicActor Capacity = "EA"
	// CapacityLocalGovernment is a person acting for a local government
	// ("lokaal bestuur", LB).
	CapacityLocalGovernment Capacity = "LB"
	// CapacityFlemishGovernment is a person acting for an entity of the
	// Flemish government (GID, keyed by OVO code).
	CapacityFlemishGovernment Capacity = "GID"
	// CapacityEducation is a person acting for a school or other education
	// institution ("onderwijs- en vormingsinstelling", OV).
	CapacityEducation Capacity = "OV"
	// CapacityAssociation is a person acting for a de facto association
	// ("feitelijke vereniging", VER).
	CapacityAssociation Capacity = "VER"
)

// ForOrganisation reports whether the capacity is acting for an
// organisation: every capacity but the citizen's.
func (c Capacity) ForOrganisation() bool { return c != CapacityCitizen && c != "" }

// Label returns the capacity in Dutch, for a page ("burger", "economische
// actor"); an unknown code is returned as it is.
func (c Capacity) Label() string {
	switch c {
	case CapacityCitizen:
		return "burger"
	case CapacityEconomicActor:
		return "economische actor"
	case CapacityLocalGovernment:
		return "lokaal bestuur"
	case CapacityFlemishGovernment:
		return "Vlaamse overheid"
	case CapacityEducation:
		return "onderwijs- en vormingsinstelling"
	case CapacityAssociation:
		return "feitelijke vereniging"
	}
	return string(c)
}

// Organisation is the organisation a person signed in for (ACM/IDM claims
// vo_orgcode and vo_orgnaam).
type Organisation struct {
	// Code is the organisation's key in its target group: for an economic
	// actor its enterprise number ("ondernemingsnummer", KBO), checked and
	// held as ten digits; for others (OVO code, institution number) as the
	// provider sent it.
	Code string
	// Name is the organisation's name as the provider sent it.
	Name string
}

// EnterpriseNumber returns the code as an enterprise number in its printed
// form (0202.239.952) when it is a valid one.
func (o Organisation) EnterpriseNumber() (string, bool) {
	n, ok := normaliseKBO(o.Code)
	if !ok {
		return "", false
	}
	return n[0:4] + "." + n[4:7] + "." + n[7:10], true
}

// Mandate is set when a person acts for an organisation as its legal
// representative or under a mandate it gave.
type Mandate struct {
	// LegalRepresentativeOf is the enterprise number of the organisation the
	// person represents by law ("wettelijk vertegenwoordiger", ACM/IDM claim
	// wv_orgcode), or "".
	LegalRepresentativeOf string
	// Mandator is the enterprise number of the organisation that gave the
	// mandate ("mandaatgever", ACM/IDM claim ssm_mandaatgever), or "".
	Mandator string
}
