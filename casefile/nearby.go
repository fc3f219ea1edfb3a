package casefile

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// MaxNearbyRadius is the widest search for nearby cases, in metres: a
// duplicate of a report lies in the same street, not across town.
const MaxNearbyRadius = 5000

// MaxNearby is the most nearby cases one search returns.
const MaxNearby = 100

// earthRadius is the mean radius of the earth (IUGG), in metres.
const earthRadius = 6371008.8

// Distance returns the great-circle distance between p and q in metres
// (haversine on a sphere of the earth's mean radius; within 0.5 % of the
// ellipsoidal distance, ample for "is this the same lamp post").
func Distance(p, q Point) float64 {
	const rad = math.Pi / 180
	dLat := (q.Lat - p.Lat) * rad
	dLon := (q.Lon - p.Lon) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(p.Lat*rad)*math.Cos(q.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadius * math.Asin(math.Sqrt(min(a, 1)))
}

// Box returns the latitude and longitude bounds that hold every point
// within radius metres of p: the pre-filter of a nearby search.
func Box(p Point, radius float64) (minLat, maxLat, minLon, maxLon float64) {
	dLat := radius / earthRadius * 180 / math.Pi
	cos := math.Cos(math.Min(math.Abs(p.Lat)+dLat, 89.9) * math.Pi / 180)
	dLon := dLat / cos
	return p.Lat - dLat, p.Lat + dLat, p.Lon - dLon, p.Lon + dLon
}

// NearbyQuery asks for the open cases of a category near a point: the
// candidates for "is this the same problem?" ("Is dit uw probleem?").
type NearbyQuery struct {
	Municipality string `json:"municipality"`
	// Type limits the search to one case type; empty matches any.
	Type     string `json:"type,omitempty"`
	Category string `json:"category"`
	Point    Point  `json:"point"`
	// Radius is in metres, more than 0 and at most MaxNearbyRadius.
	Radius float64 `json:"radius"`
	// Limit is the most cases returned: 20 when 0, at most MaxNearby.
	Limit int `json:"limit,omitempty"`
}

// Size returns the effective limit of q.
func (q NearbyQuery) Size() int {
	switch {
	case q.Limit <= 0:
		return 20
	case q.Limit > MaxNearby:
		return MaxNearby
	}
	return q.Limit
}

// Check validates q.
func (q NearbyQuery) Check() error {
	var c errs.Collector
	if q.Municipality == "" {
		c.Add("municipality", "required", "is required")
	}
	if q.Category == "" {
		c.Add("category", "required", "is required")
	}
	if p := q.Point; math.IsNaN(p.Lat) || math.IsNaN(p.Lon) || p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180 || p == (Point{}) {
		c.Add("point", "wgs84", "is not a WGS84 coordinate")
	}
	if !(q.Radius > 0 && q.Radius <= MaxNearbyRadius) {
		c.Add("radius", "range", "must be more than 0 and at most %d metres", MaxNearbyRadius)
	}
	if q.Limit < 0 {
		c.Add("limit", "gte", "must not be negative")
	}
	return c.Err()
}

// Candidate reports whether c is one of the cases q looks for, at what
// distance: open, not merged into another case, of q's municipality,
// category (and type, when given), with a point within q.Radius.
func (q *NearbyQuery) Candidate(c *Case) (float64, bool) {
	if c.Closed || c.MergedInto != uuid.Nil || !c.Location.HasPoint() || c.Municipality != q.Municipality ||
		c.Category != q.Category || (q.Type != "" && c.Type != q.Type) {
		return 0, false
	}
	d := Distance(q.Point, c.Location.Point)
	return d, d <= q.Radius
}

// NearbyCase is a case found near a point, with its distance in metres.
type NearbyCase struct {
	Case     *Case   `json:"case"`
	Distance float64 `json:"distance"`
}

// SortNearby orders found cases nearest first, ties by ID (oldest first),
// and keeps at most limit of them.
func SortNearby(found []NearbyCase, limit int) []NearbyCase {
	slices.SortFunc(found, func(a, b NearbyCase) int {
		if c := cmp.Compare(a.Distance, b.Distance); c != 0 {
			return c
		}
		return slices.Compare(a.Case.ID[:], b.Case.ID[:])
	})
	if len(found) > limit {
		clear(found[limit:])
		found = found[:limit]
	}
	return found
}

// NearbyFinder is a Store that finds nearby cases itself, with an index.
// MemStore and casefile/pgstore implement it; for a store that does not,
// Service.Nearby lists the open cases of the category and measures each.
type NearbyFinder interface {
	// Nearby returns the cases q.Candidate accepts, sorted with SortNearby
	// and cut at q.Size(). q has passed Check.
	Nearby(ctx context.Context, q NearbyQuery) ([]NearbyCase, error)
}

// Nearby returns the open cases of category within radius metres of p,
// nearest first (at most 20): the duplicates to suggest to a clerk before
// a new case is accepted, and to a citizen before filing ("Is dit uw
// probleem?"). Cases merged into another are left out; their parent is
// the one to suggest.
func (s *Service) Nearby(ctx context.Context, category string, p Point, radius float64) ([]NearbyCase, error) {
	return s.NearbyCases(ctx, NearbyQuery{Category: category, Point: p, Radius: radius})
}

// NearbyCases is Nearby with every option of NearbyQuery; the
// municipality is the service's.
func (s *Service) NearbyCases(ctx context.Context, q NearbyQuery) ([]NearbyCase, error) {
	q.Municipality = s.cfg.Municipality
	if err := q.Check(); err != nil {
		return nil, err
	}
	known := false
	for _, ct := range s.types {
		if _, ok := ct.Deadline(q.Category, ""); ok && (q.Type == "" || q.Type == ct.Code) {
			known = true
		}
	}
	if !known {
		return nil, errs.Invalid("category", "oneof", "unknown category %q", q.Category)
	}
	if f, ok := s.cfg.Store.(NearbyFinder); ok {
		return f.Nearby(ctx, q)
	}
	var found []NearbyCase
	for c, err := range s.All(ctx, Query{Type: q.Type, Category: q.Category, OpenOnly: true, Limit: MaxLimit}) {
		if err != nil {
			return nil, err
		}
		if d, ok := q.Candidate(c); ok {
			found = append(found, NearbyCase{Case: c, Distance: d})
		}
	}
	return SortNearby(found, q.Size()), nil
}
