package address

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// CoordinateError says why a coordinate was refused, in Dutch for the
// citizen (Message) and with the input for the log. errors.Is(err,
// ErrValidation) reports true for it.
type CoordinateError struct {
	Input   string
	Message string
}

// Error returns the Dutch message.
func (e *CoordinateError) Error() string { return e.Message }

// Is makes errors.Is(err, ErrValidation) true.
func (e *CoordinateError) Is(target error) bool { return target == ErrValidation }

// ParseCoordinate reads one decimal degree value written with a decimal
// point or a decimal comma, as Belgian users type it: "50.87", "50,87",
// " -3,5 ". Thousands separators, exponents, NaN and infinities are refused.
func ParseCoordinate(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, &CoordinateError{Input: s, Message: "Geef een coördinaat op."}
	}
	if strings.Count(t, ",")+strings.Count(t, ".") > 1 {
		return 0, &CoordinateError{Input: s, Message: fmt.Sprintf("%q is geen getal: gebruik één decimaalteken.", t)}
	}
	t = strings.Replace(t, ",", ".", 1)
	for i, r := range t {
		if !(r >= '0' && r <= '9' || r == '.' || (i == 0 && (r == '-' || r == '+'))) {
			return 0, &CoordinateError{Input: s, Message: fmt.Sprintf("%q is geen getal.", strings.TrimSpace(s))}
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, &CoordinateError{Input: s, Message: fmt.Sprintf("%q is geen getal.", strings.TrimSpace(s))}
	}
	return v, nil
}

// ParseLatLon reads "lat, lon" in decimal degrees as people paste it from a
// map: "50.8695, 3.8111", "50,8695, 3,8111", "50,8695; 3,8111",
// "50.8695 3.8111" or "50.8695,3.8111". Without a space or semicolon a
// comma is read as the separator only when the numbers use decimal points
// ("50,87,3,81" is ambiguous and refused). Latitude must lie in [-90, 90]
// and longitude in [-180, 180].
func ParseLatLon(s string) (lat, lon float64, err error) {
	t := strings.TrimSpace(s)
	var parts []string
	switch {
	case strings.Contains(t, ";"):
		parts = strings.Split(t, ";")
	case strings.ContainsAny(t, " \t"):
		parts = strings.Fields(strings.ReplaceAll(t, ", ", " "))
		if len(parts) == 2 {
			parts[0] = strings.TrimSuffix(parts[0], ",")
		}
	case strings.Count(t, ",") == 1 && strings.Count(t, ".") == 2:
		parts = strings.Split(t, ",")
	default:
		return 0, 0, &CoordinateError{Input: s, Message: "Geef breedte- en lengtegraad op, gescheiden door een spatie of een puntkomma, bijvoorbeeld \"50,8695; 3,8111\"."}
	}
	if len(parts) != 2 {
		return 0, 0, &CoordinateError{Input: s, Message: "Geef precies twee getallen op: breedtegraad en lengtegraad."}
	}
	if lat, err = ParseCoordinate(parts[0]); err != nil {
		return 0, 0, err
	}
	if lon, err = ParseCoordinate(parts[1]); err != nil {
		return 0, 0, err
	}
	if err := CheckLatLon(lat, lon); err != nil {
		return 0, 0, err
	}
	return lat, lon, nil
}

// CheckLatLon refuses a latitude outside [-90, 90] or a longitude outside
// [-180, 180].
func CheckLatLon(lat, lon float64) error {
	if !(lat >= -90 && lat <= 90) {
		return &CoordinateError{Input: fmt.Sprint(lat), Message: "De breedtegraad moet tussen -90 en 90 liggen."}
	}
	if !(lon >= -180 && lon <= 180) {
		return &CoordinateError{Input: fmt.Sprint(lon), Message: "De lengtegraad moet tussen -180 en 180 liggen."}
	}
	return nil
}
