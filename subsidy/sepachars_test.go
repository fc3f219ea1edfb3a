package subsidy

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// The expected values are the names as a Polish, German, Danish, French or
// Serbian reader would write them in plain Latin letters.
func TestLatin(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Łukasz Żółć", "Lukasz Zolc"},
		{"Jürgen Groß", "Jurgen Gross"},
		{"Søren Ærø", "Soren AEro"},
		{"Œuvre de l'Île", "OEuvre de l'Ile"},
		{"Đorđe Đoković", "Dorde Dokovic"},
		{"Þórður Ðagur", "THordur Dagur"},
		{"Iğdır Kılıç", "Igdir Kilic"},
		{"Ħamrun Ŀl", "Hamrun Ll"},
		{"VZW Café ‘t Hoekje & Co", "VZW Cafe 't Hoekje + Co"},
		{"Ĳsselmeer “nv”", "IJsselmeer 'nv'"},
		{"Straße № 5 – “A”", "Strasse No 5 - 'A'"},
		{"ﬁnance ½", "finance 1/2"},
		{"a\tb\nc", "a b c"},
		{"  leading and trailing  ", "leading and trailing"},
		{"李小龍", ""},
		{"Ivan 李 Petrov", "Ivan Petrov"},
		{"\xff\xfe", ""},
		// Greek and Bulgarian Cyrillic by EPC217-08's conversion table,
		// letter by letter (ου is "oy", Ψ is "PS").
		{"Δημήτρης Παπαδόπουλος", "Dimitris Papadopoylos"},
		{"Θεόδωρος Ψαράς", "THeodoros PSaras"},
		{"Дмитрий Иванов", "Dmitriy Ivanov"},
		{"Щастлива Жана Църова", "SHTastliva ZHana TSarova"},
		{"Юлия Янева", "YUliya YAneva"},
		// Beyond the table: decomposition (Ё is Е with a diaeresis) and
		// the letters it turns into dots.
		{"Ёлка Эрик Ыйсон", "Elka Erik Yyson"},
		{"Ђорђе Јовановић", "DJordje Jovanovic"},
		// Decomposed input: the accent follows its letter.
		{"Mu\u0308ller", "Muller"},
		{"Jose\u0301 Garci\u0301a", "Jose Garcia"},
		{"\u0301leading accent", "leading accent"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, latin(tt.in, 70))
		})
	}
}

func TestLatinCutsAfterTransliteration(t *testing.T) {
	assert.Equal(t, "Gross", latin("Groß", 5))
	assert.Equal(t, "Gros", latin("Groß", 4), "ß is two letters, the cut counts them")
	assert.Equal(t, "ab", latin("ab      cd", 3), "runs of spaces fold and none trails after the cut")
}

func TestParseBIC(t *testing.T) {
	for in, want := range map[string]string{
		"GKCCBEBB": "GKCCBEBB", "gkccbebb": "GKCCBEBB", " GEBABEBB36A ": "GEBABEBB36A",
		"1234BEB1": "1234BEB1", // ISO 9362:2014 allows digits in the institution code
	} {
		got, ok := parseBIC(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got)
	}
	for _, in := range []string{"", "GKCC", "GEBA-BE-BB", "GKCCBEB", "GKCCBEBBX", "GKCC12BB", "GKCCBEBB 36", "ınGBBEBB", "GKCCBE_B"} {
		_, ok := parseBIC(in)
		assert.False(t, ok, in)
	}
}

func TestCheckRestricted(t *testing.T) {
	for in, rule := range map[string]string{
		"GENT-2026-0001": "", "A/B": "", "a b?:().,'+": "",
		"": "len", strings.Repeat("x", 36): "len",
		"GENT_1": "sepa_charset", "Gént": "sepa_charset", "E2E\x00": "sepa_charset", "a&b": "sepa_charset",
		"/A": "sepa_slash", "A/": "sepa_slash", "A//B": "sepa_slash", "/": "sepa_slash",
		" ": "len", "   ": "len", "ABC ": "sepa_blank", " ABC": "sepa_blank", "A B": "",
	} {
		var c errs.Collector
		checkRestricted(&c, "message_id", in, 35)
		err := c.Err()
		if rule == "" {
			assert.NoError(t, err, "%q", in)
			continue
		}
		var ve *errs.ValidationError
		require.ErrorAs(t, err, &ve, "%q", in)
		f, ok := ve.Field("message_id")
		require.True(t, ok)
		assert.Equal(t, rule, f.Rule, "%q", in)
	}
}

func FuzzLatin(f *testing.F) {
	for _, s := range []string{"Łukasz Żółć", "Jürgen Groß", "Søren Ærø", "Œuvre", "Đorđe", "李小龍", "\xff", "a  b"} {
		f.Add(s, 70)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 1 || max > 200 {
			return
		}
		out := latin(s, max)
		require.LessOrEqual(t, len(out), max)
		require.Equal(t, strings.TrimSpace(out), out)
		require.NotContains(t, out, "  ")
		for _, r := range out {
			require.True(t, sepaChar(r), "%q in %q", r, out)
		}
		// a letter never becomes a dot: every dot out was a dot in
		require.LessOrEqual(t, strings.Count(out, "."), strings.Count(s, ".")+strings.Count(s, "․"))
		if utf8.ValidString(s) && strings.TrimSpace(s) == s && len(s) <= max && strings.IndexFunc(s, func(r rune) bool { return !sepaChar(r) }) < 0 && !strings.Contains(s, "  ") {
			require.Equal(t, s, out, "text already in the SEPA set is kept as it is")
		}
	})
}

func FuzzParseBIC(f *testing.F) {
	for _, s := range []string{"GKCCBEBB", "gkccbebb", "GEBA-BE-BB", "GKCC", "GEBABEBB36A", "ınGBBEBB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, ok := parseBIC(s)
		if !ok {
			return
		}
		require.Regexp(t, `^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$`, b)
		again, ok := parseBIC(b)
		require.True(t, ok)
		require.Equal(t, b, again)
	})
}
