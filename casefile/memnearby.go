package casefile

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/google/uuid"
)

// The memory store's spatial index is a grid of cells of nearCellDeg
// degrees, per municipality and category, each listing the slots of the
// open, unmerged cases with a point inside it. A cell is about 550 m by
// 350 m in Flanders, so a search within a few hundred metres reads a
// handful of cells, whatever the number of cases elsewhere.
const nearCellDeg = 0.005

type nearKey struct {
	municipality, category uint32
	lat, lon               int32
}

type nearIndex struct {
	cells map[nearKey][]uint32
}

func nearCell(deg float64) int32 { return int32(math.Floor(deg / nearCellDeg)) }

// nearKeyOf returns the cell of r, or false when r is not indexed.
func nearKeyOf(r *caseRec) (nearKey, bool) {
	if r == nil || r.closed || r.mergedInto != uuid.Nil || r.point == (Point{}) {
		return nearKey{}, false
	}
	return nearKey{r.municipality, r.category, nearCell(r.point.Lat), nearCell(r.point.Lon)}, true
}

// update moves slot from the cell of before (nil for a new case) to the
// cell of after.
func (x *nearIndex) update(before, after *caseRec, slot uint32) {
	old, wasIn := nearKeyOf(before)
	now, isIn := nearKeyOf(after)
	if wasIn && isIn && old == now {
		return
	}
	if wasIn {
		cell := x.cells[old]
		if i := slices.Index(cell, slot); i >= 0 {
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
			x.cells = map[nearKey][]uint32{}
		}
		x.cells[now] = append(x.cells[now], slot)
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
	type hit struct {
		slot uint32
		d    float64
	}
	var hits []hit
	for cy := nearCell(minLat); cy <= nearCell(maxLat); cy++ {
		for cx := nearCell(minLon); cx <= nearCell(maxLon); cx++ {
			for _, slot := range s.near.cells[nearKey{m, cat, cy, cx}] {
				r := s.cases.at(slot)
				p := r.point
				if p.Lat < minLat || p.Lat > maxLat || p.Lon < minLon || p.Lon > maxLon || (q.Type != "" && r.typ != typ) {
					continue
				}
				if d := Distance(q.Point, p); d <= q.Radius {
					hits = append(hits, hit{slot, d})
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
