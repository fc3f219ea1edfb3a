package nlfmt

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

func TestEuro(t *testing.T) {
	for in, want := range map[string]string{
		"0":          "€ 0,00",
		"1234.5":     "€ 1.234,50",
		"23800":      "€ 23.800,00",
		"0.005":      "€ 0,01",
		"-0.005":     "€ -0,01",
		"1234567.89": "€ 1.234.567,89",
		"-3":         "€ -3,00",
		"999.999":    "€ 1.000,00",
		"100":        "€ 100,00",
	} {
		assert.Equal(t, want, Euro(decimal.RequireFromString(in)), in)
	}
}

func TestDecimal(t *testing.T) {
	assert.Equal(t, "12,5", Decimal(decimal.RequireFromString("12.5"), -1))
	assert.Equal(t, "1.234", Decimal(decimal.RequireFromString("1234"), -1))
	assert.Equal(t, "-1.234,125", Decimal(decimal.RequireFromString("-1234.125"), -1))
	assert.Equal(t, "1.234,13", Decimal(decimal.RequireFromString("1234.125"), 2))
}

func TestInteger(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 200: "200", 2000: "2000", 65536: "65.536", -12345: "-12.345", 1000000: "1.000.000"} {
		assert.Equal(t, want, Integer(n))
	}
}

func TestDate(t *testing.T) {
	assert.Equal(t, "1 januari 2026", Date(2026, time.January, 1))
	assert.Equal(t, "31 december 9999", Date(9999, time.December, 31))
	assert.Equal(t, "1 13 2026", Date(2026, 13, 1))
	assert.Equal(t, "29 maart 2026 om 03:00", Time(time.Date(2026, 3, 29, 3, 0, 0, 0, time.UTC)))
}
