package permit

import "math"

// Measurements are taken in Belgian Lambert 72: a conformal projection whose
// scale error inside Belgium stays below 0.01 %, far inside the 0.5 %
// tolerance a fee may rest on, and far cheaper than geodesic formulas.

// projected returns the geometry's positions in Lambert 72 metres, on
// the millimetre grid that topology is decided on (see topology.go).
func (g Geometry) projected() Geometry { return g.mapPositions(toLambert) }

// toLambert converts a WGS84 position to Lambert 72 metres on the grid.
func toLambert(p Position) Position {
	x, y := WGS84ToLambert72(p[0], p[1])
	return Position{snap(x), snap(y)}
}

// Area is the surface of a polygon in square metres (outer ring minus
// holes); zero for points and lines.
func (g Geometry) Area() float64 {
	if g.Type != Polygon || len(g.Polygon) == 0 {
		return 0
	}
	p := g.projected()
	area := math.Abs(shoelace(p.Polygon[0]))
	for _, hole := range p.Polygon[1:] {
		area -= math.Abs(shoelace(hole))
	}
	return math.Max(area, 0)
}

// Length is the length of a line in metres, or the perimeter of a
// polygon's outer ring; zero for points.
func (g Geometry) Length() float64 {
	var line []Position
	switch g.Type {
	case LineString:
		line = g.Line
	case Polygon:
		if len(g.Polygon) > 0 {
			line = g.Polygon[0]
		}
	}
	total := 0.0
	for i := 1; i < len(line); i++ {
		a, b := toLambert(line[i-1]), toLambert(line[i])
		total += math.Hypot(b[0]-a[0], b[1]-a[1])
	}
	return total
}

func shoelace(ring []Position) float64 {
	s := 0.0
	for i := 0; i+1 < len(ring); i++ {
		s += ring[i][0]*ring[i+1][1] - ring[i+1][0]*ring[i][1]
	}
	return s / 2
}

// BBox is an axis-aligned bounding box in WGS84 degrees.
type BBox struct{ MinX, MinY, MaxX, MaxY float64 }

// Grow returns the box widened by m on every side: the box a conflict
// candidate's must meet, with m the conflict buffer.
func (b BBox) Grow(m float64) BBox { return BBox{b.MinX - m, b.MinY - m, b.MaxX + m, b.MaxY + m} }

// ContainsPoint reports whether p lies in the box (edges included).
func (b BBox) ContainsPoint(p Position) bool {
	return p[0] >= b.MinX && p[0] <= b.MaxX && p[1] >= b.MinY && p[1] <= b.MaxY
}

// Intersects reports whether two boxes share at least one point.
func (b BBox) Intersects(o BBox) bool {
	return b.MinX <= o.MaxX && o.MinX <= b.MaxX && b.MinY <= o.MaxY && o.MinY <= b.MaxY
}

// Expand grows the box by a distance in metres on every side, using the
// local size of a degree at the box's latitude.
func (b BBox) Expand(metres float64) BBox {
	if metres <= 0 {
		return b
	}
	dLat := metres / metresPerDegreeLat
	dLon := metres / (metresPerDegreeLat * math.Cos(math.Max(math.Abs(b.MinY), math.Abs(b.MaxY))*math.Pi/180))
	return BBox{b.MinX - dLon, b.MinY - dLat, b.MaxX + dLon, b.MaxY + dLat}
}

// metresPerDegreeLat is the meridian degree in Belgium, slightly generous
// so a buffer never comes out short.
const metresPerDegreeLat = 111000.0

// Bounds returns the bounding box of the geometry.
func (g Geometry) Bounds() BBox {
	b := BBox{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for p := range g.positions {
		b.MinX, b.MinY = math.Min(b.MinX, p[0]), math.Min(b.MinY, p[1])
		b.MaxX, b.MaxY = math.Max(b.MaxX, p[0]), math.Max(b.MaxY, p[1])
	}
	return b
}

// LambertBounds returns the bounding box of the geometry in Belgian
// Lambert 72 metres, where a buffer in metres can be added exactly.
func LambertBounds(g Geometry) BBox { return g.projected().Bounds() }
