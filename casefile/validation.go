package casefile

import (
	"encoding/hex"
	"math"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// checkDescription adds an error when text is empty or too long.
func checkDescription(c *errs.Collector, field, text string) {
	switch {
	case strings.TrimSpace(text) == "":
		c.Add(field, "required", "is required")
	case len(text) > MaxDescription && utf8.RuneCountInString(text) > MaxDescription:
		c.Add(field, "max", "is longer than %d characters", MaxDescription)
	}
}

func checkRequester(c *errs.Collector, r Requester) {
	switch r.Kind {
	case "":
		if r.ID != "" {
			c.Add("requester.kind", "required", "is required when an id is given")
		}
	case PartyPerson:
		if !validate.INSZ(r.ID) {
			c.Add("requester.id", "insz", "is not a valid national register number (INSZ)")
		}
	case PartyEnterprise:
		if !validate.KBO(r.ID) {
			c.Add("requester.id", "kbo", "is not a valid enterprise number (KBO)")
		}
	default:
		c.Add("requester.kind", "oneof", "must be person or enterprise")
	}
	if r.Email != "" {
		local, domain, ok := strings.Cut(string(r.Email), "@")
		if !ok || local == "" || !strings.Contains(domain, ".") || len(r.Email) > 254 || strings.ContainsAny(string(r.Email), " \t\r\n") {
			c.Add("requester.email", "email", "is not an e-mail address")
		}
	}
	if len(r.Phone) > 30 {
		c.Add("requester.phone", "max", "is longer than 30 characters")
	}
	if len(r.Name.Given) > 200 || len(r.Name.Family) > 200 {
		c.Add("requester.name", "max", "is longer than 200 characters")
	}
}

// CheckLocation validates a location; with belgian set a location is
// required and its point must lie within Belgium's bounding box.
func CheckLocation(l Location, belgian bool) error {
	var c errs.Collector
	checkLocation(&c, l, belgian)
	return c.Err()
}

func checkLocation(c *errs.Collector, l Location, belgian bool) {
	if belgian && l.IsZero() {
		c.Add("location", "required", "an address, a point or a description of the place is required")
	}
	if len(l.AddressID) > 200 || strings.ContainsAny(l.AddressID, "\x00\r\n") {
		c.Add("location.address_id", "max", "is longer than 200 characters or holds a control character")
	}
	if len(l.Text) > 500 {
		c.Add("location.text", "max", "is longer than 500 characters")
	}
	if p := l.Point; l.HasPoint() {
		switch {
		case math.IsNaN(p.Lat) || math.IsNaN(p.Lon) || p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180:
			c.Add("location.point", "wgs84", "is not a WGS84 coordinate")
		case belgian && !p.InBelgium():
			c.Add("location.point", "belgium", "lies outside Belgium (lat %.5f, lon %.5f)", p.Lat, p.Lon)
		}
	}
	if a := l.Address; l.HasAddress() {
		if a.Street == "" {
			c.Add("location.address.street", "required", "is required")
		}
		if a.Municipality == "" {
			c.Add("location.address.municipality", "required", "is required")
		}
		if (a.Country == "" || a.Country == "BE") && !validate.PostalCode(a.PostalCode) {
			c.Add("location.address.postal_code", "be_postcode", "is not a Belgian postal code")
		}
	}
}

func checkAttachment(c *errs.Collector, field string, a Attachment) {
	if a.Name == "" || len(a.Name) > 255 {
		c.Add(field+".name", "required", "is required (at most 255 characters)")
	}
	if !strings.Contains(a.MediaType, "/") {
		c.Add(field+".media_type", "media_type", "is not a media type such as image/jpeg")
	}
	if a.Size <= 0 {
		c.Add(field+".size", "gt", "must be more than 0 bytes")
	}
	if b, err := hex.DecodeString(a.SHA256); err != nil || len(b) != 32 {
		c.Add(field+".sha256", "sha256", "is not a hex SHA-256 digest")
	}
	if u, err := url.Parse(a.URI); err != nil || u.Scheme == "" {
		c.Add(field+".uri", "uri", "is not an absolute URI")
	}
}

func checkActor(c *errs.Collector, a Actor) {
	if a.Role == "" {
		c.Add("actor.role", "required", "is required")
	}
	if a.ID == "" && a.Role != RoleCitizen {
		c.Add("actor.id", "required", "is required for staff")
	}
}

// MaxMediaURL is the longest media URL accepted, in bytes.
const MaxMediaURL = 2000

func checkMediaURL(c *errs.Collector, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s) > MaxMediaURL {
		c.Add("media_url", "url", "is not an http or https URL of at most %d bytes", MaxMediaURL)
	}
}
