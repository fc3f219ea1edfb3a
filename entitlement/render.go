package entitlement

import (
	"fmt"
	"strings"
)

// Lang selects the language of a rendered explanation.
type Lang string

// The languages explanations are rendered in.
const (
	Dutch   Lang = "nl"
	English Lang = "en"
)

type words struct {
	truth                                   [3]string
	outcome                                 [3]string
	all, any, not, some, person, household  string
	member, unknown, stale, source, fetched string
	validFrom, validUntil, age, right, on   string
	basis, because, missing                 string
	exceptions, exception, general          string
	grants, denies                          string
	ops                                     map[Op]string
	yes, no                                 string
}

var dict = map[Lang]words{
	Dutch: {
		truth:   [3]string{"niet voldaan", "voldaan", "onbekend"},
		outcome: [3]string{"nee", "ja", "onbekend (gegevens ontbreken)"},
		all:     "alle volgende voorwaarden", any: "minstens een van de volgende voorwaarden", not: "het volgende is niet zo",
		some: "iemand in het gezin voldoet", person: "de persoon zelf", household: "het gezin", member: "gezinslid",
		unknown: "onbekend, het gegeven ontbreekt", stale: "niet geldig op de datum van beoordeling", source: "bron",
		fetched: "opgehaald op", validFrom: "geldig vanaf", validUntil: "tot en met", age: "leeftijd", right: "Recht op",
		on: "op", basis: "Rechtsgrond", because: "Motivering", missing: "Ontbrekende gegevens",
		ops: map[Op]string{OpEq: "is", OpNe: "is niet", OpLt: "is lager dan", OpLe: "is ten hoogste", OpGt: "is hoger dan", OpGe: "is minstens", OpIn: "is een van"},
		yes: "ja", no: "nee",
		exceptions: "uitzonderingen gaan voor op de algemene regel", exception: "uitzondering", general: "algemene regel",
		grants: "geeft recht", denies: "sluit uit",
	},
	English: {
		truth:   [3]string{"not met", "met", "unknown"},
		outcome: [3]string{"no", "yes", "unknown (data missing)"},
		all:     "all of the following", any: "at least one of the following", not: "the following is not the case",
		some: "someone in the household qualifies", person: "the person", household: "the household", member: "household member",
		unknown: "unknown, the data is missing", stale: "not valid on the assessment date", source: "source",
		fetched: "retrieved on", validFrom: "valid from", validUntil: "until", age: "age", right: "Entitled to",
		on: "on", basis: "Legal basis", because: "Reasons", missing: "Missing data",
		ops: map[Op]string{OpEq: "is", OpNe: "is not", OpLt: "is lower than", OpLe: "is at most", OpGt: "is higher than", OpGe: "is at least", OpIn: "is one of"},
		yes: "yes", no: "no",
		exceptions: "exceptions prevail over the general rule", exception: "exception", general: "general rule",
		grants: "grants the right", denies: "excludes",
	},
}

// Text renders the result as plain text a clerk can read to a citizen.
func (r Result) Text(lang Lang) string {
	w, ok := dict[lang]
	if !ok {
		w = dict[English]
	}
	name := r.NameEN
	if lang == Dutch {
		name = r.NameNL
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %s: %s\n", w.right, name, w.on, r.Date, w.outcome[r.Outcome])
	fmt.Fprintf(&b, "%s: %s", w.basis, r.Basis.Decision)
	if !r.Basis.Date.IsZero() {
		fmt.Fprintf(&b, " (%s)", r.Basis.Date)
	}
	b.WriteString("\n")
	if len(r.Missing) > 0 {
		fmt.Fprintf(&b, "%s: %s\n", w.missing, strings.Join(r.Missing, ", "))
	}
	fmt.Fprintf(&b, "%s:\n", w.because)
	if r.Explanation != nil {
		r.Explanation.render(&b, w, lang, 1)
	}
	return b.String()
}

// Text renders the explanation tree alone.
func (e *Explanation) Text(lang Lang) string {
	w, ok := dict[lang]
	if !ok {
		w = dict[English]
	}
	var b strings.Builder
	e.render(&b, w, lang, 0)
	return b.String()
}

func (e *Explanation) label(lang Lang) string {
	l := e.LabelEN
	if lang == Dutch {
		l = e.LabelNL
	}
	if l == "" {
		l = e.Name
	}
	return l
}

func (e *Explanation) render(b *strings.Builder, w words, lang Lang, depth int) {
	b.WriteString(strings.Repeat("  ", depth))
	fmt.Fprintf(b, "- [%s] ", w.truth[e.Truth])
	switch e.Kind {
	case "all":
		b.WriteString(w.all)
	case "any":
		b.WriteString(w.any)
	case "not":
		b.WriteString(w.not)
	case "definition":
		b.WriteString(e.label(lang))
	case "some_member":
		b.WriteString(w.some)
	case "exceptions":
		b.WriteString(w.exceptions)
	case "exception":
		verb := w.denies
		if e.Literal == Eligible.String() {
			verb = w.grants
		}
		fmt.Fprintf(b, "%s: %s (%s)", w.exception, e.label(lang), verb)
	case "general_rule":
		b.WriteString(w.general)
	case "member":
		b.WriteString(who(w, e.Who))
	default:
		e.renderLeaf(b, w, lang)
	}
	b.WriteString("\n")
	for _, c := range e.Children {
		c.render(b, w, lang, depth+1)
	}
}

func who(w words, s string) string {
	switch {
	case s == "person":
		return w.person
	case s == "household":
		return w.household
	case strings.HasPrefix(s, "member "):
		return w.member + strings.TrimPrefix(s, "member")
	}
	return s
}

func (e *Explanation) renderLeaf(b *strings.Builder, w words, lang Lang) {
	subject := e.label(lang)
	if e.Kind == "age" {
		subject = w.age + " (" + subject + ")"
	}
	fmt.Fprintf(b, "%s (%s): ", subject, who(w, e.Who))
	f := e.Fact
	switch {
	case f == nil || !f.Known:
		b.WriteString(w.unknown)
		return
	case e.Age != nil:
		fmt.Fprintf(b, "%d", *e.Age)
	default:
		b.WriteString(localValue(w, f.Value))
	}
	switch {
	case e.Kind == "fact" && e.Param == nil && e.Op == OpEq && e.Literal == "true":
		// A yes/no fact reads best as just its value.
	case e.Param != nil:
		label := e.Param.LabelEN
		if lang == Dutch {
			label = e.Param.LabelNL
		}
		value := e.Param.Value
		if e.Param.Kind == KindMoney {
			value = "EUR " + value
		}
		fmt.Fprintf(b, " %s %s %s (%s %s", w.ops[e.Op], strings.ToLower(label), value, w.validFrom, e.Param.From)
		if !e.Param.Until.IsZero() {
			fmt.Fprintf(b, " %s %s", w.validUntil, e.Param.Until)
		}
		if e.Param.Basis != "" {
			fmt.Fprintf(b, "; %s", e.Param.Basis)
		}
		b.WriteString(")")
	default:
		fmt.Fprintf(b, " %s %s", w.ops[e.Op], localValue(w, e.Literal))
	}
	if p := f.Provenance; p != nil && p.Source != "" {
		fmt.Fprintf(b, " [%s: %s", w.source, p.Source)
		if !p.RetrievedAt.IsZero() {
			fmt.Fprintf(b, ", %s %s", w.fetched, p.RetrievedAt.Format("2006-01-02"))
		}
		b.WriteString("]")
	}
	if f.Stale {
		fmt.Fprintf(b, " (%s)", w.stale)
	}
}

func localValue(w words, v string) string {
	switch v {
	case "yes", "true":
		return w.yes
	case "no", "false":
		return w.no
	}
	return v
}
