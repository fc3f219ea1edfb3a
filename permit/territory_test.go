package permit

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rect is a closed rectangle ring in Lambert 72 metres.
func rect(x0, y0, x1, y1 float64) [][2]float64 {
	return [][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// testTerritory is a 4 km square in Antwerp with a bay cut into its north
// side (open to the north), an enclave (hole) in its south-east, and a
// second, detached section to the east.
func testTerritory(t testing.TB) *Territory {
	t.Helper()
	outer := [][2]float64{
		{150000, 210000}, {154000, 210000}, {154000, 214000}, {152500, 214000},
		{152500, 213000}, {151500, 213000}, {151500, 214000}, {150000, 214000}, {150000, 210000},
	}
	multi := [][][][2]float64{{outer, rect(153000, 210500, 153500, 211000)}, {rect(156000, 210000, 157000, 211000)}}
	data, err := json.Marshal(map[string]any{"type": "MultiPolygon", "coordinates": multi})
	require.NoError(t, err)
	terr, err := ParseTerritory(data, Lambert72)
	require.NoError(t, err)
	return terr
}

func lambertGeometry(t *testing.T, typ GeometryType, coords any) Geometry {
	t.Helper()
	data, err := json.Marshal(map[string]any{"type": typ, "coordinates": coords})
	require.NoError(t, err)
	g, err := ParseGeometry(data, Lambert72)
	require.NoError(t, err)
	return g
}

func TestTerritoryContains(t *testing.T) {
	terr := testTerritory(t)
	type pt = [2]float64
	tests := []struct {
		name   string
		typ    GeometryType
		coords any
		want   bool
	}{
		{"point inside", Point, pt{151000, 211000}, true},
		{"point outside, still in Belgium", Point, pt{160000, 212000}, false},
		{"point just outside the border", Point, pt{154000.05, 211000}, false},
		{"point in the bay", Point, pt{152000, 213500}, false},
		{"point in the enclave (hole)", Point, pt{153250, 210750}, false},
		{"point on the border", Point, pt{151000, 210000}, true},
		{"point on a corner", Point, pt{150000, 210000}, true},
		{"point on the enclave's border", Point, pt{153250, 210500}, true},
		{"line inside", LineString, []pt{{150100, 210100}, {153900, 213900}}, true},
		{"line along the border", LineString, []pt{{150000, 210000}, {154000, 210000}}, true},
		{"line straddling the border", LineString, []pt{{153900, 211000}, {154100, 211000}}, false},
		{"line across the bay, both ends inside", LineString, []pt{{151000, 213500}, {153000, 213500}}, false},
		{"line across the bay's mouth, border to border", LineString, []pt{{151500, 214000}, {152500, 214000}}, false},
		{"line through the enclave", LineString, []pt{{152900, 210750}, {153600, 210750}}, false},
		{"polygon inside", Polygon, [][]pt{rect(151000, 211000, 151020, 211005)}, true},
		{"polygon filling the corner up to the border", Polygon, [][]pt{rect(153990, 213990, 154000, 214000)}, true},
		{"polygon straddling the border", Polygon, [][]pt{rect(153990, 211000, 154010, 211010)}, false},
		{"polygon around the enclave", Polygon, [][]pt{rect(152900, 210400, 153600, 211100)}, false},
		{"polygon exactly the enclave", Polygon, [][]pt{rect(153000, 210500, 153500, 211000)}, false},
		{"polygon around the enclave with it as hole", Polygon, [][]pt{rect(152900, 210400, 153600, 211100), rect(153000, 210500, 153500, 211000)}, true},
		{"polygon in the bay", Polygon, [][]pt{rect(151600, 213100, 152400, 213900)}, false},
		{"point in the second section", Point, pt{156500, 210500}, true},
		{"polygon in the second section", Polygon, [][]pt{rect(156100, 210100, 156200, 210200)}, true},
		{"line from one section to the other", LineString, []pt{{153900, 210200}, {156100, 210200}}, false},
		{"point between the sections", Point, pt{155000, 210500}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := lambertGeometry(t, tt.typ, tt.coords)
			assert.Equal(t, tt.want, terr.Contains(g))
		})
	}
}

func TestTerritoryWGS84Border(t *testing.T) {
	// A triangle given in degrees, with edges of about 30 m as in real
	// border data: its own vertices and edge midpoints (in degrees) lie on
	// the border, a point a metre beside it does not.
	terr, err := ParseTerritory([]byte(`{"type":"Feature","properties":{"name":"Zoersel"},"geometry":{"type":"Polygon","coordinates":[[[4.7,51.25],[4.7004,51.25],[4.7002,51.2504],[4.7,51.25]]]}}`), WGS84)
	require.NoError(t, err)
	assert.True(t, terr.Contains(Geometry{Type: Point, Point: Position{4.7004, 51.25}}))
	assert.True(t, terr.Contains(Geometry{Type: Point, Point: Position{4.7002, 51.25}}))
	assert.True(t, terr.Contains(Geometry{Type: LineString, Line: []Position{{4.7, 51.25}, {4.7004, 51.25}}}))
	assert.False(t, terr.Contains(Geometry{Type: Point, Point: Position{4.7002, 51.24999}}))
	assert.Equal(t, 4, terr.Vertices())
}

func TestParseTerritoryBadInput(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) string {
		r, _ := json.Marshal(rect(x0, y0, x1, y1))
		return string(r)
	}
	tests := []struct {
		name, json, field, rule string
	}{
		{"not json", `{`, "territory", "geojson"},
		{"a point", `{"type":"Point","coordinates":[150000,210000]}`, "territory.type", "oneof"},
		{"feature without geometry", `{"type":"Feature","geometry":null}`, "territory.geometry", "required"},
		{"feature in a feature", `{"type":"Feature","geometry":{"type":"Feature","geometry":{}}}`, "territory.geometry", "required"},
		{"bad coordinates", `{"type":"Polygon","coordinates":[1,2]}`, "territory.coordinates", "geojson"},
		{"no polygons", `{"type":"MultiPolygon","coordinates":[]}`, "territory.coordinates", "min"},
		{"open ring", `{"type":"Polygon","coordinates":[[[150000,210000],[151000,210000],[151000,211000],[150000,211000]]]}`, "territory.coordinates[0][0]", "closed"},
		{"short ring", `{"type":"Polygon","coordinates":[[[150000,210000],[151000,210000],[150000,210000]]]}`, "territory.coordinates[0][0]", "min"},
		{"outside Belgium", `{"type":"Polygon","coordinates":[[[2.0,48.0],[2.1,48.0],[2.1,48.1],[2.0,48.0]]]}`, "territory.coordinates[0][0]", "belgium"},
		{"bowtie", `{"type":"Polygon","coordinates":[[[150000,210000],[151000,211000],[151000,210000],[150000,211000],[150000,210000]]]}`, "territory.coordinates", "simple"},
		{"hole outside", `{"type":"Polygon","coordinates":[` + sq(150000, 210000, 151000, 211000) + `,` + sq(152000, 210000, 152100, 210100) + `]}`, "territory.coordinates[0][1]", "hole"},
		{"hole crossing", `{"type":"Polygon","coordinates":[` + sq(150000, 210000, 151000, 211000) + `,` + sq(150900, 210400, 151100, 210600) + `]}`, "territory.coordinates", "simple"},
		{"nested polygons", `{"type":"MultiPolygon","coordinates":[[` + sq(150000, 210000, 151000, 211000) + `],[` + sq(150100, 210100, 150200, 210200) + `]]}`, "territory.coordinates[1]", "overlap"},
		{"flat ring", `{"type":"Polygon","coordinates":[[[150000,210000],[151000,210000],[152000,210000],[150000,210000]]]}`, "territory.coordinates[0][0]", "area"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTerritory([]byte(tt.json), Lambert72)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			f, ok := ve.Field(tt.field)
			require.True(t, ok, "fields: %v", ve.Fields)
			assert.Equal(t, tt.rule, f.Rule)
		})
	}
}

func FuzzParseTerritory(f *testing.F) {
	f.Add([]byte(`{"type":"Polygon","coordinates":[[[150000,210000],[151000,210000],[151000,211000],[150000,211000],[150000,210000]],[[150100,210100],[150200,210100],[150200,210200],[150100,210100]]]}`), true)
	f.Add([]byte(`{"type":"MultiPolygon","coordinates":[[[[4.70,51.25],[4.74,51.25],[4.72,51.29],[4.70,51.25]]],[[[4.80,51.25],[4.84,51.25],[4.82,51.29],[4.80,51.25]]]]}`), false)
	f.Add([]byte(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[4.70,51.25],[4.74,51.25],[4.72,51.29],[4.70,51.25]]]}}`), false)
	f.Add([]byte(`{"type":"Polygon","coordinates":[[[150000,210000],[151000,211000],[151000,210000],[150000,211000],[150000,210000]]]}`), true)
	f.Fuzz(func(t *testing.T, data []byte, lambert bool) {
		crs := WGS84
		if lambert {
			crs = Lambert72
		}
		terr, err := ParseTerritory(data, crs)
		if err != nil {
			if !errors.Is(err, ErrValidation) {
				t.Fatalf("error %v is not a validation error", err)
			}
			return
		}
		// Every vertex of a valid territory lies on its border, so inside.
		if terr.Vertices() < 4 {
			t.Fatalf("%d vertices", terr.Vertices())
		}
		for _, e := range terr.edges {
			lon, lat := Lambert72ToWGS84(e.a[0], e.a[1])
			if math.IsNaN(lon) || !terr.Contains(Geometry{Type: Point, Point: Position{lon, lat}}) {
				t.Fatalf("vertex %v of %s is not on its own territory", e.a, data)
			}
		}
	})
}

// wiggly is a territory of n vertices: a 5 km circle around Leuven whose
// radius swings by 10 % (a border that winds like a river), with an
// enclave.
func wiggly(n int) []byte {
	const cx, cy, r = 173000.0, 174000.0, 5000.0
	outer := make([][2]float64, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		rr := r * (1 + 0.1*math.Sin(37*a))
		outer = append(outer, [2]float64{cx + rr*math.Cos(a), cy + rr*math.Sin(a)})
	}
	outer = append(outer, outer[0])
	hole := rect(cx+1000, cy+1000, cx+1200, cy+1200)
	data, _ := json.Marshal(map[string]any{"type": "Polygon", "coordinates": [][][2]float64{outer, hole}})
	return data
}

// TestTerritoryIndexMatchesBruteForce compares the band index with the
// even-odd rule over every edge, for points clear of the border.
func TestTerritoryIndexMatchesBruteForce(t *testing.T) {
	terr, err := ParseTerritory(wiggly(500), Lambert72)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(7, 7))
	inside := 0
	for range 2000 {
		p := Position{167000 + 12000*rng.Float64(), 168000 + 12000*rng.Float64()}
		want, clear := false, true
		for _, e := range terr.edges {
			if crosses(e.a, e.b, p) {
				want = !want
			}
			clear = clear && pointSegment(p, e.a, e.b) > territoryTolerance
		}
		if !clear {
			continue
		}
		if want {
			inside++
		}
		require.Equal(t, want, terr.containsPoint(p), "point %v", p)
	}
	assert.Greater(t, inside, 500, "the sample must hit the territory")
	assert.False(t, terr.Contains(Geometry{Type: Polygon}), "an empty polygon is not contained")
}

func BenchmarkWithinTerritory(b *testing.B) {
	terr, err := ParseTerritory(wiggly(5000), Lambert72)
	require.NoError(b, err)
	// A 20 m x 5 m terrace near the border, and a 30 m parking ban.
	square, err := ParseGeometry([]byte(fmt.Sprintf(`{"type":"Polygon","coordinates":[%s]}`, mustJSON(rect(177400, 174000, 177420, 174005)))), Lambert72)
	require.NoError(b, err)
	line, err := ParseGeometry([]byte(`{"type":"LineString","coordinates":[[173000,170000],[173030,170000]]}`), Lambert72)
	require.NoError(b, err)
	require.True(b, terr.Contains(square))
	require.True(b, terr.Contains(line))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if !terr.Contains(square) || !terr.Contains(line) {
			b.Fatal("not contained")
		}
	}
}

func BenchmarkParseTerritory(b *testing.B) {
	data := wiggly(5000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseTerritory(data, Lambert72); err != nil {
			b.Fatal(err)
		}
	}
}

func mustJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(data)
}

func TestTerritoryCombStaysSmall(t *testing.T) {
	// A comb of tall, thin teeth: every edge spans almost the whole height.
	var ring [][2]float64
	for i := range 200 {
		x := 150000 + float64(i)*20
		ring = append(ring, [2]float64{x, 200000}, [2]float64{x + 10, 200000}, [2]float64{x + 10, 220000}, [2]float64{x + 20, 220000})
	}
	ring = append(ring, [2]float64{154000, 200000}, [2]float64{154000, 199000}, [2]float64{150000, 199000}, [2]float64{150000, 200000})
	ring[0] = [2]float64{150000, 200000}
	data, err := json.Marshal(map[string]any{"type": "Polygon", "coordinates": [][][2]float64{append(ring, ring[0])}})
	require.NoError(t, err)
	terr, err := ParseTerritory(data, Lambert72)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(terr.bandEdges), 16*len(terr.edges))
	lon, lat := Lambert72ToWGS84(150015, 210000)
	assert.True(t, terr.Contains(Geometry{Type: Point, Point: Position{lon, lat}}), "inside a tooth")
	lon, lat = Lambert72ToWGS84(150025, 210000)
	assert.False(t, terr.Contains(Geometry{Type: Point, Point: Position{lon, lat}}), "between two teeth")
}
