package open311_test

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/open311"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
)

type env struct {
	srv   *httptest.Server
	svc   *casefile.Service
	clock *clock.Settable
}

// allPublic shows every category of the ready case type in full.
func allPublic() map[string]open311.Disclosure {
	m := map[string]open311.Disclosure{}
	for _, c := range casefile.PublicSpaceReports().Categories {
		m[c.Code] = open311.Full
	}
	return m
}

func newEnv(t *testing.T, opts ...func(*open311.Handler)) *env {
	clk := clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels))
	svc, err := casefile.NewService(casefile.Config{
		Municipality: "44021", Store: casefile.NewMemStore(event.Discard), Clock: clk,
		Types: []*casefile.CaseType{casefile.PublicSpaceReports()},
	})
	require.NoError(t, err)
	h := &open311.Handler{Service: svc, Type: "meldingen", Lang: "en", Agency: "Stad Gent", Notice: "Thank you", Clock: clk,
		Public: allPublic()}
	for _, o := range opts {
		o(h)
	}
	mux := http.NewServeMux()
	mux.Handle("/open311/v2/", http.StripPrefix("/open311/v2", h))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{srv: srv, svc: svc, clock: clk}
}

func (e *env) get(t *testing.T, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(e.srv.URL + "/open311/v2/" + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

func (e *env) post(t *testing.T, path string, form url.Values) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.PostForm(e.srv.URL+"/open311/v2/"+path, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

func goodForm() url.Values {
	return url.Values{
		"service_code": {"street_lighting.lamp_out"},
		"lat":          {"51.0545"}, "long": {"3.7215"},
		"description": {"Lamp brandt niet"},
		"email":       {"an@example.be"}, "first_name": {"An"}, "last_name": {"Peeters"},
		"account_id": {"acc-7"},
		"media_url":  {"https://img.example/lamp.jpg"},
	}
}

func TestServices(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get(t, "services.json")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "application/json")
	var services []open311.Service
	require.NoError(t, json.Unmarshal(body, &services))
	codes := map[string]string{}
	for _, s := range services {
		codes[s.ServiceCode] = s.ServiceName
		assert.Equal(t, "realtime", s.Type)
	}
	assert.Equal(t, "Street lighting", codes["street_lighting"])
	assert.Equal(t, "Lamp out", codes["street_lighting.lamp_out"])

	resp, body = e.get(t, "services.xml")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var x struct {
		Services []open311.Service `xml:"service"`
	}
	require.NoError(t, xml.Unmarshal(body, &x))
	assert.Len(t, x.Services, len(services))
}

func TestPostAndGetRequest(t *testing.T) {
	e := newEnv(t)
	resp, body := e.post(t, "requests.json", goodForm())
	require.Equal(t, http.StatusCreated, resp.StatusCode, string(body))
	var created []open311.Created
	require.NoError(t, json.Unmarshal(body, &created))
	require.Len(t, created, 1)
	assert.Equal(t, "2026-000001", created[0].ServiceRequestID)
	assert.Equal(t, "Thank you", created[0].ServiceNotice)
	assert.Equal(t, "acc-7", created[0].AccountID)

	resp, body = e.get(t, "requests/2026-000001.json")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	var reqs []open311.Request
	require.NoError(t, json.Unmarshal(body, &reqs))
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, "open", r.Status)
	assert.Equal(t, "Reported", r.StatusNotes)
	assert.Equal(t, "street_lighting.lamp_out", r.ServiceCode)
	assert.Equal(t, "Lamp out", r.ServiceName)
	assert.Equal(t, "Stad Gent", r.AgencyResponsible)
	require.NotNil(t, r.Lat)
	assert.InDelta(t, 51.0545, *r.Lat, 1e-9)
	assert.Equal(t, "2026-03-09T09:00:00+01:00", r.ExpectedDatetime)

	c, err := e.svc.GetByReference(t.Context(), "2026-000001")
	require.NoError(t, err)
	assert.Equal(t, casefile.ChannelApp, c.Channel)
	view, err := e.svc.ClerkView(t.Context(), c.ID)
	require.NoError(t, err)
	require.Len(t, view.Timeline, 1)
	assert.Equal(t, "https://img.example/lamp.jpg", c.MediaURL)
	assert.Equal(t, "https://img.example/lamp.jpg", r.MediaURL, "media_url is returned on GET")

	// Close it and see it move to the closed list.
	_, err = e.svc.Transition(t.Context(), casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "resolve", Result: "repaired",
		Actor: casefile.Actor{ID: "jan", Role: casefile.RoleHandler}})
	require.NoError(t, err)
	_, body = e.get(t, "requests/2026-000001.json")
	require.NoError(t, json.Unmarshal(body, &reqs))
	assert.Equal(t, "closed", reqs[0].Status)
	assert.Equal(t, "Resolved: Repaired", reqs[0].StatusNotes)
}

func TestListRequests(t *testing.T) {
	e := newEnv(t)
	for _, code := range []string{"street_lighting.lamp_out", "waste.illegal_dump", "waste"} {
		f := goodForm()
		f.Set("service_code", code)
		resp, body := e.post(t, "requests.json", f)
		require.Equal(t, http.StatusCreated, resp.StatusCode, string(body))
	}
	count := func(query string) int {
		resp, body := e.get(t, "requests.json"+query)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
		var reqs []open311.Request
		require.NoError(t, json.Unmarshal(body, &reqs))
		return len(reqs)
	}
	assert.Equal(t, 3, count(""))
	assert.Equal(t, 2, count("?service_code=waste"))
	assert.Equal(t, 1, count("?service_code=waste.illegal_dump"))
	assert.Equal(t, 3, count("?status=open"))
	assert.Equal(t, 0, count("?status=closed"))
	assert.Equal(t, 2, count("?service_request_id=2026-000001,2026-000003,2026-999999"))
	assert.Equal(t, 0, count("?start_date=2026-03-03T00:00:00%2B01:00"))
	assert.Equal(t, 3, count("?start_date=2026-03-01T00:00:00Z&end_date=2026-03-03T00:00:00Z"))
	e.clock.Advance(100 * 24 * time.Hour)
	assert.Equal(t, 0, count(""), "only the last 90 days by default")

	resp, body := e.get(t, "requests.xml")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/xml")
	assert.True(t, strings.HasPrefix(string(body), "<?xml"))
}

func TestErrors(t *testing.T) {
	e := newEnv(t)
	outside := goodForm()
	outside.Set("lat", "48.8566")
	outside.Set("long", "2.3522")
	noCode := goodForm()
	noCode.Del("service_code")
	unknown := goodForm()
	unknown.Set("service_code", "aliens")
	badLat := goodForm()
	badLat.Set("lat", "north")
	noPlace := goodForm()
	noPlace.Del("lat")
	noPlace.Del("long")
	long := goodForm()
	long.Set("description", strings.Repeat("x", casefile.MaxDescription+1))
	tests := []struct {
		name, method, path string
		form               url.Values
		status             int
		says               string
	}{
		{"outside Belgium", "POST", "requests.json", outside, 400, "lat/long"},
		{"no service code", "POST", "requests.json", noCode, 400, "service_code"},
		{"unknown service code", "POST", "requests.json", unknown, 404, "service_code aliens not found"},
		{"bad latitude", "POST", "requests.json", badLat, 400, "lat"},
		{"no location", "POST", "requests.json", noPlace, 400, "location"},
		{"description too long", "POST", "requests.json", long, 400, "description"},
		{"unknown request", "GET", "requests/2026-000042.json", nil, 404, "not found"},
		{"unknown resource", "GET", "tickets.json", nil, 404, "unknown resource"},
		{"no format", "GET", "services", nil, 404, "unknown resource"},
		{"wrong method", "DELETE", "requests.json", nil, 405, "not allowed"},
		{"bad status filter", "GET", "requests.json?status=maybe", nil, 400, "status"},
		{"bad date", "GET", "requests.json?start_date=yesterday", nil, 400, "start_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.form != nil {
				body = strings.NewReader(tt.form.Encode())
			}
			req, err := http.NewRequest(tt.method, e.srv.URL+"/open311/v2/"+tt.path, body)
			require.NoError(t, err)
			if tt.form != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tt.status, resp.StatusCode)
			var errs []open311.Error
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&errs))
			require.NotEmpty(t, errs)
			assert.Equal(t, tt.status, errs[0].Code)
			joined := ""
			for _, e := range errs {
				joined += e.Description + "\n"
			}
			assert.Contains(t, joined, tt.says)
		})
	}
	p, err := e.svc.List(t.Context(), casefile.Query{})
	require.NoError(t, err)
	assert.Empty(t, p.Cases, "nothing stored by bad requests")

	resp, body := e.get(t, "requests/nope.xml")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Contains(t, string(body), "<errors><error><code>404</code>")
}

func (e *env) postKey(t *testing.T, key string, form url.Values) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/open311/v2/requests.json", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

// TestPostWithIdempotencyKey: a client that retries a POST with the same
// Idempotency-Key gets the first request back, not a second case; the key
// with another body is a 409; another client's key is its own.
func TestPostWithIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	form := goodForm()
	form.Set("api_key", "client-a")
	var first, again []open311.Created
	resp, body := e.postKey(t, "8c1f0b2e", form)
	require.Equal(t, http.StatusCreated, resp.StatusCode, string(body))
	require.NoError(t, json.Unmarshal(body, &first))
	resp, body = e.postKey(t, "8c1f0b2e", form)
	require.Equal(t, http.StatusCreated, resp.StatusCode, string(body))
	require.NoError(t, json.Unmarshal(body, &again))
	assert.Equal(t, first[0].ServiceRequestID, again[0].ServiceRequestID)
	c, err := e.svc.GetByReference(t.Context(), first[0].ServiceRequestID)
	require.NoError(t, err)
	view, err := e.svc.ClerkView(t.Context(), c.ID)
	require.NoError(t, err)
	assert.Len(t, view.Timeline, 1, "created once")

	changed := goodForm()
	changed.Set("api_key", "client-a")
	changed.Set("description", "Een andere lamp")
	resp, _ = e.postKey(t, "8c1f0b2e", changed)
	assert.Equal(t, http.StatusConflict, resp.StatusCode)

	form.Set("api_key", "client-b")
	resp, body = e.postKey(t, "8c1f0b2e", form)
	require.Equal(t, http.StatusCreated, resp.StatusCode, string(body))
	var other []open311.Created
	require.NoError(t, json.Unmarshal(body, &other))
	assert.NotEqual(t, first[0].ServiceRequestID, other[0].ServiceRequestID, "keys are scoped per client")
}

// TestIdempotencyKeyOfAnyLengthUpTo255: the header is the client's; its
// length limit is its own, whatever the handler keeps.
func TestIdempotencyKeyOfAnyLengthUpTo255(t *testing.T) {
	e := newEnv(t)
	form := goodForm()
	form.Set("api_key", "client-a")
	resp, body := e.postKey(t, strings.Repeat("k", 255), form)
	assert.Equal(t, http.StatusCreated, resp.StatusCode, string(body))
	resp, body = e.postKey(t, strings.Repeat("k", 256), form)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, string(body), "Idempotency-Key")
}
