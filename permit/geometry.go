package permit

import (
	"encoding/json"
	"fmt"
	"math"

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

// maxVertices keeps the quadratic self-intersection check bounded.
const maxVertices = 2000

// belgium is a generous WGS84 box around Belgium; a location outside it is
// certainly a typo (swapped coordinates, Lambert numbers given as degrees).
var belgium = BBox{MinX: 2.5, MinY: 49.45, MaxX: 6.45, MaxY: 51.55}

type rawGeometry struct {
	Type        GeometryType    `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// ParseGeometry reads a GeoJSON geometry in the given reference system,
// converts it to WGS84 and validates it.
func ParseGeometry(data []byte, crs CRS) (Geometry, error) {
	var raw rawGeometry
	if err := json.Unmarshal(data, &raw); err != nil {
		return Geometry{}, errs.Invalid("geometry", "geojson", "is not a GeoJSON geometry: %v", err)
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
		return Geometry{}, errs.Invalid("geometry.type", "oneof", "must be Point, LineString or Polygon, not %q", raw.Type)
	}
	if err != nil {
		return Geometry{}, errs.Invalid("geometry.coordinates", "geojson", "do not fit a %s: %v", raw.Type, err)
	}
	if crs == Lambert72 {
		g = g.mapPositions(func(p Position) Position {
			lon, lat := Lambert72ToWGS84(p[0], p[1])
			return Position{lon, lat}
		})
	}
	if err := g.Validate(); err != nil {
		return Geometry{}, err
	}
	return g, nil
}

// MarshalJSON writes the geometry as GeoJSON.
func (g Geometry) MarshalJSON() ([]byte, error) {
	var coords any
	switch g.Type {
	case Point:
		coords = g.Point
	case LineString:
		coords = g.Line
	case Polygon:
		coords = g.Polygon
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

// Validate checks the shape rules: enough distinct vertices, closed rings,
// no self-intersection, and every position inside Belgium.
func (g Geometry) Validate() error {
	var c errs.Collector
	n := 0
	outside := false
	for p := range g.positions {
		n++
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || !belgium.ContainsPoint(p) {
			outside = true
		}
	}
	if n > maxVertices {
		c.Add("geometry.coordinates", "max", "has %d vertices; at most %d are accepted", n, maxVertices)
		return c.Err()
	}
	if outside {
		c.Add("geometry.coordinates", "belgium", "lie (partly) outside Belgium; give WGS84 longitude, latitude or Lambert 72 metres")
	}
	switch g.Type {
	case Point:
	case LineString:
		if len(g.Line) < 2 {
			c.Add("geometry.coordinates", "min", "a line needs at least 2 positions")
		} else if length := g.Length(); length == 0 {
			c.Add("geometry.coordinates", "length", "a line must have a length")
		}
	case Polygon:
		if len(g.Polygon) == 0 {
			c.Add("geometry.coordinates", "min", "a polygon needs an outer ring")
			break
		}
		for i, ring := range g.Polygon {
			if len(ring) < 4 {
				c.Add(fmt.Sprintf("geometry.coordinates[%d]", i), "min", "a ring needs at least 4 positions (closed)")
			} else if ring[0] != ring[len(ring)-1] {
				c.Add(fmt.Sprintf("geometry.coordinates[%d]", i), "closed", "a ring must end where it starts")
			}
		}
		if c.Err() == nil {
			if selfIntersects(g.Polygon) {
				c.Add("geometry.coordinates", "simple", "the polygon intersects itself")
			} else if g.Area() == 0 {
				c.Add("geometry.coordinates", "area", "the polygon has no area")
			}
		}
	default:
		c.Add("geometry.type", "oneof", "must be Point, LineString or Polygon, not %q", g.Type)
	}
	return c.Err()
}

// selfIntersects reports whether any two non-adjacent edges of the rings
// touch or cross, or adjacent edges overlap.
func selfIntersects(rings [][]Position) bool {
	type edge struct {
		a, b       Position
		ring, i, n int
	}
	var edges []edge
	for r, ring := range rings {
		for i := 0; i+1 < len(ring); i++ {
			edges = append(edges, edge{ring[i], ring[i+1], r, i, len(ring) - 1})
		}
	}
	for i := range edges {
		for j := i + 1; j < len(edges); j++ {
			e, f := edges[i], edges[j]
			adjacent := e.ring == f.ring && (f.i == e.i+1 || (e.i == 0 && f.i == e.n-1))
			if adjacent {
				// Adjacent edges share one vertex; they are only bad if
				// they fold back onto each other.
				shared := e.b
				other := f.b
				if e.i == 0 && f.i == e.n-1 {
					shared, other = e.a, f.a
				}
				if orient(e.a, e.b, other) == 0 && onSegment(e.a, e.b, other) && other != shared {
					return true
				}
				if orient(f.a, f.b, e.a) == 0 && onSegment(f.a, f.b, e.a) && e.a != shared {
					return true
				}
				continue
			}
			if segmentsIntersect(e.a, e.b, f.a, f.b) {
				return true
			}
		}
	}
	return false
}

func orient(a, b, c Position) int {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func onSegment(a, b, p Position) bool {
	return math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
}

func segmentsIntersect(p1, p2, q1, q2 Position) bool {
	o1, o2 := orient(p1, p2, q1), orient(p1, p2, q2)
	o3, o4 := orient(q1, q2, p1), orient(q1, q2, p2)
	if o1 != o2 && o3 != o4 {
		return true
	}
	return (o1 == 0 && onSegment(p1, p2, q1)) || (o2 == 0 && onSegment(p1, p2, q2)) ||
		(o3 == 0 && onSegment(q1, q2, p1)) || (o4 == 0 && onSegment(q1, q2, p2))
}
