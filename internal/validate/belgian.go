package validate

// The Belgian identifier checks. Each accepts the usual written forms (dots,
// dashes, slashes, spaces) and checks the digits; none allocates.

// digits copies the decimal digits of s into buf, skipping the separators
// people write ('.', '-', '/', ' '), and returns how many it found, or -1
// when s holds anything else or more than len(buf) digits.
func digits(s string, buf []byte) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				return -1
			}
			buf[n] = c - '0'
			n++
		case c == '.' || c == '-' || c == '/' || c == ' ':
		default:
			return -1
		}
	}
	return n
}

func number(d []byte) uint64 {
	var n uint64
	for _, c := range d {
		n = n*10 + uint64(c)
	}
	return n
}

// INSZ reports whether s is a valid Belgian national number ("INSZ",
// "rijksregisternummer") or BIS number: 11 digits, YYMMDD, a serial number
// and two check digits equal to 97 minus the first nine digits mod 97. For
// people born from 2000 on, the check is computed with a 2 before the nine
// digits.
func INSZ(s string) bool {
	var d [11]byte
	if digits(s, d[:]) != 11 {
		return false
	}
	base, check := number(d[:9]), number(d[9:])
	return check == 97-base%97 || check == 97-(2_000_000_000+base)%97
}

// KBO reports whether s is a valid Belgian enterprise number
// ("ondernemingsnummer", "KBO-nummer"): ten digits starting with 0 or 1 whose
// last two are 97 minus the first eight mod 97. A leading "BE" is accepted.
func KBO(s string) bool {
	if len(s) >= 2 && (s[:2] == "BE" || s[:2] == "be") {
		s = s[2:]
	}
	var d [10]byte
	n := digits(s, d[:])
	if n == 9 { // the old nine-digit form, without the leading 0
		copy(d[1:], d[:9])
		d[0] = 0
		n = 10
	}
	if n != 10 || d[0] > 1 {
		return false
	}
	return number(d[8:]) == 97-number(d[:8])%97
}

// OGM reports whether s is a valid Belgian structured communication
// ("gestructureerde mededeling", OGM/VCS): twelve digits whose last two are
// the first ten mod 97, with 97 for 0. The +++ or *** delimiters are optional.
func OGM(s string) bool {
	if len(s) >= 6 && (s[:3] == "+++" && s[len(s)-3:] == "+++" || s[:3] == "***" && s[len(s)-3:] == "***") {
		s = s[3 : len(s)-3]
	}
	var d [12]byte
	if digits(s, d[:]) != 12 {
		return false
	}
	want := number(d[:10]) % 97
	if want == 0 {
		want = 97
	}
	return number(d[10:]) == want
}

// PostalCode reports whether s is a Belgian postal code: four digits, 1000 to 9999.
func PostalCode(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s[0] != '0'
}
