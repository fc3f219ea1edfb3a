// Package iban checks International Bank Account Numbers (ISO 13616).
//
// It knows each registered country's IBAN length and BBAN structure (from
// the SWIFT IBAN registry), computes the ISO 7064 mod 97-10 check, and for
// Belgian accounts also the national check on the BBAN (bank code and
// account number mod 97). It works on bytes without allocating, so parsers
// on hot paths can call it.
package iban

import (
	"errors"
	"unsafe"
)

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
var Lengths = map[string]int{}

// Structures maps each ISO 3166 country code in the SWIFT IBAN registry to
// the structure of its BBAN in the registry's notation without the "!"
// (fixed length is implied): "3n7n2n" is 3 digits, 7 digits, 2 digits;
// "a" is an upper-case letter, "c" a letter or digit.
var Structures = map[string]string{
	"AD": "4n4n12c", "AE": "3n16n", "AL": "8n16c", "AT": "5n11n", "AZ": "4a20c",
	"BA": "3n3n8n2n", "BE": "3n7n2n", "BG": "4a4n2n8c", "BH": "4a14c", "BI": "5n5n11n2n",
	"BR": "8n5n10n1a1c", "BY": "4c4n16c", "CH": "5n12c", "CR": "4n14n", "CY": "3n5n16c",
	"CZ": "4n6n10n", "DE": "8n10n", "DJ": "5n5n11n2n", "DK": "4n9n1n", "DO": "4c20n",
	"EE": "2n14n", "EG": "4n4n17n", "ES": "4n4n1n1n10n", "FI": "3n11n", "FK": "2a12n",
	"FO": "4n9n1n", "FR": "5n5n11c2n", "GB": "4a6n8n", "GE": "2a16n", "GI": "4a15c",
	"GL": "4n9n1n", "GR": "3n4n16c", "GT": "4c20c", "HN": "4a20n", "HR": "7n10n",
	"HU": "3n4n1n15n1n", "IE": "4a6n8n", "IL": "3n3n13n", "IQ": "4a3n12n", "IS": "4n2n6n10n",
	"IT": "1a5n5n12c", "JO": "4a4n18c", "KW": "4a22c", "KZ": "3n13c", "LB": "4n20c",
	"LC": "4a24c", "LI": "5n12c", "LT": "5n11n", "LU": "3n13c", "LV": "4a13c",
	"LY": "3n3n15n", "MC": "5n5n11c2n", "MD": "2c18c", "ME": "3n13n2n", "MK": "3n10c2n",
	"MN": "4n12n", "MR": "5n5n11n2n", "MT": "4a5n18c", "MU": "4a2n2n12n3n3a", "NI": "4a20n",
	"NL": "4a10n", "NO": "4n6n1n", "OM": "3n16c", "PK": "4a16c", "PL": "8n16n",
	"PS": "4a21c", "PT": "4n4n11n2n", "QA": "4a21c", "RO": "4a16c", "RS": "3n13n2n",
	"RU": "9n5n15c", "SA": "2n18c", "SC": "4a2n2n16n3a", "SD": "2n12n", "SE": "3n16n1n",
	"SI": "5n8n2n", "SK": "4n6n10n", "SM": "1a5n5n12c", "SO": "4n3n12n", "ST": "4n4n11n2n",
	"SV": "4a20n", "TL": "3n14n2n", "TN": "2n3n13n2n", "TR": "5n1n16c", "UA": "6n19c",
	"VA": "3n15n", "VG": "4a16n", "XK": "4n10n2n", "YE": "4a4n18c",
}

// segment is one run of the BBAN structure: n characters of one class.
type segment struct {
	n     uint8
	class byte // 'n', 'a' or 'c'
}

// country is the compiled registry entry; the table is indexed by the two
// letters of the country code so that Check needs no map lookup.
type country struct {
	length   uint8
	segments [8]segment
	nseg     uint8
}

var countries [26 * 26]country

func init() {
	for cc, st := range Structures {
		var c country
		n := 0
		for i := 0; i < len(st); i++ {
			ch := st[i]
			if ch >= '0' && ch <= '9' {
				n = n*10 + int(ch-'0')
				continue
			}
			c.segments[c.nseg] = segment{n: uint8(n), class: ch}
			c.nseg++
			c.length += uint8(n)
			n = 0
		}
		c.length += 4
		countries[int(cc[0]-'A')*26+int(cc[1]-'A')] = c
		Lengths[cc] = int(c.length)
	}
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
	if s[0] < 'A' || s[1] < 'A' {
		return ErrCountry
	}
	c := &countries[int(s[0]-'A')*26+int(s[1]-'A')]
	if c.length == 0 {
		return ErrCountry
	}
	if len(s) != int(c.length) {
		return ErrLength
	}
	if s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9' {
		return ErrFormat
	}
	pos := 4
	for _, seg := range c.segments[:c.nseg] {
		for end := pos + int(seg.n); pos < end; pos++ {
			ch := s[pos]
			switch seg.class {
			case 'n':
				if ch < '0' || ch > '9' {
					return ErrFormat
				}
			case 'a':
				if ch < 'A' || ch > 'Z' {
					return ErrFormat
				}
			}
		}
	}
	// ISO 13616 check digits run from 02 to 98.
	if cd := (s[2]-'0')*10 + s[3] - '0'; cd < 2 || cd > 98 || mod97(s[4:], s[:4]) != 1 {
		return ErrChecksum
	}
	if s[0] == 'B' && s[1] == 'E' {
		return checkBelgian(s[4:])
	}
	return nil
}

// CheckBytes is Check for a byte slice; it neither allocates nor keeps b.
func CheckBytes(b []byte) error {
	if len(b) == 0 {
		return ErrLength
	}
	// Check only reads the bytes during the call, so viewing them as a
	// string without copying is safe and keeps callers allocation-free.
	return Check(unsafe.String(&b[0], len(b)))
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

// CheckDigits returns the two check digits that make country+"00"+bban
// valid under mod 97-10 (98 minus the remainder), for building test IBANs
// and for converting national account numbers.
func CheckDigits(country, bban string) int {
	var head [4]byte
	copy(head[:], country)
	head[2], head[3] = '0', '0'
	return 98 - mod97(bban, string(head[:]))
}

// mod97 returns the ISO 7064 mod 97-10 remainder of the rearranged IBAN:
// rest followed by head, letters as two digits (A=10 ... Z=35).
func mod97(rest, head string) int {
	// Remainders are taken only when the accumulator nears overflow:
	// mod 97 distributes over the additions, so the result is the same.
	var r uint64
	for _, part := range [2]string{rest, head} {
		for i := 0; i < len(part); i++ {
			c := part[i]
			if c <= '9' {
				r = r*10 + uint64(c-'0')
			} else {
				r = r*100 + uint64(c-'A') + 10
			}
			if r >= 1e15 {
				r %= 97
			}
		}
	}
	return int(r % 97)
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
