package address

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func square(lat0, lon0, lat1, lon1 float64) Ring {
	return Ring{{lat0, lon0}, {lat0, lon1}, {lat1, lon1}, {lat1, lon0}}
}

func TestTerritoryContains(t *testing.T) {
	withHole := Territory{Name: "Ringdorp", Polygons: []Polygon{
		{square(50, 4, 51, 5), square(50.4, 4.4, 50.6, 4.6)},
		{square(52, 4, 52.5, 4.5)},
	}}
	tests := []struct {
		name     string
		lat, lon float64
		want     bool
	}{
		{"inside", 50.2, 4.2, true},
		{"in the hole", 50.5, 4.5, false},
		{"on the hole's edge", 50.4, 4.5, true},
		{"in the second polygon", 52.2, 4.2, true},
		{"between the polygons", 51.5, 4.5, false},
		{"on an outer edge", 50, 4.5, true},
		{"on a vertex", 51, 5, true},
		{"on a vertical edge", 50.5, 4, true},
		{"just outside an edge", 50.5, 3.9999, false},
		{"level with a vertex, outside", 51, 5.5, false},
		{"level with a vertex, inside", 50.6, 4.2, true},
		{"NaN", math.NaN(), 4.5, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, withHole.Contains(tt.lat, tt.lon), tt.name)
	}
	// A closed ring (last point repeats the first) reads the same.
	closed := Territory{Name: "x", Polygons: []Polygon{{append(square(50, 4, 51, 5), Point{50, 4})}}}
	assert.True(t, closed.Contains(50.5, 4.5))
	assert.False(t, closed.Contains(49.5, 4.5))
}

func TestTerritoryConcave(t *testing.T) {
	// A U shape: the notch between the arms is outside.
	u := Territory{Name: "U", Polygons: []Polygon{{Ring{
		{0, 0}, {0, 3}, {3, 3}, {3, 2}, {1, 2}, {1, 1}, {3, 1}, {3, 0},
	}}}}
	assert.True(t, u.Contains(0.5, 1.5))
	assert.False(t, u.Contains(2, 1.5))
	assert.True(t, u.Contains(2, 0.5))
	assert.True(t, u.Contains(2, 2.5))
	assert.True(t, u.Contains(1, 1.5), "on the notch's inner edge")
	assert.True(t, u.Contains(2, 1), "level with two vertices, on the edge")
}

func TestDemogemTerritory(t *testing.T) {
	demogem := DemogemTerritory()
	assert.True(t, demogem.Contains(50.8695, 3.8111), "the portal's demo point")
	assert.False(t, demogem.Contains(50.8466, 4.3528), "Brussels")
	assert.False(t, demogem.Contains(51.0543, 3.7174), "Ghent")

	err := demogem.Check(50.8466, 4.3528)
	var oe *OutsideError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "Deze plaats ligt buiten het grondgebied van Demogem.", err.Error())
	assert.ErrorIs(t, err, ErrValidation)
	assert.NoError(t, demogem.Check(50.8695, 3.8111))
	assert.ErrorIs(t, demogem.Check(91, 3.8), ErrValidation)

	// Every address of the gazetteer lies in the territory, both ends of
	// every street.
	g := DemogemGazetteer()
	assert.GreaterOrEqual(t, len(g.Streets), 30)
	for _, s := range g.Streets {
		assert.True(t, demogem.Contains(s.From.Lat, s.From.Lon), s.Name)
		assert.True(t, demogem.Contains(s.To.Lat, s.To.Lon), s.Name)
	}
	found, err := g.Search(context.Background(), "Kerkstraat 12")
	require.NoError(t, err)
	require.Len(t, found, 1)
	assert.NoError(t, demogem.Check(found[0].Lat, found[0].Lon))
}

func FuzzTerritoryContains(f *testing.F) {
	f.Add(50.8695, 3.8111)
	f.Add(50.8466, 4.3528)
	f.Add(50.8930, 3.7830)
	demogem := DemogemTerritory()
	box := Territory{Name: "box", Polygons: []Polygon{{square(50.84, 3.77, 50.8955, 3.8510)}}}
	f.Fuzz(func(t *testing.T, lat, lon float64) {
		in := demogem.Contains(lat, lon)
		// Demogem lies within its bounding box: nothing outside the box is in.
		if in {
			assert.True(t, box.Contains(lat, lon))
		}
	})
}
