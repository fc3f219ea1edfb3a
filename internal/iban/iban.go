// Package iban checks International Bank Account Numbers (ISO 13616).
//
// It knows each registered country's IBAN length, computes the ISO 7064
// mod 97-10 check, and for Belgian accounts also the national check on the
// BBAN (bank code and account number mod 97). It works on bytes without
// allocating, so parsers on hot paths can call it.
package iban

import "errors"

// The reasons an IBAN is rejected.
var (
	ErrLength        = errors.New("wrong length for its country")
	ErrCountry       = errors.New("unknown IBAN country code")
	ErrCharacter     = errors.New("characters other than A-Z and 0-9")
	ErrChecksum      = errors.New("IBAN check digits do not match (mod 97-10)")
	ErrNationalCheck = errors.New("national check digits of the account number do not match")
	ErrFormat        = errors.New("account number does not have the structure of its country")
)

// Lengths maps each ISO 3166 country code in the SWIFT IBAN registry to the
// length of its IBANs.
var Lengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
	"BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24,
	"DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
	"FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
	"GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
	"IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
	"LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20,
	"MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
	"PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
	"SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
	"SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
	"YE": 30,
}

// Check reports why the electronic form of an IBAN (upper case, no spaces)
// is not valid, or nil when it is.
func Check(s string) error {
	if len(s) < 5 {
		return ErrLength
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return ErrCharacter
		}
	}
	n, ok := Lengths[s[:2]]
	if !ok {
		return ErrCountry
	}
	if len(s) != n {
		return ErrLength
	}
	if s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9' {
		return ErrFormat
	}
	if mod97(s[4:], s[:4]) != 1 {
		return ErrChecksum
	}
	if s[:2] == "BE" {
		return checkBelgian(s[4:])
	}
	return nil
}

// Normalize upper-cases s and drops spaces; it allocates only when s needs
// changing.
func Normalize(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ' ' || c >= 'a' && c <= 'z' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// mod97 returns the ISO 7064 mod 97-10 remainder of the rearranged IBAN:
// rest followed by head, letters as two digits (A=10 ... Z=35).
func mod97(rest, head string) int {
	r := 0
	add := func(s string) {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c <= '9' {
				r = (r*10 + int(c-'0')) % 97
			} else {
				r = (r*100 + int(c-'A') + 10) % 97
			}
		}
	}
	add(rest)
	add(head)
	return r
}

// checkBelgian checks a Belgian BBAN: 3 digits bank code, 7 digits account,
// 2 check digits equal to the first ten digits mod 97 (0 written as 97).
func checkBelgian(bban string) error {
	var n uint64
	for i := 0; i < 12; i++ {
		c := bban[i]
		if c < '0' || c > '9' {
			return ErrFormat
		}
		if i < 10 {
			n = n*10 + uint64(c-'0')
		}
	}
	want := n % 97
	if want == 0 {
		want = 97
	}
	got := uint64(bban[10]-'0')*10 + uint64(bban[11]-'0')
	if got != want {
		return ErrNationalCheck
	}
	return nil
}
