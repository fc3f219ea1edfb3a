package open311

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Request is a service request as GeoReport v2 shows it.
type Request struct {
	XMLName           struct{} `json:"-" xml:"request"`
	ServiceRequestID  string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"` // open or closed
	StatusNotes       string   `json:"status_notes,omitempty" xml:"status_notes,omitempty"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	Description       string   `json:"description" xml:"description"`
	AgencyResponsible string   `json:"agency_responsible,omitempty" xml:"agency_responsible,omitempty"`
	ServiceNotice     string   `json:"service_notice,omitempty" xml:"service_notice,omitempty"`
	RequestedDatetime string   `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime" xml:"updated_datetime"`
	ExpectedDatetime  string   `json:"expected_datetime,omitempty" xml:"expected_datetime,omitempty"`
	Address           string   `json:"address,omitempty" xml:"address,omitempty"`
	Zipcode           string   `json:"zipcode,omitempty" xml:"zipcode,omitempty"`
	Lat               *float64 `json:"lat,omitempty" xml:"lat,omitempty"`
	Long              *float64 `json:"long,omitempty" xml:"long,omitempty"`
}

type requestList struct {
	XMLName  struct{}  `xml:"service_requests"`
	Requests []Request `xml:"request"`
}

// Created is the answer to a POST.
type Created struct {
	XMLName          struct{} `json:"-" xml:"request"`
	ServiceRequestID string   `json:"service_request_id" xml:"service_request_id"`
	ServiceNotice    string   `json:"service_notice,omitempty" xml:"service_notice,omitempty"`
	AccountID        string   `json:"account_id,omitempty" xml:"account_id,omitempty"`
}

type createdList struct {
	XMLName  struct{}  `xml:"service_requests"`
	Requests []Created `xml:"request"`
}

func serviceCode(c *casefile.Case) string {
	if c.Subcategory != "" {
		return c.Category + "." + c.Subcategory
	}
	return c.Category
}

func (h *Handler) toRequest(ct *casefile.CaseType, c *casefile.Case) Request {
	r := Request{
		ServiceRequestID: c.Reference, Status: "open", ServiceCode: serviceCode(c), Description: c.Description,
		AgencyResponsible: h.Agency, RequestedDatetime: formatTime(c.CreatedAt), UpdatedDatetime: formatTime(c.UpdatedAt),
		ExpectedDatetime: formatTime(c.Due),
	}
	if c.Closed {
		r.Status = "closed"
	}
	if st, ok := ct.Status(c.Status); ok {
		r.StatusNotes = st.Label.In(h.lang())
		if res, ok := ct.Result(c.Result); ok {
			r.StatusNotes += ": " + res.Label.In(h.lang())
		}
	}
	for _, s := range Services(ct, h.lang()) {
		if s.ServiceCode == r.ServiceCode {
			r.ServiceName = s.ServiceName
		}
	}
	if c.Location.HasAddress() {
		r.Address = c.Location.Address.String()
		r.Zipcode = c.Location.Address.PostalCode
	} else {
		r.Address = c.Location.Text
	}
	if c.Location.HasPoint() {
		lat, long := c.Location.Point.Lat, c.Location.Point.Lon
		r.Lat, r.Long = &lat, &long
	}
	return r
}

func (h *Handler) caseType(w http.ResponseWriter, format string) (*casefile.CaseType, bool) {
	ct, ok := h.Service.CaseType(h.Type)
	if !ok {
		writeErrors(w, format, http.StatusInternalServerError, Error{Code: 500, Description: "case type not configured"})
	}
	return ct, ok
}

// parseCreate turns the form of a POST into a casefile request; bad
// numbers are reported with the Open311 parameter names.
func (h *Handler) parseCreate(r *http.Request) (casefile.CreateRequest, error) {
	var c errs.Collector
	if err := r.ParseForm(); err != nil {
		c.Add("body", "form", "is not a valid form: %v", err)
		return casefile.CreateRequest{}, c.Err()
	}
	f := r.PostForm
	code := f.Get("service_code")
	category, sub, _ := strings.Cut(code, ".")
	if code == "" {
		c.Add("service_code", "required", "is required")
	}
	req := casefile.CreateRequest{
		Type: h.Type, Category: category, Subcategory: sub, Channel: casefile.ChannelApp,
		Description: f.Get("description"),
		Requester: casefile.Requester{Email: pii.Email(f.Get("email")), Phone: pii.Phone(f.Get("phone")),
			Name: pii.Name{Given: f.Get("first_name"), Family: f.Get("last_name")}},
		Actor: casefile.Actor{ID: firstOf(f.Get("account_id"), f.Get("device_id")), Role: casefile.RoleCitizen},
	}
	latS, longS := f.Get("lat"), f.Get("long")
	switch {
	case latS != "" || longS != "":
		lat, err1 := strconv.ParseFloat(latS, 64)
		long, err2 := strconv.ParseFloat(longS, 64)
		if err1 != nil || err2 != nil {
			c.Add("lat/long", "number", "lat and long must both be decimal degrees")
		}
		req.Location.Point = casefile.Point{Lat: lat, Lon: long}
	case f.Get("address_string") == "" && f.Get("address_id") == "":
		c.Add("location", "required", "lat/long, address_string or address_id is required")
	}
	req.Location.Text = firstOf(f.Get("address_string"), f.Get("address_id"))
	return req, c.Err()
}

// idempotencyKeyMax is the longest Idempotency-Key header a client may send.
const idempotencyKeyMax = 255

// hasComment reports whether c's timeline already holds text: a retried
// POST (same Idempotency-Key) returns the first case, which has it.
func (h *Handler) hasComment(r *http.Request, c *casefile.Case, text string) bool {
	if c.IdempotencyKey == "" {
		return false
	}
	v, err := h.Service.ClerkView(r.Context(), c.ID)
	if err != nil {
		return false
	}
	for _, e := range v.Timeline {
		if e.Kind == casefile.EntryCommented && e.Text == text {
			return true
		}
	}
	return false
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request, format string) {
	req, err := h.parseCreate(r)
	if err != nil {
		writeErr(w, format, err)
		return
	}
	if key := r.Header.Get("Idempotency-Key"); key != "" {
		if len(key) > idempotencyKeyMax {
			writeErrors(w, format, http.StatusBadRequest, Error{Code: 400, Description: fmt.Sprintf("Idempotency-Key: at most %d bytes", idempotencyKeyMax)})
			return
		}
		// Keys are the client's: scope them by its API key, so one
		// client's key never finds another client's request.
		// The stored key is a digest, so a client may send any key up to
		// the SDK's length, whatever its API key.
		sum := sha256.Sum256([]byte(r.PostForm.Get("api_key") + "\x00" + key))
		req.IdempotencyKey = "open311:" + hex.EncodeToString(sum[:])
	}
	c, err := h.Service.Create(r.Context(), req)
	if err != nil {
		writeErr(w, format, err)
		return
	}
	if media := r.PostForm.Get("media_url"); media != "" && !h.hasComment(r, c, "media_url: "+media) {
		// Open311 gives a URL without size or digest, so it cannot be an
		// attachment; keep it for the clerk.
		_, _ = h.Service.Comment(r.Context(), casefile.CommentRequest{CaseID: c.ID, Text: "media_url: " + media, Actor: req.Actor})
	}
	out := Created{ServiceRequestID: c.Reference, ServiceNotice: h.Notice, AccountID: r.PostForm.Get("account_id")}
	if format == "xml" {
		write(w, format, http.StatusCreated, createdList{Requests: []Created{out}})
		return
	}
	write(w, format, http.StatusCreated, []Created{out})
}

func (h *Handler) one(w http.ResponseWriter, r *http.Request, format, id string) {
	ct, ok := h.caseType(w, format)
	if !ok {
		return
	}
	c, err := h.Service.GetByReference(r.Context(), id)
	if err == nil && c.Type != h.Type {
		err = casefile.ErrNotFound
	}
	if err != nil {
		writeErr(w, format, err)
		return
	}
	h.writeRequests(w, format, []Request{h.toRequest(ct, c)})
}

func (h *Handler) writeRequests(w http.ResponseWriter, format string, list []Request) {
	if format == "xml" {
		write(w, format, http.StatusOK, requestList{Requests: list})
		return
	}
	write(w, format, http.StatusOK, list)
}

// list answers GET requests.json with the filters GeoReport v2 defines:
// service_request_id (a comma-separated list), service_code, status
// (open or closed), start_date and end_date (on requested_datetime).
// Without dates it shows the last 90 days, as the specification suggests.
func (h *Handler) list(w http.ResponseWriter, r *http.Request, format string) {
	ct, ok := h.caseType(w, format)
	if !ok {
		return
	}
	q := r.URL.Query()
	var c errs.Collector
	if ids := q.Get("service_request_id"); ids != "" {
		var out []Request
		for _, ref := range strings.Split(ids, ",") {
			cs, err := h.Service.GetByReference(r.Context(), strings.TrimSpace(ref))
			if err == nil && cs.Type == h.Type {
				out = append(out, h.toRequest(ct, cs))
			}
		}
		h.writeRequests(w, format, nonNil(out))
		return
	}
	parseDate := func(name string) time.Time {
		s := q.Get(name)
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			c.Add(name, "w3c_datetime", "is not a W3C date-time such as 2026-03-02T09:00:00+01:00")
		}
		return t
	}
	start, end := parseDate("start_date"), parseDate("end_date")
	status := q.Get("status")
	if status != "" && status != "open" && status != "closed" {
		c.Add("status", "oneof", "must be open or closed")
	}
	if err := c.Err(); err != nil {
		writeErr(w, format, err)
		return
	}
	if start.IsZero() && end.IsZero() {
		start = h.now().AddDate(0, 0, -90)
	}
	category, sub, _ := strings.Cut(q.Get("service_code"), ".")
	out := []Request{}
	for cs, err := range h.Service.All(r.Context(), casefile.Query{Type: h.Type, Category: category, OpenOnly: status == "open", Limit: casefile.MaxLimit}) {
		if err != nil {
			writeErr(w, format, err)
			return
		}
		switch {
		case sub != "" && cs.Subcategory != sub,
			status == "closed" && !cs.Closed,
			!start.IsZero() && cs.CreatedAt.Before(start),
			!end.IsZero() && cs.CreatedAt.After(end):
			continue
		}
		out = append(out, h.toRequest(ct, cs))
		if len(out) == h.maxResults() {
			break
		}
	}
	h.writeRequests(w, format, out)
}

func nonNil(rs []Request) []Request {
	if rs == nil {
		return []Request{}
	}
	return rs
}
