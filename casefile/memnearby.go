package casefile

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/google/uuid"
)

// The memory store's spatial index is a grid of cells of nearCellDeg
// degrees (about 220 m by 140 m in Flanders), per municipality and
// category. A cell lists the open, unmerged cases with a point inside it,
// with the point itself, so a search reads a few short runs of memory
// and measures only what lies in its bounding box, whatever the number of
// cases elsewhere.
const nearCellDeg = 0.002

type nearKey struct {
	municipality, category uint32
	lat, lon               int32
}

// nearEntry is one case in a cell: its point, the cosine of its latitude
// (as Distance computes it) and its slot.
type nearEntry struct {
	lat, lon, cosLat float64
	slot             uint32
}

type nearIndex struct {
	cells map[nearKey][]nearEntry
}

func nearCell(deg float64) int32 { return int32(math.Floor(deg / nearCellDeg)) }

// nearKeyOf returns the cell of r, or false when r is not indexed.
func nearKeyOf(r *caseRec) (nearKey, bool) {
	if r == nil || r.closed || r.mergedInto != uuid.Nil || r.point == (Point{}) {
		return nearKey{}, false
	}
	return nearKey{r.municipality, r.category, nearCell(r.point.Lat), nearCell(r.point.Lon)}, true
}

// update moves slot from where before put it (nil for a new case) to
// where after puts it.
func (x *nearIndex) update(before, after *caseRec, slot uint32) {
	old, wasIn := nearKeyOf(before)
	now, isIn := nearKeyOf(after)
	if wasIn && isIn && old == now && before.point == after.point {
		return
	}
	if wasIn {
		cell := x.cells[old]
		if i := slices.IndexFunc(cell, func(e nearEntry) bool { return e.slot == slot }); i >= 0 {
			cell[i] = cell[len(cell)-1]
			cell = cell[:len(cell)-1]
		}
		if len(cell) == 0 {
			delete(x.cells, old)
		} else {
			x.cells[old] = cell
		}
	}
	if isIn {
		if x.cells == nil {
			x.cells = map[nearKey][]nearEntry{}
		}
		p := after.point
		x.cells[now] = append(x.cells[now], nearEntry{lat: p.Lat, lon: p.Lon, cosLat: math.Cos(p.Lat * (math.Pi / 180)), slot: slot})
	}
}

var _ NearbyFinder = (*MemStore)(nil)

// Nearby implements NearbyFinder with the store's grid: it reads the cells
// that overlap the search's bounding box and measures the cases in them.
func (s *MemStore) Nearby(_ context.Context, q NearbyQuery) ([]NearbyCase, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, ok1 := s.syms.lookup(q.Municipality)
	cat, ok2 := s.syms.lookup(q.Category)
	if !ok1 || !ok2 {
		return []NearbyCase{}, nil
	}
	var typ uint32
	if q.Type != "" {
		var ok bool
		if typ, ok = s.syms.lookup(q.Type); !ok {
			return []NearbyCase{}, nil
		}
	}
	minLat, maxLat, minLon, maxLon := Box(q.Point, q.Radius)
	const rad = math.Pi / 180
	cosP := math.Cos(q.Point.Lat * rad)
	// The haversine's a for the radius, with slack for rounding: a case
	// with a larger a is certainly too far; the others are measured with
	// Distance itself, so this store agrees with any other to the bit.
	aMax := math.Pow(math.Sin(q.Radius/earthRadius/2), 2)*(1+1e-9) + 1e-18
	type hit struct {
		slot uint32
		d    float64
	}
	var hits []hit
	for cy := nearCell(minLat); cy <= nearCell(maxLat); cy++ {
		for cx := nearCell(minLon); cx <= nearCell(maxLon); cx++ {
			for _, e := range s.near.cells[nearKey{m, cat, cy, cx}] {
				if e.lat < minLat || e.lat > maxLat || e.lon < minLon || e.lon > maxLon {
					continue
				}
				sLat, sLon := math.Sin((e.lat-q.Point.Lat)*rad/2), math.Sin((e.lon-q.Point.Lon)*rad/2)
				if sLat*sLat+cosP*e.cosLat*sLon*sLon > aMax {
					continue
				}
				if q.Type != "" && s.cases.at(e.slot).typ != typ {
					continue
				}
				if d := Distance(q.Point, Point{e.lat, e.lon}); d <= q.Radius {
					hits = append(hits, hit{e.slot, d})
				}
			}
		}
	}
	// Order the hits as SortNearby would, and build only the cases kept.
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(a.d, b.d); c != 0 {
			return c
		}
		return slices.Compare(s.cases.at(a.slot).id[:], s.cases.at(b.slot).id[:])
	})
	found := make([]NearbyCase, min(len(hits), q.Size()))
	for i := range found {
		c := new(Case)
		s.load(s.cases.at(hits[i].slot), c)
		found[i] = NearbyCase{Case: c, Distance: hits[i].d}
	}
	return found, nil
}
