package payment

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sampleLines returns the Odoo sample's records and a function that
// writes s at the 1-based position from of record i.
func sampleLines(t *testing.T) ([]string, func(lines []string, i, from int, s string)) {
	lines := strings.Split(strings.TrimRight(string(readSample(t)), "\r\n"), "\r\n")
	return lines, func(lines []string, i, from int, s string) {
		b := []byte(lines[i])
		copy(b[from-1:], s)
		lines[i] = string(b)
	}
}

func codaRecord(s string) string { return s + strings.Repeat(" ", 128-len(s)) }

// TestParseCODARecord4IsNotCounted: record 9 counts records 1, 2, 3 and 8
// (CODA 2.6, record 9 positions 17–22), not the free communication of
// record 4, which French-speaking banks send.
func TestParseCODARecord4IsNotCounted(t *testing.T) {
	lines, _ := sampleLines(t)
	four := codaRecord("4 00010000                      Communication libre de la banque : merci")
	withFour := append(append(append([]string(nil), lines[:6]...), four), lines[6:]...)
	sts, err := ParseCODA(strings.NewReader(strings.Join(withFour, "\r\n")))
	require.NoError(t, err, "the trailer still counts 22 records")
	require.Len(t, sts[0].Lines, 7)

	// Counting record 4 in the trailer is wrong, and refused.
	_, set := sampleLines(t)
	set(withFour, len(withFour)-1, 17, "000023")
	_, err = ParseCODA(strings.NewReader(strings.Join(withFour, "\r\n")))
	assert.ErrorIs(t, err, ErrCODA)
}

// TestParseCODAAccountStructures reads record 1's account by its structure
// (position 2; CODA 2.6): 0 a Belgian account number at 6–17 with its
// currency at 19–21, 1 a foreign number and 2 and 3 IBANs at 6–39 with the
// currency at 40–42.
func TestParseCODAAccountStructures(t *testing.T) {
	tests := []struct {
		name, field, account, currency string
		structure                      byte
	}{
		// BE33 7370 1859 5246 is the IBAN of 737-0185952-46.
		{"0 Belgian number", "737018595246 EUR0BE                  ", "BE33737018595246", "EUR", '0'},
		{"1 foreign number", "000123456789                      USD", "000123456789", "USD", '1'},
		{"2 Belgian IBAN", "BE33737018595246                  EUR", "BE33737018595246", "EUR", '2'},
		{"3 foreign IBAN", "NL91ABNA0417164300                EUR", "NL91ABNA0417164300", "EUR", '3'},
		// A foreign number written with spaces is the whole field.
		{"1 foreign number with spaces", "12 3456 789                       USD", "123456789", "USD", '1'},
		// 1234567890 mod 97 is 2, not 12: no IBAN is made of it.
		{"0 wrong check digits", "123456789012 EUR0BE                  ", "123456789012", "EUR", '0'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, set := sampleLines(t)
			set(lines, 1, 2, string(tt.structure))
			set(lines, 1, 6, tt.field)
			sts, err := ParseCODA(strings.NewReader(strings.Join(lines, "\r\n")))
			require.NoError(t, err)
			st := sts[0]
			assert.Equal(t, tt.account, st.Account)
			assert.Equal(t, tt.currency, st.Currency)
			assert.Equal(t, "coda:"+tt.account+":2011-01-11:135", st.ID)
			assert.True(t, strings.HasPrefix(st.Lines[0].Key, "coda:"+tt.account+":"))
			assert.Equal(t, tt.account, st.Lines[0].Account)
		})
	}
	lines, set := sampleLines(t)
	set(lines, 1, 2, "4")
	_, err := ParseCODA(strings.NewReader(strings.Join(lines, "\r\n")))
	assert.ErrorIs(t, err, ErrCODA, "structure 4 does not exist")
}

// TestParseCODAStructuredCommunications: a type 101 or 102 with a valid
// OGM is the reference; any other structured communication is kept as the
// text, marked, and never a reference.
func TestParseCODAStructuredCommunications(t *testing.T) {
	tests := []struct {
		name, com, reference, text string
		invalid                    bool
	}{
		{"101 valid", "101240283842818", "+++240/2838/42818+++", "", false},
		{"102 valid", "102240283842818", "+++240/2838/42818+++", "", false},
		{"101 wrong check digits", "101240283842819", "", "+++240/2838/42819+++", true},
		{"102 wrong check digits", "102240283842817", "", "+++240/2838/42817+++", true},
		{"127 SEPA direct debit", "127060624120BBE2ZZZ3215646432", "", "127060624120BBE2ZZZ3215646432"[3:], true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, set := sampleLines(t)
			set(lines, 6, 63, tt.com+strings.Repeat(" ", 53-len(tt.com))) // record 2.1 of the OGM credit
			sts, err := ParseCODA(strings.NewReader(strings.Join(lines, "\r\n")))
			require.NoError(t, err)
			l := sts[0].Lines[1]
			assert.Equal(t, tt.reference, l.Reference.String())
			assert.Equal(t, tt.text, l.Text)
			assert.Equal(t, tt.invalid, l.InvalidReference)
		})
	}
}

// TestParseCODADetailsKeepTheMovementsReference: a movement with a valid
// OGM stays one line even when detail records break it down, so the
// reference that books it is not lost with it.
func TestParseCODADetailsKeepTheMovementsReference(t *testing.T) {
	lines, set := sampleLines(t)
	// Movement 0003 (a debit of 479.04 detailed as 419.92 and 59.12) gets a
	// structured communication.
	set(lines, 11, 62, "1101240283842818")
	sts, err := ParseCODA(strings.NewReader(strings.Join(lines, "\r\n")))
	require.NoError(t, err)
	require.Len(t, sts[0].Lines, 6)
	l := sts[0].Lines[2]
	assert.Equal(t, "+++240/2838/42818+++", l.Reference.String())
	assert.Equal(t, "-479.04", l.Amount.String())
	assert.Equal(t, "-419.92", sts[0].Lines[3].Amount.String(), "movement 0004 is still detailed")
}

// TestParseCODACounterpartyAccount reads record 2.3's account at 11–47: a
// Belgian number with its currency (turned into its IBAN), or an IBAN or
// foreign number at 11–44, spaces and all, with its currency at 45–47.
func TestParseCODACounterpartyAccount(t *testing.T) {
	tests := []struct{ field, want string }{
		{"BE41063012345610                     ", "BE41063012345610"},
		{"NL34 BKMG 0261 2397 59            EUR", "NL34BKMG0261239759"},
		{"12 3456 789                       USD", "123456789"},
		{"737018595246 EUR                     ", "BE33737018595246"},
		{"123456789012 EUR                     ", "123456789012"},
	}
	for _, tt := range tests {
		lines, set := sampleLines(t)
		require.Equal(t, "23", lines[4][:2])
		set(lines, 4, 11, tt.field)
		sts, err := ParseCODA(strings.NewReader(strings.Join(lines, "\r\n")))
		require.NoError(t, err)
		assert.Equal(t, tt.want, sts[0].Lines[0].CounterpartyIBAN, tt.field)
	}
}
