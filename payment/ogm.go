package payment

import (
	"fmt"
	"strconv"
)

// OGM is a Belgian structured communication ("gestructureerde mededeling",
// OGM/VCS): ten digits followed by two check digits equal to the first ten
// modulo 97, where 0 is written 97. The zero value is not valid.
type OGM struct {
	digits [12]byte
}

// ParseOGM reads an OGM written as +++123/4567/89002+++, ***123/4567/89002***,
// or its 12 digits with or without spaces and slashes. It does not allocate
// for valid input.
func ParseOGM(s string) (OGM, error) {
	var o OGM
	body := s
	if len(body) >= 6 && (body[:3] == "+++" && body[len(body)-3:] == "+++" || body[:3] == "***" && body[len(body)-3:] == "***") {
		body = body[3 : len(body)-3]
	}
	n := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c >= '0' && c <= '9':
			if n == 12 {
				return OGM{}, parseErr("ogm", s, ErrFormat, "more than 12 digits")
			}
			o.digits[n] = c
			n++
		case c == ' ' || c == '/':
		default:
			return OGM{}, parseErr("ogm", s, ErrFormat, "only digits, spaces, slashes and +++ or *** around them")
		}
	}
	if n != 12 {
		return OGM{}, parseErr("ogm", s, ErrFormat, "expected 12 digits")
	}
	if !o.valid() {
		return OGM{}, parseErr("ogm", s, ErrCheckDigits, "the last two digits must be the first ten modulo 97")
	}
	return o, nil
}

// NewOGM builds the OGM for a base of at most ten digits by appending its
// check digits (base mod 97, 0 written as 97).
func NewOGM(base uint64) (OGM, error) {
	if base > 9_999_999_999 {
		return OGM{}, parseErr("ogm", strconv.FormatUint(base, 10), ErrFormat, "the base has more than 10 digits")
	}
	var o OGM
	check := base % 97
	if check == 0 {
		check = 97
	}
	v := base*100 + check
	for i := 11; i >= 0; i-- {
		o.digits[i] = byte('0' + v%10)
		v /= 10
	}
	return o, nil
}

func (o OGM) valid() bool {
	var base uint64
	for _, c := range o.digits[:10] {
		if c < '0' || c > '9' {
			return false
		}
		base = base*10 + uint64(c-'0')
	}
	want := base % 97
	if want == 0 {
		want = 97
	}
	return uint64(o.digits[10]-'0')*10+uint64(o.digits[11]-'0') == want
}

// IsZero reports whether o is the zero value.
func (o OGM) IsZero() bool { return o.digits[0] == 0 }

// Base returns the ten digits before the check digits as a number.
func (o OGM) Base() uint64 {
	var base uint64
	for _, c := range o.digits[:10] {
		base = base*10 + uint64(c-'0')
	}
	return base
}

// Digits returns the 12 digits without separators, the form banks use in
// files (CODA, ISO 20022).
func (o OGM) Digits() string {
	if o.IsZero() {
		return ""
	}
	return string(o.digits[:])
}

// String returns the canonical form +++ddd/dddd/ddddd+++ printed on invoices.
func (o OGM) String() string {
	if o.IsZero() {
		return ""
	}
	d := o.digits
	return "+++" + string(d[0:3]) + "/" + string(d[3:7]) + "/" + string(d[7:12]) + "+++"
}

// MarshalText writes the canonical form.
func (o OGM) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText accepts every form ParseOGM accepts.
func (o *OGM) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*o = OGM{}
		return nil
	}
	v, err := ParseOGM(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}

// GoString helps in test failure output.
func (o OGM) GoString() string { return fmt.Sprintf("payment.OGM(%q)", o.String()) }
