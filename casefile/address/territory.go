package address

import (
	"fmt"
	"math"
)

// Point is a WGS84 position in decimal degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Ring is a closed line of points; the last point may repeat the first or
// not, both are read as closed.
type Ring []Point

// Polygon is an outer ring and its holes, as in GeoJSON.
type Polygon []Ring

// Territory is the area of a municipality ("grondgebied"): one or more
// polygons in WGS84, and its name for messages.
type Territory struct {
	Name     string
	Polygons []Polygon
}

// OutsideError reports a point outside a territory. Its message is Dutch,
// for the citizen: "Deze plaats ligt buiten het grondgebied van Demogem."
// errors.Is(err, ErrValidation) reports true for it.
type OutsideError struct {
	Municipality string
	Lat, Lon     float64
}

// Error returns the Dutch message.
func (e *OutsideError) Error() string {
	return fmt.Sprintf("Deze plaats ligt buiten het grondgebied van %s.", e.Municipality)
}

// Is makes errors.Is(err, ErrValidation) true.
func (e *OutsideError) Is(target error) bool { return target == ErrValidation }

// Contains reports whether the point lies in the territory: inside an outer
// ring and not inside one of its holes. A point on a boundary (within about
// a millimetre) counts as inside, for outer rings and holes alike: a report
// on the border street is the municipality's to look at.
func (t Territory) Contains(lat, lon float64) bool {
	if math.IsNaN(lat) || math.IsNaN(lon) {
		return false
	}
	p := Point{lat, lon}
	for _, poly := range t.Polygons {
		if len(poly) == 0 {
			continue
		}
		if !poly[0].contains(p) {
			continue
		}
		inHole := false
		for _, hole := range poly[1:] {
			if hole.contains(p) && !hole.onEdge(p) {
				inHole = true
				break
			}
		}
		if !inHole {
			return true
		}
	}
	return false
}

// Check returns an *OutsideError when the point is outside, else nil.
func (t Territory) Check(lat, lon float64) error {
	if err := CheckLatLon(lat, lon); err != nil {
		return err
	}
	if !t.Contains(lat, lon) {
		return &OutsideError{Municipality: t.Name, Lat: lat, Lon: lon}
	}
	return nil
}

// edgeTolerance is about a millimetre in degrees of latitude.
const edgeTolerance = 1e-8

func (r Ring) onEdge(p Point) bool {
	n := len(r)
	for i := range n {
		a, b := r[i], r[(i+1)%n]
		if onSegment(p, a, b) {
			return true
		}
	}
	return false
}

func onSegment(p, a, b Point) bool {
	if p.Lon < math.Min(a.Lon, b.Lon)-edgeTolerance || p.Lon > math.Max(a.Lon, b.Lon)+edgeTolerance ||
		p.Lat < math.Min(a.Lat, b.Lat)-edgeTolerance || p.Lat > math.Max(a.Lat, b.Lat)+edgeTolerance {
		return false
	}
	dx, dy := b.Lon-a.Lon, b.Lat-a.Lat
	l := math.Hypot(dx, dy)
	if l == 0 {
		return math.Hypot(p.Lon-a.Lon, p.Lat-a.Lat) <= edgeTolerance
	}
	cross := (p.Lon-a.Lon)*dy - (p.Lat-a.Lat)*dx
	return math.Abs(cross)/l <= edgeTolerance
}

// contains is the even-odd rule with a ray towards +lon, plus the edge
// test. Each edge is taken half-open in latitude ([lo, hi)), so a ray
// through a vertex counts that vertex once.
func (r Ring) contains(p Point) bool {
	n := len(r)
	if n < 3 {
		return false
	}
	if r.onEdge(p) {
		return true
	}
	in := false
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) {
			x := a.Lon + (p.Lat-a.Lat)*(b.Lon-a.Lon)/(b.Lat-a.Lat)
			if p.Lon < x {
				in = !in
			}
		}
	}
	return in
}
