package payments

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ownerKeys are the payer keys a person sees the invoices of: their
// national register number, and the KBO number of the enterprise they act
// for (the "ondernemersloket"). A clerk has none.
func ownerKeys(p *person) []string {
	var keys []string
	if p.INSZ != "" {
		keys = append(keys, "insz:"+string(p.INSZ))
	}
	if p.Enterprise != nil {
		keys = append(keys, "kbo:"+kboDigits(p.Enterprise.KBO))
	}
	return keys
}

func kboDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func parseID(r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	return id, err == nil
}

// timelineEntry is one line of a dossier's history.
type timelineEntry struct {
	At   time.Time
	Text string
}
