package address

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// metres is the great-circle distance between two WGS84 points.
func metres(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

// The expected values were computed with PROJ 9.1.1 (cs2cs EPSG:31370
// EPSG:4326, which chose "Inverse of Belgian Lambert 72 + BD72 to WGS 84
// (3)", and cs2cs EPSG:3812 EPSG:4326), not with this package. The first
// point is the position of "Bellevue 1, 9050 Gent" as the address register
// publishes it.
func TestLambert72ToWGS84(t *testing.T) {
	for _, tt := range []struct {
		name     string
		x, y     float64
		lat, lon float64
	}{
		{"Gent, Bellevue 1", 105600.61, 192113.19, 51.0374950, 3.7357363},
		{"Brussels", 150000, 170000, 50.8404113, 4.3687521},
		{"De Panne", 22000, 153000, 50.6735631, 2.5577247},
		{"Maasmechelen", 258000, 244000, 51.4953865, 5.9238642},
		{"Anderlecht", 148000, 170000, 50.8404080, 4.3403573},
		{"Eeklo", 94000, 194000, 51.0534504, 3.5700643},
		{"Lier", 180000, 210000, 51.1991903, 4.7979584},
		{"Tongeren", 240000, 160000, 50.7435597, 5.6439558},
		{"Geraardsbergen", 110000, 160000, 50.7491458, 3.8019481},
	} {
		lat, lon := Lambert72ToWGS84(tt.x, tt.y)
		d := metres(lat, lon, tt.lat, tt.lon)
		assert.Less(t, d, 0.05, "%s: %.7f, %.7f is %.3f m off", tt.name, lat, lon, d)
		t.Logf("%s: %.3f m from PROJ", tt.name, d)
	}
}

func TestLambert2008ToWGS84(t *testing.T) {
	for _, tt := range []struct {
		x, y     float64
		lat, lon float64
	}{
		{649328, 665262, 50.7978150, 4.3592158},
		{605600, 692113, 51.0375389, 3.7357639},
		{700000, 700000, 51.1078657, 5.0827617},
		{560000, 640000, 50.5638922, 3.0983318},
	} {
		lat, lon := Lambert2008ToWGS84(tt.x, tt.y)
		d := metres(lat, lon, tt.lat, tt.lon)
		assert.Less(t, d, 0.05, "%v,%v → %.7f, %.7f", tt.x, tt.y, lat, lon)
		t.Logf("%v, %v: %.3f m from PROJ", tt.x, tt.y, d)
	}
}
