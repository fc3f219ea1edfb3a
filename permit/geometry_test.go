package permit

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseGeometry(t *testing.T) {
	tests := []struct {
		name  string
		json  string
		crs   CRS
		rule  string // empty: valid
		typ   GeometryType
		field string
	}{
		{"point", `{"type":"Point","coordinates":[4.4025,51.2194]}`, WGS84, "", Point, ""},
		{"line", `{"type":"LineString","coordinates":[[4.40,51.21],[4.401,51.21]]}`, WGS84, "", LineString, ""},
		{"polygon", `{"type":"Polygon","coordinates":[[[4.40,51.21],[4.401,51.21],[4.401,51.211],[4.40,51.211],[4.40,51.21]]]}`, WGS84, "", Polygon, ""},
		{"lambert point", `{"type":"Point","coordinates":[152000,212000]}`, Lambert72, "", Point, ""},
		{"bowtie", `{"type":"Polygon","coordinates":[[[4.40,51.21],[4.401,51.211],[4.401,51.21],[4.40,51.211],[4.40,51.21]]]}`, WGS84, "simple", "", "geometry.coordinates"},
		{"outside Belgium", `{"type":"Point","coordinates":[2.35,48.85]}`, WGS84, "belgium", "", "geometry.coordinates"},
		{"swapped lat lon", `{"type":"Point","coordinates":[51.21,4.40]}`, WGS84, "belgium", "", "geometry.coordinates"},
		{"lambert as degrees", `{"type":"Point","coordinates":[152000,212000]}`, WGS84, "belgium", "", "geometry.coordinates"},
		{"open ring", `{"type":"Polygon","coordinates":[[[4.40,51.21],[4.401,51.21],[4.401,51.211],[4.40,51.211]]]}`, WGS84, "closed", "", "geometry.coordinates[0]"},
		{"short ring", `{"type":"Polygon","coordinates":[[[4.40,51.21],[4.401,51.21],[4.40,51.21]]]}`, WGS84, "min", "", "geometry.coordinates[0]"},
		{"one point line", `{"type":"LineString","coordinates":[[4.40,51.21]]}`, WGS84, "min", "", "geometry.coordinates"},
		{"zero area", `{"type":"Polygon","coordinates":[[[4.40,51.21],[4.401,51.21],[4.402,51.21],[4.40,51.21]]]}`, WGS84, "area", "", "geometry.coordinates[0]"},
		{"unknown type", `{"type":"Circle","coordinates":[4.4,51.2]}`, WGS84, "oneof", "", "geometry.type"},
		{"bad coordinates", `{"type":"Point","coordinates":"here"}`, WGS84, "geojson", "", "geometry.coordinates"},
		{"not json", `{`, WGS84, "geojson", "", "geometry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := ParseGeometry([]byte(tt.json), tt.crs)
			if tt.rule == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.typ, g.Type)
				return
			}
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.True(t, errors.Is(err, ErrValidation))
			f, ok := ve.Field(tt.field)
			require.True(t, ok, "fields: %v", ve.Fields)
			assert.Equal(t, tt.rule, f.Rule)
		})
	}
}

func TestGeometryJSONRoundTrip(t *testing.T) {
	in := `{"type":"Polygon","coordinates":[[[4.4,51.21],[4.401,51.21],[4.401,51.211],[4.4,51.211],[4.4,51.21]]]}`
	var g Geometry
	require.NoError(t, json.Unmarshal([]byte(in), &g))
	out, err := json.Marshal(g)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out))
}

// ellipsoidCellArea is the exact area of a latitude/longitude cell on the
// WGS84 ellipsoid (authalic-latitude formula), an independent reference.
func ellipsoidCellArea(lat1, lat2, dLon float64) float64 {
	e := math.Sqrt(2*wgs84F - wgs84F*wgs84F)
	b := wgs84A * (1 - wgs84F)
	q := func(phi float64) float64 {
		s := math.Sin(phi)
		return s/(1-e*e*s*s) + math.Log((1+e*s)/(1-e*s))/(2*e)
	}
	rad := math.Pi / 180
	return b * b / 2 * dLon * rad * (q(lat2*rad) - q(lat1*rad))
}

func TestAreaAndLengthAgainstEllipsoid(t *testing.T) {
	cells := []struct{ lon, lat, size float64 }{
		{4.40, 51.21, 0.001}, {2.60, 51.05, 0.002}, {5.90, 49.70, 0.0005}, {4.35, 50.85, 0.0001},
	}
	for _, c := range cells {
		g := Geometry{Type: Polygon, Polygon: [][]Position{{
			{c.lon, c.lat}, {c.lon + c.size, c.lat}, {c.lon + c.size, c.lat + c.size}, {c.lon, c.lat + c.size}, {c.lon, c.lat},
		}}}
		require.NoError(t, g.Validate())
		want := ellipsoidCellArea(c.lat, c.lat+c.size, c.size)
		assert.InEpsilon(t, want, g.Area(), 0.005, "cell at %v", c)
		assert.InEpsilon(t, want, g.Area(), 0.0005, "projection error should be far smaller than the tolerance")

		// A meridian arc: radius of curvature times the angle.
		e2 := 2*wgs84F - wgs84F*wgs84F
		mid := (c.lat + c.size/2) * math.Pi / 180
		rho := wgs84A * (1 - e2) / math.Pow(1-e2*math.Sin(mid)*math.Sin(mid), 1.5)
		line := Geometry{Type: LineString, Line: []Position{{c.lon, c.lat}, {c.lon, c.lat + c.size}}}
		assert.InEpsilon(t, rho*c.size*math.Pi/180, line.Length(), 0.0005)
	}
}

func TestAreaWithHole(t *testing.T) {
	outer := []Position{{4.40, 51.21}, {4.402, 51.21}, {4.402, 51.212}, {4.40, 51.212}, {4.40, 51.21}}
	hole := []Position{{4.4005, 51.2105}, {4.4015, 51.2105}, {4.4015, 51.2115}, {4.4005, 51.2115}, {4.4005, 51.2105}}
	g := Geometry{Type: Polygon, Polygon: [][]Position{outer, hole}}
	require.NoError(t, g.Validate())
	full := ellipsoidCellArea(51.21, 51.212, 0.002)
	holeArea := ellipsoidCellArea(51.2105, 51.2115, 0.001)
	assert.InEpsilon(t, full-holeArea, g.Area(), 0.001)
}

func TestLambertInputAreaMatchesMetres(t *testing.T) {
	// A 20 m x 5 m terrace drawn in Lambert 72 keeps its 100 m².
	in := `{"type":"Polygon","coordinates":[[[152000,212000],[152020,212000],[152020,212005],[152000,212005],[152000,212000]]]}`
	g, err := ParseGeometry([]byte(in), Lambert72)
	require.NoError(t, err)
	assert.InDelta(t, 100, g.Area(), 0.01)
	assert.InDelta(t, 50, g.Length(), 0.001)
}

func FuzzParseGeometry(f *testing.F) {
	f.Add([]byte(`{"type":"Point","coordinates":[4.4025,51.2194]}`), false)
	f.Add([]byte(`{"type":"Polygon","coordinates":[[[4.40,51.21],[4.401,51.211],[4.401,51.21],[4.40,51.211],[4.40,51.21]]]}`), false)
	f.Add([]byte(`{"type":"LineString","coordinates":[[152000,212000],[152010,212000]]}`), true)
	f.Fuzz(func(t *testing.T, data []byte, lambert bool) {
		crs := WGS84
		if lambert {
			crs = Lambert72
		}
		g, err := ParseGeometry(data, crs)
		if err != nil {
			if !errors.Is(err, ErrValidation) {
				t.Fatalf("error %v is not a validation error", err)
			}
			return
		}
		// A valid geometry survives a round trip and lies in Belgium.
		out, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseGeometry(out, WGS84); err != nil {
			t.Fatalf("round trip of %s failed: %v", out, err)
		}
		if a := g.Area(); a < 0 || math.IsNaN(a) {
			t.Fatalf("area %v", a)
		}
	})
}
