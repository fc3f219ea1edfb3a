package validate

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

func TestINSZ(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"85073003328", true},     // the example on the Belgian eID documentation
		{"85.07.30-033.28", true}, // as printed on the card
		{"17073003384", true},     // born in 2017: check computed with the leading 2
		{"17073003383", false},    // one digit off
		{"85073003382", false},    // last two digits swapped
		{"58073003328", false},    // first two digits swapped
		{"8507300332", false},     // too short
		{"850730033280", false},   // too long
		{"85073003328a", false},
		{"", false},
		{"40000095579", true}, // a BIS number (month 00 + 40) whose check holds
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, INSZ(tt.in), tt.in)
	}
}

func TestKBO(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"0202.239.951", true}, // Proximus
		{"BE0202239951", true},
		{"0202 239 951", true},
		{"202239951", true},     // the old nine-digit form
		{"0207.451.227", true},  // Stad Gent
		{"0202.239.952", false}, // one digit off
		{"0202.239.915", false}, // check digits swapped
		{"2202.239.951", false}, // must start with 0 or 1
		{"0202.239", false},
		{"", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, KBO(tt.in), tt.in)
	}
}

func TestOGM(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"+++090/9337/55493+++", true},
		{"***090/9337/55493***", true},
		{"090933755493", true},
		{"+++000/0000/09797+++", true}, // base 97: remainder 0 is written 97
		{"+++000/0000/00097+++", true}, // base 0 too
		{"+++090/9337/55494+++", false},
		{"+++090/9337/5549+++", false},
		{"+++090/9337/55493***", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, OGM(tt.in), tt.in)
	}
}

func TestPostalCode(t *testing.T) {
	assert.True(t, PostalCode("9000"))
	assert.True(t, PostalCode("1000"))
	assert.False(t, PostalCode("0900"))
	assert.False(t, PostalCode("900"))
	assert.False(t, PostalCode("90000"))
	assert.False(t, PostalCode("9a00"))
}

type address struct {
	PostalCode string `json:"postal_code" validate:"required,be_postcode"`
}

type input struct {
	Name        string          `json:"name" validate:"required,max=10"`
	INSZ        string          `json:"insz" validate:"omitempty,insz"`
	Enterprise  string          `json:"enterprise" validate:"omitempty,kbo"`
	Account     string          `json:"iban" validate:"required,iban"`
	Reference   string          `json:"reference" validate:"omitempty,ogm"`
	Amount      decimal.Decimal `json:"amount" validate:"required,euro"`
	Address     address         `json:"address"`
	Unexported  string          `json:"-"`
	NoJSONField string          `validate:"omitempty,email"`
}

func TestStruct(t *testing.T) {
	ok := input{Name: "Gent", INSZ: "85073003328", Enterprise: "0207.451.227", Account: "BE68 5390 0754 7034",
		Reference: "+++090/9337/55493+++", Amount: decimal.RequireFromString("12.50"), Address: address{PostalCode: "9000"}}
	require.NoError(t, Struct(ok))

	bad := input{Name: strings.Repeat("x", 11), INSZ: "85073003329", Enterprise: "0202.239.952", Account: "BE54310100270000",
		Reference: "+++090/9337/55494+++", Amount: decimal.RequireFromString("1.234"), NoJSONField: "nope"}
	err := Struct(bad)
	require.Error(t, err)
	assert.True(t, errors.Is(err, errs.ErrValidation))
	var ve *errs.ValidationError
	require.True(t, errors.As(err, &ve))
	got := map[string]string{}
	for _, f := range ve.Fields {
		got[f.Field] = f.Rule
		assert.NotEmpty(t, f.Message, f.Field)
	}
	assert.Equal(t, map[string]string{
		"name": "max", "insz": "insz", "enterprise": "kbo", "iban": "iban", "reference": "ogm",
		"amount": "euro", "address.postal_code": "required", "NoJSONField": "email",
	}, got)
	f, ok2 := ve.Field("name")
	require.True(t, ok2)
	assert.Equal(t, "must be at most 10 characters", f.Message)

	zero := ok
	zero.Amount = decimal.Zero
	err = Struct(zero)
	require.Error(t, err)
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "amount", ve.Fields[0].Field)
	assert.Equal(t, "required", ve.Fields[0].Rule)

	neg := ok
	neg.Amount = decimal.RequireFromString("-1")
	assert.Error(t, Struct(neg))
}

func FuzzINSZ(f *testing.F) {
	for _, s := range []string{"85073003328", "17073003384", "85.07.30-033.28", "", "00000000097"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !INSZ(s) {
			return
		}
		// Any single digit changed must be caught.
		var d [11]byte
		require.Equal(t, 11, digits(s, d[:]))
		for i := range d {
			e := d
			e[i] = (e[i] + 1) % 10
			b := make([]byte, 11)
			for j := range e {
				b[j] = '0' + e[j]
			}
			assert.False(t, INSZ(string(b)), "changed digit %d of %q", i, s)
		}
	})
}

func FuzzKBO(f *testing.F) {
	for _, s := range []string{"0202.239.951", "BE0202239951", "202239951", "", "1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !KBO(s) {
			return
		}
		var d [10]byte
		n := digits(strings.TrimPrefix(strings.TrimPrefix(s, "BE"), "be"), d[:])
		require.True(t, n == 9 || n == 10)
		if n == 9 {
			copy(d[1:], d[:9])
			d[0] = 0
		}
		for i := 1; i < 10; i++ {
			e := d
			e[i] = (e[i] + 1) % 10
			b := make([]byte, 10)
			for j := range e {
				b[j] = '0' + e[j]
			}
			assert.False(t, KBO(string(b)), "changed digit %d of %q", i, s)
		}
	})
}

func FuzzOGM(f *testing.F) {
	for _, s := range []string{"+++090/9337/55493+++", "090933755493", "***000/0000/09797***", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = OGM(s) // must not panic on any input
	})
}
