package open311_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/open311"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

func (e *env) requests(t *testing.T, path string) []open311.Request {
	t.Helper()
	resp, body := e.get(t, path)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	var reqs []open311.Request
	require.NoError(t, json.Unmarshal(body, &reqs))
	return reqs
}

func (e *env) file(t *testing.T, form url.Values) string {
	t.Helper()
	resp, body := e.post(t, "requests.json", form)
	require.Equal(t, http.StatusCreated, resp.StatusCode, string(body))
	var created []open311.Created
	require.NoError(t, json.Unmarshal(body, &created))
	require.Len(t, created, 1)
	return created[0].ServiceRequestID
}

func withCode(code string) url.Values {
	f := goodForm()
	f.Set("service_code", code)
	return f
}

// TestCommaSeparatedLists: status and service_code take lists, and two
// sub-category codes of one category find both.
func TestCommaSeparatedLists(t *testing.T) {
	e := newEnv(t)
	e.file(t, withCode("waste.illegal_dump"))
	e.file(t, withCode("waste.graffiti"))
	e.file(t, withCode("street_lighting.lamp_out"))
	ref := e.file(t, withCode("roads.pothole"))
	c, err := e.svc.GetByReference(t.Context(), ref)
	require.NoError(t, err)
	_, err = e.svc.Transition(t.Context(), casefile.TransitionRequest{CaseID: c.ID, Version: 1, Transition: "reject", Result: "not_municipal",
		Actor: casefile.Actor{ID: "clerk", Role: casefile.RoleClerk}})
	require.NoError(t, err)

	assert.Len(t, e.requests(t, "requests.json?service_code=waste.illegal_dump,waste.graffiti"), 2)
	assert.Len(t, e.requests(t, "requests.json?service_code=waste.illegal_dump,street_lighting"), 2)
	assert.Len(t, e.requests(t, "requests.json?status=open,closed"), 4)
	assert.Len(t, e.requests(t, "requests.json?status=closed"), 1)
	assert.Len(t, e.requests(t, "requests.json?status=open&service_code=roads,waste"), 2)
	assert.Empty(t, e.requests(t, "requests.json?service_code=aliens"))
}

// TestWindowToTheSecondShown: a request created at 09:00:00.7 shows
// requested_datetime 09:00:00, and a window ending at that time holds it.
func TestWindowToTheSecondShown(t *testing.T) {
	e := newEnv(t)
	e.clock.Advance(700 * time.Millisecond)
	ref := e.file(t, goodForm())
	got := e.requests(t, "requests/"+ref+".json")[0]
	assert.Equal(t, "2026-03-02T09:00:00+01:00", got.RequestedDatetime)
	at := url.QueryEscape(got.RequestedDatetime)
	assert.Len(t, e.requests(t, "requests.json?start_date="+at+"&end_date="+at), 1)
	assert.Len(t, e.requests(t, "requests.json?end_date="+at), 1)
	assert.Len(t, e.requests(t, "requests.json?start_date=2026-03-02T08:00Z&end_date=2026-03-02T08:00Z"), 1, "W3C without seconds")
	assert.Empty(t, e.requests(t, "requests.json?start_date=2026-03-02T08:01Z"))
}

func TestPostWithoutDescription(t *testing.T) {
	e := newEnv(t)
	f := goodForm()
	f.Del("description")
	ref := e.file(t, f)
	got := e.requests(t, "requests/"+ref+".json")[0]
	assert.Equal(t, "", got.Description)
}

func TestDiscovery(t *testing.T) {
	changed := time.Date(2026, 11, 30, 12, 0, 0, 0, clock.Brussels)
	e := newEnv(t, func(h *open311.Handler) {
		h.Discovery = open311.DiscoveryInfo{URL: "https://gent.example/open311/v2", Contact: "open311@gent.example", Changeset: changed}
	})
	resp, body := e.get(t, "discovery.json")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	var d open311.Discovery
	require.NoError(t, json.Unmarshal(body, &d))
	require.Len(t, d.Endpoints, 1)
	assert.Equal(t, "http://wiki.open311.org/GeoReport_v2", d.Endpoints[0].Specification)
	assert.Equal(t, "https://gent.example/open311/v2", d.Endpoints[0].URL)
	assert.Equal(t, "production", d.Endpoints[0].Type)
	assert.Equal(t, "2026-11-30T12:00:00+01:00", d.Changeset)
	assert.Equal(t, "open311@gent.example", d.Contact)

	resp, body = e.get(t, "discovery.xml")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var x struct {
		XMLName   xml.Name `xml:"discovery"`
		Endpoints []struct {
			URL     string   `xml:"url"`
			Formats []string `xml:"formats>format"`
		} `xml:"endpoints>endpoint"`
	}
	require.NoError(t, xml.Unmarshal(body, &x), string(body))
	require.Len(t, x.Endpoints, 1)
	assert.Equal(t, []string{"text/xml", "application/json"}, x.Endpoints[0].Formats)
}

// TestServiceDefinition: services/{code} for a code with a dot, in both
// formats; the attributes as the specification lists them.
func TestServiceDefinition(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get(t, "services/waste.illegal_dump.json")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	var d open311.Definition
	require.NoError(t, json.Unmarshal(body, &d))
	assert.Equal(t, "waste.illegal_dump", d.ServiceCode)
	require.Len(t, d.Attributes, 6)
	amount := d.Attributes[0]
	assert.Equal(t, open311.Attribute{Variable: true, Code: "amount", Datatype: "singlevaluelist", Order: 1,
		Description: "How much waste is there?",
		Values:      []open311.Value{{Key: "bag", Name: "One bag or less"}, {Key: "car", Name: "A car load"}, {Key: "truck", Name: "More than a car load"}}}, amount)
	types := map[string]string{}
	for _, a := range d.Attributes {
		types[a.Code] = a.Datatype
	}
	assert.Equal(t, map[string]string{"amount": "singlevaluelist", "hazardous": "singlevaluelist", "kinds": "multivaluelist",
		"weight_kg": "number", "seen_on": "datetime", "remarks": "string"}, types)
	assert.Equal(t, []open311.Value{{Key: "true", Name: "Yes"}, {Key: "false", Name: "No"}}, d.Attributes[1].Values)

	resp, body = e.get(t, "services/waste.illegal_dump.xml")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/xml")
	var x struct {
		XMLName     xml.Name `xml:"service_definition"`
		ServiceCode string   `xml:"service_code"`
		Attributes  []struct {
			Code     string `xml:"code"`
			Datatype string `xml:"datatype"`
			Required bool   `xml:"required"`
			Values   []struct {
				Key  string `xml:"key"`
				Name string `xml:"name"`
			} `xml:"values>value"`
		} `xml:"attributes>attribute"`
	}
	require.NoError(t, xml.Unmarshal(body, &x), string(body))
	assert.Equal(t, "waste.illegal_dump", x.ServiceCode)
	require.Len(t, x.Attributes, 6)
	assert.Equal(t, "bag", x.Attributes[0].Values[0].Key)

	// A category without questions has an empty definition; services.json says which have one.
	resp, body = e.get(t, "services/roads.json")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.Unmarshal(body, &d))
	assert.Empty(t, d.Attributes)
	_, body = e.get(t, "services.json")
	var services []open311.Service
	require.NoError(t, json.Unmarshal(body, &services))
	for _, s := range services {
		assert.Equal(t, s.Group == "Waste and cleanliness", s.Metadata, s.ServiceCode)
	}

	for _, path := range []string{"services/aliens.json", "services/waste.illegal_dump", "services/waste.illegal_dump.csv"} {
		resp, _ = e.get(t, path)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
	}
}

// TestPostAttributes: attribute[code]=value, and attribute[code][]= for a
// list, reach the case; a bad answer names the attribute.
func TestPostAttributes(t *testing.T) {
	e := newEnv(t)
	f := withCode("waste.illegal_dump")
	f.Set("attribute[amount]", "car")
	f.Add("attribute[kinds][]", "green")
	f.Add("attribute[kinds][]", "bulky")
	f.Set("attribute[weight_kg]", "12,5")
	f.Set("attribute[hazardous]", "false")
	ref := e.file(t, f)
	c, err := e.svc.GetByReference(t.Context(), ref)
	require.NoError(t, err)
	assert.Equal(t, []casefile.AttributeValue{{Code: "amount", Values: []string{"car"}}, {Code: "hazardous", Values: []string{"false"}},
		{Code: "kinds", Values: []string{"bulky", "green"}}, {Code: "weight_kg", Values: []string{"12.5"}}}, c.Attributes)

	f.Set("attribute[weight_kg]", "veel")
	resp, body := e.post(t, "requests.json", f)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, string(body), "attribute[weight_kg]")
}

// TestAddressIDAndMedia: address_id comes back as address_id, not as the
// address; media_url comes back on GET.
func TestAddressIDAndMedia(t *testing.T) {
	e := newEnv(t)
	f := goodForm()
	f.Del("lat")
	f.Del("long")
	f.Set("address_id", "https://data.vlaanderen.be/id/adres/3706808")
	ref := e.file(t, f)
	got := e.requests(t, "requests/"+ref+".json")[0]
	assert.Equal(t, "https://data.vlaanderen.be/id/adres/3706808", got.AddressID)
	assert.Empty(t, got.Address)
	assert.Equal(t, "https://img.example/lamp.jpg", got.MediaURL)
}

type gazetteer map[casefile.Point]pii.Address

func (g gazetteer) Reverse(_ context.Context, p casefile.Point) (pii.Address, error) {
	a, ok := g[p]
	if !ok {
		return pii.Address{}, casefile.ErrNotFound
	}
	return a, nil
}

// TestReverseAddress: a request filed with lat/long only gets its address
// from the caller's AddressLookup; without one, it has none.
func TestReverseAddress(t *testing.T) {
	korenmarkt := pii.Address{Street: "Korenmarkt", Number: "16", PostalCode: "9000", Municipality: "Gent"}
	e := newEnv(t, func(h *open311.Handler) {
		h.Addresses = gazetteer{{Lat: 51.0545, Lon: 3.7215}: korenmarkt}
	})
	ref := e.file(t, goodForm())
	got := e.requests(t, "requests/"+ref+".json")[0]
	assert.Equal(t, korenmarkt.String(), got.Address)
	assert.Equal(t, "9000", got.Zipcode)

	plain := newEnv(t)
	ref = plain.file(t, goodForm())
	assert.Empty(t, plain.requests(t, "requests/"+ref+".json")[0].Address)
}

// TestServiceRequestUpdates: the public steps of a request, in a window,
// as FixMyStreet reads them.
func TestServiceRequestUpdates(t *testing.T) {
	e := newEnv(t)
	ref := e.file(t, goodForm())
	c, err := e.svc.GetByReference(t.Context(), ref)
	require.NoError(t, err)
	handler := casefile.Actor{ID: "jan", Role: casefile.RoleHandler}
	e.clock.Advance(time.Hour)
	c, err = e.svc.Transition(t.Context(), casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "accept", Actor: handler})
	require.NoError(t, err)
	e.clock.Advance(time.Hour)
	_, err = e.svc.Transition(t.Context(), casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "resolve", Result: "repaired",
		Text: "De lamp is vervangen.", Actor: handler})
	require.NoError(t, err)

	resp, body := e.get(t, "servicerequestupdates.xml?start_date=2026-03-02T09:30:00%2B01:00&end_date=2026-03-02T11:00:00%2B01:00")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	var x struct {
		XMLName xml.Name `xml:"service_request_updates"`
		Updates []struct {
			UpdateID         string `xml:"update_id"`
			ServiceRequestID string `xml:"service_request_id"`
			Status           string `xml:"status"`
			UpdatedDatetime  string `xml:"updated_datetime"`
			Description      string `xml:"description"`
			External         string `xml:"external_status_code"`
		} `xml:"request_update"`
	}
	require.NoError(t, xml.Unmarshal(body, &x), string(body))
	require.Len(t, x.Updates, 2, string(body))
	assert.Equal(t, ref, x.Updates[0].ServiceRequestID)
	assert.Equal(t, "open", x.Updates[0].Status)
	assert.Equal(t, "in_progress", x.Updates[0].External)
	assert.Equal(t, "2026-03-02T10:00:00+01:00", x.Updates[0].UpdatedDatetime)
	assert.Equal(t, "closed", x.Updates[1].Status)
	assert.Equal(t, "De lamp is vervangen.", x.Updates[1].Description)
	assert.NotEmpty(t, x.Updates[1].UpdateID)
	assert.NotEqual(t, x.Updates[0].UpdateID, x.Updates[1].UpdateID)

	resp, body = e.get(t, "servicerequestupdates.json?start_date=2026-03-02T09:30Z")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	var js []open311.Update
	require.NoError(t, json.Unmarshal(body, &js))
	assert.Len(t, js, 1, "09:30 UTC is 10:30 in Brussels: only the resolution, at 11:00")
}

// TestPublicDisclosure: the public sees only the categories marked
// public, a Summary category without the reporter's words or door; a
// private key sees everything; POST needs a key that may post.
func TestPublicDisclosure(t *testing.T) {
	keys := map[string]open311.Access{"fms": {Post: true, Private: true}, "app": {Post: true}}
	e := newEnv(t, func(h *open311.Handler) {
		h.Public = map[string]open311.Disclosure{"waste": open311.Summary, "street_lighting": open311.Full}
		h.Keys = func(_ context.Context, key string) (open311.Access, error) { return keys[key], nil }
	})
	post := func(code, key string) (*http.Response, string) {
		f := withCode(code)
		f.Set("api_key", key)
		f.Set("address_string", "Korenmarkt 16, 9000 Gent")
		resp, body := e.post(t, "requests.json", f)
		if resp.StatusCode != http.StatusCreated {
			return resp, ""
		}
		var created []open311.Created
		require.NoError(t, json.Unmarshal(body, &created))
		return resp, created[0].ServiceRequestID
	}
	resp, _ := post("waste", "")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "no key")
	resp, _ = post("waste", "stolen")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "unknown key")
	_, waste := post("waste.illegal_dump", "app")
	_, light := post("street_lighting", "app")
	_, roads := post("roads", "fms")
	require.NotEmpty(t, waste)
	require.NotEmpty(t, light)
	require.NotEmpty(t, roads)

	public := e.requests(t, "requests.json")
	require.Len(t, public, 2, "roads is not public")
	byID := map[string]open311.Request{}
	for _, r := range public {
		byID[r.ServiceRequestID] = r
	}
	w := byID[waste]
	assert.Empty(t, w.Description, "no reporter's words in a summary")
	assert.Empty(t, w.MediaURL)
	assert.Empty(t, w.Address, "no place in words either")
	require.NotNil(t, w.Lat)
	assert.Equal(t, 51.055, *w.Lat, "the point to about 100 m")
	assert.Equal(t, 3.722, *w.Long)
	l := byID[light]
	assert.Equal(t, "Lamp brandt niet", l.Description)
	assert.Equal(t, "Korenmarkt 16, 9000 Gent", l.Address)
	assert.InDelta(t, 51.0545, *l.Lat, 1e-9)

	resp, _ = e.get(t, "requests/"+roads+".json")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "a hidden category is not found by id either")
	assert.Empty(t, e.requests(t, "requests.json?service_request_id="+roads))
	assert.Len(t, e.requests(t, "requests.json?api_key=fms"), 3, "a private key sees every category")
	assert.Equal(t, "Lamp brandt niet", e.requests(t, "requests/"+waste+".json?api_key=fms")[0].Description)
}

func TestRateLimit(t *testing.T) {
	clk := clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels))
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	h := open311.RateLimit(ok, 1, 3, open311.ClientKey, clk)
	do := func(key string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/requests.xml?api_key="+key, nil)
		h.ServeHTTP(rec, r)
		return rec
	}
	for range 3 {
		assert.Equal(t, http.StatusOK, do("a").Code)
	}
	rec := do("a")
	assert.Equal(t, http.StatusTooManyRequests, rec.Code)
	assert.Equal(t, "1", rec.Header().Get("Retry-After"))
	assert.Contains(t, rec.Body.String(), "<errors><error><code>429</code>")
	assert.Equal(t, http.StatusOK, do("b").Code, "each client has its own bucket")
	clk.Advance(time.Second)
	assert.Equal(t, http.StatusOK, do("a").Code, "a token a second")
	assert.Equal(t, http.StatusTooManyRequests, do("a").Code)
}
