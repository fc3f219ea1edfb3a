package appointment

import (
	"net/mail"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Validate checks the options every iCalendar object needs: RFC 5546
// requires an ORGANIZER in a REQUEST, a CANCEL and a PUBLISH (§3.2.1,
// §3.2.2, §3.2.5), so Organizer must be an e-mail address, and Domain a
// host name that makes the UID "<booking id>@<domain>" globally unique
// (RFC 5545 §3.8.4.7). OrganizerName is optional text. The errors name the
// fields "domain", "organizer" and "organizer_name".
func (o ICSOptions) Validate() error {
	var c errs.Collector
	switch {
	case o.Domain == "":
		c.Add("domain", "required", "is required: it makes each event's UID unique (<booking id>@<domain>)")
	case !hostName(o.Domain):
		c.Add("domain", "hostname", "must be a host name such as afspraken.gent.be")
	}
	if o.Organizer == "" {
		c.Add("organizer", "required", "is required: RFC 5546 requires an ORGANIZER to reply to")
	} else if a, err := mail.ParseAddress(o.Organizer); err != nil || a.Address != o.Organizer || a.Name != "" {
		c.Add("organizer", "email", "must be a bare e-mail address such as afspraken@gent.be")
	}
	validate.CheckText(&c, "organizer_name", o.OrganizerName)
	return c.Err()
}

// hostName reports whether s is a DNS host name: dot-separated labels of
// letters, digits and hyphens, none empty or longer than 63 bytes.
func hostName(s string) bool {
	if len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}
