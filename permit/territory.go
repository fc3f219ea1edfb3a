package permit

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// Territory is the area of a municipality ("grondgebied"): a permit to
// occupy public domain is only valid on the territory of the municipality
// that grants it. It is one or more polygons with holes (enclaves),
// validated once by [ParseTerritory] and kept in Lambert 72 with an index,
// so checking a location costs a few microseconds even for a border of
// thousands of vertices. A Territory is immutable and safe for concurrent
// use.
type Territory struct {
	box   BBox // Lambert 72, grown by territoryTolerance
	edges []edge
	// Horizontal bands of equal height over box; band i lists the edges
	// whose y-range (grown by the tolerance) overlaps it, in
	// bandEdges[bandStart[i]:bandStart[i+1]].
	bandStart []int32
	bandEdges []int32
	bandH     float64
	holes     [][]Position // Lambert 72, each with its box in holeBoxes
	holeBoxes []BBox
	vertices  int
}

type edge struct{ a, b Position }

// territoryTolerance is the distance in metres within which a point counts
// as lying on the border: coordinates converted between WGS84 and Lambert
// 72 differ in the tenth of a millimetre, and a clerk drawing a terrace up
// to the border line means the line.
const territoryTolerance = 0.001

// maxTerritoryVertices bounds the work of loading a territory; the most
// detailed Flemish municipal borders have a few tens of thousands.
const maxTerritoryVertices = 200_000

// ParseTerritory reads a municipality's territory: a GeoJSON Polygon or
// MultiPolygon (or a Feature holding one) in WGS84 or Lambert 72. Edges
// are taken as straight lines in Lambert 72; with the vertex density of
// real border data that is the same to well under a millimetre. The rings
// must be closed and lie in Belgium, and follow the rule every polygon
// follows (a location's too): they enclose an area, do not touch or cross
// each other, holes lie inside their polygon and outside each other; and
// polygons may not overlap (merge adjacent sections, "deelgemeenten", into
// one ring first). A bad territory returns a *ValidationError naming the
// ring.
func ParseTerritory(data []byte, crs CRS) (*Territory, error) {
	polys, err := decodeTerritory(data, true)
	if err != nil {
		return nil, err
	}
	var c errs.Collector
	n := 0
	for i, poly := range polys {
		if len(poly) == 0 {
			c.Add(fmt.Sprintf("territory.coordinates[%d]", i), "min", "a polygon needs an outer ring")
		}
		for j, ring := range poly {
			field := fmt.Sprintf("territory.coordinates[%d][%d]", i, j)
			ring = slices.Compact(ring) // repeated vertices are common in exported borders
			poly[j] = ring
			n += len(ring)
			switch {
			case n > maxTerritoryVertices:
				return nil, errs.Invalid("territory.coordinates", "max", "has more than %d vertices", maxTerritoryVertices)
			case len(ring) < 4:
				c.Add(field, "min", "a ring needs at least 4 positions (closed), repeats not counted")
				continue
			case ring[0] != ring[len(ring)-1]:
				c.Add(field, "closed", "a ring must end where it starts")
				continue
			}
			for k, p := range ring {
				if crs == Lambert72 {
					p[0], p[1] = Lambert72ToWGS84(p[0], p[1])
				}
				if math.IsNaN(p[0]) || math.IsNaN(p[1]) || !belgium.ContainsPoint(p) {
					c.Add(field, "belgium", "lies (partly) outside Belgium; give WGS84 longitude, latitude or Lambert 72 metres")
					break
				}
				// Every territory goes through WGS84 like every location
				// does, so a vertex shared by both lands on the same metre.
				ring[k] = toLambert(p)
			}
			poly[j] = slices.Compact(ring) // vertices less than a millimetre apart are one
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	if err := checkPolygons(polys, func(i, j int) string {
		switch {
		case i < 0:
			return "territory.coordinates"
		case j < 0:
			return fmt.Sprintf("territory.coordinates[%d]", i)
		}
		return fmt.Sprintf("territory.coordinates[%d][%d]", i, j)
	}); err != nil {
		return nil, err
	}
	return newTerritory(polys, n), nil
}

func decodeTerritory(data []byte, feature bool) ([][][]Position, error) {
	var raw struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
		Geometry    json.RawMessage `json:"geometry"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, errs.Invalid("territory", "geojson", "is not a GeoJSON geometry: %v", err)
	}
	var polys [][][]Position
	var err error
	switch raw.Type {
	case "Feature":
		if !feature || len(raw.Geometry) == 0 || raw.Geometry[0] != '{' {
			return nil, errs.Invalid("territory.geometry", "required", "the feature has no geometry")
		}
		return decodeTerritory(raw.Geometry, false)
	case "Polygon":
		var poly [][]Position
		err = json.Unmarshal(raw.Coordinates, &poly)
		polys = [][][]Position{poly}
	case "MultiPolygon":
		err = json.Unmarshal(raw.Coordinates, &polys)
	default:
		return nil, errs.Invalid("territory.type", "oneof", "must be Polygon or MultiPolygon, not %q", raw.Type)
	}
	if err != nil {
		return nil, errs.Invalid("territory.coordinates", "geojson", "do not fit a %s: %v", raw.Type, err)
	}
	if len(polys) == 0 {
		return nil, errs.Invalid("territory.coordinates", "min", "a territory needs at least one polygon")
	}
	return polys, nil
}

func newTerritory(polys [][][]Position, vertices int) *Territory {
	t := &Territory{vertices: vertices}
	t.box = BBox{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, poly := range polys {
		for j, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				t.edges = append(t.edges, edge{ring[i], ring[i+1]})
			}
			rb := ringBox(ring)
			t.box = BBox{math.Min(t.box.MinX, rb.MinX), math.Min(t.box.MinY, rb.MinY), math.Max(t.box.MaxX, rb.MaxX), math.Max(t.box.MaxY, rb.MaxY)}
			if j > 0 {
				t.holes, t.holeBoxes = append(t.holes, ring), append(t.holeBoxes, rb)
			}
		}
	}
	tol := territoryTolerance
	t.box = BBox{t.box.MinX - tol, t.box.MinY - tol, t.box.MaxX + tol, t.box.MaxY + tol}
	// About four edges per band keeps a lookup short while an edge that
	// spans many bands is copied into few of them.
	bands := max(1, min(len(t.edges)/4, 1<<16))
	var counts []int32
	for {
		t.bandH = (t.box.MaxY - t.box.MinY) / float64(bands)
		counts = make([]int32, bands+1)
		t.bandStart = counts // bandRange reads the band count from it
		// A comb of long edges would be copied into most bands; fewer,
		// taller bands keep the index linear in the number of edges.
		copies := 0
		for _, e := range t.edges {
			lo, hi := t.bandRange(math.Min(e.a[1], e.b[1])-tol, math.Max(e.a[1], e.b[1])+tol)
			copies += hi - lo + 1
		}
		if bands == 1 || copies <= 16*len(t.edges) {
			break
		}
		bands /= 2
	}
	for _, e := range t.edges {
		lo, hi := t.bandRange(math.Min(e.a[1], e.b[1])-tol, math.Max(e.a[1], e.b[1])+tol)
		for b := lo; b <= hi; b++ {
			counts[b+1]++
		}
	}
	for b := 1; b <= bands; b++ {
		counts[b] += counts[b-1]
	}
	t.bandEdges = make([]int32, counts[bands])
	fill := slices.Clone(counts[:bands])
	for i, e := range t.edges {
		lo, hi := t.bandRange(math.Min(e.a[1], e.b[1])-tol, math.Max(e.a[1], e.b[1])+tol)
		for b := lo; b <= hi; b++ {
			t.bandEdges[fill[b]] = int32(i)
			fill[b]++
		}
	}
	return t
}

func ringBox(ring []Position) BBox {
	b := BBox{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range ring {
		b.MinX, b.MinY = math.Min(b.MinX, p[0]), math.Min(b.MinY, p[1])
		b.MaxX, b.MaxY = math.Max(b.MaxX, p[0]), math.Max(b.MaxY, p[1])
	}
	return b
}

// bandRange returns the bands overlapping [y0, y1], clamped to the box.
func (t *Territory) bandRange(y0, y1 float64) (lo, hi int) {
	last := len(t.bandStart) - 2
	band := func(y float64) int {
		if t.bandH <= 0 {
			return 0
		}
		return max(0, min(last, int((y-t.box.MinY)/t.bandH)))
	}
	return band(y0), band(y1)
}

func (t *Territory) band(i int) []int32 { return t.bandEdges[t.bandStart[i]:t.bandStart[i+1]] }

// Vertices returns the number of positions of the territory's rings.
func (t *Territory) Vertices() int { return t.vertices }

// Contains reports whether the geometry lies entirely on the territory:
// every vertex inside and no part of an edge outside; a point on the
// border (to within a millimetre) counts as inside.
func (t *Territory) Contains(g Geometry) bool {
	// Project once: the conversion costs more than the lookups.
	p := g.projected()
	switch g.Type {
	case Point:
		return t.containsPoint(p.Point)
	case LineString:
		return t.containsPath(p.Line)
	case Polygon:
		if len(p.Polygon) == 0 {
			return false
		}
		for _, ring := range p.Polygon {
			if !t.containsPath(ring) {
				return false
			}
		}
		// The rings lie on the territory, so a hole of the territory is
		// either wholly inside the polygon or wholly outside it.
		return !t.enclosesHole(p.Polygon)
	}
	return false
}

// containsPath checks a line's vertices and every piece of every edge, in
// Lambert 72.
func (t *Territory) containsPath(line []Position) bool {
	for i, p := range line {
		if !t.containsPoint(p) || (i > 0 && !t.containsSegment(line[i-1], p)) {
			return false
		}
	}
	return true
}

// containsPoint is the even-odd rule over the edges of p's band, with
// points near an edge counted as inside.
func (t *Territory) containsPoint(p Position) bool {
	if !t.box.ContainsPoint(p) {
		return false
	}
	lo, _ := t.bandRange(p[1], p[1])
	in := false
	for _, i := range t.band(lo) {
		e := t.edges[i]
		if near(e, p) && pointSegment(p, e.a, e.b) <= territoryTolerance {
			return true
		}
		if crosses(e.a, e.b, p) {
			in = !in
		}
	}
	return in
}

// containsSegment cuts the segment where it meets the border; each piece
// then lies wholly inside or wholly outside, which its midpoint tells.
// Checking the end points alone would miss a segment that leaves through
// a notch, or one that runs from border to border across a bay.
func (t *Territory) containsSegment(a, b Position) bool {
	var cuts [8]float64
	ts := cuts[:0]
	tol := territoryTolerance
	lo, hi := t.bandRange(math.Min(a[1], b[1])-tol, math.Max(a[1], b[1])+tol)
	minX, maxX := math.Min(a[0], b[0])-tol, math.Max(a[0], b[0])+tol
	for band := lo; band <= hi; band++ {
		for _, i := range t.band(band) {
			e := t.edges[i]
			if math.Max(e.a[0], e.b[0]) < minX || math.Min(e.a[0], e.b[0]) > maxX {
				continue
			}
			ts = appendCuts(ts, a, b, e)
		}
	}
	if len(ts) == 0 {
		return t.containsPoint(mid(a, b, 0, 1))
	}
	slices.Sort(ts)
	prev := 0.0
	for _, c := range append(ts, 1) {
		if c > prev && !t.containsPoint(mid(a, b, prev, c)) {
			return false
		}
		prev = c
	}
	return true
}

// near is the cheap box test before measuring the distance to an edge.
func near(e edge, p Position) bool {
	const tol = territoryTolerance
	return p[0] >= math.Min(e.a[0], e.b[0])-tol && p[0] <= math.Max(e.a[0], e.b[0])+tol &&
		p[1] >= math.Min(e.a[1], e.b[1])-tol && p[1] <= math.Max(e.a[1], e.b[1])+tol
}

func mid(a, b Position, t0, t1 float64) Position {
	m := (t0 + t1) / 2
	return Position{a[0] + m*(b[0]-a[0]), a[1] + m*(b[1]-a[1])}
}

// appendCuts adds the parameters along a-b where it meets edge e: one for
// a crossing or touch, both ends of a shared stretch when they are
// collinear.
func appendCuts(ts []float64, a, b Position, e edge) []float64 {
	if !segmentsIntersect(a, b, e.a, e.b) {
		return ts
	}
	dx, dy := b[0]-a[0], b[1]-a[1]
	ex, ey := e.b[0]-e.a[0], e.b[1]-e.a[1]
	den := dx*ey - dy*ex
	if den != 0 {
		s := ((e.a[0]-a[0])*ey - (e.a[1]-a[1])*ex) / den
		return append(ts, math.Max(0, math.Min(1, s)))
	}
	// Collinear: project the edge's ends onto a-b.
	ll := dx*dx + dy*dy
	for _, p := range [2]Position{e.a, e.b} {
		s := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / ll
		ts = append(ts, math.Max(0, math.Min(1, s)))
	}
	return ts
}

// enclosesHole reports whether a polygon (in Lambert 72) whose rings lie
// on the territory covers one of its holes. Such a hole lies wholly on one
// side of the polygon's border, so the first of its vertices that is
// clearly inside or outside the polygon decides; only a hole traced
// exactly along the polygon's border needs a point just inside it.
func (t *Territory) enclosesHole(poly [][]Position) bool {
	box := ringBox(poly[0])
	for h, hole := range t.holes {
		if !box.Intersects(t.holeBoxes[h]) {
			continue
		}
		decided := false
		for _, v := range hole {
			if side := polygonSide(poly, v); side != 0 {
				if side > 0 {
					return true
				}
				decided = true
				break
			}
		}
		if !decided && polygonSide(poly, insideRing(hole)) > 0 {
			return true
		}
	}
	return false
}

// polygonSide is 1 when p lies inside the polygon, -1 outside, 0 on (or
// within the tolerance of) its border.
func polygonSide(poly [][]Position, p Position) int {
	for _, ring := range poly {
		for i := 0; i+1 < len(ring); i++ {
			if pointSegment(p, ring[i], ring[i+1]) <= territoryTolerance {
				return 0
			}
		}
	}
	if inPolygon(p, poly) {
		return 1
	}
	return -1
}

// insideRing returns a point just inside a ring, beside the middle of its
// longest edge, on the side the ring's orientation says is inside.
func insideRing(ring []Position) Position {
	best, bestLen := 0, -1.0
	for i := 0; i+1 < len(ring); i++ {
		if l := math.Hypot(ring[i+1][0]-ring[i][0], ring[i+1][1]-ring[i][1]); l > bestLen {
			best, bestLen = i, l
		}
	}
	a, b := ring[best], ring[best+1]
	nx, ny := -(b[1]-a[1])/bestLen, (b[0]-a[0])/bestLen // left normal
	if shoelace(ring) < 0 {
		nx, ny = -nx, -ny
	}
	d := math.Min(10*territoryTolerance, bestLen/4)
	return Position{(a[0]+b[0])/2 + d*nx, (a[1]+b[1])/2 + d*ny}
}

// crosses reports whether the ray from p towards +x crosses the edge a-b;
// the half-open rule counts a vertex on the ray once.
func crosses(a, b, p Position) bool {
	if (a[1] > p[1]) == (b[1] > p[1]) {
		return false
	}
	return p[0] < a[0]+(p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1])
}
