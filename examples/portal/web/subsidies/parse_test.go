package subsidies

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

func TestParseEuro(t *testing.T) {
	for in, want := range map[string]string{
		"1250": "1250", "1.250": "1250", "1.250,50": "1250.5", "1250,5": "1250.5", "€ 1 250": "1250", "12.5": "12.5",
		"1.234.567": "1234567", "0,99": "0.99",
	} {
		got, ok := parseEuro(in)
		if assert.True(t, ok, in) {
			assert.True(t, got.Equal(decimal.RequireFromString(want)), "%s: %s", in, got)
		}
	}
	for _, in := range []string{"", "veel", "1,2,3", "€"} {
		_, ok := parseEuro(in)
		assert.False(t, ok, in)
	}
}
