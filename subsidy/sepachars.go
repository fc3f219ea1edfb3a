package subsidy

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// The SEPA character set ("Latin character set") of the EPC SEPA Credit
// Transfer Customer-to-PSP Implementation Guidelines (EPC132-08, section
// "Character set"): a–z, A–Z, 0–9 and / - ? : ( ) . , ' + and space. Every
// bank in SEPA must accept it; anything else may be refused or garbled on
// the way to the beneficiary.
func sepaChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		r < 0x80 && strings.IndexByte("/-?:().,'+ ", byte(r)) >= 0
}

// letters holds what Unicode decomposition does not reduce to the SEPA set:
// letters that are not a base letter plus accents (Ł, ß, Ø, Æ, Œ, Đ, Þ, ı,
// Ħ ...), and punctuation with a close SEPA equivalent.
var letters = map[rune]string{
	'Ł': "L", 'ł': "l", 'ß': "ss", 'ẞ': "SS", 'Ø': "O", 'ø': "o",
	'Æ': "AE", 'æ': "ae", 'Œ': "OE", 'œ': "oe", 'Đ': "D", 'đ': "d",
	'Ð': "D", 'ð': "d", 'Þ': "TH", 'þ': "th", 'ı': "i", 'İ': "I",
	'Ħ': "H", 'ħ': "h", 'Ŀ': "L", 'ŀ': "l", 'Ŧ': "T", 'ŧ': "t",
	'Ŋ': "N", 'ŋ': "n", 'ĸ': "k", 'ſ': "s", 'Ƒ': "F", 'ƒ': "f",
	'Ɓ': "B", 'ɓ': "b", 'Ɗ': "D", 'ɗ': "d", 'Ə': "E", 'ə': "e",
	'Ĳ': "IJ", 'ĳ': "ij", 'ŉ': "'n",
	'&': "+", '‘': "'", '’': "'", '‚': "'", '‛': "'", '`': "'", '´': "'",
	'"': "'", '“': "'", '”': "'", '„': "'", '«': "'", '»': "'",
	'‐': "-", '‑': "-", '‒': "-", '–': "-", '—': "-", '−': "-", '_': "-",
	'[': "(", ']': ")", '{': "(", '}': ")", '\\': "/", '⁄': "/", '€': "EUR",
}

// epcGreekCyrillic is the Greek and (Bulgarian) Cyrillic part of the SEPA
// conversion table of EPC217-08 ("SEPA Requirements for an Extended
// Character Set (UNICODE Subset) – Best Practices"), every letter the
// table converts to basic Latin: modern Greek (Θ→TH, Χ→CH, Ψ→PS, Η→I)
// and Cyrillic as Bulgarian writes it (Ж→ZH, Щ→SHT, Ъ→A). Values read from
// the table's spreadsheet, EPC217-08-SEPA-Conversion-Table.xls. Letters it
// turns into '.' are in cyrillicMore; Ё and Ѝ decompose to letters here.
var epcGreekCyrillic = map[rune]string{
	'Ά': "A", 'Έ': "E", 'Ή': "I", 'Ί': "I", 'Ό': "O", 'Ύ': "Y", 'Ώ': "O", 'ΐ': "i", 'Α': "A",
	'Β': "V", 'Γ': "G", 'Δ': "D", 'Ε': "E", 'Ζ': "Z", 'Η': "I", 'Θ': "TH", 'Ι': "I", 'Κ': "K",
	'Λ': "L", 'Μ': "M", 'Ν': "N", 'Ξ': "X", 'Ο': "O", 'Π': "P", 'Ρ': "R", 'Σ': "S", 'Τ': "T",
	'Υ': "Y", 'Φ': "F", 'Χ': "CH", 'Ψ': "PS", 'Ω': "O", 'Ϊ': "I", 'Ϋ': "Y", 'ά': "a", 'έ': "e",
	'ή': "i", 'ί': "i", 'ΰ': "y", 'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z",
	'η': "i", 'θ': "th", 'ι': "i", 'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o",
	'π': "p", 'ρ': "r", 'ς': "s", 'σ': "s", 'τ': "t", 'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps",
	'ω': "o", 'ϊ': "i", 'ϋ': "y", 'ό': "o", 'ύ': "y", 'ώ': "o",
	'А': "A", 'Б': "B", 'В': "V", 'Г': "G", 'Д': "D", 'Е': "E", 'Ж': "ZH", 'З': "Z", 'И': "I",
	'Й': "Y", 'К': "K", 'Л': "L", 'М': "M", 'Н': "N", 'О': "O", 'П': "P", 'Р': "R", 'С': "S",
	'Т': "T", 'У': "U", 'Ф': "F", 'Х': "H", 'Ц': "TS", 'Ч': "CH", 'Ш': "SH", 'Щ': "SHT", 'Ъ': "A",
	'Ь': "Y", 'Ю': "YU", 'Я': "YA", 'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "h", 'ц': "ts", 'ч': "ch",
	'ш': "sh", 'щ': "sht", 'ъ': "a", 'ь': "y", 'ю': "yu", 'я': "ya",
}

// cyrillicMore holds Cyrillic letters EPC217-08 turns into '.', which this
// package does not (a letter never becomes a dot): Russian Ы and Э as ISO 9
// writes them, Ukrainian by its national system, Serbian and Macedonian by
// their Latin alphabets without the accents.
var cyrillicMore = map[rune]string{
	'Ы': "Y", 'ы': "y", 'Э': "E", 'э': "e",
	'Є': "YE", 'є': "ye", 'І': "I", 'і': "i", 'Ї': "YI", 'ї': "yi", 'Ґ': "G", 'ґ': "g", 'Ў': "U", 'ў': "u",
	'Ђ': "DJ", 'ђ': "dj", 'Ј': "J", 'ј': "j", 'Љ': "LJ", 'љ': "lj", 'Њ': "NJ", 'њ': "nj",
	'Ћ': "C", 'ћ': "c", 'Џ': "DZ", 'џ': "dz", 'Ѓ': "GJ", 'ѓ': "gj", 'Ќ': "KJ", 'ќ': "kj", 'Ѕ': "DZ", 'ѕ': "dz",
}

// latin transliterates free text (a name, the remittance information) to
// the SEPA character set and cuts it to max characters: each character is
// decomposed (NFKD), accents are dropped (combining ones written apart
// from their letter too: "Mu\u0308ller" is Muller), the letters Unicode does not
// decompose come from a table (Ł→L, ß→ss, Ø→O, Æ→AE ...), and what is still
// outside the set becomes a space, as the guidelines allow. A letter never
// becomes a dot. Runs of spaces are folded to one and the result is trimmed,
// so text with nothing SEPA can carry comes back empty.
func latin(s string, max int) string {
	if plainSEPA(s, max) {
		return s
	}
	var b strings.Builder
	b.Grow(min(len(s), max+1))
	space := true // drops leading spaces and folds runs
	put := func(r rune) {
		if r == ' ' {
			if space {
				return
			}
			space = true
		} else {
			space = false
		}
		b.WriteRune(r)
	}
	for _, r := range s {
		if b.Len() >= max+1 {
			break
		}
		if sepaChar(r) {
			put(r)
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue // a combining accent on the letter before: "u\u0308" is ü, is u
		}
		t := fold(r)
		if t == "" {
			put(' ')
		}
		for _, x := range t {
			put(x)
		}
	}
	out := b.String()
	if len(out) > max {
		out = out[:max]
	}
	return strings.TrimRight(out, " ")
}

// plainSEPA reports whether s is already what latin would make of it:
// SEPA characters only, no leading, trailing or double space, not too long.
func plainSEPA(s string, max int) bool {
	if len(s) > max || s != "" && (s[0] == ' ' || s[len(s)-1] == ' ') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !sepaChar(rune(s[i])) || s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			return false
		}
	}
	return true
}

// latinTable holds fold's answers for Latin-1 and Latin Extended-A and -B,
// where nearly every name's letters are, so writing a batch does not
// decompose the same é a thousand times.
var latinTable = func() (t [0x250]string) {
	for r := range rune(len(t)) {
		t[r] = decompose(r)
	}
	return t
}()

// fold returns the SEPA characters that stand for r, which is outside the
// set, or "" when none does.
func fold(r rune) string {
	if r >= 0 && int(r) < len(latinTable) {
		return latinTable[r]
	}
	return decompose(r)
}

// decompose is fold without the cache: the letters table first, then
// EPC217-08's Greek and Cyrillic, then the NFKD decomposition of r without
// its accents.
func decompose(r rune) string {
	if t, ok := letters[r]; ok {
		return t
	}
	if t, ok := epcGreekCyrillic[r]; ok {
		return t
	}
	if t, ok := cyrillicMore[r]; ok {
		return t
	}
	var out strings.Builder
	for _, d := range norm.NFKD.String(string(r)) {
		switch {
		case unicode.Is(unicode.Mn, d): // a combining accent: drop it
		case sepaChar(d):
			out.WriteRune(d)
		case epcGreekCyrillic[d] != "":
			out.WriteString(epcGreekCyrillic[d]) // Ё is Е with a diaeresis
		default:
			out.WriteString(letters[d])
		}
	}
	return out.String()
}

// checkRestricted adds an error to c when s, a reference or identification
// (MsgId, PmtInfId, EndToEndId), breaks the guidelines' rules for those:
// 1 to max characters of the SEPA set, not starting or ending with '/' or
// a space and without "//". Such values are never transliterated: a bank matches them
// as given, so a changed one would no longer be the caller's reference.
func checkRestricted(c *errs.Collector, field, s string, max int) {
	switch {
	case strings.TrimSpace(s) == "" || len(s) > max:
		c.Add(field, "len", "must be 1 to %d characters, not only spaces", max)
	case s[0] == ' ' || s[len(s)-1] == ' ':
		// A bank may trim it, and the payment then no longer carries
		// the caller's reference.
		c.Add(field, "sepa_blank", "must not start or end with a space")
	case strings.IndexFunc(s, func(r rune) bool { return !sepaChar(r) }) >= 0:
		c.Add(field, "sepa_charset", "may only hold the SEPA characters a-z A-Z 0-9 / - ? : ( ) . , ' + and space")
	case s[0] == '/' || s[len(s)-1] == '/' || strings.Contains(s, "//"):
		c.Add(field, "sepa_slash", "must not start or end with '/' nor contain '//'")
	}
}

// parseBIC reads a BIC (ISO 9362) in any letter case and returns it in
// upper case, or false when it does not match the schema's pattern
// [A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})? (institution, country,
// location, optional branch). Spaces around it are ignored; dashes or
// spaces inside are not, so a garbled BIC is refused rather than guessed.
func parseBIC(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 8 && len(s) != 11 {
		return "", false
	}
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A' // ASCII only: strings.ToUpper would turn 'ı' into 'I'
			b[i] = c
		}
		letter, digit := c >= 'A' && c <= 'Z', c >= '0' && c <= '9'
		if !letter && !(digit && (i < 4 || i >= 6)) {
			return "", false
		}
	}
	return string(b), true
}
