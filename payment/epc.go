package payment

import (
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// EPC069-12 limits, named so tests and callers can refer to them.
const (
	EPCMaxPayload     = 331 // bytes of the whole payload
	EPCMaxName        = 70  // characters of the beneficiary name
	EPCMaxStructured  = 35  // characters of the structured remittance
	EPCMaxText        = 140 // characters of the unstructured remittance
	EPCMaxInformation = 70  // characters of the beneficiary-to-originator information
)

var (
	epcMinAmount = decimal.New(1, -2)                        // 0.01
	epcMaxAmount = decimal.RequireFromString("999999999.99") // per EPC069-12
)

// EPCCode is the content of an EPC QR code ("betaal-QR-code", EPC069-12):
// a SEPA credit transfer a banking app prefills when it scans the code.
// It is always written as version 002 in UTF-8, where the BIC is optional.
type EPCCode struct {
	// BIC of the beneficiary's bank; optional within the EEA.
	BIC BIC
	// Name of the beneficiary, at most 70 characters.
	Name string
	// IBAN of the beneficiary.
	IBAN IBAN
	// Amount in euro, 0.01 to 999999999.99 with at most two decimals; zero
	// leaves the amount for the payer to type.
	Amount decimal.Decimal
	// Purpose is an optional 4-letter ISO 20022 purpose code, e.g. "GDDS".
	Purpose string
	// Reference is the structured remittance (OGM or RF). It excludes Text.
	Reference Reference
	// Text is the unstructured remittance, at most 140 characters. It
	// excludes Reference.
	Text string
	// Information is shown to the payer, at most 70 characters.
	Information string
}

// Validate reports every field that breaks an EPC069-12 rule.
func (c EPCCode) Validate() error {
	var v errs.Collector
	c.validate(&v)
	return v.Err()
}

func (c EPCCode) validate(v *errs.Collector) {
	checkText(v, "name", c.Name, EPCMaxName, true)
	if c.IBAN.IsZero() {
		v.Add("iban", "required", "the beneficiary's IBAN is required")
	}
	if !c.Amount.IsZero() {
		switch {
		case c.Amount.LessThan(epcMinAmount):
			v.Add("amount", "min", "the amount must be at least 0.01 euro")
		case c.Amount.GreaterThan(epcMaxAmount):
			v.Add("amount", "max", "the amount must be at most 999999999.99 euro")
		case !c.Amount.Equal(c.Amount.Truncate(2)):
			v.Add("amount", "decimals", "the amount has more than two decimals")
		}
	}
	if c.Purpose != "" {
		ok := len(c.Purpose) == 4
		for i := 0; ok && i < 4; i++ {
			ok = c.Purpose[i] >= 'A' && c.Purpose[i] <= 'Z'
		}
		if !ok {
			v.Add("purpose", "purpose_code", "the purpose must be a 4-letter ISO 20022 code")
		}
	}
	if !c.Reference.IsZero() && c.Text != "" {
		v.Add("text", "excluded_with", "a structured reference and a free text cannot both be given")
	}
	if len(c.Reference.EPC()) > EPCMaxStructured {
		v.Add("reference", "max", "the structured reference is longer than 35 characters")
	}
	checkText(v, "text", c.Text, EPCMaxText, false)
	checkText(v, "information", c.Information, EPCMaxInformation, false)
}

func checkText(v *errs.Collector, field, s string, max int, required bool) {
	switch {
	case s == "" && required:
		v.Add(field, "required", "%s is required", field)
	case !utf8.ValidString(s):
		v.Add(field, "utf8", "%s is not valid UTF-8", field)
	case strings.ContainsAny(s, "\r\n"):
		v.Add(field, "single_line", "%s must be on one line", field)
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "max", "%s is longer than %d characters", field, max)
	}
}

// Payload returns the bytes to put in the QR code: the twelve EPC069-12
// elements separated by LF, in UTF-8, trailing empty elements left out.
// It returns a *ValidationError naming each broken rule, including
// "payload" when the whole exceeds 331 bytes.
func (c EPCCode) Payload() ([]byte, error) {
	return c.AppendPayload(make([]byte, 0, 160))
}

// AppendPayload appends the payload to dst, for callers that reuse buffers.
func (c EPCCode) AppendPayload(dst []byte) ([]byte, error) {
	var v errs.Collector
	c.validate(&v)
	if err := v.Err(); err != nil {
		return dst, err
	}
	start := len(dst)
	dst = append(dst, "BCD\n002\n1\nSCT\n"...)
	dst = append(dst, c.BIC.String()...)
	dst = append(dst, '\n')
	dst = append(dst, c.Name...)
	dst = append(dst, '\n')
	dst = append(dst, c.IBAN.b[:c.IBAN.n]...)
	dst = append(dst, '\n')
	if !c.Amount.IsZero() {
		dst = append(dst, "EUR"...)
		dst = append(dst, c.Amount.String()...)
	}
	dst = append(dst, '\n')
	dst = append(dst, c.Purpose...)
	dst = append(dst, '\n')
	dst = append(dst, c.Reference.EPC()...)
	dst = append(dst, '\n')
	dst = append(dst, c.Text...)
	dst = append(dst, '\n')
	dst = append(dst, c.Information...)
	for len(dst) > start && dst[len(dst)-1] == '\n' {
		dst = dst[:len(dst)-1]
	}
	if n := len(dst) - start; n > EPCMaxPayload {
		return dst[:start], errs.Invalid("payload", "max", "the QR payload is %d bytes, more than the 331 EPC069-12 allows", n)
	}
	return dst, nil
}

// ParseEPCPayload reads a payload back into an EPCCode, checking every
// rule Payload checks; banking apps do the same when they scan.
func ParseEPCPayload(p []byte) (EPCCode, error) {
	if len(p) > EPCMaxPayload {
		return EPCCode{}, errs.Invalid("payload", "max", "the QR payload is %d bytes, more than the 331 EPC069-12 allows", len(p))
	}
	if !utf8.Valid(p) {
		return EPCCode{}, errs.Invalid("payload", "utf8", "the payload is not valid UTF-8")
	}
	lines := strings.Split(strings.ReplaceAll(string(p), "\r\n", "\n"), "\n")
	if len(lines) < 7 || len(lines) > 12 {
		return EPCCode{}, errs.Invalid("payload", "elements", "expected 7 to 12 lines, got %d", len(lines))
	}
	for len(lines) < 12 {
		lines = append(lines, "")
	}
	if lines[0] != "BCD" || (lines[1] != "001" && lines[1] != "002") || lines[2] != "1" || lines[3] != "SCT" {
		return EPCCode{}, errs.Invalid("payload", "header", "expected BCD, version 001 or 002, character set 1 (UTF-8) and SCT")
	}
	var v errs.Collector
	var c EPCCode
	var err error
	if lines[4] != "" {
		if c.BIC, err = ParseBIC(lines[4]); err != nil {
			v.Add("bic", "bic", "%v", err)
		}
	} else if lines[1] == "001" {
		v.Add("bic", "required", "version 001 requires the BIC")
	}
	c.Name = lines[5]
	if c.IBAN, err = ParseIBAN(lines[6]); err != nil {
		v.Add("iban", "iban", "%v", err)
	}
	if a := lines[7]; a != "" {
		if !strings.HasPrefix(a, "EUR") {
			v.Add("amount", "currency", "the amount must start with EUR")
		} else if c.Amount, err = decimal.NewFromString(a[3:]); err != nil || strings.ContainsAny(a[3:], "eE+-") {
			v.Add("amount", "decimal", "the amount is not a number")
		}
	}
	c.Purpose = lines[8]
	if lines[9] != "" {
		if c.Reference, err = ParseReference(lines[9]); err != nil {
			v.Add("reference", "reference", "%v", err)
		}
	}
	c.Text, c.Information = lines[10], lines[11]
	if err := v.Err(); err != nil {
		return EPCCode{}, err
	}
	if err := c.Validate(); err != nil {
		return EPCCode{}, err
	}
	return c, nil
}
