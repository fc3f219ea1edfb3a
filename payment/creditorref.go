package payment

// CreditorReference is an ISO 11649 structured creditor reference
// ("RF-referentie"): "RF", two check digits, and 1 to 21 letters or digits,
// valid when mod 97-10 over the rearranged reference gives 1.
// The zero value is not valid.
type CreditorReference struct {
	ref [25]byte
	n   uint8
}

// ParseCreditorReference reads an RF reference in its electronic form
// (RF18539007547034) or its printed form in groups of four
// (RF18 5390 0754 7034), in any letter case. It does not allocate for
// valid input.
func ParseCreditorReference(s string) (CreditorReference, error) {
	var r CreditorReference
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return CreditorReference{}, parseErr("creditor_reference", s, ErrFormat, "only letters and digits")
		}
		if r.n == 25 {
			return CreditorReference{}, parseErr("creditor_reference", s, ErrFormat, "more than 25 characters")
		}
		r.ref[r.n] = c
		r.n++
	}
	if r.n < 5 || r.ref[0] != 'R' || r.ref[1] != 'F' || !isDigit(r.ref[2]) || !isDigit(r.ref[3]) {
		return CreditorReference{}, parseErr("creditor_reference", s, ErrFormat, "expected RF, two check digits and 1 to 21 letters or digits")
	}
	// Check digits run from 02 to 98; 00, 01 and 99 would let two
	// spellings of one reference both pass.
	if cd := (r.ref[2]-'0')*10 + r.ref[3] - '0'; cd < 2 || cd > 98 || mod97(r.ref[4:r.n], r.ref[:4]) != 1 {
		return CreditorReference{}, parseErr("creditor_reference", s, ErrCheckDigits, "mod 97-10")
	}
	return r, nil
}

// NewCreditorReference builds the RF reference for ref (1 to 21 letters or
// digits, spaces ignored) by computing its check digits.
func NewCreditorReference(ref string) (CreditorReference, error) {
	var r CreditorReference
	r.ref[0], r.ref[1], r.ref[2], r.ref[3] = 'R', 'F', '0', '0'
	r.n = 4
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return CreditorReference{}, parseErr("creditor_reference", ref, ErrFormat, "only letters and digits")
		}
		if r.n == 25 {
			return CreditorReference{}, parseErr("creditor_reference", ref, ErrFormat, "more than 21 characters")
		}
		r.ref[r.n] = c
		r.n++
	}
	if r.n == 4 {
		return CreditorReference{}, parseErr("creditor_reference", ref, ErrFormat, "empty")
	}
	check := 98 - mod97(r.ref[4:r.n], r.ref[:4])
	r.ref[2], r.ref[3] = byte('0'+check/10), byte('0'+check%10)
	return r, nil
}

// IsZero reports whether r is the zero value.
func (r CreditorReference) IsZero() bool { return r.n == 0 }

// String returns the electronic form, e.g. RF18539007547034.
func (r CreditorReference) String() string { return string(r.ref[:r.n]) }

// Printed returns the form for paper, in groups of four: RF18 5390 0754 7034.
func (r CreditorReference) Printed() string {
	b := make([]byte, 0, int(r.n)+int(r.n)/4)
	for i := 0; i < int(r.n); i++ {
		if i > 0 && i%4 == 0 {
			b = append(b, ' ')
		}
		b = append(b, r.ref[i])
	}
	return string(b)
}

// MarshalText writes the electronic form.
func (r CreditorReference) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText accepts every form ParseCreditorReference accepts.
func (r *CreditorReference) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*r = CreditorReference{}
		return nil
	}
	v, err := ParseCreditorReference(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// mod97 returns the ISO 7064 mod 97-10 remainder of rest followed by head,
// letters counted as two digits (A=10 ... Z=35).
func mod97(rest, head []byte) int {
	// Remainders are taken only when the accumulator nears overflow:
	// mod 97 distributes over the additions, so the result is the same.
	var r uint64
	for _, part := range [2][]byte{rest, head} {
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
