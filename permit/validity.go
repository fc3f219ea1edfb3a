package permit

import (
	"math"
	"slices"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// flatWidth is the width below which a ring encloses no area: a ring
// whose vertices lie on one line in WGS84 is bent by the projection into a
// sliver a fraction of a millimetre wide.
const flatWidth = 0.001

// checkPolygons is the one validity rule for every polygon, a location's
// or a municipality's territory, on Lambert 72 coordinates snapped to the
// millimetre: every ring encloses an area (it is not flat), no ring touches or crosses itself or another ring,
// every hole lies inside its own outer ring and outside its sibling holes
// (so a hole can be neither outside its shell nor inside another hole),
// and no polygon lies inside another's surface (it may lie in a hole: an
// island in an enclave). Area, conflicts and the territory check all read
// a polygon with the even-odd rule, which these rules make agree with
// "outer ring minus holes". field names the coordinates of polygon i,
// ring j; i < 0 names them all and j < 0 the whole polygon.
func checkPolygons(polys [][][]Position, field func(i, j int) string) error {
	var rings [][]Position
	for i, poly := range polys {
		for j, ring := range poly {
			if flat(ring) {
				return errs.Invalid(field(i, j), "area", "a ring must enclose an area")
			}
		}
		rings = append(rings, poly...)
	}
	if ringsIntersect(rings) {
		return errs.Invalid(field(-1, -1), "simple", "rings touch or cross themselves or each other")
	}
	for i, poly := range polys {
		for j := 1; j < len(poly); j++ {
			// The rings do not meet, so one vertex tells where a hole lies.
			p := poly[j][0]
			ok := inRing(poly[0], p)
			for k := 1; k < len(poly) && ok; k++ {
				ok = k == j || !inRing(poly[k], p)
			}
			if !ok {
				return errs.Invalid(field(i, j), "hole", "a hole must lie inside its polygon's outer ring and outside its other holes")
			}
		}
		for k, other := range polys {
			if k != i && inPolygon(poly[0][0], other) {
				return errs.Invalid(field(i, -1), "overlap", "polygons may not overlap")
			}
		}
	}
	return nil
}

// flat reports whether all of a ring's vertices lie within flatWidth of
// one straight line: the line from its first vertex to the vertex
// farthest from it. A bow tie has no net area either, but is not flat: it
// crosses itself.
func flat(ring []Position) bool {
	a, far := ring[0], 0.0
	b := a
	for _, p := range ring {
		if d := math.Hypot(p[0]-a[0], p[1]-a[1]); d > far {
			b, far = p, d
		}
	}
	if far == 0 {
		return true
	}
	for _, p := range ring {
		// The distance of p from the line through a and b.
		if math.Abs((b[0]-a[0])*(p[1]-a[1])-(b[1]-a[1])*(p[0]-a[0]))/far > flatWidth {
			return false
		}
	}
	return true
}

// ringsIntersect reports whether any two non-adjacent edges of the rings
// touch or cross, or adjacent edges fold back onto each other. It sweeps
// over x, so a border of thousands of vertices loads in milliseconds
// instead of comparing every pair of edges.
func ringsIntersect(rings [][]Position) bool {
	type sweepEdge struct {
		a, b       Position
		minX, maxX float64
		ring, i, n int
	}
	var edges []sweepEdge
	for r, ring := range rings {
		for i := 0; i+1 < len(ring); i++ {
			a, b := ring[i], ring[i+1]
			edges = append(edges, sweepEdge{a, b, math.Min(a[0], b[0]), math.Max(a[0], b[0]), r, i, len(ring) - 1})
		}
	}
	slices.SortFunc(edges, func(e, f sweepEdge) int { return cmpFloat(e.minX, f.minX) })
	for i, e := range edges {
		for _, f := range edges[i+1:] {
			if f.minX > e.maxX {
				break
			}
			if math.Max(e.a[1], e.b[1]) < math.Min(f.a[1], f.b[1]) || math.Max(f.a[1], f.b[1]) < math.Min(e.a[1], e.b[1]) {
				continue
			}
			if e.ring == f.ring {
				lo, hi := e, f
				if lo.i > hi.i {
					lo, hi = hi, lo
				}
				if hi.i == lo.i+1 || (lo.i == 0 && hi.i == lo.n-1) {
					// Adjacent edges share a vertex; they are only bad
					// if they fold back onto each other.
					shared, p, q := lo.b, lo.a, hi.b
					if hi.i != lo.i+1 {
						shared, p, q = lo.a, lo.b, hi.a
					}
					if (orient(shared, p, q) == 0 && onSegment(shared, p, q)) || (orient(shared, q, p) == 0 && onSegment(shared, q, p)) {
						return true
					}
					continue
				}
			}
			if segmentsIntersect(e.a, e.b, f.a, f.b) {
				return true
			}
		}
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
