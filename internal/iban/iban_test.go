package iban

import (
	"fmt"
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
		{"GB00NWBK60161331926819", ErrChecksum}, // 00 and 99 are never check digits
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

func TestEveryRegistryCountry(t *testing.T) {
	assert.Len(t, Structures, 89)
	for cc, st := range Structures {
		// Build a BBAN of the country's structure, give it check digits,
		// and expect it to pass; then break the structure and expect ErrFormat.
		var bban, broken []byte
		class := byte(0)
		n := 0
		for i := 0; i < len(st); i++ {
			if st[i] >= '0' && st[i] <= '9' {
				n = n*10 + int(st[i]-'0')
				continue
			}
			class = st[i]
			for j := 0; j < n; j++ {
				ch := byte('0' + (len(bban)*7)%10)
				if class == 'a' {
					ch = byte('A' + len(bban)%26)
				}
				bban = append(bban, ch)
			}
			n = 0
		}
		if cc == "BE" {
			bban = []byte("539007547034")
		}
		broken = append([]byte(nil), bban...)
		// Find a position whose class is not 'c' and put the wrong class there.
		for i, pos := 0, 0; i < len(st); i++ {
			if st[i] >= '0' && st[i] <= '9' {
				n = n*10 + int(st[i]-'0')
				continue
			}
			switch st[i] {
			case 'n':
				broken[pos] = 'X'
			case 'a':
				broken[pos] = '5'
			}
			pos += n
			n = 0
			if st[i] != 'c' {
				break
			}
		}
		valid := buildIBAN(cc, string(bban))
		assert.NoError(t, Check(valid), "%s %s", cc, valid)
		assert.Equal(t, Lengths[cc], len(valid), cc)
		if string(broken) != string(bban) {
			assert.ErrorIs(t, Check(buildIBAN(cc, string(broken))), ErrFormat, cc)
		}
	}
}

func buildIBAN(cc, bban string) string {
	d := CheckDigits(cc, bban)
	return cc + string([]byte{byte('0' + d/10), byte('0' + d%10)}) + bban
}

func TestRegistryExamples(t *testing.T) {
	for _, s := range []string{
		"AD1200012030200359100100", "AT611904300234573201", "CH9300762011623852957",
		"ES9121000418450200051332", "IT60X0542811101000000123456", "PL61109010140000071219812874",
		"PT50000201231234567890154", "LU280019400644750000", "DK5000400440116243",
		"SE4550000000058398257466", "FI2112345600000785", "IE29AIBK93115212345678",
		"DE71110220330123456789", "BR1800360305000010009795493C1", "MU17BOMM0101101030300200000MUR",
	} {
		assert.NoError(t, Check(s), s)
	}
	// A letter where Germany has digits passes mod 97-10 once the check
	// digits are recomputed, but not the structure.
	assert.ErrorIs(t, Check(buildIBAN("DE", "37040044053201300A")), ErrFormat)
	assert.NoError(t, CheckBytes([]byte("BE68539007547034")))
}

func TestCheckDigitsZeroZeroRejected(t *testing.T) {
	// Find a German account whose check digits are 97: "00" then leaves the
	// same remainder, and only the 02–98 rule rejects it.
	for n := 0; n < 10000; n++ {
		bban := "37040044" + fmt.Sprintf("%010d", n)
		if CheckDigits("DE", bban) != 97 {
			continue
		}
		assert.NoError(t, Check("DE97"+bban))
		assert.ErrorIs(t, Check("DE00"+bban), ErrChecksum)
		return
	}
	t.Fatal("no account with check digits 97 found")
}
