package casefile

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// AttributeType is the kind of answer an extra question ("extra vraag")
// takes.
type AttributeType string

// The attribute types. Open311 publishes them as string, text, number,
// singlevaluelist, multivaluelist and datetime.
const (
	AttributeText        AttributeType = "text"         // one line ("tekst")
	AttributeLongText    AttributeType = "long_text"    // several lines ("lange tekst")
	AttributeNumber      AttributeType = "number"       // a decimal number ("getal"); the decimal comma is accepted
	AttributeChoice      AttributeType = "choice"       // one of Choices ("keuze")
	AttributeMultiChoice AttributeType = "multi_choice" // any of Choices ("meerkeuze")
	AttributeYesNo       AttributeType = "yes_no"       // "true" or "false" ("ja/nee")
	AttributeDate        AttributeType = "date"         // a civil date, YYYY-MM-DD ("datum")
)

func (t AttributeType) known() bool {
	switch t {
	case AttributeText, AttributeLongText, AttributeNumber, AttributeChoice, AttributeMultiChoice, AttributeYesNo, AttributeDate:
		return true
	}
	return false
}

// MaxAttributeText is the longest answer to a text question, in characters.
const MaxAttributeText = 2000

// Choice is one value a choice question offers.
type Choice struct {
	Code  string `json:"code"`
	Label Label  `json:"label"`
}

// Attribute is an extra question a category asks when a case is filed
// ("extra vraag"), e.g. "Hoeveel zakken?" for an illegal dump. A category
// declares its attributes in the case type; Open311 publishes them as the
// service definition.
type Attribute struct {
	Code string        `json:"code"`
	Type AttributeType `json:"type"`
	// Label is the question as the form shows it.
	Label Label `json:"label"`
	// Description is help text under the question, optional.
	Description Label `json:"description,omitzero"`
	Required    bool  `json:"required,omitempty"`
	// Order sorts the questions; ties keep declaration order.
	Order int `json:"order,omitempty"`
	// Choices are the values of a choice or multi-choice question.
	Choices []Choice `json:"choices,omitempty"`
}

// AttributeValue is a validated answer to an extra question, in canonical
// form: a number as "12.5", a date as "2026-12-01", yes/no as "true" or
// "false", a choice by its code. Values holds one entry, or for a
// multi-choice question one per chosen code in declaration order.
type AttributeValue struct {
	Code   string   `json:"code"`
	Values []string `json:"values"`
}

// checkAttributeDecl adds the problems of a category's attribute
// declarations under field.
func checkAttributeDecl(c *errs.Collector, field string, attrs []Attribute) {
	seen := map[string]bool{}
	for i, a := range attrs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if a.Code == "" || seen[a.Code] || strings.ContainsAny(a.Code, "[]=&, ") {
			c.Add(f+".code", "unique", "attribute code %q is empty, declared twice or holds one of [ ] = & , or a space", a.Code)
		}
		seen[a.Code] = true
		if !a.Type.known() {
			c.Add(f+".type", "oneof", "attribute %q has unknown type %q", a.Code, a.Type)
		}
		if a.Label.NL == "" {
			c.Add(f+".label", "required", "attribute %q needs a question in Dutch", a.Code)
		}
		isChoice := a.Type == AttributeChoice || a.Type == AttributeMultiChoice
		if isChoice && len(a.Choices) == 0 {
			c.Add(f+".choices", "required", "choice attribute %q offers no choices", a.Code)
		}
		if !isChoice && len(a.Choices) > 0 {
			c.Add(f+".choices", "excluded", "attribute %q of type %q cannot offer choices", a.Code, a.Type)
		}
		codes := map[string]bool{}
		for j, ch := range a.Choices {
			if ch.Code == "" || codes[ch.Code] || strings.Contains(ch.Code, ",") {
				c.Add(fmt.Sprintf("%s.choices[%d].code", f, j), "unique", "choice code %q of %q is empty, declared twice or holds a comma", ch.Code, a.Code)
			}
			codes[ch.Code] = true
		}
	}
}

// Attributes returns the extra questions of a category, sorted by Order;
// nil when the category asks none or is not declared.
func (ct *CaseType) Attributes(category string) []Attribute {
	for _, c := range ct.Categories {
		if c.Code == category {
			out := slices.Clone(c.Attributes)
			slices.SortStableFunc(out, func(a, b Attribute) int { return a.Order - b.Order })
			return out
		}
	}
	return nil
}

// CheckAttributes validates raw answers against a category's questions and
// returns them in canonical form, in question order. answers maps a
// question's code to what was entered: one value, or for a multi-choice
// question one per choice (a single value holding commas is split). An
// empty answer is no answer. The error is a *ValidationError with one
// entry per question, under "attributes.<code>", with the rule broken:
// required, unknown, number, date, yes_no, oneof, max.
func CheckAttributes(attrs []Attribute, answers map[string][]string) ([]AttributeValue, error) {
	var c errs.Collector
	out := checkAttributes(&c, attrs, answers)
	return out, c.Err()
}

func checkAttributes(c *errs.Collector, attrs []Attribute, answers map[string][]string) []AttributeValue {
	declared := make(map[string]bool, len(attrs))
	var out []AttributeValue
	for _, a := range attrs {
		declared[a.Code] = true
		field := "attributes." + a.Code
		raw := nonEmpty(answers[a.Code])
		if a.Type == AttributeMultiChoice && len(raw) == 1 {
			raw = nonEmpty(strings.Split(raw[0], ","))
		}
		if len(raw) == 0 {
			if a.Required {
				c.Add(field, "required", "%s: an answer is required", a.Label.NL)
			}
			continue
		}
		vals, ok := canonical(c, field, a, raw)
		if ok {
			out = append(out, AttributeValue{Code: a.Code, Values: vals})
		}
	}
	codes := make([]string, 0, len(answers))
	for code, v := range answers {
		if !declared[code] && len(nonEmpty(v)) > 0 {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	for _, code := range codes {
		c.Add("attributes."+code, "unknown", "this category asks no question %q", code)
	}
	return out
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// canonical turns the non-empty answers to a into canonical values.
func canonical(c *errs.Collector, field string, a Attribute, raw []string) ([]string, bool) {
	if a.Type != AttributeMultiChoice && len(raw) > 1 {
		c.Add(field, "single", "%s: takes one answer, not %d", a.Label.NL, len(raw))
		return nil, false
	}
	v := raw[0]
	switch a.Type {
	case AttributeText, AttributeLongText:
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			c.Add(field, "text", "%s: is not valid text", a.Label.NL)
			return nil, false
		}
		if utf8.RuneCountInString(v) > MaxAttributeText {
			c.Add(field, "max", "%s: is longer than %d characters", a.Label.NL, MaxAttributeText)
			return nil, false
		}
		if a.Type == AttributeText && strings.ContainsAny(v, "\r\n") {
			c.Add(field, "single_line", "%s: takes one line", a.Label.NL)
			return nil, false
		}
		return []string{v}, true
	case AttributeNumber:
		d, ok := ParseDecimal(v)
		if !ok {
			c.Add(field, "number", "%s: %q is not a number (write 12,5 or 12.5)", a.Label.NL, v)
			return nil, false
		}
		return []string{d.String()}, true
	case AttributeYesNo:
		switch strings.ToLower(v) {
		case "true", "ja", "yes", "1", "j", "y":
			return []string{"true"}, true
		case "false", "nee", "no", "0", "n":
			return []string{"false"}, true
		}
		c.Add(field, "yes_no", "%s: answer ja or nee", a.Label.NL)
		return nil, false
	case AttributeDate:
		d, ok := parseDate(v)
		if !ok {
			c.Add(field, "date", "%s: %q is not a date such as 2026-12-01 or 01/12/2026", a.Label.NL, v)
			return nil, false
		}
		return []string{d}, true
	case AttributeChoice, AttributeMultiChoice:
		chosen := map[string]bool{}
		for _, r := range raw {
			if !slices.ContainsFunc(a.Choices, func(ch Choice) bool { return ch.Code == r }) {
				c.Add(field, "oneof", "%s: %q is not one of the choices", a.Label.NL, r)
				return nil, false
			}
			chosen[r] = true
		}
		var vals []string
		for _, ch := range a.Choices {
			if chosen[ch.Code] {
				vals = append(vals, ch.Code)
			}
		}
		return vals, true
	}
	c.Add(field, "oneof", "%s: unknown attribute type %q", a.Label.NL, a.Type)
	return nil, false
}

// ParseDecimal reads a number as a Flemish user writes it: "12,5" as well
// as "12.5", with an optional sign; no thousands separators, no exponent.
func ParseDecimal(s string) (decimal.Decimal, bool) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",")+strings.Count(s, ".") > 1 || len(s) > 40 {
		return decimal.Decimal{}, false
	}
	s = strings.Replace(s, ",", ".", 1)
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" || digits == "." || strings.Trim(digits, "0123456789.") != "" {
		return decimal.Decimal{}, false
	}
	d, err := decimal.NewFromString(s)
	return d, err == nil
}

// parseDate reads 2026-12-01, 01/12/2026 or 01-12-2026 and returns the
// ISO form.
func parseDate(s string) (string, bool) {
	for _, layout := range []string{time.DateOnly, "02/01/2006", "02-01-2006", "2/1/2006"} {
		if t, err := time.ParseInLocation(layout, s, clock.Brussels); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

// caseExtra holds the parts of a case the memory store keeps beside its
// packed record, because few cases have them.
type caseExtra struct {
	attributes          []AttributeValue
	addressID, mediaURL string
}

// packExtra keeps the seldom-set parts of c.
func (s *MemStore) packExtra(id uuid.UUID, c *Case) {
	if len(c.Attributes) == 0 && c.Location.AddressID == "" && c.MediaURL == "" {
		delete(s.extraParts, id)
		return
	}
	if s.extraParts == nil {
		s.extraParts = map[uuid.UUID]caseExtra{}
	}
	s.extraParts[id] = caseExtra{attributes: cloneAttributes(c.Attributes), addressID: c.Location.AddressID, mediaURL: c.MediaURL}
}

func (s *MemStore) loadExtra(id uuid.UUID, c *Case) {
	if x, ok := s.extraParts[id]; ok {
		c.Attributes = cloneAttributes(x.attributes)
		c.Location.AddressID, c.MediaURL = x.addressID, x.mediaURL
	}
}
