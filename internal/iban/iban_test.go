package iban

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		// Examples from the SWIFT IBAN registry.
		{"BE68539007547034", nil},
		{"BE71096123456769", nil},
		{"NL91ABNA0417164300", nil},
		{"DE89370400440532013000", nil},
		{"FR1420041010050500013M02606", nil},
		{"GB29NWBK60161331926819", nil},
		{"NO9386011117947", nil},
		{"LC55HEMM000100010012001200023015", nil},
		{"BE54310100270000", ErrNationalCheck}, // mod 97-10 holds, the Belgian check does not
		{"BE68539007547035", ErrChecksum},      // one digit wrong
		{"BE86539007547034", ErrChecksum},      // check digits swapped
		{"BE6853900754703", ErrLength},
		{"XX68539007547034", ErrCountry},
		{"be68539007547034", ErrCharacter},
		{"BE", ErrLength},
		{"", ErrLength},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.ErrorIs(t, Check(tt.in), tt.want)
			if tt.want == nil {
				assert.NoError(t, Check(tt.in))
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	assert.Equal(t, "BE68539007547034", Normalize("be68 5390 0754 7034"))
	assert.Equal(t, "BE68539007547034", Normalize("BE68539007547034"))
}

func TestCheckDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { _ = Check("BE68539007547034") })
	assert.Zero(t, allocs)
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{"BE68539007547034", "NL91ABNA0417164300", "BE54310100270000", "", "BE", "ZZ00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Check(s) != nil {
			return
		}
		// A valid IBAN stays valid after normalizing, and any single digit
		// changed in it is caught by mod 97-10.
		assert.Equal(t, s, Normalize(s))
		for i := 4; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				continue
			}
			b := []byte(s)
			b[i] = '0' + (b[i]-'0'+1)%10
			assert.Error(t, Check(string(b)), "changed digit %d of %s", i, s)
		}
	})
}
