package frontoffice

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// ErrNumber is matched by every *NumberError: text that is not a number as
// a person types one.
var ErrNumber = errors.New("not a number")

// NumberError says why a form value is not a number. errors.Is reports
// true for ErrNumber and for ErrValidation, so Status answers 422 with a
// Dutch sentence.
type NumberError struct {
	// Input is the rejected text, cut to 64 bytes.
	Input string
	// Reason says what is wrong, for a developer.
	Reason string
}

// Error says what was rejected and why.
func (e *NumberError) Error() string {
	return "frontoffice: " + strconv.Quote(e.Input) + " is not a number: " + e.Reason
}

// Is makes errors.Is true for ErrNumber and ErrValidation.
func (e *NumberError) Is(target error) bool {
	return target == ErrNumber || target == errs.ErrValidation
}

// maxNumber is the longest text ParseDecimal and ParseCoordinate read, and
// maxDigits the most digits ParseDecimal accepts: no amount or coordinate
// a person types is longer, a long one costs the decimal library time, and
// every number accepted is read again from the way Number writes it.
const (
	maxNumber = 100
	maxDigits = 30
)

func numberErr(s, reason string) error {
	if len(s) > 64 {
		s = s[:64]
	}
	return &NumberError{Input: s, Reason: reason}
}

// ParseDecimal reads a number as Belgians type it: a decimal comma, dots
// (or spaces) between thousands, and a decimal point understood too.
//
//	"12,5" → 12.5     "1.234,50" → 1234.5     "12.5" → 12.5     " 12 " → 12
//	"1.234" → 1234 (a dot before exactly three digits groups thousands)   "0.125" → 0.125
//	"-3,5" → -3.5     "€ 12,50" → 12.5 (a euro sign before or after is ignored)
//
// Ambiguous or malformed text is refused with a *NumberError rather than
// guessed: "1,234.50" (English grouping), "1.23,4" (a group of two), "1,2,3",
// "1e3", "NaN", more than 30 digits and more than 100 bytes.
func ParseDecimal(s string) (decimal.Decimal, error) {
	if len(s) > maxNumber {
		return decimal.Decimal{}, numberErr(s, "too long")
	}
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(t, "€"), "€"))
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = strings.TrimSpace(t[1:])
	}
	if t == "" {
		return decimal.Decimal{}, numberErr(s, "no digits")
	}
	whole, frac, hasComma := strings.Cut(t, ",")
	if hasComma {
		if strings.ContainsAny(frac, ",. \u00a0\u202f") {
			return decimal.Decimal{}, numberErr(s, "only digits may follow the decimal comma")
		}
	} else if i := strings.IndexByte(t, '.'); i >= 0 && strings.Count(t, ".") == 1 && (len(t)-i-1 != 3 || t[0] == '0') {
		// One dot not followed by exactly three digits cannot group
		// thousands, nor can one after a leading zero: it is a decimal
		// point ("12.5", "0.125").
		whole, frac = t[:i], t[i+1:]
		hasComma = true
	}
	digits, ok := ungroup(whole)
	if !ok {
		return decimal.Decimal{}, numberErr(s, "misplaced thousands separator or other character")
	}
	if hasComma {
		if frac == "" || !allDigits(frac) {
			return decimal.Decimal{}, numberErr(s, "decimals must be digits")
		}
		digits += "." + frac
	}
	if n := len(digits) - strings.Count(digits, "."); n > maxDigits {
		return decimal.Decimal{}, numberErr(s, "more than 30 digits")
	}
	if neg {
		digits = "-" + digits
	}
	d, err := decimal.NewFromString(digits)
	if err != nil {
		return decimal.Decimal{}, numberErr(s, err.Error())
	}
	return d, nil
}

// ungroup returns the digits of whole, which may group thousands with dots
// or spaces (one kind, groups of three after the first), and false for
// anything else.
func ungroup(whole string) (string, bool) {
	if whole == "" {
		return "", false
	}
	sep := strings.IndexAny(whole, ". \u00a0\u202f")
	if sep < 0 {
		return whole, allDigits(whole)
	}
	groups := strings.FieldsFunc(whole, func(r rune) bool { return r == '.' || r == ' ' || r == '\u00a0' || r == '\u202f' })
	// Separators must be single and of one kind.
	var kind rune = -1
	for _, r := range whole {
		if r >= '0' && r <= '9' {
			continue
		}
		if kind >= 0 && r != kind {
			return "", false
		}
		kind = r
	}
	if len(groups) < 2 || len(groups[0]) < 1 || len(groups[0]) > 3 {
		return "", false
	}
	var b strings.Builder
	for i, g := range groups {
		if !allDigits(g) || (i > 0 && len(g) != 3) {
			return "", false
		}
		b.WriteString(g)
	}
	// FieldsFunc drops empty fields, so "1..234" and "1.234." would pass:
	// the separators must number one fewer than the groups.
	if strings.Count(whole, string(kind)) != len(groups)-1 || strings.HasSuffix(whole, string(kind)) {
		return "", false
	}
	return b.String(), true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseCoordinate reads a latitude or longitude in decimal degrees, with a
// decimal comma or point: "50,87", "4.70", "-3,5", "50,87°". It refuses
// grouping, exponents, NaN and infinities, and values outside -180 to 180
// (check a latitude's -90 to 90 with the form's other rules).
func ParseCoordinate(s string) (float64, error) {
	if len(s) > maxNumber {
		return 0, numberErr(s, "too long")
	}
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "°"))
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	whole, frac, found := strings.Cut(t, ",")
	if !found {
		whole, frac, found = strings.Cut(t, ".")
	}
	if !allDigits(whole) || (found && !allDigits(frac)) {
		return 0, numberErr(s, "decimal degrees are digits with at most one decimal comma or point")
	}
	text := whole
	if found {
		text += "." + frac
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, numberErr(s, "not a finite number")
	}
	if f > 180 {
		return 0, numberErr(s, "outside -180 to 180 degrees")
	}
	if neg {
		f = -f
	}
	return f, nil
}
