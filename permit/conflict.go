package permit

import (
	"bytes"
	"math"
	"time"

	"github.com/google/uuid"
)

// Severity says what a conflict means for a decision.
type Severity string

// The severities a Policy can give.
const (
	Block Severity = "block" // the permit cannot be granted while it stands unaccepted
	Warn  Severity = "warn"  // shown to the clerk, does not stop a decision
)

// Conflict is an overlap in space and time between the subject occupation
// and another one: with what, where and when.
type Conflict struct {
	With         uuid.UUID      `json:"with"`
	WithKind     OccupationKind `json:"with_kind"`
	WithType     string         `json:"with_type,omitempty"`
	WithLabel    string         `json:"with_label"`
	WithRevision int            `json:"with_revision"`
	// Overlap reports whether the two geometries overlap or touch,
	// decided exactly on Lambert 72 millimetres, not read from Distance.
	Overlap bool `json:"overlap"`
	// Distance is the shortest distance between the two geometries in
	// metres, rounded to the centimetre; zero when they overlap. Shapes a
	// few millimetres apart have distance 0.00 but no Overlap.
	Distance float64 `json:"distance"`
	// Where is the overlap of the two bounding boxes (WGS84), a place to
	// zoom the map to.
	Where BBox `json:"where"`
	// When lists the overlapping stretches of time.
	When     []Period `json:"when"`
	Severity Severity `json:"severity"`
	// Ratings are the parties' ratings, "to_rerate" where an occupation
	// changed since it was rated.
	Ratings map[uuid.UUID]RatingValue `json:"ratings,omitempty"`
}

// Policy decides whether a conflict blocks a decision or only warns.
type Policy func(subject Occupation, c Conflict) Severity

// DefaultPolicy blocks when the occupations physically overlap or touch
// (Overlap) and only warns when they are merely within the buffer.
func DefaultPolicy(_ Occupation, c Conflict) Severity {
	if c.Overlap {
		return Block
	}
	return Warn
}

// RatingValue is a party's judgement of a conflict, as in GIPOD.
type RatingValue string

// The rating values. ToRerate is never stored: it is what a rating becomes
// when either occupation changed after it was given.
const (
	Accepted    RatingValue = "accepted"     // aanvaard
	NotAccepted RatingValue = "not_accepted" // niet aanvaard
	NotRated    RatingValue = "not_rated"    // niet beoordeeld
	ToRerate    RatingValue = "to_rerate"    // te herbeoordelen
)

// Rating is one party's rating of the conflict between occupations A and
// B, remembering the revisions it was given at.
type Rating struct {
	A, B      uuid.UUID   `json:"-"`
	Party     uuid.UUID   `json:"party"` // the occupation whose owner rates (A or B)
	Value     RatingValue `json:"value"`
	ARevision int         `json:"a_revision"`
	BRevision int         `json:"b_revision"`
	At        time.Time   `json:"at"`
}

// Pair orders two IDs so a conflict has one key whichever side asks: the
// lower ID (by bytes) first. Stores key ratings by it.
func Pair(a, b uuid.UUID) (uuid.UUID, uuid.UUID) {
	if bytes.Compare(a[:], b[:]) > 0 {
		return b, a
	}
	return a, b
}

// Ordered returns the rating with A and B in Pair order, their revisions
// swapped with them: the form a store keeps.
func (r Rating) Ordered() Rating {
	if a, _ := Pair(r.A, r.B); a != r.A {
		r.A, r.B, r.ARevision, r.BRevision = r.B, r.A, r.BRevision, r.ARevision
	}
	return r
}

// Effective is the rating's value now, given the current revisions.
func (r Rating) Effective(revA, revB int) RatingValue {
	if r.ARevision != revA || r.BRevision != revB {
		return ToRerate
	}
	return r.Value
}

// exactConflict does the precise check on a candidate (geometries in
// Lambert 72): overlapping occurrences, and shapes that meet or lie within
// the buffer of each other.
func exactConflict(s Occupation, sg Geometry, o *Occupation, og Geometry, buffer float64) (Conflict, bool) {
	when := overlaps(s.Occurrences, o.Occurrences)
	if len(when) == 0 {
		return Conflict{}, false
	}
	overlap, d := meets(sg, og), 0.0
	if !overlap {
		if d = distance(sg, og); d > buffer {
			return Conflict{}, false
		}
		d = math.Round(d*100) / 100 // centimetres: the grid is millimetres, a map shows no more
	}
	sb, ob := s.Geometry.Bounds(), o.Geometry.Bounds()
	where := BBox{math.Max(sb.MinX, ob.MinX), math.Max(sb.MinY, ob.MinY), math.Min(sb.MaxX, ob.MaxX), math.Min(sb.MaxY, ob.MaxY)}
	if where.MinX > where.MaxX || where.MinY > where.MaxY {
		// Apart but within the buffer: point at the gap between them.
		where = BBox{math.Min(sb.MaxX, ob.MaxX), math.Min(sb.MaxY, ob.MaxY), math.Max(sb.MinX, ob.MinX), math.Max(sb.MinY, ob.MinY)}
		where = BBox{math.Min(where.MinX, where.MaxX), math.Min(where.MinY, where.MaxY), math.Max(where.MinX, where.MaxX), math.Max(where.MinY, where.MaxY)}
	}
	return Conflict{With: o.ID, WithKind: o.Kind, WithType: o.Type, WithLabel: o.Label, WithRevision: o.Revision,
		Overlap: overlap, Distance: d, Where: where, When: when}, true
}

// overlaps intersects two sorted lists of half-open periods. A period
// that spans the whole of another (starts before, ends after) overlaps it.
func overlaps(a, b []Period) []Period {
	var out []Period
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		start, end := a[i].Start, a[i].End
		if b[j].Start.After(start) {
			start = b[j].Start
		}
		if b[j].End.Before(end) {
			end = b[j].End
		}
		if start.Before(end) {
			out = append(out, Period{start, end})
		}
		if a[i].End.Before(b[j].End) {
			i++
		} else {
			j++
		}
	}
	return out
}

// distance is the shortest distance in metres between two geometries in
// Lambert 72 coordinates that do not meet (see meets): the shortest
// distance from an end of a segment of one to a segment of the other.
func distance(a, b Geometry) float64 {
	best := math.Inf(1)
	eachSegment(a, func(p1, p2 Position) {
		eachSegment(b, func(q1, q2 Position) {
			best = math.Min(best, math.Min(math.Min(pointSegment(p1, q1, q2), pointSegment(p2, q1, q2)),
				math.Min(pointSegment(q1, p1, p2), pointSegment(q2, p1, p2))))
		})
	})
	return best
}

func firstVertex(g Geometry) Position {
	switch g.Type {
	case LineString:
		return g.Line[0]
	case Polygon:
		return g.Polygon[0][0]
	}
	return g.Point
}

// eachSegment visits the segments of a geometry; a point is a
// zero-length segment.
func eachSegment(g Geometry, fn func(a, b Position)) {
	switch g.Type {
	case Point:
		fn(g.Point, g.Point)
	case LineString:
		for i := 0; i+1 < len(g.Line); i++ {
			fn(g.Line[i], g.Line[i+1])
		}
	case Polygon:
		for _, ring := range g.Polygon {
			for i := 0; i+1 < len(ring); i++ {
				fn(ring[i], ring[i+1])
			}
		}
	}
}

func pointSegment(p, a, b Position) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
}
