package payment

import (
	"encoding/xml"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseOGM(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  error
	}{
		{"+++123/4567/89002+++", "+++123/4567/89002+++", nil},
		{"***123/4567/89002***", "+++123/4567/89002+++", nil},
		{"123456789002", "+++123/4567/89002+++", nil},
		{"123 4567 89002", "+++123/4567/89002+++", nil},
		{"123/4567/89002", "+++123/4567/89002+++", nil},
		{"+++240/2838/42818+++", "+++240/2838/42818+++", nil}, // from the CODA sample
		{"000000000097", "+++000/0000/00097+++", nil},         // base 0: check 0 written 97
		{"+++123/4567/89003+++", "", ErrCheckDigits},          // one digit wrong
		{"+++123/4567/98002+++", "", ErrCheckDigits},          // two digits swapped
		{"+++213/4567/89002+++", "", ErrCheckDigits},          // two digits swapped
		{"12345678900", "", ErrFormat},                        // 11 digits
		{"1234567890021", "", ErrFormat},                      // 13 digits
		{"+++123/4567/8900A+++", "", ErrFormat},
		{"+++123/4567/89002***", "", ErrFormat},
		{"", "", ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseOGM(tt.in)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.ErrorIs(t, err, ErrValidation)
				var pe *ParseError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, "ogm", pe.What)
				assert.True(t, got.IsZero())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.String())
		})
	}
}

func TestNewOGM(t *testing.T) {
	o, err := NewOGM(1234567890)
	require.NoError(t, err)
	assert.Equal(t, "+++123/4567/89002+++", o.String())
	assert.Equal(t, uint64(1234567890), o.Base())
	o, err = NewOGM(97) // 97 mod 97 = 0, written as 97
	require.NoError(t, err)
	assert.Equal(t, "000000009797", o.Digits())
	_, err = NewOGM(10_000_000_000)
	assert.ErrorIs(t, err, ErrFormat)
}

func TestCreditorReference(t *testing.T) {
	r, err := ParseCreditorReference("RF18 5390 0754 7034")
	require.NoError(t, err)
	assert.Equal(t, "RF18539007547034", r.String())
	assert.Equal(t, "RF18 5390 0754 7034", r.Printed())

	n, err := NewCreditorReference("539007547034")
	require.NoError(t, err)
	assert.Equal(t, r, n)
	n, err = NewCreditorReference("a")
	require.NoError(t, err)
	assert.Equal(t, "RF25A", n.String()) // A=10 R=27 F=15: 98 - 10271500 mod 97

	for in, want := range map[string]error{
		"RF18539007547035":               ErrCheckDigits,
		"RF81539007547034":               ErrCheckDigits,
		"RF18":                           ErrFormat,
		"RF00AG0":                        ErrCheckDigits, // same remainder as RF97AG0; 00 is never issued
		"XX18539007547034":               ErrFormat,
		"RF18-5390":                      ErrFormat,
		"RF1853900754703412345678901234": ErrFormat,
	} {
		_, err := ParseCreditorReference(in)
		assert.ErrorIs(t, err, want, in)
	}
	_, err = NewCreditorReference("")
	assert.ErrorIs(t, err, ErrFormat)
	_, err = NewCreditorReference("1234567890123456789012")
	assert.ErrorIs(t, err, ErrFormat)
}

func TestParseIBAN(t *testing.T) {
	v, err := ParseIBAN("be68 5390 0754 7034")
	require.NoError(t, err)
	assert.Equal(t, "BE68539007547034", v.String())
	assert.Equal(t, "BE68 5390 0754 7034", v.Printed())
	assert.Equal(t, "BE", v.Country())

	for in, want := range map[string]error{
		"BE54310100270000":                     ErrNationalCheck, // mod 97-10 holds, the Belgian check not
		"BE68539007547035":                     ErrCheckDigits,   // one digit wrong
		"BE68539007574034":                     ErrCheckDigits,   // two digits swapped
		"BE6853900754703":                      ErrFormat,
		"XX68539007547034":                     ErrCountry,
		"NL91ABNA041716430A":                   ErrFormat,
		"BE68-5390-0754-7034":                  ErrFormat,
		"DE8937040044053201300000000000000000": ErrFormat,
	} {
		_, err := ParseIBAN(in)
		assert.ErrorIs(t, err, want, in)
		assert.ErrorIs(t, err, ErrValidation, in)
	}
}

func TestParseBIC(t *testing.T) {
	for _, s := range []string{"GKCCBEBB", "kredbebb", "BPOTBEB1", "BHBLDEHHXXX"} {
		_, err := ParseBIC(s)
		assert.NoError(t, err, s)
	}
	for _, s := range []string{"GKCCBEB", "GKCC1EBB", "GKCCBEBB-XX", "GKCCBEBBXX", ""} {
		_, err := ParseBIC(s)
		assert.ErrorIs(t, err, ErrFormat, s)
	}
}

func TestReferenceRenderings(t *testing.T) {
	o, _ := ParseOGM("+++123/4567/89002+++")
	rf, _ := ParseCreditorReference("RF18539007547034")
	tests := []struct {
		ref                       Reference
		invoice, epc, key, issuer string
		kind                      ReferenceKind
	}{
		{OGMReference(o), "+++123/4567/89002+++", "123456789002", "123456789002", "BBA", KindOGM},
		{RFReference(rf), "RF18 5390 0754 7034", "RF18539007547034", "RF18539007547034", "ISO", KindRF},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.invoice, tt.ref.String())
		assert.Equal(t, tt.epc, tt.ref.EPC())
		assert.Equal(t, tt.key, tt.ref.Key())
		assert.Equal(t, tt.kind, tt.ref.Kind())
		x, err := xml.Marshal(tt.ref.CdtrRefInf())
		require.NoError(t, err)
		assert.Equal(t, "<CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>"+tt.issuer+"</Issr></Tp><Ref>"+tt.key+"</Ref></CdtrRefInf>", string(x))
		back, err := ParseReference(tt.ref.String())
		require.NoError(t, err)
		assert.Equal(t, tt.ref, back)
		var u Reference
		require.NoError(t, u.UnmarshalText([]byte(tt.ref.Key())))
		assert.Equal(t, tt.ref.Key(), u.Key())
	}
	_, err := ParseReference("RF00")
	assert.True(t, errors.Is(err, ErrFormat))
}

func TestParsersDoNotAllocate(t *testing.T) {
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = ParseOGM("+++123/4567/89002+++") }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = ParseIBAN("BE68 5390 0754 7034") }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = ParseCreditorReference("RF18 5390 0754 7034") }))
}

func FuzzParseOGM(f *testing.F) {
	for _, s := range []string{"+++123/4567/89002+++", "***123/4567/89002***", "123456789002", "+++", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOGM(s)
		if err != nil {
			return
		}
		back, err := ParseOGM(o.String())
		require.NoError(t, err)
		assert.Equal(t, o, back)
		n, err := NewOGM(o.Base())
		require.NoError(t, err)
		assert.Equal(t, o, n)
	})
}

func FuzzParseCreditorReference(f *testing.F) {
	for _, s := range []string{"RF18539007547034", "RF71A", "rf18 5390", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseCreditorReference(s)
		if err != nil {
			return
		}
		back, err := ParseCreditorReference(r.Printed())
		require.NoError(t, err)
		assert.Equal(t, r, back)
		n, err := NewCreditorReference(r.String()[4:])
		require.NoError(t, err)
		assert.Equal(t, r, n)
	})
}

func FuzzParseIBAN(f *testing.F) {
	for _, s := range []string{"BE68539007547034", "NL91ABNA0417164300", "BE54310100270000", "de89 3704 0044 0532 0130 00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseIBAN(s)
		if err != nil {
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			return
		}
		back, err := ParseIBAN(v.Printed())
		require.NoError(t, err)
		assert.Equal(t, v, back)
	})
}

func FuzzParseBIC(f *testing.F) {
	for _, s := range []string{"GKCCBEBB", "BHBLDEHHXXX", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseBIC(s)
		if err != nil {
			return
		}
		back, err := ParseBIC(b.String())
		require.NoError(t, err)
		assert.Equal(t, b, back)
	})
}

func FuzzParseReference(f *testing.F) {
	for _, s := range []string{"+++123/4567/89002+++", "RF18539007547034", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseReference(s)
		if err != nil {
			return
		}
		back, err := ParseReference(r.Key())
		require.NoError(t, err)
		assert.Equal(t, r, back)
	})
}

var sinkOGM OGM
var sinkIBAN IBAN
var sinkRF CreditorReference

func BenchmarkParseOGM(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkOGM, _ = ParseOGM("+++123/4567/89002+++")
	}
}

func BenchmarkParseIBAN(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkIBAN, _ = ParseIBAN("BE68 5390 0754 7034")
	}
}

func BenchmarkParseCreditorReference(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkRF, _ = ParseCreditorReference("RF18 5390 0754 7034")
	}
}
