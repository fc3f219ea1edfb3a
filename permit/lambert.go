package permit

import "math"

// Belgian Lambert 72 (EPSG:31370) is a Lambert conformal conic projection
// with two standard parallels on the Hayford 1924 (International) ellipsoid
// of the Belge 1972 datum (BD72). Converting to WGS84 needs both the
// projection and a datum shift; skipping the shift puts points about 100 m
// off, which is a different house.
const (
	hayfordA = 6378388.0
	hayfordF = 1 / 297.0
	wgs84A   = 6378137.0
	wgs84F   = 1 / 298.257223563

	l72FalseEasting  = 150000.013
	l72FalseNorthing = 5400088.438
)

var (
	// Standard parallels 49°50'00.00204" and 51°10'00.00204", central
	// meridian 4°22'02.952", latitude of false origin 90°N (EPSG:31370).
	l72Lat1 = dms(49, 50, 0.00204)
	l72Lat2 = dms(51, 10, 0.00204)
	l72Lon0 = dms(4, 22, 2.952)

	l72 = newLCC(hayfordA, hayfordF, l72Lat1, l72Lat2, l72Lon0, l72FalseEasting, l72FalseNorthing)

	// bd72ToWGS84 is EPSG transformation 15929 (BD72 to WGS 84 (3)), a
	// seven-parameter position-vector Helmert transformation: translations
	// in metres, rotations in arc-seconds, scale in parts per million.
	bd72ToWGS84 = helmert{tx: -106.8686, ty: 52.2978, tz: -103.7239, rx: 0.3366, ry: -0.457, rz: 1.8422, ds: -1.2747}
)

func dms(d, m int, s float64) float64 {
	return (float64(d) + float64(m)/60 + s/3600) * math.Pi / 180
}

// lcc holds the constants of a Lambert conformal conic (2SP) projection with
// its false origin at the pole, following the EPSG guidance note 7-2 formulas.
type lcc struct {
	a, e, n, aF, lon0, fe, fn float64
}

func newLCC(a, f, lat1, lat2, lon0, fe, fn float64) lcc {
	e := math.Sqrt(2*f - f*f)
	m := func(phi float64) float64 { s := math.Sin(phi); return math.Cos(phi) / math.Sqrt(1-e*e*s*s) }
	n := (math.Log(m(lat1)) - math.Log(m(lat2))) / (math.Log(lcct(e, lat1)) - math.Log(lcct(e, lat2)))
	F := m(lat1) / (n * math.Pow(lcct(e, lat1), n))
	return lcc{a: a, e: e, n: n, aF: a * F, lon0: lon0, fe: fe, fn: fn}
}

func lcct(e, phi float64) float64 {
	s := e * math.Sin(phi)
	return math.Tan(math.Pi/4-phi/2) / math.Pow((1-s)/(1+s), e/2)
}

// forward projects geodetic radians to easting/northing in metres.
func (p lcc) forward(lat, lon float64) (x, y float64) {
	r := p.aF * math.Pow(lcct(p.e, lat), p.n)
	theta := p.n * (lon - p.lon0)
	// The false origin is the pole, so its radius rF is zero.
	return p.fe + r*math.Sin(theta), p.fn - r*math.Cos(theta)
}

// inverse returns geodetic radians for easting/northing in metres.
func (p lcc) inverse(x, y float64) (lat, lon float64) {
	dx, dy := x-p.fe, -(y - p.fn)
	r := math.Hypot(dx, dy)
	theta := math.Atan2(dx, dy)
	t := math.Pow(r/p.aF, 1/p.n)
	lat = math.Pi/2 - 2*math.Atan(t)
	for range 10 {
		s := p.e * math.Sin(lat)
		next := math.Pi/2 - 2*math.Atan(t*math.Pow((1-s)/(1+s), p.e/2))
		if math.Abs(next-lat) < 1e-14 {
			lat = next
			break
		}
		lat = next
	}
	return lat, theta/p.n + p.lon0
}

type helmert struct{ tx, ty, tz, rx, ry, rz, ds float64 }

const arcsec = math.Pi / 180 / 3600

// apply uses the position-vector convention (EPSG method 9606).
func (h helmert) apply(x, y, z float64) (float64, float64, float64) {
	rx, ry, rz := h.rx*arcsec, h.ry*arcsec, h.rz*arcsec
	m := 1 + h.ds*1e-6
	return h.tx + m*(x-rz*y+ry*z),
		h.ty + m*(rz*x+y-rx*z),
		h.tz + m*(-ry*x+rx*y+z)
}

// inverse is the reverse shift; negating the small parameters is exact to
// well under a millimetre at these magnitudes.
func (h helmert) inverse() helmert {
	return helmert{-h.tx, -h.ty, -h.tz, -h.rx, -h.ry, -h.rz, -h.ds}
}

func toGeocentric(a, f, lat, lon float64) (x, y, z float64) {
	e2 := 2*f - f*f
	s, c := math.Sincos(lat)
	sl, cl := math.Sincos(lon)
	nu := a / math.Sqrt(1-e2*s*s)
	return nu * c * cl, nu * c * sl, nu * (1 - e2) * s
}

// fromGeocentric uses Bowring's closed form, exact to well under a
// millimetre near the ellipsoid surface, without iterating.
func fromGeocentric(a, f, x, y, z float64) (lat, lon float64) {
	e2 := 2*f - f*f
	b := a * (1 - f)
	ep2 := (a*a - b*b) / (b * b)
	p := math.Hypot(x, y)
	st, ct := math.Sincos(math.Atan2(z*a, p*b))
	lat = math.Atan2(z+ep2*b*st*st*st, p-e2*a*ct*ct*ct)
	return lat, math.Atan2(y, x)
}

// Lambert72ToWGS84 converts Belgian Lambert 72 (EPSG:31370) easting and
// northing in metres to WGS84 longitude and latitude in degrees. It is the
// inverse of WGS84ToLambert72 to a few nanometres, so a position given in
// Lambert 72 and stored in WGS84 comes back to the same millimetre, which
// exact topology needs (see topology.go). The published shift applied
// forward alone comes back about 0.6 mm off, since inverting a Helmert
// shift by negating its parameters and dropping the ellipsoidal height are
// both approximate; one correction step moves the result by that much.
func Lambert72ToWGS84(x, y float64) (lon, lat float64) {
	lon, lat = lambert72ToWGS84(x, y)
	bx, by := WGS84ToLambert72(lon, lat)
	return lambert72ToWGS84(2*x-bx, 2*y-by)
}

// lambert72ToWGS84 applies the projection and the published shift.
func lambert72ToWGS84(x, y float64) (lon, lat float64) {
	bLat, bLon := l72.inverse(x, y)
	gx, gy, gz := toGeocentric(hayfordA, hayfordF, bLat, bLon)
	gx, gy, gz = bd72ToWGS84.apply(gx, gy, gz)
	wLat, wLon := fromGeocentric(wgs84A, wgs84F, gx, gy, gz)
	return wLon * 180 / math.Pi, wLat * 180 / math.Pi
}

// WGS84ToLambert72 converts WGS84 longitude and latitude in degrees to
// Belgian Lambert 72 (EPSG:31370) easting and northing in metres.
func WGS84ToLambert72(lon, lat float64) (x, y float64) {
	gx, gy, gz := toGeocentric(wgs84A, wgs84F, lat*math.Pi/180, lon*math.Pi/180)
	gx, gy, gz = bd72ToWGS84.inverse().apply(gx, gy, gz)
	bLat, bLon := fromGeocentric(hayfordA, hayfordF, gx, gy, gz)
	return l72.forward(bLat, bLon)
}
