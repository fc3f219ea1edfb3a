package payment

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readSample(t testing.TB) []byte {
	b, err := os.ReadFile("testdata/odoo-sample-2013-01-11.cod")
	require.NoError(t, err)
	return b
}

func TestParseCODASample(t *testing.T) {
	sts, err := ParseCODA(bytes.NewReader(readSample(t)))
	require.NoError(t, err)
	require.Len(t, sts, 1)
	st := sts[0]
	assert.Equal(t, "BE33737018595246", st.Account)
	assert.True(t, decimal.RequireFromString("11812.70").Equal(st.OpeningBalance))
	assert.True(t, decimal.RequireFromString("13527.81").Equal(st.ClosingBalance))
	assert.Equal(t, "2010-07-27", st.Date.String())
	require.Len(t, st.Lines, 7) // 3 plain movements, 2 globalised ones with 2 details each

	first := st.Lines[0]
	assert.True(t, decimal.RequireFromString("-435").Equal(first.Amount))
	assert.Equal(t, "MEDEDELING", first.Text)
	assert.Equal(t, "BE41063012345610", first.CounterpartyIBAN)
	assert.Equal(t, "PARTNER 1", first.CounterpartyName)
	assert.Equal(t, "GKCCBEBB", first.CounterpartyBIC)
	assert.Equal(t, "2011-01-11", first.BookingDate.String())

	ogm := st.Lines[1]
	assert.True(t, decimal.RequireFromString("3044.45").Equal(ogm.Amount))
	assert.Equal(t, "+++240/2838/42818+++", ogm.Reference.String())
	assert.Equal(t, "BE61310126985517", ogm.CounterpartyIBAN)

	last := st.Lines[6]
	assert.True(t, decimal.RequireFromString("63.74").Equal(last.Amount))
	assert.Equal(t, "TERUGGAVE 37232481 8400083296 .", last.Text)
	assert.Equal(t, "KBC VERZEKERINGEN NV", last.CounterpartyName)

	keys := map[string]bool{}
	for _, l := range st.Lines {
		assert.False(t, keys[l.Key], "key %s twice", l.Key)
		keys[l.Key] = true
	}
	again, err := ParseCODA(bytes.NewReader(readSample(t)))
	require.NoError(t, err)
	assert.Equal(t, st.Lines[1].Key, again[0].Lines[1].Key, "keys are stable across reads")
}

func TestParseCODAWindows1252(t *testing.T) {
	lines := strings.Split(string(readSample(t)), "\r\n")
	// Put "Müller €" (windows-1252: 0xFC, 0x80) in the counterparty name of record 2.3.
	l := []byte(lines[4])
	copy(l[47:], "M\xfcller \x80        ")
	lines[4] = string(l)
	sts, err := ParseCODA(strings.NewReader(strings.Join(lines, "\r\n")))
	require.NoError(t, err)
	assert.Equal(t, "Müller €", sts[0].Lines[0].CounterpartyName)
}

func TestParseCODABadInput(t *testing.T) {
	sample := string(readSample(t))
	lines := strings.Split(sample, "\r\n")
	replace := func(i int, from int, s string) string {
		c := append([]string(nil), lines...)
		b := []byte(c[i])
		copy(b[from-1:], s)
		c[i] = string(b)
		return strings.Join(c, "\r\n")
	}
	tests := map[string]string{
		"truncated file":        strings.Join(lines[:10], "\r\n"),
		"short line":            strings.Replace(sample, lines[2], lines[2][:100], 1),
		"garbled amount":        replace(2, 40, "12X"),
		"amount changed":        replace(6, 40, "9"),
		"bad sign":              replace(2, 32, "7"),
		"bad date":              replace(2, 48, "991399"),
		"unknown record":        replace(3, 1, "7"),
		"2.2 out of place":      replace(3, 3, "0009"),
		"record count":          replace(23, 17, "000099"),
		"balance does not tie":  replace(22, 50, "9"),
		"empty":                 "",
		"not CODA":              "hello",
		"movement before start": strings.Join(lines[2:], "\r\n"),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParseCODA(strings.NewReader(in))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrCODA)
			assert.ErrorIs(t, err, ErrValidation)
			var ce *CODAError
			assert.ErrorAs(t, err, &ce)
		})
	}
}

// FuzzParseCODA starts from the real files in testdata: whatever parses
// does not panic, parses the same way twice, has keys that are unique and
// built on the statement's identity, and moves each statement's balance
// from old to new by the sum of its lines.
func FuzzParseCODA(f *testing.F) {
	files, err := filepath.Glob("testdata/*.cod")
	require.NoError(f, err)
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte(""))
	f.Add([]byte(strings.Repeat("0", 128)))
	f.Fuzz(func(t *testing.T, b []byte) {
		sts, err := ParseCODA(bytes.NewReader(b))
		if err != nil {
			assert.ErrorIs(t, err, ErrCODA)
			return
		}
		again, err := ParseCODA(bytes.NewReader(b))
		require.NoError(t, err)
		require.Len(t, again, len(sts))
		seen := map[string]bool{}
		for i, st := range sts {
			sum := decimal.Zero
			for j, l := range st.Lines {
				assert.True(t, strings.HasPrefix(l.Key, st.ID+":"))
				assert.Equal(t, l.Key, again[i].Lines[j].Key)
				assert.False(t, seen[l.Key], "key %s twice", l.Key)
				seen[l.Key] = true
				assert.Equal(t, st.Account, l.Account)
				assert.False(t, l.InvalidReference && !l.Reference.IsZero(), "an invalid communication is never a reference")
				sum = sum.Add(l.Amount)
			}
			assert.True(t, st.OpeningBalance.Add(sum).Equal(st.ClosingBalance), "%s + %s is not %s", st.OpeningBalance, sum, st.ClosingBalance)
		}
	})
}
