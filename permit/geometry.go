package permit

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// GeometryType is the GeoJSON geometry type of a location.
type GeometryType string

// The geometry types an occupation can have: a point (a container), a line
// (a parking ban along a kerb) or a polygon (a terrace, a site).
const (
	Point      GeometryType = "Point"
	LineString GeometryType = "LineString"
	Polygon    GeometryType = "Polygon"
)

// CRS is the coordinate reference system of incoming coordinates.
type CRS int

// The accepted input systems. Everything is stored in WGS84.
const (
	WGS84     CRS = iota // EPSG:4326, longitude then latitude (GeoJSON order)
	Lambert72            // EPSG:31370, easting then northing in metres
)

// Position is a WGS84 longitude, latitude pair in degrees.
type Position [2]float64

// Geometry is a validated GeoJSON geometry in WGS84. Exactly one of the
// coordinate fields is used, chosen by Type.
type Geometry struct {
	Type    GeometryType
	Point   Position
	Line    []Position
	Polygon [][]Position // outer ring first, then holes; rings are closed
}

// maxVertices bounds the work of validating and comparing one location
// (conflicts compare every segment with every segment of a candidate).
const maxVertices = 2000

// belgium is a generous WGS84 box around Belgium; a location outside it is
// certainly a typo (swapped coordinates, Lambert numbers given as degrees).
var belgium = BBox{MinX: 2.5, MinY: 49.45, MaxX: 6.45, MaxY: 51.55}

type rawGeometry struct {
	Type        GeometryType    `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// ParseGeometry reads a GeoJSON geometry in the given reference system,
// converts it to WGS84 and validates it. Errors name the fields
// "geometry.type" and "geometry.coordinates".
func ParseGeometry(data []byte, crs CRS) (Geometry, error) {
	return parseGeometry(data, crs, "geometry")
}

// parseGeometry is ParseGeometry with errors on the caller's field, so an
// application's bad location is reported on "location".
func parseGeometry(data []byte, crs CRS, field string) (Geometry, error) {
	var raw rawGeometry
	if err := json.Unmarshal(data, &raw); err != nil {
		return Geometry{}, errs.Invalid(field, "geojson", "is not a GeoJSON geometry: %v", err)
	}
	var g Geometry
	g.Type = raw.Type
	var err error
	switch raw.Type {
	case Point:
		err = json.Unmarshal(raw.Coordinates, &g.Point)
	case LineString:
		err = json.Unmarshal(raw.Coordinates, &g.Line)
	case Polygon:
		err = json.Unmarshal(raw.Coordinates, &g.Polygon)
	default:
		return Geometry{}, errs.Invalid(field+".type", "oneof", "must be Point, LineString or Polygon, not %q", raw.Type)
	}
	if err != nil {
		return Geometry{}, errs.Invalid(field+".coordinates", "geojson", "do not fit a %s: %v", raw.Type, err)
	}
	if crs == Lambert72 {
		g = g.mapPositions(func(p Position) Position {
			lon, lat := Lambert72ToWGS84(p[0], p[1])
			return Position{lon, lat}
		})
	}
	if err := g.check(field); err != nil {
		return Geometry{}, err
	}
	return g, nil
}

// MarshalJSON writes the geometry as GeoJSON, a polygon's rings wound as
// RFC 7946 §3.1.6 asks whatever the input's winding: the outer ring
// counterclockwise, holes clockwise.
func (g Geometry) MarshalJSON() ([]byte, error) {
	var coords any
	switch g.Type {
	case Point:
		coords = g.Point
	case LineString:
		coords = g.Line
	case Polygon:
		coords = rfc7946Winding(g.Polygon)
	default:
		return nil, fmt.Errorf("permit: cannot marshal geometry of type %q", g.Type)
	}
	return json.Marshal(struct {
		Type        GeometryType `json:"type"`
		Coordinates any          `json:"coordinates"`
	}{g.Type, coords})
}

// UnmarshalJSON reads a WGS84 GeoJSON geometry and validates it.
func (g *Geometry) UnmarshalJSON(data []byte) error {
	parsed, err := ParseGeometry(data, WGS84)
	if err != nil {
		return err
	}
	*g = parsed
	return nil
}

func (g Geometry) mapPositions(f func(Position) Position) Geometry {
	out := Geometry{Type: g.Type}
	switch g.Type {
	case Point:
		out.Point = f(g.Point)
	case LineString:
		out.Line = make([]Position, len(g.Line))
		for i, p := range g.Line {
			out.Line[i] = f(p)
		}
	case Polygon:
		out.Polygon = make([][]Position, len(g.Polygon))
		for i, ring := range g.Polygon {
			out.Polygon[i] = make([]Position, len(ring))
			for j, p := range ring {
				out.Polygon[i][j] = f(p)
			}
		}
	}
	return out
}

func (g Geometry) positions(yield func(Position) bool) {
	switch g.Type {
	case Point:
		yield(g.Point)
	case LineString:
		for _, p := range g.Line {
			if !yield(p) {
				return
			}
		}
	case Polygon:
		for _, ring := range g.Polygon {
			for _, p := range ring {
				if !yield(p) {
					return
				}
			}
		}
	}
}

// Validate checks the shape rules: enough distinct vertices, closed
// rings, every position inside Belgium, and for a polygon the validity
// rules every polygon follows (see ParseTerritory): rings that enclose an
// area and neither touch nor cross, holes inside their outer ring and
// outside each other. Errors name the field "geometry.coordinates".
func (g Geometry) Validate() error { return g.check("geometry") }

// check is Validate with errors on the caller's field.
func (g Geometry) check(field string) error {
	var c errs.Collector
	coords := field + ".coordinates"
	n := 0
	outside := false
	for p := range g.positions {
		n++
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || !belgium.ContainsPoint(p) {
			outside = true
		}
	}
	if n > maxVertices {
		c.Add(coords, "max", "has %d vertices; at most %d are accepted", n, maxVertices)
		return c.Err()
	}
	if outside {
		c.Add(coords, "belgium", "lie (partly) outside Belgium; give WGS84 longitude, latitude or Lambert 72 metres")
	}
	switch g.Type {
	case Point:
	case LineString:
		if len(g.Line) < 2 {
			c.Add(coords, "min", "a line needs at least 2 positions")
		} else if c.Err() == nil && g.Length() == 0 {
			c.Add(coords, "length", "a line must have a length")
		}
	case Polygon:
		if len(g.Polygon) == 0 {
			c.Add(coords, "min", "a polygon needs an outer ring")
			break
		}
		for i, ring := range g.Polygon {
			if len(ring) < 4 {
				c.Add(fmt.Sprintf("%s[%d]", coords, i), "min", "a ring needs at least 4 positions (closed)")
			} else if ring[0] != ring[len(ring)-1] {
				c.Add(fmt.Sprintf("%s[%d]", coords, i), "closed", "a ring must end where it starts")
			}
		}
		if c.Err() == nil {
			rings := g.projected().Polygon
			for i := range rings {
				rings[i] = slices.Compact(rings[i]) // vertices less than a millimetre apart are one
			}
			c.Merge("", checkPolygons([][][]Position{rings}, func(_, j int) string {
				if j < 0 {
					return coords
				}
				return fmt.Sprintf("%s[%d]", coords, j)
			}))
		}
	default:
		c.Add(field+".type", "oneof", "must be Point, LineString or Polygon, not %q", g.Type)
	}
	return c.Err()
}

// rfc7946Winding returns the rings with the outer one counterclockwise
// and the holes clockwise, reversing copies where needed.
func rfc7946Winding(rings [][]Position) [][]Position {
	out := slices.Clone(rings)
	for i, ring := range rings {
		if ccw := signedArea(ring) > 0; ccw != (i == 0) {
			out[i] = slices.Clone(ring)
			slices.Reverse(out[i])
		}
	}
	return out
}

// signedArea is the shoelace area of a closed ring, positive when it runs
// counterclockwise. It works on offsets from the first vertex, so small
// rings far from the origin keep their precision.
func signedArea(ring []Position) float64 {
	if len(ring) == 0 {
		return 0
	}
	o, s := ring[0], 0.0
	for i := 0; i+1 < len(ring); i++ {
		s += (ring[i][0]-o[0])*(ring[i+1][1]-o[1]) - (ring[i+1][0]-o[0])*(ring[i][1]-o[1])
	}
	return s / 2
}
