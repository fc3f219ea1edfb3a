package frontoffice

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/nlfmt"
)

func TestParseDecimal(t *testing.T) {
	for in, want := range map[string]string{
		"12,5":                  "12.5",
		"1.234,50":              "1234.5",
		"12.5":                  "12.5",
		" 12 ":                  "12",
		"0":                     "0",
		"0,05":                  "0.05",
		",5":                    "", // no whole part
		"1.234":                 "1234",
		"1.234.567":             "1234567",
		"1.234.567,891":         "1234567.891",
		"0.125":                 "0.125",
		"12.50":                 "12.5",
		"1 234,50":              "1234.5",
		"1\u00a0234,50":         "1234.5",
		"1\u202f234":            "1234",
		"-3,5":                  "-3.5",
		"+3,5":                  "3.5",
		"- 3,5":                 "-3.5",
		"€ 12,50":               "12.5",
		"12,50 €":               "12.5",
		"€12":                   "12",
		"007":                   "7",
		"1,234.50":              "",
		"1.23,4":                "",
		"1.2345":                "1.2345", // one dot before four digits is a decimal point
		"1,2,3":                 "",
		"1..234":                "",
		"1.234.":                "",
		".5":                    "",
		"5.":                    "",
		"5,":                    "",
		"1e3":                   "",
		"NaN":                   "",
		"Inf":                   "",
		"0x10":                  "",
		"":                      "",
		"   ":                   "",
		"€":                     "",
		"-":                     "",
		"--1":                   "",
		"1 234.567,5":           "", // two kinds of grouping
		"12 ,5":                 "",
		"١٢":                    "", // Arabic-Indic digits
		"1234,5":                "1234.5",
		"1234.567,5":            "", // a first group of four
		strings.Repeat("9", 30): strings.Repeat("9", 30),
		strings.Repeat("9", 31): "",
		strings.Repeat("9", 15) + "," + strings.Repeat("9", 15): strings.Repeat("9", 15) + "." + strings.Repeat("9", 15),
		strings.Repeat("9", 15) + "," + strings.Repeat("9", 16): "",
		strings.Repeat(" ", 100) + "1":                          "",
	} {
		t.Run(in, func(t *testing.T) {
			got, err := ParseDecimal(in)
			if want == "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrNumber)
				assert.ErrorIs(t, err, errs.ErrValidation)
				var ne *NumberError
				require.True(t, errors.As(err, &ne))
				assert.LessOrEqual(t, len(ne.Input), 64)
				return
			}
			require.NoError(t, err)
			assert.True(t, decimal.RequireFromString(want).Equal(got), "got %s", got)
		})
	}
}

func TestParseCoordinate(t *testing.T) {
	for in, want := range map[string]float64{
		"50,87":    50.87,
		"4.70":     4.70,
		" -3,5 ":   -3.5,
		"+3,5":     3.5,
		"50,87°":   50.87,
		"180":      180,
		"-180":     -180,
		"0":        0,
		"51.05432": 51.05432,
	} {
		got, err := ParseCoordinate(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "abc", "50,8,7", "50.8.7", "50,87.1", "1.234,5", "180,0001", "-181", "1e2", "NaN", "Inf", "+-1", ",5", "5,", "°", strings.Repeat("1", 101)} {
		_, err := ParseCoordinate(in)
		assert.ErrorIs(t, err, ErrNumber, in)
	}
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"12,5", "1.234,50", "12.5", " 12 ", "1.234", "0.125", "-3,5", "€ 12,50", "1 234,5", "1,234.50", "1e3", "", "1.234.567,891"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDecimal(s)
		if err != nil {
			require.ErrorIs(t, err, ErrNumber)
			return
		}
		// Written the Belgian way and read again, the number is the same.
		again, err := ParseDecimal(nlfmt.Decimal(d, -1))
		require.NoError(t, err, "%q → %s → %q", s, d, nlfmt.Decimal(d, -1))
		require.True(t, d.Equal(again), "%q → %s → %s", s, d, again)
		// Text with only digits and one decimal comma means what it says.
		if t2 := strings.TrimSpace(s); isPlainComma(t2) {
			plain, err := decimal.NewFromString(strings.Replace(t2, ",", ".", 1))
			require.NoError(t, err)
			require.True(t, plain.Equal(d), "%q → %s", s, d)
		}
	})
}

// isPlainComma reports whether s is digits with at most one comma between digits.
func isPlainComma(s string) bool {
	whole, frac, found := strings.Cut(s, ",")
	return allDigits(whole) && (!found || allDigits(frac))
}

func FuzzParseCoordinate(f *testing.F) {
	for _, s := range []string{"50,87", "4.70", "-3,5", "50,87°", "180", "1e2", "", "181"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCoordinate(s)
		if err != nil {
			require.ErrorIs(t, err, ErrNumber)
			return
		}
		require.False(t, math.IsNaN(c) || math.IsInf(c, 0))
		require.LessOrEqual(t, math.Abs(c), 180.0)
		// Written with a decimal comma and read again, it is the same number.
		text := strings.Replace(strconv.FormatFloat(c, 'f', -1, 64), ".", ",", 1)
		again, err := ParseCoordinate(text)
		require.NoError(t, err, text)
		require.Equal(t, c, again)
	})
}
