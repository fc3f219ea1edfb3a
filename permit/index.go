package permit

import (
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/google/uuid"
)

// OccupationKind tells permits from planned works in the index.
type OccupationKind string

// The kinds of occupation the index holds.
const (
	KindPermit OccupationKind = "permit"
	KindWorks  OccupationKind = "works"
)

// Occupation is what the conflict index knows of an application or of
// planned works: where, when, and at which revision.
type Occupation struct {
	ID          uuid.UUID      `json:"id"`
	Kind        OccupationKind `json:"kind"`
	Type        string         `json:"type,omitempty"`
	Label       string         `json:"label"`
	Status      Status         `json:"status,omitempty"`
	Geometry    Geometry       `json:"geometry"`
	Occurrences []Period       `json:"occurrences"`
	Revision    int            `json:"revision"`
}

// Occupation returns the application as an indexable occupation.
func (a *Application) Occupation() Occupation {
	return Occupation{ID: a.ID, Kind: KindPermit, Type: a.Type, Label: a.Description, Status: a.Status,
		Geometry: a.Location, Occurrences: a.Occurrences(), Revision: a.Revision}
}

// cellSize is the grid pitch in Lambert 72 metres. Most occupations are
// far smaller, so nearly every entry sits in one to four cells, and a
// query with a 10 m buffer touches a handful of cells.
const cellSize = 200.0

// Index is a spatial and temporal index over occupations: a uniform grid
// over bounding boxes in Lambert 72 metres, each entry carrying its time
// span, with the exact geometric and per-occurrence checks done on the few
// candidates. A grid fits better than an R-tree here: occupations are small
// and spread over a bounded country, so cells stay short and updates are
// cheap. The zero value is not usable; call NewIndex. It is safe for
// concurrent use.
type Index struct {
	mu      sync.RWMutex
	entries []indexEntry
	free    []int32
	byID    map[uuid.UUID]int32
	cells   map[int64][]int32
}

type indexEntry struct {
	occ  Occupation
	box  BBox     // Lambert 72 metres
	span Period   // over all occurrences
	geom Geometry // projected to Lambert 72
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byID: map[uuid.UUID]int32{}, cells: map[int64][]int32{}}
}

// BuildIndex indexes all the occupations at once. Projecting the
// geometries is the expensive part and is spread over the CPUs.
func BuildIndex(occs []Occupation) *Index {
	prepared := make([]indexEntry, len(occs))
	workers := min(runtime.GOMAXPROCS(0), 1+len(occs)/1000)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(occs); i += workers {
				prepared[i] = prepare(occs[i])
			}
		})
	}
	wg.Wait()
	ix := &Index{byID: make(map[uuid.UUID]int32, len(occs)), cells: make(map[int64][]int32, len(occs)), entries: prepared}
	for i := range prepared {
		ix.remove(prepared[i].occ.ID) // a duplicate ID keeps the last one
		ix.link(int32(i))
	}
	return ix
}

// Len is the number of occupations in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.byID)
}

// Put adds the occupation or replaces the one with the same ID.
func (ix *Index) Put(o Occupation) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(o.ID)
	ix.put(o)
}

// Remove drops the occupation with the given ID, if present.
func (ix *Index) Remove(id uuid.UUID) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(id)
}

func (ix *Index) put(o Occupation) { ix.insert(prepare(o)) }

func prepare(o Occupation) indexEntry {
	o.Occurrences = normalize(o.Occurrences)
	e := indexEntry{occ: o, span: Span(o.Occurrences), geom: o.Geometry.projected()}
	e.box = e.geom.Bounds()
	return e
}

func (ix *Index) insert(e indexEntry) {
	var slot int32
	if n := len(ix.free); n > 0 {
		slot = ix.free[n-1]
		ix.free = ix.free[:n-1]
		ix.entries[slot] = e
	} else {
		slot = int32(len(ix.entries))
		ix.entries = append(ix.entries, e)
	}
	ix.link(slot)
}

// link makes the entry in slot findable by ID and by cell.
func (ix *Index) link(slot int32) {
	e := &ix.entries[slot]
	ix.byID[e.occ.ID] = slot
	x0, y0, x1, y1 := cellRange(e.box)
	for cx := x0; cx <= x1; cx++ {
		for cy := y0; cy <= y1; cy++ {
			k := cellKey(cx, cy)
			ix.cells[k] = append(ix.cells[k], slot)
		}
	}
}

func (ix *Index) remove(id uuid.UUID) {
	slot, ok := ix.byID[id]
	if !ok {
		return
	}
	e := &ix.entries[slot]
	x0, y0, x1, y1 := cellRange(e.box)
	for cx := x0; cx <= x1; cx++ {
		for cy := y0; cy <= y1; cy++ {
			k := cellKey(cx, cy)
			cell := ix.cells[k]
			if i := slices.Index(cell, slot); i >= 0 {
				cell[i] = cell[len(cell)-1]
				cell = cell[:len(cell)-1]
			}
			if len(cell) == 0 {
				delete(ix.cells, k)
			} else {
				ix.cells[k] = cell
			}
		}
	}
	*e = indexEntry{}
	delete(ix.byID, id)
	ix.free = append(ix.free, slot)
}

func cellRange(b BBox) (x0, y0, x1, y1 int32) {
	return int32(math.Floor(b.MinX / cellSize)), int32(math.Floor(b.MinY / cellSize)),
		int32(math.Floor(b.MaxX / cellSize)), int32(math.Floor(b.MaxY / cellSize))
}

func cellKey(cx, cy int32) int64 { return int64(cx)<<32 | int64(uint32(cy)) }

// Candidates calls fn for every indexed occupation whose bounding box,
// grown by buffer metres, meets g's and whose span overlaps window, until
// fn returns false. Each occupation is reported once.
func (ix *Index) Candidates(g Geometry, buffer float64, window Period, fn func(*Occupation) bool) {
	q := g.projected().Bounds()
	ix.candidates(q, buffer, window, func(e *indexEntry) bool { return fn(&e.occ) })
}

func (ix *Index) candidates(q BBox, buffer float64, window Period, fn func(*indexEntry) bool) {
	q = q.Grow(buffer)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	x0, y0, x1, y1 := cellRange(q)
	for cx := x0; cx <= x1; cx++ {
		for cy := y0; cy <= y1; cy++ {
			for _, slot := range ix.cells[cellKey(cx, cy)] {
				e := &ix.entries[slot]
				if !e.box.Intersects(q) || !e.span.Overlaps(window) {
					continue
				}
				// An entry in several cells is reported only from the cell
				// holding the lower-left corner of its overlap with q.
				rx, ry, _, _ := cellRange(BBox{MinX: math.Max(e.box.MinX, q.MinX), MinY: math.Max(e.box.MinY, q.MinY)})
				if rx != cx || ry != cy {
					continue
				}
				if !fn(e) {
					return
				}
			}
		}
	}
}

// Conflicts returns the occupations in the index that truly conflict with
// the subject: within buffer metres of its geometry and overlapping one of
// its occurrences. The subject itself is skipped.
func (ix *Index) Conflicts(subject Occupation, buffer float64) []Conflict {
	subject.Occurrences = normalize(subject.Occurrences)
	sg := subject.Geometry.projected()
	sspan := Span(subject.Occurrences)
	var out []Conflict
	ix.candidates(sg.Bounds(), buffer, sspan, func(e *indexEntry) bool {
		if e.occ.ID == subject.ID {
			return true
		}
		if c, ok := exactConflict(subject, sg, &e.occ, e.geom, buffer); ok {
			out = append(out, c)
		}
		return true
	})
	return out
}
