package payments

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ownerKeys are the payer keys a person sees the invoices of: signed in
// for an enterprise, its KBO number (the "ondernemersloket") and not
// their own; as a citizen, their national register number. A clerk has none.
func ownerKeys(p *person) []string {
	switch {
	case p.Enterprise != nil:
		return []string{"kbo:" + kboDigits(p.Enterprise.KBO)}
	case p.INSZ != "":
		return []string{"insz:" + string(p.INSZ)}
	}
	return nil
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
