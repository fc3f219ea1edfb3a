package permit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cw is rect wound clockwise.
func cw(x0, y0, x1, y1 float64) [][2]float64 {
	r := rect(x0, y0, x1, y1)
	slices.Reverse(r)
	return r
}

// A location and a territory are checked by one rule: the same rings are
// accepted or refused by both, for the same reason.
func TestPolygonValidityIsOneRule(t *testing.T) {
	const x, y = 150000.0, 210000.0
	outer := rect(x, y, x+20, y+20)
	tests := []struct {
		name  string
		rings [][][2]float64
		ring  int    // the ring named in the error; -1 the whole
		rule  string // empty: valid
	}{
		{"hole inside", [][][2]float64{outer, cw(x+5, y+5, x+10, y+10)}, 0, ""},
		{"two holes", [][][2]float64{outer, cw(x+2, y+2, x+4, y+4), cw(x+10, y+10, x+12, y+12)}, 0, ""},
		{"hole outside its shell", [][][2]float64{outer, cw(x+30, y+5, x+35, y+10)}, 1, "hole"},
		{"hole around its shell", [][][2]float64{outer, cw(x-5, y-5, x+25, y+25)}, 1, "hole"},
		{"hole inside a hole", [][][2]float64{outer, cw(x+2, y+2, x+18, y+18), cw(x+5, y+5, x+10, y+10)}, 2, "hole"},
		{"hole crossing its shell", [][][2]float64{outer, cw(x+15, y+5, x+25, y+10)}, -1, "simple"},
		{"hole touching its shell", [][][2]float64{outer, {{x, y + 5}, {x + 5, y + 5}, {x + 5, y + 10}, {x, y + 5}}}, -1, "simple"},
		{"holes crossing", [][][2]float64{outer, cw(x+2, y+2, x+8, y+8), cw(x+5, y+5, x+10, y+10)}, -1, "simple"},
		{"hole on its shell", [][][2]float64{outer, cw(x, y, x+20, y+20)}, -1, "simple"},
		{"self-intersecting shell", [][][2]float64{{{x, y}, {x + 20, y + 20}, {x + 20, y}, {x, y + 20}, {x, y}}}, -1, "simple"},
		{"spike", [][][2]float64{{{x, y}, {x + 20, y}, {x + 20, y + 20}, {x + 20, y + 30}, {x + 20, y + 20}, {x, y + 20}, {x, y}}}, -1, "simple"},
		{"flat hole", [][][2]float64{outer, {{x + 2, y + 2}, {x + 8, y + 2}, {x + 4, y + 2}, {x + 2, y + 2}}}, 1, "area"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			poly, err := json.Marshal(map[string]any{"type": "Polygon", "coordinates": tt.rings})
			require.NoError(t, err)
			g, gErr := ParseGeometry(poly, Lambert72)
			_, tErr := ParseTerritory(poly, Lambert72)
			if tt.rule == "" {
				require.NoError(t, gErr)
				require.NoError(t, tErr)
				return
			}
			gField, tField := "geometry.coordinates", "territory.coordinates"
			if tt.ring >= 0 {
				gField, tField = fmt.Sprintf("%s[%d]", gField, tt.ring), fmt.Sprintf("%s[0][%d]", tField, tt.ring)
			}
			for field, err := range map[string]error{gField: gErr, tField: tErr} {
				var ve *ValidationError
				require.ErrorAs(t, err, &ve, "accepted: %v", g.Polygon)
				f, ok := ve.Field(field)
				require.True(t, ok, "fields: %v", ve.Fields)
				assert.Equal(t, tt.rule, f.Rule, field)
			}
		})
	}
}

// The area of a valid polygon with holes is the outer ring's minus the
// holes': 20 × 20 m less 5 × 5 m and 2 × 2 m.
func TestAreaSubtractsHoles(t *testing.T) {
	const x, y = 104000.0, 194000.0
	g := lambertGeometry(t, Polygon, [][][2]float64{rect(x, y, x+20, y+20), cw(x+5, y+5, x+10, y+10), cw(x+12, y+12, x+14, y+14)})
	assert.InDelta(t, 400-25-4, g.Area(), 0.01)
}

// signedLonLatArea is the shoelace formula in longitude and latitude, as
// RFC 7946 §3.1.6 reads the winding; positive is counterclockwise.
func signedLonLatArea(ring [][2]float64) float64 {
	s := 0.0
	for i := 0; i+1 < len(ring); i++ {
		s += (ring[i][0]-ring[0][0])*(ring[i+1][1]-ring[0][1]) - (ring[i+1][0]-ring[0][0])*(ring[i][1]-ring[0][1])
	}
	return s / 2
}

func TestGeoJSONWindingFollowsRFC7946(t *testing.T) {
	const x, y = 152000.0, 212000.0
	for name, rings := range map[string][][][2]float64{
		"clockwise outer, counterclockwise hole": {cw(x, y, x+20, y+20), rect(x+5, y+5, x+10, y+10)},
		"counterclockwise outer, clockwise hole": {rect(x, y, x+20, y+20), cw(x+5, y+5, x+10, y+10)},
		"both counterclockwise":                  {rect(x, y, x+20, y+20), rect(x+5, y+5, x+10, y+10)},
	} {
		t.Run(name, func(t *testing.T) {
			g := lambertGeometry(t, Polygon, rings)
			out, err := json.Marshal(g)
			require.NoError(t, err)
			var back struct{ Coordinates [][][2]float64 }
			require.NoError(t, json.Unmarshal(out, &back))
			require.Len(t, back.Coordinates, 2)
			assert.Greater(t, signedLonLatArea(back.Coordinates[0]), 0.0, "the exterior ring runs counterclockwise")
			assert.Less(t, signedLonLatArea(back.Coordinates[1]), 0.0, "a hole runs clockwise")
			again, err := ParseGeometry(out, WGS84)
			require.NoError(t, err)
			assert.InDelta(t, g.Area(), again.Area(), 1e-6, "same polygon")
		})
	}
}

// fuzzRings reads rings from bytes: 0xff separates rings, and each pair
// of bytes is a vertex in half metres east and north of (150000, 210000).
// Repeated vertices are dropped and every ring is closed.
func fuzzRings(data []byte) [][][2]float64 {
	var rings [][][2]float64
	for _, part := range bytes.Split(data, []byte{0xff}) {
		var ring [][2]float64
		for i := 0; i+1 < len(part) && len(ring) < 40; i += 2 {
			p := [2]float64{150000 + float64(part[i])/2, 210000 + float64(part[i+1])/2}
			if len(ring) == 0 || ring[len(ring)-1] != p {
				ring = append(ring, p)
			}
		}
		if len(ring) > 1 && ring[0] == ring[len(ring)-1] {
			ring = ring[:len(ring)-1]
		}
		if len(ring) >= 3 && len(rings) < 5 {
			rings = append(rings, append(ring, ring[0]))
		}
	}
	return rings
}

// FuzzPolygonValidityIsOneRule checks that a location and a territory
// accept and refuse the same polygons for the same reason, and that the
// area of an accepted one is its outer ring's less its holes'.
func FuzzPolygonValidityIsOneRule(f *testing.F) {
	f.Add([]byte{0, 0, 40, 0, 40, 40, 0, 40, 0xff, 10, 10, 10, 20, 20, 20, 20, 10})
	f.Add([]byte{0, 0, 40, 0, 40, 40, 0, 40, 0xff, 50, 10, 50, 20, 60, 20, 60, 10})
	f.Add([]byte{0, 0, 40, 0, 40, 40, 0, 40, 0xff, 5, 5, 5, 35, 35, 35, 35, 5, 0xff, 10, 10, 10, 20, 20, 20, 20, 10})
	f.Add([]byte{0, 0, 40, 40, 40, 0, 0, 40})
	f.Add([]byte{0, 0, 40, 0, 20, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		rings := fuzzRings(data)
		if len(rings) == 0 {
			return
		}
		poly, err := json.Marshal(map[string]any{"type": "Polygon", "coordinates": rings})
		require.NoError(t, err)
		g, gErr := ParseGeometry(poly, Lambert72)
		_, tErr := ParseTerritory(poly, Lambert72)
		if (gErr == nil) != (tErr == nil) {
			t.Fatalf("location: %v; territory: %v", gErr, tErr)
		}
		if gErr != nil {
			var gve, tve *ValidationError
			require.ErrorAs(t, gErr, &gve)
			require.ErrorAs(t, tErr, &tve)
			assert.Equal(t, tve.Fields[0].Rule, gve.Fields[0].Rule)
			return
		}
		want := math.Abs(signedLonLatArea(rings[0]))
		for _, hole := range rings[1:] {
			want -= math.Abs(signedLonLatArea(hole))
		}
		assert.InDelta(t, want, g.Area(), 1e-3)
	})
}
