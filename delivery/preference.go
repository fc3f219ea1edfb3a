package delivery

import (
	"log/slog"
	"time"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// PartyKind says whether a party is a person or an enterprise.
type PartyKind string

// Party kinds.
const (
	Person     PartyKind = "person"     // identified by INSZ ("rijksregisternummer")
	Enterprise PartyKind = "enterprise" // identified by KBO number ("ondernemingsnummer")
)

// Party is the addressee of a document: a person or an enterprise.
type Party struct {
	Kind PartyKind `json:"kind"`
	// ID is the INSZ of a person or the KBO number of an enterprise, digits only.
	ID string `json:"id"`
}

// LogValue masks the identifier: it is personal data for a person.
func (p Party) LogValue() slog.Value {
	return slog.StringValue(string(p.Kind) + ":" + pii.INSZ(p.ID).Masked())
}

// String returns "kind:id"; it is the key stores use.
func (p Party) String() string { return string(p.Kind) + ":" + p.ID }

// Validate checks the identifier against its kind.
func (p Party) Validate() error {
	switch p.Kind {
	case Person:
		if !validate.INSZ(p.ID) || len(p.ID) != 11 {
			return errs.Invalid("party.id", "insz", "not a valid INSZ (11 digits)")
		}
	case Enterprise:
		if !validate.KBO(p.ID) || len(p.ID) != 10 {
			return errs.Invalid("party.id", "kbo", "not a valid KBO number (10 digits)")
		}
	default:
		return errs.Invalid("party.kind", "oneof", "must be person or enterprise")
	}
	return nil
}

// Consent ("toestemming") records that a party agreed, or withdrew agreement,
// to receive documents on a digital channel, with when and how.
type Consent struct {
	Channel ChannelKind `json:"channel"`
	Given   bool        `json:"given"`
	At      time.Time   `json:"at"`
	// Source says where the consent was captured, e.g. "mijnburgerprofiel",
	// "loket", "webform".
	Source string `json:"source"`
}

// Preference ("voorkeur") is one version of a party's choices. Every change
// is stored as a new version; older versions stay available as history.
type Preference struct {
	Party     Party                    `json:"party"`
	Preferred ChannelKind              `json:"preferred"`
	Overrides map[Category]ChannelKind `json:"overrides,omitempty"`
	Consents  []Consent                `json:"consents,omitempty"`
	Email     pii.Email                `json:"email,omitempty"`
	// EmailVerified is true once the party confirmed the address.
	EmailVerified bool         `json:"email_verified"`
	Address       *pii.Address `json:"address,omitempty"`
	Version       int          `json:"version"`
	ChangedAt     time.Time    `json:"changed_at"`
	// ChangedBy says who or what made this version ("burger", "loket", ...).
	ChangedBy string `json:"changed_by"`
}

// ChannelFor returns the channel the party wants for a category: the
// override when there is one, else the preferred channel.
func (p Preference) ChannelFor(c Category) ChannelKind {
	if ch, ok := p.Overrides[c]; ok {
		return ch
	}
	return p.Preferred
}

// ConsentFor returns the latest consent record for a channel. A withdrawn
// consent is returned too (Given false) so the decision can cite it.
func (p Preference) ConsentFor(ch ChannelKind) (Consent, bool) {
	var best Consent
	found := false
	for _, c := range p.Consents {
		if c.Channel == ch && (!found || !c.At.Before(best.At)) {
			best, found = c, true
		}
	}
	return best, found
}

// Validate checks a preference as a whole before it is stored.
func (p Preference) Validate() error {
	var c errs.Collector
	c.Merge("", p.Party.Validate())
	c.Merge("", validate.Input(p))
	if p.Preferred != "" && !p.Preferred.Valid() {
		c.Add("preferred", "oneof", "unknown channel %q", p.Preferred)
	}
	for cat, ch := range p.Overrides {
		if !ch.Valid() {
			c.Add("overrides."+string(cat), "oneof", "unknown channel %q", ch)
		}
	}
	for i, k := range p.Consents {
		if !k.Channel.Valid() {
			c.Add("consents", "oneof", "consent %d: unknown channel %q", i, k.Channel)
		}
		if k.At.IsZero() || k.Source == "" {
			c.Add("consents", "required", "consent %d needs a time and a source", i)
		}
	}
	if p.Email != "" && !validEmail(string(p.Email)) {
		c.Add("email", "email", "not an e-mail address")
	}
	if p.Address != nil {
		if err := validate.Struct(p.Address); err != nil {
			c.Merge("address", err)
		} else if (p.Address.Country == "" || p.Address.Country == "BE") && !validate.PostalCode(p.Address.PostalCode) {
			c.Add("address.postal_code", "be_postcode", "not a Belgian postal code")
		}
	}
	if p.Preferred == ChannelEmail && p.Email == "" {
		c.Add("email", "required", "an e-mail address is needed for the e-mail channel")
	}
	if p.Preferred == ChannelPaper && p.Address == nil {
		c.Add("address", "required", "a postal address is needed for paper")
	}
	return c.Err()
}

func validEmail(s string) bool {
	local, domain, ok := cutLast(s, '@')
	if !ok || local == "" || len(domain) < 3 || len(s) > 254 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == '<' || s[i] == '>' || s[i] == '\r' || s[i] == '\n' || s[i] == ',' {
			return false
		}
	}
	return true
}

func cutLast(s string, b byte) (string, string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == b {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func (p Preference) clone() Preference {
	q := p
	if p.Overrides != nil {
		q.Overrides = make(map[Category]ChannelKind, len(p.Overrides))
		for k, v := range p.Overrides {
			q.Overrides[k] = v
		}
	}
	q.Consents = append([]Consent(nil), p.Consents...)
	if p.Address != nil {
		a := *p.Address
		q.Address = &a
	}
	return q
}
