package address

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultRegisterURL is the public address of the Basisregisters
// Vlaanderen API.
const DefaultRegisterURL = "https://api.basisregisters.vlaanderen.be"

// Register looks addresses up in the Flemish address register
// ("Adressenregister" of Basisregisters Vlaanderen), through its address
// match endpoint GET /v2/adresmatch (parameters gemeentenaam, postcode,
// straatnaam, huisnummer, busnummer; at most 10 matches, best score first).
// Positions come as GML points in Lambert 72 (EPSG:31370) or Lambert 2008
// (EPSG:3812) and are converted to WGS84.
//
// The register has no reverse look-up, so Reverse returns
// ErrReverseUnsupported; combine it with a Gazetteer or the caller's own
// service for that.
//
// Anonymous use is rate-limited; an API key (header x-api-key) raises the
// limit.
type Register struct {
	// BaseURL defaults to DefaultRegisterURL.
	BaseURL string
	// Client defaults to an http.Client with a 10-second timeout.
	Client *http.Client
	// APIKey is sent as x-api-key when set.
	APIKey string
	// Municipality, when set, is used as gemeentenaam for queries that name
	// none, so "Kerkstraat 1" searches the own municipality.
	Municipality string
}

var _ Lookup = (*Register)(nil)

// RegisterError is an answer of the register other than 200: its status
// and, from its problem+json body, title and detail.
type RegisterError struct {
	Status int
	Title  string
	Detail string
}

// Error says what the register answered.
func (e *RegisterError) Error() string {
	msg := fmt.Sprintf("address register: HTTP %d", e.Status)
	if e.Title != "" {
		msg += ": " + e.Title
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Search splits the query with ParseQuery and asks /v2/adresmatch. Matches
// without an address (a street or municipality only) are returned as
// streets: Number "" and ID the street's URI.
func (r *Register) Search(ctx context.Context, query string) ([]Address, error) {
	q := ParseQuery(query)
	if q.Municipality == "" && q.PostalCode == "" {
		q.Municipality = r.Municipality
	}
	if q.Street == "" {
		return []Address{}, nil
	}
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("gemeentenaam", q.Municipality)
	set("postcode", q.PostalCode)
	set("straatnaam", q.Street)
	set("huisnummer", q.Number)
	set("busnummer", q.Box)

	base := r.BaseURL
	if base == "" {
		base = DefaultRegisterURL
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+"/v2/adresmatch?"+v.Encode(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/ld+json, application/json;q=0.9")
	if r.APIKey != "" {
		req.Header.Set("x-api-key", r.APIKey)
	}
	client := r.Client
	if client == nil {
		client = defaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("address register: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, fmt.Errorf("address register: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		e := &RegisterError{Status: resp.StatusCode}
		var p struct{ Title, Detail string }
		if json.Unmarshal(body, &p) == nil {
			e.Title, e.Detail = p.Title, p.Detail
		}
		return nil, e
	}
	return parseAdresMatch(body)
}

var defaultClient = &http.Client{Timeout: 10 * time.Second}

// Reverse is not offered by the register.
func (r *Register) Reverse(context.Context, float64, float64) (Address, error) {
	return Address{}, ErrReverseUnsupported
}

type geografischeNaam struct {
	GeografischeNaam struct {
		Spelling string `json:"spelling"`
		Taal     string `json:"taal"`
	} `json:"geografischeNaam"`
}

type adresMatch struct {
	Identificator *struct {
		ID       string `json:"id"`
		ObjectID string `json:"objectId"`
	} `json:"identificator"`
	Gemeente *struct {
		ObjectID     string           `json:"objectId"`
		Gemeentenaam geografischeNaam `json:"gemeentenaam"`
	} `json:"gemeente"`
	Postinfo *struct {
		ObjectID string `json:"objectId"`
	} `json:"postinfo"`
	Straatnaam *struct {
		ObjectID   string           `json:"objectId"`
		Detail     string           `json:"detail"`
		Straatnaam geografischeNaam `json:"straatnaam"`
	} `json:"straatnaam"`
	Huisnummer   string `json:"huisnummer"`
	Busnummer    string `json:"busnummer"`
	AdresPositie *struct {
		Geometrie struct {
			Type string `json:"type"`
			GML  string `json:"gml"`
		} `json:"geometrie"`
	} `json:"adresPositie"`
	Score float64 `json:"score"`
}

func parseAdresMatch(body []byte) ([]Address, error) {
	var doc struct {
		AdresMatches []adresMatch `json:"adresMatches"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("address register: unreadable answer: %w", err)
	}
	out := make([]Address, 0, len(doc.AdresMatches))
	for _, m := range doc.AdresMatches {
		var a Address
		if m.Straatnaam == nil {
			continue // a municipality only: nothing to put a pin on
		}
		a.Street = m.Straatnaam.Straatnaam.GeografischeNaam.Spelling
		a.ID = m.Straatnaam.Detail
		if m.Gemeente != nil {
			a.Municipality = m.Gemeente.Gemeentenaam.GeografischeNaam.Spelling
		}
		if m.Postinfo != nil {
			a.PostalCode = m.Postinfo.ObjectID
		}
		if m.Identificator != nil {
			a.ID = m.Identificator.ID
			a.Number, a.Box = m.Huisnummer, m.Busnummer
		}
		if m.AdresPositie != nil {
			lat, lon, err := parseGMLPoint(m.AdresPositie.Geometrie.GML)
			if err != nil {
				return nil, err
			}
			a.Lat, a.Lon = lat, lon
		}
		out = append(out, a)
	}
	return out, nil
}

var (
	gmlSRS = regexp.MustCompile(`srsName="[^"]*?(\d+)"`)
	gmlPos = regexp.MustCompile(`<gml:pos>\s*([-0-9.eE+]+)\s+([-0-9.eE+]+)\s*</gml:pos>`)
)

// ErrPosition reports a position the register sent that cannot be read.
var ErrPosition = errors.New("address register: unreadable position")

// parseGMLPoint reads the register's GML point ("<gml:Point
// srsName=\"https://www.opengis.net/def/crs/EPSG/0/31370\" …><gml:pos>x
// y</gml:pos></gml:Point>") and converts it to WGS84.
func parseGMLPoint(gml string) (lat, lon float64, err error) {
	srs := gmlSRS.FindStringSubmatch(gml)
	pos := gmlPos.FindStringSubmatch(gml)
	if srs == nil || pos == nil {
		return 0, 0, fmt.Errorf("%w: %q", ErrPosition, gml)
	}
	x, errX := strconv.ParseFloat(pos[1], 64)
	y, errY := strconv.ParseFloat(pos[2], 64)
	if errX != nil || errY != nil {
		return 0, 0, fmt.Errorf("%w: %q", ErrPosition, gml)
	}
	switch srs[1] {
	case "31370":
		lat, lon = Lambert72ToWGS84(x, y)
	case "3812":
		lat, lon = Lambert2008ToWGS84(x, y)
	default:
		return 0, 0, fmt.Errorf("%w: reference system EPSG:%s", ErrPosition, srs[1])
	}
	return lat, lon, nil
}
