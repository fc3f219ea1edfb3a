package casefile_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/casefiletest"
	"github.com/lokaalbestuur/bouwstenen/event"
)

// plainStore hides the memory store's NearbyFinder, so the service falls
// back to listing and measuring every open case: the brute force the grid
// must agree with.
type plainStore struct{ casefile.Store }

// TestNearbyGridMatchesBruteForce files cases at random places in a 2 km
// square, closes and moves some, and checks that the grid finds exactly
// what measuring every case finds, for random points and radii.
func TestNearbyGridMatchesBruteForce(t *testing.T) {
	ctx := context.Background()
	st := casefile.NewMemStore(event.Discard)
	grid := newBenchService(t, st)
	brute := newBenchService(t, plainStore{st})
	rng := rand.New(rand.NewPCG(1, 2))
	point := func() casefile.Point {
		return casefile.Point{Lat: 51.045 + rng.Float64()*0.018, Lon: 3.71 + rng.Float64()*0.029}
	}
	cats := []string{"street_lighting", "waste"}
	var ids []uuid.UUID
	for range 2000 {
		r := casefiletest.Report(cats[rng.IntN(2)], "")
		r.Location.Point = point()
		c, err := grid.Create(ctx, r)
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	for i, id := range ids {
		switch i % 7 {
		case 0: // closed
			_, err := st.Update(ctx, id, func(c *casefile.Case) (casefile.Change, error) { c.Closed = true; return casefile.Change{}, nil })
			require.NoError(t, err)
		case 1: // moved
			p := point()
			_, err := st.Update(ctx, id, func(c *casefile.Case) (casefile.Change, error) { c.Location.Point = p; return casefile.Change{}, nil })
			require.NoError(t, err)
		case 2: // merged
			_, err := st.Update(ctx, id, func(c *casefile.Case) (casefile.Change, error) {
				c.MergedInto = ids[0]
				return casefile.Change{}, nil
			})
			require.NoError(t, err)
		}
	}
	for i := range 300 {
		q := casefile.NearbyQuery{Category: cats[i%2], Point: point(), Radius: 1 + rng.Float64()*400, Limit: casefile.MaxNearby}
		want, err := brute.NearbyCases(ctx, q)
		require.NoError(t, err)
		got, err := grid.NearbyCases(ctx, q)
		require.NoError(t, err)
		require.Equal(t, len(want), len(got), "query %d: %+v", i, q)
		for j := range want {
			assert.Equal(t, want[j].Case.ID, got[j].Case.ID)
			assert.Equal(t, want[j].Distance, got[j].Distance)
		}
	}
}

// TestDistance checks the haversine against distances from an independent
// calculation (Python's math, R = 6371008.8 m) and against a known one:
// a degree of latitude is 111.195 km on that sphere.
func TestDistance(t *testing.T) {
	tests := []struct {
		p, q casefile.Point
		want float64
	}{
		{casefile.Point{Lat: 51.0545, Lon: 3.7215}, casefile.Point{Lat: 51.0545, Lon: 3.7229307}, 99.99892},
		{casefile.Point{Lat: 50, Lon: 4}, casefile.Point{Lat: 51, Lon: 4}, 111195.08},
		{casefile.Point{Lat: 51.0545, Lon: 3.7215}, casefile.Point{Lat: 51.0545, Lon: 3.7215}, 0},
	}
	for _, tt := range tests {
		assert.InDelta(t, tt.want, casefile.Distance(tt.p, tt.q), 0.01, "%v → %v", tt.p, tt.q)
		assert.InDelta(t, tt.want, casefile.Distance(tt.q, tt.p), 0.01, "symmetric")
	}
}

var (
	nearOnce  sync.Once
	nearStore *casefile.MemStore
)

// Where the million cases of the benchmark lie: spread over Flanders, or
// packed into one city of 10 by 10 km.
var nearAreas = []struct {
	name                 string
	lat, lon, dLat, dLon float64
}{
	{"flanders", 50.70, 2.55, 0.65, 3.35},
	{"city", 51.00, 3.66, 0.09, 0.14},
}

// nearSet builds, once per process, a store with a million open waste
// cases: half spread over Flanders, half in one city, under two
// municipality codes so each benchmark searches among 500,000 of its own
// and 500,000 of the other's in the same grid.
func nearSet() *casefile.MemStore {
	nearOnce.Do(func() {
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
		st := casefile.NewMemStore(event.Discard)
		ctx := context.Background()
		none := func(*casefile.Case) (casefile.Change, error) { return casefile.Change{}, nil }
		rng := rand.New(rand.NewPCG(3, 4))
		c := new(casefile.Case)
		for i := range bigOpen {
			var id uuid.UUID
			binary.BigEndian.PutUint64(id[8:], uint64(i+1))
			a := nearAreas[i%2]
			*c = casefile.Case{ID: id, Municipality: "m-" + a.name, Type: "meldingen", Category: "waste",
				Location: casefile.Location{Point: casefile.Point{Lat: a.lat + rng.Float64()*a.dLat, Lon: a.lon + rng.Float64()*a.dLon}},
				Status:   "reported", Team: "clean", Priority: casefile.PriorityNormal,
				CreatedAt: casefiletest.Start, UpdatedAt: casefiletest.Start}
			if err := st.Create(ctx, c, none); err != nil {
				panic(err)
			}
		}
		nearStore = st
		runtime.GC()
	})
	return nearStore
}

// BenchmarkNearby searches the open cases of a category within a radius
// among a million open cases: 500,000 spread over Flanders (about 37 per
// km²) or 500,000 in one city (about 5,000 per km², far denser than any
// municipality's open reports).
func BenchmarkNearby(b *testing.B) {
	st := nearSet()
	ctx := context.Background()
	for _, a := range nearAreas {
		for _, radius := range []float64{50, 250} {
			b.Run(fmt.Sprintf("%s/radius=%gm", a.name, radius), func(b *testing.B) {
				q := casefile.NearbyQuery{Municipality: "m-" + a.name, Category: "waste",
					Point: casefile.Point{Lat: a.lat + a.dLat/2, Lon: a.lon + a.dLon/2}, Radius: radius}
				b.ReportAllocs()
				n := 0
				cpu := processCPU()
				for b.Loop() {
					found, err := st.Nearby(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					n = len(found)
				}
				b.ReportMetric(float64(n), "found")
				// On a shared machine ns/op counts the time other
				// processes held the cores; cpu-ns/op is what this
				// process spent, collector included.
				b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}
