package appointment

import (
	"crypto/rand"
	"strings"
)

// Reference is the code a citizen quotes at the counter or on the phone
// ("afspraaknummer"), e.g. "K7QM-3XTD": eight Crockford base-32 characters
// (no I, L, O or U, so nothing is misread) in two groups, the last one a
// check character over the first seven, so a typo is caught.
type Reference string

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewReference returns a random reference (35 random bits).
func NewReference() Reference {
	var b [7]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	var out [9]byte
	j := 0
	for i := range 7 {
		v := int(b[i]) % 32
		if j == 4 {
			out[j] = '-'
			j++
		}
		out[j] = crockford[v]
		j++
	}
	out[j] = crockford[checkValue(b[:])]
	return Reference(out[:])
}

// checkValue weighs each character with an odd weight: odd numbers are
// coprime to 32, so changing any single character changes the check.
func checkValue(vals []byte) int {
	sum := 0
	for i, v := range vals {
		sum += (2*i + 1) * int(v%32)
	}
	return sum % 32
}

// ParseReference normalises what a citizen typed (any case, spaces, the
// letters I, L and O read as 1, 1 and 0) and checks the check character.
func ParseReference(s string) (Reference, bool) {
	var vals [8]byte
	n := 0
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-':
			continue
		case 'I', 'L':
			r = '1'
		case 'O':
			r = '0'
		}
		i := strings.IndexRune(crockford, r)
		if i < 0 || n == 8 {
			return "", false
		}
		vals[n] = byte(i)
		n++
	}
	if n != 8 || int(vals[7]) != checkValue(vals[:7]) {
		return "", false
	}
	var out [9]byte
	for i, j := 0, 0; i < 8; i++ {
		if i == 4 {
			out[j] = '-'
			j++
		}
		out[j] = crockford[vals[i]]
		j++
	}
	return Reference(out[:]), true
}
