package permit

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Shapes that touch (a corner on a corner, a point on a line, a line along
// an edge) meet wherever in Belgium they lie; shapes a millimetre apart,
// or one lying in the other's hole, do not.
func TestMeetsIsExactEverywhere(t *testing.T) {
	type pts = [][2]float64
	tests := []struct {
		name string
		a, b func(x, y float64) (GeometryType, any)
		want bool
	}{
		{"corner on corner", square(0, 0, 10), square(10, 10, 5), true},
		{"corner a millimetre off", square(0, 0, 10), square(10.001, 10, 5), false},
		{"point on an edge", square(0, 0, 10), point(10, 3.217), true},
		{"point a millimetre outside", square(0, 0, 10), point(10.001, 3.217), false},
		{"point inside", square(0, 0, 10), point(3, 3), true},
		{"line along an edge", square(0, 0, 10), line(pts{{10, 2}, {10, 7.5}}), true},
		{"line end on a line", line(pts{{0, 0}, {50, 0}}), line(pts{{20.125, 0}, {20.125, 8}}), true},
		{"collinear lines apart", line(pts{{0, 0}, {50, 0}}), line(pts{{50.001, 0}, {80, 0}}), false},
		{"square in a hole", holed(0, 0), square(6, 6, 3), false},
		{"square on the hole's edge", holed(0, 0), square(5, 6, 3), true},
	}
	for _, off := range [][2]float64{{104000, 194000}, {131313.131, 161616.161}, {22000.5, 153000.25}, {250000, 50000}} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s at %v", tt.name, off), func(t *testing.T) {
				ta, ca := tt.a(off[0], off[1])
				tb, cb := tt.b(off[0], off[1])
				a, b := lambertGeometry(t, ta, ca), lambertGeometry(t, tb, cb)
				pa, pb := a.projected(), b.projected()
				assert.Equal(t, tt.want, meets(pa, pb))
				assert.Equal(t, tt.want, meets(pb, pa))
			})
		}
	}
}

func square(x0, y0, size float64) func(x, y float64) (GeometryType, any) {
	return func(x, y float64) (GeometryType, any) {
		return Polygon, [][][2]float64{rect(x+x0, y+y0, x+x0+size, y+y0+size)}
	}
}

func holed(x0, y0 float64) func(x, y float64) (GeometryType, any) {
	return func(x, y float64) (GeometryType, any) {
		return Polygon, [][][2]float64{rect(x+x0, y+y0, x+x0+20, y+y0+20), cw(x+x0+5, y+y0+5, x+x0+15, y+y0+15)}
	}
}

func point(px, py float64) func(x, y float64) (GeometryType, any) {
	return func(x, y float64) (GeometryType, any) { return Point, [2]float64{x + px, y + py} }
}

func line(ps [][2]float64) func(x, y float64) (GeometryType, any) {
	return func(x, y float64) (GeometryType, any) {
		out := make([][2]float64, len(ps))
		for i, p := range ps {
			out[i] = [2]float64{x + p[0], y + p[1]}
		}
		return LineString, out
	}
}
