package address

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"unicode"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// Address is one address of a register ("adres"), with its position in
// WGS84.
type Address struct {
	// ID identifies the address in its register: for Basisregisters
	// Vlaanderen its URI (https://data.vlaanderen.be/id/adres/2550151).
	ID           string  `json:"id"`
	Street       string  `json:"street"`        // straatnaam
	Number       string  `json:"number"`        // huisnummer; "" for a street without number
	Box          string  `json:"box,omitempty"` // busnummer
	PostalCode   string  `json:"postal_code"`   // postcode
	Municipality string  `json:"municipality"`  // gemeente
	Lat          float64 `json:"lat"`
	Lon          float64 `json:"lon"`
}

// String formats the address the Belgian way: "Kerkstraat 12 bus 2, 9999 Demogem".
func (a Address) String() string {
	var b strings.Builder
	b.WriteString(a.Street)
	if a.Number != "" {
		b.WriteString(" " + a.Number)
	}
	if a.Box != "" {
		b.WriteString(" bus " + a.Box)
	}
	place := strings.TrimSpace(a.PostalCode + " " + a.Municipality)
	if place != "" {
		b.WriteString(", " + place)
	}
	return b.String()
}

// LogValue keeps the house number and box out of logs: a reporter's exact
// address can point to a person. Street and municipality remain, which is
// what an operator needs to follow a look-up.
func (a Address) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("street", a.Street),
		slog.String("number", mask(a.Number)),
		slog.String("postal_code", a.PostalCode),
		slog.String("municipality", a.Municipality),
	)
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return "***"
}

// Lookup finds addresses ("adres opzoeken"). Implementations: Register
// (Basisregisters Vlaanderen) and Gazetteer (offline, for the demo).
type Lookup interface {
	// Search finds addresses for free text such as "Kerkstraat 1, Demogem",
	// best match first; no match is an empty slice, not an error.
	Search(ctx context.Context, query string) ([]Address, error)
	// Reverse returns the address nearest to a WGS84 point, or an error
	// that is ErrNotFound (nothing near) or ErrReverseUnsupported.
	Reverse(ctx context.Context, lat, lon float64) (Address, error)
}

// Errors a caller branches on.
var (
	// ErrNotFound reports that no address is near enough.
	ErrNotFound = errs.ErrNotFound
	// ErrValidation is the SDK's validation kind; coordinate and territory
	// errors answer to it.
	ErrValidation = errs.ErrValidation
	// ErrReverseUnsupported reports a Lookup that cannot find an address
	// from a point.
	ErrReverseUnsupported = errors.New("address: reverse look-up not supported")
)

// Query is free text split into the parts of an address.
type Query struct {
	Street, Number, Box, PostalCode, Municipality string
}

// ParseQuery splits free text such as "Kerkstraat 12 bus 2, 9999 Demogem",
// "Kerkstraat 12/2 Demogem" or "kerkstraat" into its parts. It never fails:
// what it cannot place stays in Street.
func ParseQuery(s string) Query {
	var q Query
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	first, rest, _ := strings.Cut(s, ",")
	words := strings.Fields(first)
	// The first word that starts with a digit (after the street's first
	// word) is the number: "12", "12A", "12/2"; "bus 2", a postal code and a
	// municipality may follow it when no comma was used.
	for i, w := range words {
		if q.Number == "" && i > 0 && startsWithDigit(w) {
			num, box, _ := strings.Cut(w, "/")
			q.Number, q.Box = num, box
			tail := words[i+1:]
			if len(tail) >= 2 && (strings.EqualFold(tail[0], "bus") || strings.EqualFold(tail[0], "b") || strings.EqualFold(tail[0], "bte")) {
				q.Box = tail[1]
				tail = tail[2:]
			}
			if len(tail) > 0 && isPostal(tail[0]) {
				q.PostalCode = tail[0]
				tail = tail[1:]
			}
			if len(tail) > 0 {
				rest = strings.Join(tail, " ") + " " + rest
			}
			words = words[:i]
			break
		}
	}
	q.Street = strings.Join(words, " ")
	place := strings.Fields(strings.ReplaceAll(rest, ",", " "))
	if len(place) > 0 && isPostal(place[0]) {
		q.PostalCode = place[0]
		place = place[1:]
	}
	q.Municipality = strings.Join(place, " ")
	return q
}

func isPostal(w string) bool {
	if len(w) != 4 || w[0] == '0' {
		return false
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func startsWithDigit(w string) bool { return w != "" && w[0] >= '0' && w[0] <= '9' }

// fold lower-cases s and removes accents and punctuation, so that
// "Sint-Jozefstraat" matches "sint jozefstraat" and "Dorpsplein" "dörpsplein".
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune("àáâäã", r):
			b.WriteByte('a')
		case strings.ContainsRune("èéêë", r):
			b.WriteByte('e')
		case strings.ContainsRune("ìíîï", r):
			b.WriteByte('i')
		case strings.ContainsRune("òóôöõ", r):
			b.WriteByte('o')
		case strings.ContainsRune("ùúûü", r):
			b.WriteByte('u')
		case r == 'ç':
			b.WriteByte('c')
		case r == 'ÿ':
			b.WriteByte('y')
		}
	}
	return b.String()
}
