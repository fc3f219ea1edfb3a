package assistant_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/assistant"
)

func TestRedact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"mail me op an.peeters@example.be aub", "mail me op [e-mail] aub"},
		{"mijn rekening BE68 5390 0754 7034 en niet meer", "mijn rekening [IBAN] en niet meer"},
		{"rekening be68539007547034", "rekening [IBAN]"},
		{"NL91ABNA0417164300 is van mijn broer", "[IBAN] is van mijn broer"},
		{"mijn rijksregisternummer is 85.07.30-033.28", "mijn rijksregisternummer is [rijksregisternummer]"},
		{"INSZ 85073003328.", "INSZ [rijksregisternummer]."},
		{"born in 2001: 01010100126", "born in 2001: [rijksregisternummer]"},
		{"bel 0470 12 34 56 of 09/123.45.67", "bel [telefoonnummer] of [telefoonnummer]"},
		{"+32 470 12 34 56", "[telefoonnummer]"},
		// Not personal data: a wrong check digit, a date, an amount, a postcode.
		{"BE68 5390 0754 7035", "BE68 5390 0754 7035"},
		{"op 12/03/2026 om 14u, € 25,00 in 9999", "op 12/03/2026 om 14u, € 25,00 in 9999"},
		{"dossier 2026-000123", "dossier 2026-000123"},
	} {
		assert.Equal(t, c.want, assistant.Redact(c.in), c.in)
	}
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{"an@example.be", "BE68 5390 0754 7034", "85.07.30-033.28", "0470 12 34 56", "gewoon tekst", "\xff@\x00.be"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := assistant.Redact(s)
		// Redacting twice changes nothing, and no valid e-mail survives.
		assert.Equal(t, r, assistant.Redact(r))
		assert.NotContains(t, strings.ToLower(r), "an@example.be")
	})
}
