package address

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func serve(t *testing.T, status int, file string, got *url.Values, header *http.Header) *Register {
	t.Helper()
	body, err := os.ReadFile(file)
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/adresmatch" {
			http.NotFound(w, r)
			return
		}
		*got = r.URL.Query()
		*header = r.Header.Clone()
		w.Header().Set("Content-Type", "application/ld+json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return &Register{BaseURL: srv.URL, Client: srv.Client(), APIKey: "key-123", Municipality: "Gent"}
}

func TestRegisterSearch(t *testing.T) {
	var q url.Values
	var h http.Header
	r := serve(t, http.StatusOK, "testdata/adresmatch-v2.json", &q, &h)

	got, err := r.Search(context.Background(), "Aalbessenlaan 14 bus 2, 9032 Gent")
	require.NoError(t, err)
	assert.Equal(t, "Aalbessenlaan", q.Get("straatnaam"))
	assert.Equal(t, "14", q.Get("huisnummer"))
	assert.Equal(t, "2", q.Get("busnummer"))
	assert.Equal(t, "9032", q.Get("postcode"))
	assert.Equal(t, "Gent", q.Get("gemeentenaam"))
	assert.Equal(t, "key-123", h.Get("x-api-key"))

	require.Len(t, got, 3, "the municipality-only match has no street to show")
	first := got[0]
	assert.Equal(t, "https://data.vlaanderen.be/id/adres/36416228", first.ID)
	assert.Equal(t, "Aalbessenlaan", first.Street)
	assert.Equal(t, "14", first.Number)
	assert.Equal(t, "", first.Box)
	assert.Equal(t, "9032", first.PostalCode)
	assert.Equal(t, "Gent", first.Municipality)
	// Lambert 72 140252.76 198794.27 is 51.0991668, 4.2296042 (PROJ).
	assert.Less(t, metres(first.Lat, first.Lon, 51.0991668, 4.2296042), 0.05)

	second := got[1]
	assert.Equal(t, "Bellevue 1 bus 3, 9050 Gent", second.String())
	assert.Less(t, metres(second.Lat, second.Lon, 51.0374950, 3.7357363), 0.05)

	street := got[2]
	assert.Equal(t, "https://api.basisregisters.vlaanderen.be/v2/straatnamen/19464", street.ID)
	assert.Equal(t, "Aalststraat", street.Street)
	assert.Equal(t, "", street.Number)
	assert.Zero(t, street.Lat)
}

func TestRegisterSearchDefaultsToItsMunicipality(t *testing.T) {
	var q url.Values
	var h http.Header
	r := serve(t, http.StatusOK, "testdata/adresmatch-v2.json", &q, &h)
	_, err := r.Search(context.Background(), "Bellevue 1")
	require.NoError(t, err)
	assert.Equal(t, "Gent", q.Get("gemeentenaam"))
	assert.Equal(t, "1", q.Get("huisnummer"))
	assert.Empty(t, q.Get("postcode"))

	got, err := r.Search(context.Background(), "   ")
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestRegisterProblem(t *testing.T) {
	var q url.Values
	var h http.Header
	r := serve(t, http.StatusBadRequest, "testdata/problem-400.json", &q, &h)
	_, err := r.Search(context.Background(), "Kerkstraat 1")
	var re *RegisterError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, http.StatusBadRequest, re.Status)
	assert.Equal(t, "Ongeldige vraag.", re.Title)
	assert.Contains(t, re.Detail, "Gemeentenaam")
}

func TestRegisterReverseUnsupported(t *testing.T) {
	_, err := (&Register{}).Reverse(context.Background(), 51, 4)
	assert.ErrorIs(t, err, ErrReverseUnsupported)
}

func TestParseGMLPoint(t *testing.T) {
	lat, lon, err := parseGMLPoint(`<gml:Point srsName="https://www.opengis.net/def/crs/EPSG/0/3812" xmlns:gml="http://www.opengis.net/gml/3.2"><gml:pos>605600 692113</gml:pos></gml:Point>`)
	require.NoError(t, err)
	assert.Less(t, metres(lat, lon, 51.0375389, 3.7357639), 0.05)

	for _, bad := range []string{
		"",
		`<gml:Point srsName="https://www.opengis.net/def/crs/EPSG/0/4326"><gml:pos>51 4</gml:pos></gml:Point>`,
		`<gml:Point srsName="https://www.opengis.net/def/crs/EPSG/0/31370"><gml:pos>x y</gml:pos></gml:Point>`,
	} {
		_, _, err := parseGMLPoint(bad)
		assert.ErrorIs(t, err, ErrPosition, bad)
	}
}
