package open311

import (
	"net/http"
	"slices"
	"time"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// Update is one entry of GET servicerequestupdates: a public step in a
// request's timeline (a status change, or a public message), in the
// form mySociety's extension gives it and FixMyStreet reads.
type Update struct {
	XMLName          struct{} `json:"-" xml:"request_update"`
	UpdateID         string   `json:"update_id" xml:"update_id"`
	ServiceRequestID string   `json:"service_request_id" xml:"service_request_id"`
	// Status is open or closed.
	Status          string `json:"status" xml:"status"`
	UpdatedDatetime string `json:"updated_datetime" xml:"updated_datetime"`
	Description     string `json:"description" xml:"description"`
	MediaURL        string `json:"media_url" xml:"media_url"`
	// ExternalStatusCode is the case's own status code ("in_progress").
	ExternalStatusCode string `json:"external_status_code,omitempty" xml:"external_status_code,omitempty"`

	at time.Time // orders the list
}

type updateList struct {
	XMLName struct{} `xml:"service_request_updates"`
	Updates []Update `xml:"request_update"`
}

// updates answers GET servicerequestupdates with the public timeline
// entries whose time lies in [start_date, end_date], oldest first; the
// last 24 hours without dates. Only requests the caller may see are
// included, and a Summary category's updates carry no text.
//
// It reads every case of the type updated since start_date, and their
// timelines: fine for a poll every few minutes over a municipality's
// reports, not for a national register.
func (h *Handler) updates(w http.ResponseWriter, r *http.Request, format string) {
	ct, ok := h.caseType(w, format)
	if !ok {
		return
	}
	acc, err := h.access(r)
	if err != nil {
		writeErr(w, format, err)
		return
	}
	var c errs.Collector
	win := parseWindow(r.URL.Query(), &c)
	if err := c.Err(); err != nil {
		writeErr(w, format, err)
		return
	}
	if win.start.IsZero() && win.end.IsZero() {
		win.start = h.now().Add(-24 * time.Hour)
	}
	out := []Update{}
	for cs, err := range h.Service.All(r.Context(), casefile.Query{Type: h.Type, Limit: casefile.MaxLimit}) {
		if err != nil {
			writeErr(w, format, err)
			return
		}
		if len(out) >= h.maxResults() {
			break
		}
		d := h.disclosure(acc, cs.Category)
		if d == Hidden || (!win.start.IsZero() && cs.UpdatedAt.Truncate(time.Second).Before(win.start)) {
			continue
		}
		view, err := h.Service.ClerkView(r.Context(), cs.ID)
		if err != nil {
			writeErr(w, format, err)
			return
		}
		for _, e := range view.Timeline {
			if !e.Public || e.Kind == casefile.EntryCreated || !win.holds(e.At) {
				continue
			}
			u := Update{UpdateID: e.ID.String(), ServiceRequestID: cs.Reference, Status: "open",
				UpdatedDatetime: formatTime(e.At), ExternalStatusCode: e.ToStatus, at: e.At}
			if e.ToStatus == "" {
				u.ExternalStatusCode = cs.Status // a message without a status change
			}
			if st, ok := ct.Status(u.ExternalStatusCode); ok && st.Terminal {
				u.Status = "closed"
			}
			if d == Full {
				u.Description = e.Text
			}
			out = append(out, u)
		}
	}
	slices.SortStableFunc(out, func(a, b Update) int { return a.at.Compare(b.at) })
	if len(out) > h.maxResults() {
		out = out[:h.maxResults()]
	}
	if format == "xml" {
		write(w, format, http.StatusOK, updateList{Updates: out})
		return
	}
	write(w, format, http.StatusOK, out)
}
