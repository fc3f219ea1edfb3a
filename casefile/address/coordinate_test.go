package address

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCoordinate(t *testing.T) {
	good := map[string]float64{
		"50.87": 50.87, "50,87": 50.87, " 50,8695 ": 50.8695, "-3,5": -3.5, "+4": 4, "0": 0, "4.": 4, ",5": 0.5,
	}
	for in, want := range good {
		got, err := ParseCoordinate(in)
		require.NoError(t, err, in)
		assert.InDelta(t, want, got, 1e-12, in)
	}
	for _, in := range []string{"", " ", "50,870.5", "1.000,5", "50,87,1", "NaN", "Inf", "1e3", "0x10", "50 87", "--1", "5-0", "50°", "٥٠"} {
		_, err := ParseCoordinate(in)
		require.Error(t, err, in)
		assert.ErrorIs(t, err, ErrValidation, in)
		var ce *CoordinateError
		assert.ErrorAs(t, err, &ce)
	}
}

func TestParseLatLon(t *testing.T) {
	good := map[string][2]float64{
		"50.8695, 3.8111":    {50.8695, 3.8111},
		"50,8695, 3,8111":    {50.8695, 3.8111},
		"50,8695; 3,8111":    {50.8695, 3.8111},
		"50,8695;3,8111":     {50.8695, 3.8111},
		"50.8695 3.8111":     {50.8695, 3.8111},
		"50.8695,3.8111":     {50.8695, 3.8111},
		" 50,87   3,81 ":     {50.87, 3.81},
		"-33.8688, 151.2093": {-33.8688, 151.2093},
	}
	for in, want := range good {
		lat, lon, err := ParseLatLon(in)
		require.NoError(t, err, in)
		assert.InDelta(t, want[0], lat, 1e-12, in)
		assert.InDelta(t, want[1], lon, 1e-12, in)
	}
	for _, in := range []string{"", "50,87,3,81", "50,87", "50.87", "91, 3", "50, 181", "50 3 4", "a, b", "50;", ";3"} {
		_, _, err := ParseLatLon(in)
		assert.ErrorIs(t, err, ErrValidation, in)
	}
}

func FuzzParseCoordinate(f *testing.F) {
	for _, s := range []string{"50,87", "50.87", "-3,5", "", "1e3", "NaN", "+,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseCoordinate(s)
		if err != nil {
			assert.ErrorIs(t, err, ErrValidation)
			return
		}
		assert.False(t, math.IsNaN(v) || math.IsInf(v, 0))
		// Reading the same number with the other decimal sign gives the same value.
		swapped := strings.Map(func(r rune) rune {
			switch r {
			case ',':
				return '.'
			case '.':
				return ','
			}
			return r
		}, s)
		w, err := ParseCoordinate(swapped)
		require.NoError(t, err)
		assert.Equal(t, v, w)
	})
}

func FuzzParseLatLon(f *testing.F) {
	for _, s := range []string{"50,8695; 3,8111", "50.8695, 3.8111", "50.1 3.2", "50,87,3,81", "91, 3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lat, lon, err := ParseLatLon(s)
		if err != nil {
			assert.ErrorIs(t, err, ErrValidation)
			return
		}
		assert.True(t, lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)
	})
}
