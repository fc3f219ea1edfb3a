package entitlement

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/nlfmt"
)

// Sources maps the source of a fact (Provenance.Source) to the name a
// person knows it by, with its article: "fod-financien" → "de FOD
// Financiën". A caller's Sources add to and override DefaultSources.
type Sources map[string]string

// DefaultSources names the usual authentic sources of a Flemish
// municipality's facts.
var DefaultSources = Sources{
	SourceNationalRegister: "het Rijksregister",
	SourceCrossroadsBank:   "de Kruispuntbank van de Sociale Zekerheid",
	SourceTaxAuthority:     "de FOD Financiën",
	SourceVehicleRegister:  "de Dienst Inschrijvingen Voertuigen (DIV)",
	SourceOwnRecords:       "de gemeente",
	"gemeente":             "de gemeente",
	"ocmw":                 "het OCMW",
	"opgroeien":            "het Agentschap Opgroeien",
	"vdab":                 "de VDAB",
	"riziv":                "het RIZIV",
	"kbo":                  "de Kruispuntbank van Ondernemingen",
}

// Name returns the display name of source: the caller's, else the
// default, else source itself.
func (s Sources) Name(source string) string {
	if n, ok := s[source]; ok {
		return n
	}
	if n, ok := DefaultSources[source]; ok {
		return n
	}
	return source
}

// PlainOptions tailors Plain to a municipality.
type PlainOptions struct {
	// Sources names the sources of facts; DefaultSources fills the gaps.
	Sources Sources
	// Codes gives the Dutch words for codes, by "fact.code" or by code
	// alone: {"vehicle_lez_status.banned": "niet toegelaten"}. A code
	// without words is shown as it is.
	Codes map[string]string
}

// Plain is an outcome explained for the citizen in plain Dutch ("in
// gewone taal"), built from the same Explanation tree as Text, which
// stays the clerk's full account.
type Plain struct {
	// Summary is one or two sentences: why the citizen gets the right or
	// not, or which facts are still missing, then where the facts came
	// from. "U krijgt UiTPAS aan kansentarief omdat voor u ‘Ingeschreven
	// in Gent’ geldt en uw belastbaar gezinsinkomen (€ 23.800,00) niet
	// hoger is dan de grens van € 25.000,00. We haalden die gegevens bij
	// het Rijksregister en de FOD Financiën."
	Summary string
	// Facts lists every fact the decision looked at, one line each, with
	// its value and source: "Belastbaar gezinsinkomen: € 23.800,00 (van de
	// FOD Financiën, opgehaald op 1 maart 2026)".
	Facts []string
	// Rules lists every parameter the decision used, with its value and
	// the period it holds: "Inkomensgrens kansentarief: € 25.000,00 (geldt
	// van 1 januari 2026 tot en met 31 december 2026)".
	Rules []string
	// Basis names the decision the right rests on ("rechtsgrond"): "Dit
	// staat in: Reglement UiTPAS Gent, gemeenteraad van 24 november 2025."
	Basis string
}

// String returns the summary, then the facts and the rules one per line.
func (p Plain) String() string {
	s := p.Summary
	if len(p.Facts) > 0 {
		s += "\n\nUw gegevens:\n- " + strings.Join(p.Facts, "\n- ")
	}
	if len(p.Rules) > 0 {
		s += "\n\nDe regels:\n- " + strings.Join(p.Rules, "\n- ")
	}
	if p.Basis != "" {
		s += "\n\n" + p.Basis
	}
	return s
}

// Plain explains the result in plain Dutch for the citizen it concerns,
// addressed as "u": amounts as "€ 23.800,00", dates as "1 januari 2026",
// sources by name ("de FOD Financiën"). Of each condition only
// what decided the outcome is said: why a right is granted names the
// conditions that hold (for "any", the first that holds), why it is not
// names every condition that fails, and an unknown outcome names the
// facts still missing.
func (r Result) Plain(opts PlainOptions) Plain {
	p := &plainer{date: r.Date, sources: opts.Sources, codes: opts.Codes}
	name := lower(r.NameNL)
	if name == "" {
		name = "dit"
	}
	var sum strings.Builder
	if r.Explanation == nil {
		return Plain{Summary: "Er is geen uitleg bewaard bij deze beslissing."}
	}
	clauses := render(p.why(r.Explanation, r.Explanation.Truth, "u"))
	switch r.Outcome {
	case Eligible:
		sum.WriteString("U krijgt " + name)
	case NotEligible:
		sum.WriteString("U krijgt " + name + " niet")
	default:
		sum.WriteString("We weten nog niet of u " + name + " krijgt")
	}
	if len(clauses) > 0 {
		if r.Outcome == Undecided {
			sum.WriteString(",")
		}
		sum.WriteString(" omdat " + join(clauses))
	}
	sum.WriteString(".")
	if r.Outcome == Undecided {
		sum.WriteString(" Zodra we die gegevens hebben, bekijken we het opnieuw.")
	} else if len(p.used) > 0 {
		sum.WriteString(" We haalden die gegevens bij " + join(p.used) + ".")
	}
	facts, rules := p.facts(r.Explanation)
	out := Plain{Summary: sum.String(), Facts: facts, Rules: rules}
	if r.Basis.Decision != "" {
		out.Basis = "Dit staat in: " + r.Basis.Decision
		if !r.Basis.Date.IsZero() {
			out.Basis += " van " + p.day(r.Basis.Date)
		}
		out.Basis += "."
	}
	return out
}

type plainer struct {
	date    calendar.Date
	sources Sources
	codes   map[string]string
	used    []string // the display names of the sources of the facts the clauses mention
}

// clause is one reason. Reasons about yes/no facts of one person with one
// truth are merged: "voor u ‘A’ en ‘B’ gelden".
type clause struct {
	kind  byte   // 'y' holds, 'n' does not hold, '?' unknown yes/no, 'v' unknown value, 't' text
	who   string // for 'y', 'n', '?'
	label string // the quoted label, or for 'v' the subject
	text  string // for 't'
}

// render writes the clauses, merging neighbours of one kind and person.
func render(cs []clause) []string {
	var out []string
	for i := 0; i < len(cs); {
		c := cs[i]
		labels := []string{c.label}
		j := i + 1
		for ; c.kind != 't' && j < len(cs) && cs[j].kind == c.kind && cs[j].who == c.who; j++ {
			if !slices.Contains(labels, cs[j].label) {
				labels = append(labels, cs[j].label)
			}
		}
		verb := "geldt"
		if len(labels) > 1 {
			verb = "gelden"
		}
		l := join(labels)
		switch c.kind {
		case 'y':
			out = append(out, "voor "+c.who+" "+l+" "+verb)
		case 'n':
			out = append(out, "voor "+c.who+" "+l+" niet "+verb)
		case '?':
			out = append(out, "we nog niet weten of voor "+c.who+" "+l+" "+verb)
		case 'v':
			out = append(out, "we "+l+" nog niet kennen")
		default:
			out = append(out, c.text)
		}
		i = j
	}
	return out
}

func text(s string) clause { return clause{kind: 't', text: s} }

// why returns the clauses that explain why e has truth t, in the word
// order of a subordinate clause ("omdat uw inkomen € 23.800,00 is").
// who is the subject the facts are about: "u", or "iemand in uw gezin"
// inside some_member.
func (p *plainer) why(e *Explanation, t Truth, who string) []clause {
	switch e.Kind {
	case "all", "any":
		// all holds when every part holds and fails on any part that
		// fails; any the other way round. Unknown: the unknown parts.
		decisive := t
		if t == True && e.Kind == "any" || t == False && e.Kind == "all" {
			var out []clause
			for _, c := range e.Children {
				if c.Truth == t {
					out = append(out, p.why(c, t, who)...)
					if e.Kind == "any" {
						break // one reason it holds is enough
					}
				}
			}
			return out
		}
		var out []clause
		for _, c := range e.Children {
			if c.Truth == decisive {
				out = append(out, p.why(c, decisive, who)...)
			}
		}
		return out
	case "not":
		if len(e.Children) == 0 {
			return nil
		}
		return p.why(e.Children[0], e.Children[0].Truth, who)
	case "definition", "general_rule", "member":
		var out []clause
		for _, c := range e.Children {
			out = append(out, p.why(c, c.Truth, p.whoOf(c, who))...)
		}
		return out
	case "some_member":
		return p.someMember(e, t)
	case "exceptions":
		return p.exceptions(e, t, who)
	case "exception":
		return p.exception(e, who)
	case "fact", "age":
		return []clause{p.leaf(e, who)}
	}
	return nil
}

// whoOf is the subject of e's facts: the member a "member" node names.
func (p *plainer) whoOf(e *Explanation, who string) string {
	if e.Kind == "member" {
		if e.Who == "person" {
			return "u"
		}
		return "iemand in uw gezin"
	}
	return who
}

// someMember explains "someone in the household": the member for whom
// it holds, or that it holds for nobody, or what is unknown.
func (p *plainer) someMember(e *Explanation, t Truth) []clause {
	switch t {
	case True:
		for _, m := range e.Children {
			if m.Truth == True {
				return p.why(m, True, "")
			}
		}
	case False:
		// A yes/no fact reads as one clause for the whole household.
		if len(e.Children) > 0 && len(e.Children[0].Children) == 1 {
			if leaf := e.Children[0].Children[0]; isYesNo(leaf) {
				for _, m := range e.Children {
					for _, c := range m.Children {
						p.source(c)
					}
				}
				return []clause{{kind: 'y', who: "niemand in uw gezin", label: quote(leaf.label(Dutch))}}
			}
		}
		var out []clause
		for _, m := range e.Children {
			out = append(out, p.why(m, False, "")...)
		}
		return out
	}
	var out []clause
	for _, m := range e.Children {
		if m.Truth == Unknown {
			out = append(out, p.why(m, Unknown, "")...)
		}
	}
	return out
}

// exceptions explains the default logic: the first exception that
// applies decides; if none does, the general rule.
func (p *plainer) exceptions(e *Explanation, t Truth, who string) []clause {
	var unknown []clause
	for _, c := range e.Children {
		switch {
		case c.Kind == "exception" && c.Truth == True:
			return append(unknown, p.exception(c, who)...)
		case c.Kind == "exception" && c.Truth == Unknown:
			unknown = append(unknown, text("we niet weten of de uitzondering "+quote(c.label(Dutch))+" voor u geldt"))
			if len(c.Children) > 0 {
				unknown = append(unknown, p.why(c.Children[0], Unknown, who)...)
			}
		case c.Kind == "general_rule":
			if t == Unknown && len(unknown) > 0 && c.Truth != Unknown {
				return unknown
			}
			return append(unknown, p.why(c, c.Truth, who)...)
		}
	}
	return unknown
}

func (p *plainer) exception(e *Explanation, who string) []clause {
	verb := "u uitsluit"
	if e.Literal == Eligible.String() {
		verb = "u toch recht geeft"
	}
	out := []clause{text("de uitzondering " + quote(e.label(Dutch)) + " voor u geldt, en die " + verb)}
	if len(e.Children) > 0 {
		out = append(out, p.why(e.Children[0], e.Children[0].Truth, who)...)
	}
	return out
}

// isYesNo reports whether e is a yes/no fact used as "is true" or "is false".
func isYesNo(e *Explanation) bool {
	return e.Kind == "fact" && e.Param == nil && (e.Literal == "true" || e.Literal == "false") && (e.Op == OpEq || e.Op == OpNe)
}

// leaf explains one comparison of a fact, stating the fact as it is:
// "uw belastbaar gezinsinkomen (€ 28.500,00) hoger is dan de grens van
// € 25.000,00".
func (p *plainer) leaf(e *Explanation, who string) clause {
	f := e.Fact
	label := e.label(Dutch)
	if who == "" {
		who = "u"
	}
	if strings.HasPrefix(e.Who, "member") {
		who = "iemand in uw gezin"
	}
	if isYesNo(e) {
		switch {
		case f == nil || !f.Known:
			return clause{kind: '?', who: who, label: quote(label)}
		case f.Stale:
			return text("de gegevens over " + quote(label) + " niet gelden op " + p.day(p.date))
		}
		p.source(e)
		if f.Value == "yes" || f.Value == "true" {
			return clause{kind: 'y', who: who, label: quote(label)}
		}
		return clause{kind: 'n', who: who, label: quote(label)}
	}
	subject := p.possessive(lower(label), who)
	switch {
	case f == nil || !f.Known:
		return clause{kind: 'v', label: subject}
	case f.Stale:
		return text("de gegevens over " + subject + " niet gelden op " + p.day(p.date))
	}
	p.source(e)
	op := e.Op
	if e.Truth == False {
		op = negate(op)
	}
	target := p.target(e, f.Value)
	if e.Kind == "age" && e.Age != nil {
		years := nlfmt.Integer(*e.Age) + " jaar"
		if f.Name == FactBirthDate || strings.Contains(strings.ToLower(label), "geboorte") {
			rel := ageRelation(op, target)
			if who == "u" {
				return text("u " + years + " bent (" + rel + ")")
			}
			return text(who + " " + years + " is (" + rel + ")")
		}
		return text(subject + " (" + p.value(f.Value) + ") " + years + " geleden is (" + yearsRelation(op, target) + ")")
	}
	if isCode(e, f.Value) {
		return text(p.codeClause(subject, op, f, e))
	}
	if e.Param != nil && e.Op != OpEq && e.Op != OpNe {
		target = "de grens van " + target
	}
	return text(subject + " (" + p.value(f.Value) + ") " + relation(op, target, isDate(f.Value)))
}

// possessive names a fact of who: "uw inkomen", "inkomen van iemand in uw gezin".
func (p *plainer) possessive(label, who string) string {
	if who == "u" {
		return "uw " + label
	}
	return label + " van " + who
}

// target writes what the fact is compared with: the parameter's value
// (and which parameter), or the literal.
func (p *plainer) target(e *Explanation, factValue string) string {
	if e.Param != nil {
		return p.paramValue(e.Param)
	}
	lit := e.Literal
	if strings.HasPrefix(factValue, "EUR ") {
		return euro(lit)
	}
	return p.value(lit)
}

// value writes a fact's value the Belgian way.
func (p *plainer) value(v string) string {
	switch {
	case v == "yes" || v == "true":
		return "ja"
	case v == "no" || v == "false":
		return "nee"
	case strings.HasPrefix(v, "EUR "):
		return euro(strings.TrimPrefix(v, "EUR "))
	case isDate(v):
		d, _ := calendar.ParseDate(v)
		return p.day(d)
	}
	if _, err := decimal.NewFromString(v); err == nil {
		return number(v)
	}
	return v
}

func (p *plainer) day(d calendar.Date) string { return nlfmt.Date(d.Year, d.Month, d.Day) }

// source notes the source of e's fact for the sentence that names them.
func (p *plainer) source(e *Explanation) {
	if e.Fact == nil || e.Fact.Provenance == nil || e.Fact.Provenance.Source == "" {
		return
	}
	name := p.sources.Name(e.Fact.Provenance.Source)
	if !slices.Contains(p.used, name) {
		p.used = append(p.used, name)
	}
}

// facts lists every fact of the tree once, with its value and source,
// and every parameter once, with its value and period.
func (p *plainer) facts(root *Explanation) (facts, rules []string) {
	var walk func(e *Explanation, member string)
	walk = func(e *Explanation, member string) {
		if e.Kind == "member" && e.Who != "person" {
			member = " (" + strings.Replace(e.Who, "member", "gezinslid", 1) + ")"
		}
		if (e.Kind == "fact" || e.Kind == "age") && e.Fact != nil {
			line := e.label(Dutch) + member + ": "
			f := e.Fact
			switch {
			case !f.Known:
				line += "nog niet gekend"
			case f.Stale:
				line += p.shown(f) + ", maar niet geldig op " + p.day(p.date)
			default:
				line += p.shown(f)
			}
			if pr := f.Provenance; f.Known && pr != nil && pr.Source != "" {
				line += " (van " + p.sources.Name(pr.Source)
				if !pr.RetrievedAt.IsZero() {
					y, m, d := pr.RetrievedAt.In(clock.Brussels).Date()
					line += ", opgehaald op " + nlfmt.Date(y, m, d)
				}
				line += ")"
			}
			if !slices.Contains(facts, line) {
				facts = append(facts, line)
			}
		}
		if u := e.Param; u != nil {
			label := u.LabelNL
			if label == "" {
				label = u.Name
			}
			line := label + ": " + p.paramValue(u) + " (geldt "
			switch {
			case !u.From.IsZero() && !u.Until.IsZero():
				line += "van " + p.day(u.From) + " tot en met " + p.day(u.Until)
			case !u.From.IsZero():
				line += "vanaf " + p.day(u.From)
			default:
				line += "zonder begindatum"
			}
			line += ")"
			if !slices.Contains(rules, line) {
				rules = append(rules, line)
			}
		}
		for _, c := range e.Children {
			walk(c, member)
		}
	}
	walk(root, "")
	return facts, rules
}

// shown writes a fact's value, codes in words.
func (p *plainer) shown(f *FactUse) string {
	v := p.value(f.Value)
	if v == f.Value && f.Value != "" {
		if _, err := decimal.NewFromString(v); err != nil {
			return p.code(f.Name, v)
		}
	}
	return v
}

func (p *plainer) paramValue(u *ParamUse) string {
	switch u.Kind {
	case KindMoney:
		return euro(u.Value)
	case KindNumber:
		return number(u.Value)
	case KindCode:
		return u.Value
	}
	return p.value(u.Value)
}

func negate(op Op) Op {
	switch op {
	case OpEq:
		return OpNe
	case OpNe:
		return OpEq
	case OpLt:
		return OpGe
	case OpGe:
		return OpLt
	case OpLe:
		return OpGt
	case OpGt:
		return OpLe
	case OpIn:
		return "not_in"
	}
	return op
}

// relation says, as the end of a subordinate clause, how a value stands
// to the target: "niet hoger is dan € 25.000,00", "vóór 1 januari 2000 valt".
func relation(op Op, target string, date bool) string {
	if date {
		switch op {
		case OpEq:
			return "op " + target + " valt"
		case OpNe:
			return "niet op " + target + " valt"
		case OpLt:
			return "vóór " + target + " valt"
		case OpLe:
			return "niet na " + target + " valt"
		case OpGt:
			return "na " + target + " valt"
		case OpGe:
			return "niet vóór " + target + " valt"
		}
	}
	switch op {
	case OpEq:
		return "gelijk is aan " + target
	case OpNe:
		return "niet gelijk is aan " + target
	case OpLt:
		return "lager is dan " + target
	case OpLe:
		return "niet hoger is dan " + target
	case OpGt:
		return "hoger is dan " + target
	case OpGe:
		return "niet lager is dan " + target
	}
	return string(op) + " " + target
}

// ageRelation says how an age stands to a limit: "jonger dan 12".
func ageRelation(op Op, target string) string {
	switch op {
	case OpEq:
		return "precies " + target
	case OpNe:
		return "niet " + target
	case OpLt:
		return "jonger dan " + target
	case OpLe:
		return "niet ouder dan " + target
	case OpGt:
		return "ouder dan " + target
	case OpGe:
		return "minstens " + target
	}
	return string(op) + " " + target
}

// yearsRelation says how a number of years since a date stands to a
// limit: "minder dan 5 jaar".
func yearsRelation(op Op, target string) string {
	switch op {
	case OpEq:
		return "precies " + target + " jaar"
	case OpNe:
		return "niet " + target + " jaar"
	case OpLt:
		return "minder dan " + target + " jaar"
	case OpLe:
		return "niet meer dan " + target + " jaar"
	case OpGt:
		return "meer dan " + target + " jaar"
	case OpGe:
		return "minstens " + target + " jaar"
	}
	return string(op) + " " + target
}

// isCode reports whether e compares a code fact.
func isCode(e *Explanation, v string) bool {
	if e.Op == OpIn || (e.Param != nil && e.Param.Kind == KindCode) {
		return true
	}
	if e.Param != nil || v == "yes" || v == "no" || strings.HasPrefix(v, "EUR ") || isDate(v) {
		return false
	}
	_, err := decimal.NewFromString(v)
	return err != nil
}

// codeClause explains a code comparison: "uw wagen in de LEZ ‘niet
// toegelaten’ is" or "… ‘toegelaten’ is (niet ‘niet toegelaten’)".
func (p *plainer) codeClause(subject string, op Op, f *FactUse, e *Explanation) string {
	var codes []string
	if e.Param != nil {
		codes = []string{quote(p.code(f.Name, e.Param.Value))}
	} else {
		for c := range strings.SplitSeq(e.Literal, ",") {
			codes = append(codes, quote(p.code(f.Name, strings.TrimSpace(c))))
		}
	}
	s := subject + " " + quote(p.code(f.Name, f.Value)) + " is"
	switch op {
	case OpEq, OpIn:
		return s
	}
	if len(codes) == 1 {
		return s + " (niet " + codes[0] + ")"
	}
	return s + " (geen van " + join(codes) + ")"
}

// code returns the Dutch words for a code of fact, or the code.
func (p *plainer) code(fact, c string) string {
	if w, ok := p.codes[fact+"."+c]; ok {
		return w
	}
	if w, ok := p.codes[c]; ok {
		return w
	}
	return c
}

func isDate(v string) bool {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return false
	}
	_, err := calendar.ParseDate(v)
	return err == nil
}

func euro(v string) string {
	d, err := decimal.NewFromString(v)
	if err != nil {
		return v
	}
	return nlfmt.Euro(d)
}

func number(v string) string {
	d, err := decimal.NewFromString(v)
	if err != nil {
		return v
	}
	return nlfmt.Decimal(d, -1)
}

// quote puts a label between Dutch single quotes.
func quote(s string) string { return "‘" + s + "’" }

// lower lowers the first letter of a label unless its first word has
// another capital: an abbreviation or a name ("LEZ", "UiTPAS", "OCMW").
func lower(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	word, _, _ := strings.Cut(s[n:], " ")
	if strings.IndexFunc(word, unicode.IsUpper) >= 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// join writes "a", "a en b", "a, b en c".
func join(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " en " + parts[len(parts)-1]
}
