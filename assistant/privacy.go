package assistant

import (
	"regexp"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/internal/iban"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// The placeholders Redact writes instead of personal data.
const (
	MaskEmail = "[e-mail]"
	MaskIBAN  = "[IBAN]"
	MaskINSZ  = "[rijksregisternummer]"
	MaskPhone = "[telefoonnummer]"
)

var (
	emailRe = regexp.MustCompile(`[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`)
	// An IBAN: two letters, two check digits, then groups of letters and
	// digits, possibly split by single spaces, as people type them.
	ibanRe = regexp.MustCompile(`(?i)\b[a-z]{2}[0-9]{2}(?:[ ]?[a-z0-9]{1,4}){3,8}\b`)
	// A national register number: 11 digits, often written 85.07.30-033.28.
	inszRe = regexp.MustCompile(`\b[0-9]{2}[. ]?[0-9]{2}[. ]?[0-9]{2}[-. ]?[0-9]{3}[. ]?[0-9]{2}\b`)
	// A Belgian phone number, national (0470 12 34 56, 09/123.45.67) or
	// international (+32 470 12 34 56, 0032 9 123 45 67).
	phoneRe = regexp.MustCompile(`(?:\+|\b00)32[ ./-]?(?:\(0\))?[ ./-]?[1-9](?:[ ./-]?[0-9]){7,8}\b|\b0[1-9](?:[ ./-]?[0-9]){7,8}\b`)
)

// Redact masks the personal data a citizen may type into a conversation
// before anything is stored: e-mail addresses, IBANs (valid by their check
// digits), national register numbers (valid by the INSZ check) and Belgian
// phone numbers. What remains still reads as a sentence for the clerk.
func Redact(s string) string {
	s = emailRe.ReplaceAllString(s, MaskEmail)
	s = ibanRe.ReplaceAllStringFunc(s, maskIBAN)
	s = inszRe.ReplaceAllStringFunc(s, func(m string) string {
		if validate.INSZ(m) {
			return MaskINSZ
		}
		return m
	})
	return phoneRe.ReplaceAllString(s, MaskPhone)
}

// maskIBAN masks the longest valid IBAN at the start of m, which may run
// on into the next words ("BE68 5390 0754 7034 en ...").
func maskIBAN(m string) string {
	for end := len(m); end > 4; {
		if iban.Check(strings.ToUpper(strings.ReplaceAll(m[:end], " ", ""))) == nil {
			return MaskIBAN + m[end:]
		}
		sp := strings.LastIndexByte(m[:end], ' ')
		if sp < 0 {
			break
		}
		end = sp
	}
	return m
}
