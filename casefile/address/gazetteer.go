package address

import (
	"context"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Street is one street of a Gazetteer: a straight line from From to To
// along which house numbers 1 … MaxNumber are spread evenly (an
// approximation good enough to put a pin on a demo map).
type Street struct {
	Name      string
	From, To  Point
	MaxNumber int
}

// Gazetteer is an offline Lookup over a list of streets of one
// municipality, for demos and tests without network.
type Gazetteer struct {
	PostalCode   string
	Municipality string
	Streets      []Street
	// MaxDistance is how far (in metres) Reverse looks for a street; 0 means 300.
	MaxDistance float64
}

var _ Lookup = (*Gazetteer)(nil)

// Search finds streets whose name starts with, or contains, the query's
// street (accents, case, spaces and hyphens ignored). With a number it
// returns that address (when the number exists on the street); without one
// it returns the street, its position at house number 1 and Number "".
// Results: prefix matches first, then alphabetical; at most 10.
func (g *Gazetteer) Search(_ context.Context, query string) ([]Address, error) {
	q := ParseQuery(query)
	want := fold(q.Street)
	if want == "" {
		return []Address{}, nil
	}
	if q.PostalCode != "" && q.PostalCode != g.PostalCode {
		return []Address{}, nil
	}
	if q.Municipality != "" && fold(q.Municipality) != fold(g.Municipality) {
		return []Address{}, nil
	}
	type hit struct {
		s      *Street
		prefix bool
	}
	var hits []hit
	for i := range g.Streets {
		s := &g.Streets[i]
		name := fold(s.Name)
		switch {
		case strings.HasPrefix(name, want):
			hits = append(hits, hit{s, true})
		case strings.Contains(name, want):
			hits = append(hits, hit{s, false})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].prefix != hits[j].prefix {
			return hits[i].prefix
		}
		return hits[i].s.Name < hits[j].s.Name
	})
	out := []Address{}
	for _, h := range hits {
		if len(out) == 10 {
			break
		}
		if q.Number == "" {
			a := g.address(h.s, 1)
			a.Number, a.ID = "", g.streetID(h.s)
			out = append(out, a)
			continue
		}
		n, err := strconv.Atoi(strings.TrimRightFunc(q.Number, func(r rune) bool { return r < '0' || r > '9' }))
		if err != nil || n < 1 || n > h.s.MaxNumber {
			continue
		}
		a := g.address(h.s, n)
		a.Number, a.Box = q.Number, q.Box
		a.ID = g.streetID(h.s) + "/" + strings.ToLower(q.Number)
		if q.Box != "" {
			a.ID += "/bus/" + strings.ToLower(q.Box)
		}
		out = append(out, a)
	}
	return out, nil
}

// Reverse returns the address on the nearest street, the house number
// taken from where along the street the point falls; ErrNotFound when no
// street is within MaxDistance.
func (g *Gazetteer) Reverse(_ context.Context, lat, lon float64) (Address, error) {
	if err := CheckLatLon(lat, lon); err != nil {
		return Address{}, err
	}
	limit := g.MaxDistance
	if limit <= 0 {
		limit = 300
	}
	best, bestD, bestT := -1, math.Inf(1), 0.0
	for i, s := range g.Streets {
		d, t := distanceToSegment(Point{lat, lon}, s.From, s.To)
		if d < bestD {
			best, bestD, bestT = i, d, t
		}
	}
	if best < 0 || bestD > limit {
		return Address{}, ErrNotFound
	}
	s := &g.Streets[best]
	n := 1 + int(math.Round(bestT*float64(s.MaxNumber-1)))
	a := g.address(s, n)
	a.ID = g.streetID(s) + "/" + strconv.Itoa(n)
	return a, nil
}

func (g *Gazetteer) streetID(s *Street) string {
	return "demo:" + fold(g.Municipality) + "/" + fold(s.Name)
}

func (g *Gazetteer) address(s *Street, n int) Address {
	t := 0.0
	if s.MaxNumber > 1 {
		t = float64(n-1) / float64(s.MaxNumber-1)
	}
	return Address{
		Street: s.Name, Number: strconv.Itoa(n), PostalCode: g.PostalCode, Municipality: g.Municipality,
		Lat: s.From.Lat + t*(s.To.Lat-s.From.Lat),
		Lon: s.From.Lon + t*(s.To.Lon-s.From.Lon),
	}
}

// distanceToSegment returns the distance in metres from p to the segment
// a–b, and where along it (0 at a, 1 at b) the nearest point lies, on a
// local flat approximation (fine over a municipality).
func distanceToSegment(p, a, b Point) (float64, float64) {
	const m = 111_320.0 // metres per degree of latitude
	k := math.Cos(p.Lat * math.Pi / 180)
	ax, ay := (a.Lon-p.Lon)*m*k, (a.Lat-p.Lat)*m
	bx, by := (b.Lon-p.Lon)*m*k, (b.Lat-p.Lat)*m
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
	}
	return math.Hypot(ax+t*dx, ay+t*dy), t
}
