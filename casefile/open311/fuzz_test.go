package open311_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/open311"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
)

func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"2026-12-01T00:00Z", "2026-12-01T00:00:00+01:00", "2026-12-01T00:00:00.123456789Z", "2026-12-01", "yesterday", "2026-12-01T24:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, ok := open311.ParseDateTime(s)
		if !ok {
			return
		}
		// What it accepts it reads back the same from RFC 3339.
		again, ok := open311.ParseDateTime(tm.Format(time.RFC3339Nano))
		if !ok || !again.Equal(tm) {
			t.Fatalf("%q → %v does not read back", s, tm)
		}
	})
}

// FuzzPostAndList sends any form and any query: the handler answers with
// a status the specification knows and a body in the Open311 format, and
// never fails inside.
func FuzzPostAndList(f *testing.F) {
	f.Add("service_code=waste.illegal_dump&lat=51.05&long=3.72&attribute[amount]=car&attribute[kinds][]=green", "status=open,closed&service_code=waste,roads.pothole")
	f.Add("service_code=aliens&address_id=x", "start_date=2026-03-02T09:00Z&end_date=2026-03-02T09:00Z")
	f.Add("service_code=waste&address_string=%00&media_url=javascript:1&attribute[weight_kg]=1,2,3", "service_request_id=,,2026-000001")
	clk := clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels))
	svc, err := casefile.NewService(casefile.Config{
		Municipality: "44021", Store: casefile.NewMemStore(event.Discard), Clock: clk,
		Types: []*casefile.CaseType{casefile.PublicSpaceReports()},
	})
	if err != nil {
		f.Fatal(err)
	}
	h := &open311.Handler{Service: svc, Type: "meldingen", Clock: clk, Public: allPublic()}
	f.Fuzz(func(t *testing.T, form, query string) {
		list := httptest.NewRequest(http.MethodGet, "/requests.json", nil)
		updates := httptest.NewRequest(http.MethodGet, "/servicerequestupdates.json", nil)
		list.URL.RawQuery, updates.URL.RawQuery = query, query
		for _, r := range []*http.Request{httptest.NewRequest(http.MethodPost, "/requests.json", strings.NewReader(form)), list, updates} {
			if r.Method == http.MethodPost {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			switch rec.Code {
			case http.StatusOK, http.StatusCreated, http.StatusBadRequest, http.StatusNotFound:
			default:
				t.Fatalf("%s %s: status %d: %s", r.Method, r.URL, rec.Code, rec.Body)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s %s: not JSON: %s", r.Method, r.URL, rec.Body)
			}
		}
	})
}
