// Package pii holds the types that carry personal data: a national register
// number, a name, an address, contact details. Each implements
// slog.LogValuer so a log shows a masked value, never the data in clear.
// Domain packages re-export them.
package pii

import (
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// INSZ is a Belgian national register or BIS number ("INSZ",
// "rijksregisternummer"), stored as its 11 digits.
type INSZ string

// ParseINSZ checks s (dots, dashes and spaces allowed) and returns its 11 digits.
func ParseINSZ(s string) (INSZ, bool) {
	if !validate.INSZ(s) {
		return "", false
	}
	return INSZ(onlyDigits(s)), true
}

// LogValue shows only the last two digits: "*********28".
func (n INSZ) LogValue() slog.Value { return slog.StringValue(maskAllBut(string(n), 2)) }

// Masked returns the number with all but the last two digits hidden.
func (n INSZ) Masked() string { return maskAllBut(string(n), 2) }

// Formatted returns the number as printed on the identity card: 85.07.30-033.28.
func (n INSZ) Formatted() string {
	s := string(n)
	if len(s) != 11 {
		return s
	}
	return s[0:2] + "." + s[2:4] + "." + s[4:6] + "-" + s[6:9] + "." + s[9:11]
}

// Name is a person's name.
type Name struct {
	Given  string `json:"given" validate:"required,max=200"`
	Family string `json:"family" validate:"required,max=200"`
}

// String returns "Given Family".
func (n Name) String() string { return strings.TrimSpace(n.Given + " " + n.Family) }

// LogValue shows initials only: "J. P.".
func (n Name) LogValue() slog.Value {
	return slog.StringValue(initial(n.Given) + " " + initial(n.Family))
}

// Address is a postal address in the Belgian format.
type Address struct {
	Street       string `json:"street" validate:"required,max=200"`
	Number       string `json:"number" validate:"required,max=20"`
	Box          string `json:"box,omitempty" validate:"max=20"`
	PostalCode   string `json:"postal_code" validate:"required,max=10"`
	Municipality string `json:"municipality" validate:"required,max=100"`
	// Country is the ISO 3166 code; empty means Belgium.
	Country string `json:"country,omitempty" validate:"omitempty,len=2"`
}

// Lines returns the address block as the Belgian post expects it:
// "Street Number box Box", "PostalCode MUNICIPALITY", and the country for
// addresses abroad.
func (a Address) Lines() []string {
	line1 := a.Street + " " + a.Number
	if a.Box != "" {
		line1 += " bus " + a.Box
	}
	lines := []string{line1, a.PostalCode + " " + strings.ToUpper(a.Municipality)}
	if a.Country != "" && a.Country != "BE" {
		lines = append(lines, a.Country)
	}
	return lines
}

// String returns the address on one line.
func (a Address) String() string { return strings.Join(a.Lines(), ", ") }

// LogValue shows the postal code and municipality only.
func (a Address) LogValue() slog.Value {
	return slog.StringValue("*** " + a.PostalCode + " " + a.Municipality)
}

// Email is an e-mail address.
type Email string

// LogValue shows the first letter and the domain: "j***@gent.be".
func (e Email) LogValue() slog.Value {
	local, domain, ok := strings.Cut(string(e), "@")
	if !ok {
		return slog.StringValue("***")
	}
	return slog.StringValue(initialRaw(local) + "***@" + domain)
}

// Phone is a telephone number.
type Phone string

// LogValue shows the last two digits.
func (p Phone) LogValue() slog.Value { return slog.StringValue(maskAllBut(string(p), 2)) }

func onlyDigits(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

func maskAllBut(s string, keep int) string {
	if len(s) <= keep {
		return strings.Repeat("*", len(s))
	}
	return strings.Repeat("*", len(s)-keep) + s[len(s)-keep:]
}

func initial(s string) string {
	if s == "" {
		return ""
	}
	return initialRaw(s) + "."
}

func initialRaw(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return ""
	}
	return string(r)
}
