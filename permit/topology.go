package permit

import "math"

// Topology (does a ring cross itself, do two zones touch) is decided
// exactly, on Lambert 72 coordinates snapped to the millimetre. Locations
// are kept in WGS84, so a position given in Lambert 72 comes back from a
// round trip a few nanometres off: two parking bans drawn on one kerb line
// would then lie "2.4e-09 m apart" at some coordinates and on each other at
// others. Snapping gives the given millimetres back, and on that grid the
// orientation of three points is an exact integer computation, so the
// answer no longer depends on where in Belgium the shapes lie. Edges are
// straight lines in Lambert 72, as everywhere in this package.

// gridPerMetre is the precision of the grid: millimetres.
const gridPerMetre = 1000

// snap rounds a Lambert 72 coordinate to the grid.
func snap(v float64) float64 { return math.Round(v*gridPerMetre) / gridPerMetre }

// grid returns a snapped coordinate as a whole number of millimetres.
// Lambert 72 coordinates in Belgium stay below 3×10⁸ mm, so the products
// in orient stay far below the int64 limit.
func grid(v float64) int64 { return int64(math.Round(v * gridPerMetre)) }

// orient is the exact sign of the turn a→b→c on the grid: 1 left, -1
// right, 0 collinear.
func orient(a, b, c Position) int {
	ax, ay := grid(a[0]), grid(a[1])
	v := (grid(b[0])-ax)*(grid(c[1])-ay) - (grid(b[1])-ay)*(grid(c[0])-ax)
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// onSegment reports whether p lies in the bounding box of a-b; with
// orient(a, b, p) == 0 it lies on the segment.
func onSegment(a, b, p Position) bool {
	px, py := grid(p[0]), grid(p[1])
	ax, ay, bx, by := grid(a[0]), grid(a[1]), grid(b[0]), grid(b[1])
	return min(ax, bx) <= px && px <= max(ax, bx) && min(ay, by) <= py && py <= max(ay, by)
}

// segmentsIntersect reports whether two closed segments share a point; a
// segment from a point to itself is that point.
func segmentsIntersect(p1, p2, q1, q2 Position) bool {
	o1, o2 := orient(p1, p2, q1), orient(p1, p2, q2)
	o3, o4 := orient(q1, q2, p1), orient(q1, q2, p2)
	if o1*o2 < 0 && o3*o4 < 0 {
		return true
	}
	return (o1 == 0 && onSegment(p1, p2, q1)) || (o2 == 0 && onSegment(p1, p2, q2)) ||
		(o3 == 0 && onSegment(q1, q2, p1)) || (o4 == 0 && onSegment(q1, q2, p2))
}

// inRing is the exact even-odd test of p against one closed ring, for a p
// that does not lie on the ring: the ray from p towards +x crosses an edge
// that straddles p's height when p lies on the edge's inner side.
func inRing(ring []Position, p Position) bool {
	in := false
	py := grid(p[1])
	for i := 0; i+1 < len(ring); i++ {
		a, b := ring[i], ring[i+1]
		ay, by := grid(a[1]), grid(b[1])
		if (ay > py) != (by > py) && (by > ay) == (orient(a, b, p) > 0) {
			in = !in
		}
	}
	return in
}

// inPolygon is the even-odd rule over all rings, so holes are outside.
func inPolygon(p Position, rings [][]Position) bool {
	in := false
	for _, ring := range rings {
		if inRing(ring, p) {
			in = !in
		}
	}
	return in
}

// meets reports whether two geometries in Lambert 72 overlap or touch:
// their boundaries share a point, or one lies inside the other's surface.
func meets(a, b Geometry) bool {
	if !a.Bounds().Intersects(b.Bounds()) {
		return false
	}
	hit := false
	eachSegment(a, func(p1, p2 Position) {
		if hit {
			return
		}
		eachSegment(b, func(q1, q2 Position) {
			// The box test is exact on snapped coordinates and skips
			// most pairs before the orientation tests.
			hit = hit || segmentBox(p1, p2).Intersects(segmentBox(q1, q2)) && segmentsIntersect(p1, p2, q1, q2)
		})
	})
	// Boundaries apart: one lies wholly inside the other or they are
	// disjoint, which any one vertex tells.
	return hit || a.Type == Polygon && inPolygon(firstVertex(b), a.Polygon) ||
		b.Type == Polygon && inPolygon(firstVertex(a), b.Polygon)
}

func segmentBox(a, b Position) BBox {
	return BBox{min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])}
}
