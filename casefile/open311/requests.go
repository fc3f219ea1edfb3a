package open311

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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
	AddressID         string   `json:"address_id,omitempty" xml:"address_id,omitempty"`
	Zipcode           string   `json:"zipcode,omitempty" xml:"zipcode,omitempty"`
	Lat               *float64 `json:"lat,omitempty" xml:"lat,omitempty"`
	Long              *float64 `json:"long,omitempty" xml:"long,omitempty"`
	MediaURL          string   `json:"media_url,omitempty" xml:"media_url,omitempty"`
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

// toRequest shows c as disclosed by d (not Hidden).
func (h *Handler) toRequest(ctx context.Context, ct *casefile.CaseType, c *casefile.Case, d Disclosure) Request {
	r := Request{
		ServiceRequestID: c.Reference, Status: "open", ServiceCode: serviceCode(c),
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
	addr := c.Location.Address
	if !c.Location.HasAddress() && c.Location.HasPoint() && h.Addresses != nil {
		if a, err := h.Addresses.Reverse(ctx, c.Location.Point); err == nil {
			addr = a
		}
	}
	if c.Location.HasPoint() {
		lat, long := c.Location.Point.Lat, c.Location.Point.Lon
		if d < Full {
			lat, long = coarse(lat), coarse(long)
		}
		r.Lat, r.Long = &lat, &long
	}
	if d < Full {
		// The street and the municipality, not the door; none of the
		// reporter's own words (description, place in words, photo).
		if addr.Street != "" {
			r.Address = strings.TrimSpace(addr.Street + ", " + addr.PostalCode + " " + addr.Municipality)
			r.Zipcode = addr.PostalCode
		}
		return r
	}
	r.Description, r.MediaURL, r.AddressID = c.Description, c.MediaURL, c.Location.AddressID
	if addr != (pii.Address{}) {
		r.Address, r.Zipcode = addr.String(), addr.PostalCode
	} else {
		r.Address = c.Location.Text
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

// errUnknownService is a POST for a service_code the case type lacks:
// 404, as the specification says.
type errUnknownService struct{ code string }

func (e errUnknownService) Error() string { return "service_code " + e.code + " not found" }

// parseCreate turns the form of a POST into a casefile request; bad
// numbers are reported with the Open311 parameter names.
func (h *Handler) parseCreate(r *http.Request, ct *casefile.CaseType) (casefile.CreateRequest, error) {
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
	} else if _, ok := ct.Deadline(category, sub); !ok {
		return casefile.CreateRequest{}, errUnknownService{code}
	}
	req := casefile.CreateRequest{
		Type: h.Type, Category: category, Subcategory: sub, Channel: casefile.ChannelApp,
		Description: f.Get("description"), DescriptionOptional: true, MediaURL: f.Get("media_url"),
		Requester: casefile.Requester{Email: pii.Email(f.Get("email")), Phone: pii.Phone(f.Get("phone")),
			Name: pii.Name{Given: f.Get("first_name"), Family: f.Get("last_name")}},
		Actor:      casefile.Actor{ID: firstOf(f.Get("account_id"), f.Get("device_id")), Role: casefile.RoleCitizen},
		Attributes: formAttributes(f),
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
	req.Location.Text = f.Get("address_string")
	req.Location.AddressID = f.Get("address_id")
	return req, c.Err()
}

// formAttributes collects attribute[code]=value and, for lists,
// attribute[code][]=value.
func formAttributes(f url.Values) map[string][]string {
	var out map[string][]string
	for k, vs := range f {
		code, ok := strings.CutPrefix(k, "attribute[")
		if !ok {
			continue
		}
		code = strings.TrimSuffix(code, "[]")
		code, ok = strings.CutSuffix(code, "]")
		if !ok || code == "" {
			continue
		}
		if out == nil {
			out = map[string][]string{}
		}
		out[code] = append(out[code], vs...)
	}
	return out
}

// idempotencyKeyMax is the longest Idempotency-Key header a client may send.
const idempotencyKeyMax = 255

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request, format string) {
	ct, ok := h.caseType(w, format)
	if !ok {
		return
	}
	acc, err := h.access(r)
	if err != nil {
		writeErr(w, format, err)
		return
	}
	if !acc.Post {
		writeErrors(w, format, http.StatusForbidden, Error{Code: 403, Description: "api_key: a valid API key is required to file a request"})
		return
	}
	req, err := h.parseCreate(r, ct)
	if u, ok := err.(errUnknownService); ok {
		writeErrors(w, format, http.StatusNotFound, Error{Code: 404, Description: u.Error()})
		return
	}
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
	acc, err := h.access(r)
	if err != nil {
		writeErr(w, format, err)
		return
	}
	c, err := h.Service.GetByReference(r.Context(), id)
	if err == nil && (c.Type != h.Type || h.disclosure(acc, c.Category) == Hidden) {
		err = casefile.ErrNotFound
	}
	if err != nil {
		writeErr(w, format, err)
		return
	}
	h.writeRequests(w, format, []Request{h.toRequest(r.Context(), ct, c, h.disclosure(acc, c.Category))})
}

func (h *Handler) writeRequests(w http.ResponseWriter, format string, list []Request) {
	if format == "xml" {
		write(w, format, http.StatusOK, requestList{Requests: list})
		return
	}
	write(w, format, http.StatusOK, list)
}

// window is a start_date/end_date filter; the dates compare with a
// time as shown, to the second, so a request is inside a window that
// names its own requested_datetime.
type window struct{ start, end time.Time }

func parseWindow(q url.Values, c *errs.Collector) window {
	get := func(name string) time.Time {
		s := q.Get(name)
		if s == "" {
			return time.Time{}
		}
		t, ok := ParseDateTime(s)
		if !ok {
			c.Add(name, "w3c_datetime", "is not a W3C date-time such as 2026-03-02T09:00:00+01:00 or 2026-03-02T09:00Z")
		}
		return t
	}
	return window{get("start_date"), get("end_date")}
}

func (w window) holds(t time.Time) bool {
	t = t.Truncate(time.Second)
	return (w.start.IsZero() || !t.Before(w.start)) && (w.end.IsZero() || !t.After(w.end))
}

// list answers GET requests.json with the filters GeoReport v2 defines:
// service_request_id, service_code and status (each a comma-separated
// list), start_date and end_date (on requested_datetime). Without dates
// it shows the last 90 days, as the specification suggests. The public
// sees only the categories Public names, as it says.
func (h *Handler) list(w http.ResponseWriter, r *http.Request, format string) {
	ct, ok := h.caseType(w, format)
	if !ok {
		return
	}
	acc, err := h.access(r)
	if err != nil {
		writeErr(w, format, err)
		return
	}
	q := r.URL.Query()
	if ids := q.Get("service_request_id"); ids != "" {
		var out []Request
		for _, ref := range strings.Split(ids, ",") {
			cs, err := h.Service.GetByReference(r.Context(), strings.TrimSpace(ref))
			if err == nil && cs.Type == h.Type && h.disclosure(acc, cs.Category) != Hidden {
				out = append(out, h.toRequest(r.Context(), ct, cs, h.disclosure(acc, cs.Category)))
			}
		}
		h.writeRequests(w, format, nonNil(out))
		return
	}
	var c errs.Collector
	win := parseWindow(q, &c)
	statuses := splitList(q.Get("status"))
	for _, s := range statuses {
		if s != "open" && s != "closed" {
			c.Add("status", "oneof", "must be open or closed, or both separated by a comma")
		}
	}
	codes := splitList(q.Get("service_code"))
	if err := c.Err(); err != nil {
		writeErr(w, format, err)
		return
	}
	if win.start.IsZero() && win.end.IsZero() {
		win.start = h.now().AddDate(0, 0, -90)
	}
	query := casefile.Query{Type: h.Type, OpenOnly: len(statuses) > 0 && !slices.Contains(statuses, "closed"), Limit: casefile.MaxLimit}
	if cats := categories(codes); len(cats) == 1 {
		if _, ok := ct.Deadline(cats[0], ""); !ok {
			h.writeRequests(w, format, []Request{}) // an unknown code matches nothing
			return
		}
		query.Category = cats[0]
	}
	wantClosed := len(statuses) > 0 && !slices.Contains(statuses, "open")
	out := []Request{}
	for cs, err := range h.Service.All(r.Context(), query) {
		if err != nil {
			writeErr(w, format, err)
			return
		}
		d := h.disclosure(acc, cs.Category)
		if d == Hidden || (wantClosed && !cs.Closed) || !win.holds(cs.CreatedAt) || !matchesCode(codes, cs) {
			continue
		}
		out = append(out, h.toRequest(r.Context(), ct, cs, d))
		if len(out) == h.maxResults() {
			break
		}
	}
	h.writeRequests(w, format, out)
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// categories returns the distinct categories of service codes.
func categories(codes []string) []string {
	var out []string
	for _, code := range codes {
		cat, _, _ := strings.Cut(code, ".")
		if !slices.Contains(out, cat) {
			out = append(out, cat)
		}
	}
	return out
}

// matchesCode reports whether c is of one of codes: a category code
// matches its sub-categories too.
func matchesCode(codes []string, c *casefile.Case) bool {
	if len(codes) == 0 {
		return true
	}
	for _, code := range codes {
		cat, sub, _ := strings.Cut(code, ".")
		if cat == c.Category && (sub == "" || sub == c.Subcategory) {
			return true
		}
	}
	return false
}

func nonNil(rs []Request) []Request {
	if rs == nil {
		return []Request{}
	}
	return rs
}
