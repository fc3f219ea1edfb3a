package entitlement

import (
	"fmt"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// Truth is the three-valued result of a condition.
type Truth uint8

// The values of a condition: missing facts give Unknown, never False.
const (
	False Truth = iota
	True
	Unknown
)

var truthNames = [...]string{"false", "true", "unknown"}

// String returns false, true or unknown.
func (t Truth) String() string { return truthNames[t] }

// MarshalText writes the truth value's name.
func (t Truth) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads a truth value's name.
func (t *Truth) UnmarshalText(b []byte) error {
	for i, n := range truthNames {
		if n == string(b) {
			*t = Truth(i)
			return nil
		}
	}
	return fmt.Errorf("unknown truth value %q", b)
}

// Outcome is the result of assessing one subject for one benefit.
type Outcome uint8

// The outcomes of an assessment.
const (
	NotEligible Outcome = iota // the subject does not qualify ("geen recht")
	Eligible                   // the subject qualifies ("recht")
	Undecided                  // facts are missing, so nothing can be decided ("onbekend")
)

var outcomeNames = [...]string{"not_eligible", "eligible", "unknown"}

// String returns eligible, not_eligible or unknown.
func (o Outcome) String() string { return outcomeNames[o] }

// MarshalText writes the outcome's name.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText reads an outcome's name.
func (o *Outcome) UnmarshalText(b []byte) error {
	for i, n := range outcomeNames {
		if n == string(b) {
			*o = Outcome(i)
			return nil
		}
	}
	return fmt.Errorf("unknown outcome %q (want eligible, not_eligible or unknown)", b)
}

func outcomeOf(t Truth) Outcome {
	switch t {
	case True:
		return Eligible
	case False:
		return NotEligible
	}
	return Undecided
}

// Prepared is a ruleset with its parameters resolved for one evaluation
// date, so a batch looks each parameter up once instead of once per subject.
type Prepared struct {
	rs     *Ruleset
	date   calendar.Date
	dkey   int64
	dkey32 int32
	pval   []int64
	pidx   []int
	bErr   []error
}

// At resolves the parameters for date. A benefit using a parameter that has
// no value on date fails with an *OutsidePeriodError when evaluated; every
// benefit fails with a *ValidationError when date is not set or lies
// outside the years calendar.MinYear to calendar.MaxYear.
func (rs *Ruleset) At(date calendar.Date) *Prepared {
	p := &Prepared{rs: rs, date: date, dkey: dateKey(date), dkey32: int32(dateKey(date)), pval: make([]int64, len(rs.params)), pidx: make([]int, len(rs.params)), bErr: make([]error, len(rs.benefits))}
	if err := checkDate("date", date); err != nil {
		for i := range p.bErr {
			p.bErr[i] = err
		}
		return p
	}
	for i, cp := range rs.params {
		p.pidx[i] = cp.at(p.dkey)
		if p.pidx[i] >= 0 {
			p.pval[i] = cp.raw[p.pidx[i]]
		}
	}
	for i, b := range rs.benefits {
		for _, pi := range b.params {
			if p.pidx[pi] < 0 {
				p.bErr[i] = &OutsidePeriodError{Parameter: rs.params[pi].def.Name, Date: date}
				break
			}
		}
	}
	return p
}

// Date returns the evaluation date.
func (p *Prepared) Date() calendar.Date { return p.date }

// Outcomes assesses the subject for every benefit, out[i] for the benefit
// at index i; it checks the subject once and does not allocate. A benefit
// that cannot be assessed on the date gets Undecided and its error in errs
// (when errs is not nil).
func (p *Prepared) Outcomes(s *Subject, out []Outcome, errs []error) error {
	if err := p.checkSubject(s); err != nil {
		return err
	}
	for b := range p.rs.benefits {
		if err := p.bErr[b]; err != nil {
			out[b] = Undecided
			if errs != nil {
				errs[b] = err
			}
			continue
		}
		out[b] = outcomeOf(p.rs.benefits[b].fn(p, s, &s.Person))
	}
	return nil
}

// Outcome assesses the subject for the benefit at index b (the order of
// Ruleset.Benefits) without building an explanation; it does not allocate.
func (p *Prepared) Outcome(s *Subject, b int) (Outcome, error) {
	if err := p.check(s, b); err != nil {
		return Undecided, err
	}
	return outcomeOf(p.rs.benefits[b].fn(p, s, &s.Person)), nil
}

func (p *Prepared) check(s *Subject, b int) error {
	if err := p.bErr[b]; err != nil {
		return err
	}
	return p.checkSubject(s)
}

func (p *Prepared) checkSubject(s *Subject) error {
	if s.schema != p.rs.schema {
		return fmt.Errorf("%w: subject %s was built for another schema", ErrValidation, maskedID(s.ID))
	}
	if s.conflicts > 0 {
		return s.contradiction()
	}
	return nil
}

func (p *Prepared) eval(i int32, s *Subject, f *Facts) Truth {
	n := &p.rs.nodes[i]
	switch n.kind {
	case nAll:
		r := True
		for _, k := range n.kids {
			switch p.eval(k, s, f) {
			case False:
				return False
			case Unknown:
				r = Unknown
			}
		}
		return r
	case nAny:
		r := False
		for _, k := range n.kids {
			switch p.eval(k, s, f) {
			case True:
				return True
			case Unknown:
				r = Unknown
			}
		}
		return r
	case nNot:
		switch p.eval(n.kids[0], s, f) {
		case True:
			return False
		case False:
			return True
		}
		return Unknown
	case nRef:
		return p.eval(n.kids[0], s, f)
	case nExcept:
		return except(len(n.kids)-1, n.lit, func(k int) Truth { return p.eval(n.kids[k], s, f) })
	case nSomeMember:
		r := p.eval(n.kids[0], s, &s.Person)
		if r == True {
			return True
		}
		for m := range s.nMembers {
			switch p.eval(n.kids[0], s, &s.Members[m]) {
			case True:
				return True
			case Unknown:
				r = Unknown
			}
		}
		return r
	}
	v, ok := p.value(n, s, f)
	if !ok {
		return Unknown
	}
	if p.compare(n, v) {
		return True
	}
	return False
}

// value reads the fact a comparison needs; a fact that is absent or not
// valid on the evaluation date is unknown.
func (p *Prepared) value(n *node, s *Subject, f *Facts) (int64, bool) {
	if n.household {
		f = &s.Household
	}
	sl := &f.slots[n.fact]
	if sl.from > p.dkey32 || sl.until < p.dkey32 { // unknown facts have until 0
		return 0, false
	}
	v := sl.val
	if n.kind == nAge {
		v = (p.dkey - v) / 10000 * scale
	}
	return v, true
}

func (p *Prepared) compare(n *node, v int64) bool {
	w := n.lit
	if n.param >= 0 {
		w = p.pval[n.param]
	}
	switch n.cmp {
	case cEq:
		return v == w
	case cNe:
		return v != w
	case cLt:
		return v < w
	case cLe:
		return v <= w
	case cGt:
		return v > w
	case cGe:
		return v >= w
	case cIn:
		for _, x := range n.set {
			if x == v {
				return true
			}
		}
	}
	return false
}

// AppendMissing appends to dst the names of the facts whose absence made
// the assessment of benefit b unknown (only those that matter), reusing dst.
func (p *Prepared) AppendMissing(dst []string, s *Subject, b int) []string {
	return p.missing(dst, p.rs.benefits[b].root, s, &s.Person)
}

func (p *Prepared) missing(dst []string, i int32, s *Subject, f *Facts) []string {
	if p.eval(i, s, f) != Unknown {
		return dst
	}
	n := &p.rs.nodes[i]
	switch n.kind {
	case nFact, nAge:
		name := p.rs.schema.defs[n.fact].Name
		if f != &s.Person && !n.household {
			name = "member." + name
		}
		for _, d := range dst {
			if d == name {
				return dst
			}
		}
		return append(dst, name)
	case nSomeMember:
		dst = p.missing(dst, n.kids[0], s, &s.Person)
		for m := range s.nMembers {
			dst = p.missing(dst, n.kids[0], s, &s.Members[m])
		}
		return dst
	}
	for _, k := range n.kids {
		dst = p.missing(dst, k, s, f)
	}
	return dst
}

// except combines exceptions (default logic): the first exception that holds
// decides; one that is unknown makes the outcome unknown unless all the
// outcomes still possible agree. Exception k grants when bit k of grants is set;
// cond(k) evaluates exception k, and cond(n) the general rule.
func except(n int, grants int64, cond func(k int) Truth) Truth {
	var seenTrue, seenFalse bool
	add := func(t Truth) {
		switch t {
		case True:
			seenTrue = true
		case False:
			seenFalse = true
		default:
			seenTrue, seenFalse = true, true
		}
	}
	for k := range n {
		out := False
		if grants&(1<<k) != 0 {
			out = True
		}
		switch cond(k) {
		case True:
			add(out)
			return verdict(seenTrue, seenFalse)
		case Unknown:
			add(out)
		}
	}
	add(cond(n))
	return verdict(seenTrue, seenFalse)
}

func verdict(t, f bool) Truth {
	switch {
	case t && f:
		return Unknown
	case t:
		return True
	}
	return False
}
