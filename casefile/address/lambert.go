package address

import "math"

// The Belgian projections the address register publishes positions in,
// and their inverse to WGS84 latitude and longitude in degrees.
//
// Belgian Lambert 72 (EPSG:31370) is a Lambert conformal conic projection
// with two standard parallels on the International 1924 ellipsoid of the
// BD72 datum. Its definition (EPSG method 9802, Lambert Conic Conformal
// (2SP)): standard parallels 51°10'00.00204" and 49°50'00.00204", origin
// latitude 90°, central meridian 4°22'02.952", false easting 150000.013 m,
// false northing 5400088.438 m. BD72 is then moved to WGS84 with the
// seven-parameter Helmert transformation "BD72 to WGS 84 (3)" (EPSG:15929,
// accuracy about 1 m): translations −106.8686, 52.2978, −103.7239 m,
// rotations −0.3366, 0.457, −1.8422 arc-seconds in the coordinate-frame
// convention (the same rotations with the opposite sign in the position-
// vector convention used below, as PROJ's towgs84 does), scale −1.2747 ppm.
//
// Belgian Lambert 2008 (EPSG:3812) is the same projection on the GRS80
// ellipsoid of ETRS89, which coincides with WGS84 within a metre in
// Belgium: standard parallels 49°50' and 51°10', origin latitude
// 50°47'52.134", central meridian 4°21'33.177", false easting 649328 m,
// false northing 665262 m.

type ellipsoid struct{ a, f float64 }

var (
	international1924 = ellipsoid{a: 6378388, f: 1 / 297.0}
	grs80             = ellipsoid{a: 6378137, f: 1 / 298.257222101}
	wgs84             = ellipsoid{a: 6378137, f: 1 / 298.257223563}
)

func (e ellipsoid) e2() float64 { return e.f * (2 - e.f) }

type lcc struct {
	ell              ellipsoid
	lat1, lat2       float64 // standard parallels, degrees
	lat0, lon0       float64 // origin, degrees
	falseE, falseN   float64
	n, aF, rF, e, l0 float64 // derived
}

func dms(d, m, s float64) float64 { return d + m/60 + s/3600 }

func newLCC(ell ellipsoid, lat1, lat2, lat0, lon0, fe, fn float64) *lcc {
	p := &lcc{ell: ell, lat1: lat1, lat2: lat2, lat0: lat0, lon0: lon0, falseE: fe, falseN: fn}
	p.e = math.Sqrt(ell.e2())
	rad := math.Pi / 180
	m1, m2 := p.m(lat1*rad), p.m(lat2*rad)
	t1, t2 := p.t(lat1*rad), p.t(lat2*rad)
	p.n = (math.Log(m1) - math.Log(m2)) / (math.Log(t1) - math.Log(t2))
	F := m1 / (p.n * math.Pow(t1, p.n))
	p.aF = ell.a * F
	p.rF = 0
	if lat0 < 90 {
		p.rF = p.aF * math.Pow(p.t(lat0*rad), p.n)
	}
	p.l0 = lon0 * rad
	return p
}

func (p *lcc) m(phi float64) float64 {
	s := math.Sin(phi)
	return math.Cos(phi) / math.Sqrt(1-p.e*p.e*s*s)
}

func (p *lcc) t(phi float64) float64 {
	s := math.Sin(phi)
	return math.Tan(math.Pi/4-phi/2) / math.Pow((1-p.e*s)/(1+p.e*s), p.e/2)
}

// inverse returns the geodetic latitude and longitude in radians on the
// projection's own ellipsoid (EPSG Guidance Note 7-2, §1.3.1.1).
func (p *lcc) inverse(x, y float64) (phi, lambda float64) {
	dx, dy := x-p.falseE, p.rF-(y-p.falseN)
	r := math.Copysign(math.Hypot(dx, dy), p.n)
	t := math.Pow(r/p.aF, 1/p.n)
	theta := math.Atan2(dx, dy)
	if p.n < 0 {
		theta = math.Atan2(-dx, -dy)
	}
	phi = math.Pi/2 - 2*math.Atan(t)
	for range 10 {
		s := math.Sin(phi)
		next := math.Pi/2 - 2*math.Atan(t*math.Pow((1-p.e*s)/(1+p.e*s), p.e/2))
		if math.Abs(next-phi) < 1e-12 {
			phi = next
			break
		}
		phi = next
	}
	return phi, theta/p.n + p.l0
}

var (
	lambert72 = newLCC(international1924,
		dms(51, 10, 0.00204), dms(49, 50, 0.00204), 90, dms(4, 22, 2.952), 150000.013, 5400088.438)
	lambert2008 = newLCC(grs80,
		dms(49, 50, 0), dms(51, 10, 0), dms(50, 47, 52.134), dms(4, 21, 33.177), 649328, 665262)
)

// Lambert72ToWGS84 converts Belgian Lambert 72 coordinates (EPSG:31370,
// metres) to WGS84 latitude and longitude in degrees, within about a metre
// (the accuracy of the datum shift).
func Lambert72ToWGS84(x, y float64) (lat, lon float64) {
	phi, lambda := lambert72.inverse(x, y)
	X, Y, Z := toECEF(international1924, phi, lambda)
	X, Y, Z = bd72ToWGS84(X, Y, Z)
	phi, lambda = fromECEF(wgs84, X, Y, Z)
	return phi * 180 / math.Pi, lambda * 180 / math.Pi
}

// Lambert2008ToWGS84 converts Belgian Lambert 2008 coordinates (EPSG:3812,
// metres) to latitude and longitude in degrees. ETRS89 is taken as WGS84.
func Lambert2008ToWGS84(x, y float64) (lat, lon float64) {
	phi, lambda := lambert2008.inverse(x, y)
	return phi * 180 / math.Pi, lambda * 180 / math.Pi
}

func toECEF(ell ellipsoid, phi, lambda float64) (x, y, z float64) {
	e2 := ell.e2()
	s := math.Sin(phi)
	nu := ell.a / math.Sqrt(1-e2*s*s)
	return nu * math.Cos(phi) * math.Cos(lambda), nu * math.Cos(phi) * math.Sin(lambda), nu * (1 - e2) * s
}

// fromECEF inverts toECEF by iteration on latitude (height is not needed).
func fromECEF(ell ellipsoid, x, y, z float64) (phi, lambda float64) {
	e2 := ell.e2()
	p := math.Hypot(x, y)
	lambda = math.Atan2(y, x)
	phi = math.Atan2(z, p*(1-e2))
	for range 10 {
		s := math.Sin(phi)
		nu := ell.a / math.Sqrt(1-e2*s*s)
		next := math.Atan2(z+e2*nu*s, p)
		if math.Abs(next-phi) < 1e-13 {
			return next, lambda
		}
		phi = next
	}
	return phi, lambda
}

// bd72ToWGS84 applies EPSG:15929 as a position-vector Helmert transform.
func bd72ToWGS84(x, y, z float64) (float64, float64, float64) {
	const sec = math.Pi / (180 * 3600)
	tx, ty, tz := -106.8686, 52.2978, -103.7239
	rx, ry, rz := 0.3366*sec, -0.457*sec, 1.8422*sec
	k := 1 + -1.2747e-6
	return tx + k*(x-rz*y+ry*z),
		ty + k*(rz*x+y-rx*z),
		tz + k*(-ry*x+rx*y+z)
}
