package payment

import (
	"errors"

	"github.com/lokaalbestuur/bouwstenen/internal/iban"
)

// IBAN is an International Bank Account Number (ISO 13616) that passed the
// registry length and BBAN structure of its country, the mod 97-10 check,
// and for Belgium the national check. The zero value is not valid.
type IBAN struct {
	b [34]byte
	n uint8
}

// ParseIBAN reads an IBAN in electronic form or printed in groups with
// spaces, in any letter case. It does not allocate for valid input.
func ParseIBAN(s string) (IBAN, error) {
	var v IBAN
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			continue
		}
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if v.n == 34 {
			return IBAN{}, parseErr("iban", s, ErrFormat, "longer than 34 characters")
		}
		v.b[v.n] = c
		v.n++
	}
	if err := iban.CheckBytes(v.b[:v.n]); err != nil {
		return IBAN{}, ibanError(s, err)
	}
	return v, nil
}

func ibanError(s string, err error) error {
	switch {
	case errors.Is(err, iban.ErrChecksum):
		return parseErr("iban", s, ErrCheckDigits, err.Error())
	case errors.Is(err, iban.ErrNationalCheck):
		return parseErr("iban", s, ErrNationalCheck, err.Error())
	case errors.Is(err, iban.ErrCountry):
		return parseErr("iban", s, ErrCountry, err.Error())
	}
	return parseErr("iban", s, ErrFormat, err.Error())
}

// IsZero reports whether v is the zero value.
func (v IBAN) IsZero() bool { return v.n == 0 }

// String returns the electronic form: upper case, no spaces.
func (v IBAN) String() string { return string(v.b[:v.n]) }

// Country returns the ISO 3166 country code.
func (v IBAN) Country() string {
	if v.n < 2 {
		return ""
	}
	return string(v.b[:2])
}

// Printed returns the form for paper: groups of four separated by spaces.
func (v IBAN) Printed() string {
	b := make([]byte, 0, int(v.n)+int(v.n)/4)
	for i := 0; i < int(v.n); i++ {
		if i > 0 && i%4 == 0 {
			b = append(b, ' ')
		}
		b = append(b, v.b[i])
	}
	return string(b)
}

// MarshalText writes the electronic form.
func (v IBAN) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText accepts every form ParseIBAN accepts.
func (v *IBAN) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*v = IBAN{}
		return nil
	}
	p, err := ParseIBAN(string(b))
	if err != nil {
		return err
	}
	*v = p
	return nil
}

// BIC is a Business Identifier Code (ISO 9362) of a bank: 4 letters for
// the institution, 2 for the country, 2 letters or digits for the location
// and optionally 3 for the branch. The zero value is not valid.
type BIC struct {
	s string
}

// ParseBIC reads an 8 or 11 character BIC, in any letter case.
func ParseBIC(s string) (BIC, error) {
	if len(s) != 8 && len(s) != 11 {
		return BIC{}, parseErr("bic", s, ErrFormat, "expected 8 or 11 characters")
	}
	var b [11]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		letter := c >= 'A' && c <= 'Z'
		if i < 6 && !letter || i >= 6 && !letter && !isDigit(c) {
			return BIC{}, parseErr("bic", s, ErrFormat, "4 letters bank, 2 letters country, 2 letters or digits location, optional 3 branch")
		}
		b[i] = c
	}
	return BIC{s: string(b[:len(s)])}, nil
}

// IsZero reports whether b is the zero value.
func (b BIC) IsZero() bool { return b.s == "" }

// String returns the BIC in upper case.
func (b BIC) String() string { return b.s }

// MarshalText writes the BIC.
func (b BIC) MarshalText() ([]byte, error) { return []byte(b.s), nil }

// UnmarshalText accepts every form ParseBIC accepts.
func (b *BIC) UnmarshalText(t []byte) error {
	if len(t) == 0 {
		*b = BIC{}
		return nil
	}
	v, err := ParseBIC(string(t))
	if err != nil {
		return err
	}
	*b = v
	return nil
}
