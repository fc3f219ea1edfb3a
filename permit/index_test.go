package permit

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var year = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// randomOccupations spreads n small occupations (points, kerb lines and
// rectangles of a few metres) over Belgium and a year, deterministically.
func randomOccupations(n int, seed uint64) []Occupation {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]Occupation, n)
	for i := range out {
		lon, lat := 2.7+r.Float64()*3.4, 49.6+r.Float64()*1.7
		w, h := (2+r.Float64()*20)/70000, (2+r.Float64()*20)/111000
		var g Geometry
		switch r.IntN(3) {
		case 0:
			g = Geometry{Type: Point, Point: Position{lon, lat}}
		case 1:
			g = Geometry{Type: LineString, Line: []Position{{lon, lat}, {lon + w, lat + h/4}}}
		default:
			g = Geometry{Type: Polygon, Polygon: [][]Position{{{lon, lat}, {lon + w, lat}, {lon + w, lat + h}, {lon, lat + h}, {lon, lat}}}}
		}
		start := year.Add(time.Duration(r.IntN(365*24)) * time.Hour)
		occ := []Period{{start, start.Add(time.Duration(1+r.IntN(30*24)) * time.Hour)}}
		var id uuid.UUID
		id[0], id[1], id[2], id[3] = byte(i>>24), byte(i>>16), byte(i>>8), byte(i)
		out[i] = Occupation{ID: id, Kind: KindPermit, Geometry: g, Occurrences: occ, Revision: 1}
	}
	return out
}

// bruteConflicts is the reference: every occupation checked exactly.
func bruteConflicts(all []Occupation, projected []Geometry, subject Occupation, buffer float64) []Conflict {
	sg := subject.Geometry.projected()
	var out []Conflict
	for i := range all {
		o := &all[i]
		if o.ID == subject.ID {
			continue
		}
		if c, ok := exactConflict(subject, sg, o, projected[i], buffer); ok {
			out = append(out, c)
		}
	}
	return out
}

func ids(cs []Conflict) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.With.String())
	}
	slices.Sort(out)
	return out
}

func TestIndexAgreesWithBruteForce(t *testing.T) {
	// Dense: 3000 occupations in a few km² so conflicts actually happen.
	all := randomOccupations(3000, 7)
	proj := make([]Geometry, len(all))
	for i := range all {
		all[i].Geometry = all[i].Geometry.mapPositions(func(p Position) Position {
			return Position{4.40 + (p[0]-2.7)/1000, 51.20 + (p[1]-49.6)/1000}
		})
		proj[i] = all[i].Geometry.projected()
	}
	ix := BuildIndex(all)
	require.Equal(t, len(all), ix.Len())
	found := 0
	for _, s := range all[:300] {
		for _, buffer := range []float64{0, 10} {
			got, want := ix.Conflicts(s, buffer), bruteConflicts(all, proj, s, buffer)
			require.Equal(t, ids(want), ids(got), "subject %s buffer %v", s.ID, buffer)
			found += len(got)
		}
	}
	assert.Greater(t, found, 100, "the test data must produce conflicts")

	// Removing and re-adding keeps the index consistent.
	for _, o := range all[:1000] {
		ix.Remove(o.ID)
	}
	assert.Equal(t, 2000, ix.Len())
	for _, s := range all[1000:1100] {
		assert.Equal(t, ids(bruteConflicts(all[1000:], proj[1000:], s, 10)), ids(ix.Conflicts(s, 10)))
	}
	for _, o := range all[:1000] {
		ix.Put(o)
	}
	ix.Put(all[0]) // replacing does not duplicate
	assert.Equal(t, 3000, ix.Len())
	for _, s := range all[:50] {
		assert.Equal(t, ids(bruteConflicts(all, proj, s, 10)), ids(ix.Conflicts(s, 10)))
	}
}

func TestIndexLargeOccupationSpansCells(t *testing.T) {
	// A 2 km road works line crosses many cells but is reported once.
	works := Occupation{ID: uuid.New(), Kind: KindWorks, Geometry: Geometry{Type: LineString, Line: []Position{{4.40, 51.20}, {4.43, 51.20}}},
		Occurrences: []Period{{year, year.AddDate(0, 3, 0)}}}
	ix := BuildIndex([]Occupation{works})
	subject := Occupation{ID: uuid.New(), Geometry: Geometry{Type: Polygon, Polygon: [][]Position{{{4.41, 51.1999}, {4.42, 51.1999}, {4.42, 51.2001}, {4.41, 51.2001}, {4.41, 51.1999}}}},
		Occurrences: []Period{{year.AddDate(0, 1, 0), year.AddDate(0, 1, 2)}}}
	cs := ix.Conflicts(subject, 10)
	require.Len(t, cs, 1)
	assert.Equal(t, 0.0, cs[0].Distance)
	assert.Equal(t, KindWorks, cs[0].WithKind)
}

func TestOverlapsAndSpanning(t *testing.T) {
	h := func(n int) time.Time { return year.Add(time.Duration(n) * time.Hour) }
	long := []Period{{h(0), h(100)}}
	short := []Period{{h(10), h(12)}, {h(20), h(22)}}
	assert.Equal(t, short, overlaps(long, short), "a spanning occupation conflicts with every occurrence")
	assert.Equal(t, short, overlaps(short, long))
	assert.Empty(t, overlaps([]Period{{h(0), h(10)}}, []Period{{h(10), h(20)}}), "half-open")
	assert.Equal(t, []Period{{h(0), h(10)}}, normalize([]Period{{h(5), h(10)}, {h(0), h(6)}}))
}

func TestIndexConcurrentUse(t *testing.T) {
	all := randomOccupations(500, 3)
	ix := BuildIndex(all[:250])
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < 250; i += 4 {
				if w%2 == 0 {
					ix.Put(all[250+i])
				} else {
					_ = ix.Conflicts(all[i], 10)
				}
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 250+125, ix.Len())
}

var (
	benchOnce sync.Once
	benchOccs []Occupation
	benchIx   *Index
)

func benchData() ([]Occupation, *Index) {
	benchOnce.Do(func() {
		benchOccs = randomOccupations(200_000, 42)
		benchIx = BuildIndex(benchOccs)
	})
	return benchOccs, benchIx
}

func BenchmarkIndexBuild200k(b *testing.B) {
	occs, _ := benchData()
	b.ReportAllocs()
	for b.Loop() {
		BuildIndex(occs)
	}
}

func BenchmarkConflictQuery200k(b *testing.B) {
	occs, ix := benchData()
	subjects := randomOccupations(1024, 99)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = ix.Conflicts(subjects[i%len(subjects)], 10)
		i++
	}
	_ = occs
}

func BenchmarkConflictQuery200kBruteForce(b *testing.B) {
	occs, _ := benchData()
	// The brute force gets pre-projected geometries, or it would measure
	// the projection; it is still a full scan.
	type pre struct {
		o *Occupation
		g Geometry
		b BBox
	}
	ps := make([]pre, len(occs))
	for i := range occs {
		g := occs[i].Geometry.projected()
		ps[i] = pre{&occs[i], g, g.Bounds()}
	}
	subjects := randomOccupations(1024, 99)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := subjects[i%len(subjects)]
		sg := s.Geometry.projected()
		q := sg.Bounds()
		q = BBox{q.MinX - 10, q.MinY - 10, q.MaxX + 10, q.MaxY + 10}
		span := Span(s.Occurrences)
		n := 0
		for j := range ps {
			if ps[j].b.Intersects(q) && Span(ps[j].o.Occurrences).Overlaps(span) {
				if _, ok := exactConflict(s, sg, ps[j].o, ps[j].g, 10); ok {
					n++
				}
			}
		}
		_ = n
		i++
	}
}
