package entitlement

import (
	"fmt"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// Explanation is one node of the reasoning behind an outcome ("motivering"):
// which condition held or failed, with the fact values, where they came
// from, and the parameter versions used. It is kept with a grant as its
// snapshot, so it is plain data.
type Explanation struct {
	Truth    Truth          `json:"truth"`
	Kind     string         `json:"kind"` // all, any, not, definition, some_member, member, fact, age
	Name     string         `json:"name,omitempty"`
	LabelNL  string         `json:"label_nl,omitempty"`
	LabelEN  string         `json:"label_en,omitempty"`
	Who      string         `json:"who,omitempty"` // person, household, member 2 ...
	Fact     *FactUse       `json:"fact,omitempty"`
	Op       Op             `json:"op,omitempty"`
	Age      *int64         `json:"age,omitempty"`
	Param    *ParamUse      `json:"param,omitempty"`
	Literal  string         `json:"literal,omitempty"`
	Children []*Explanation `json:"children,omitempty"`
}

// FactUse is a fact as the evaluation saw it.
type FactUse struct {
	Name       string      `json:"name"`
	Known      bool        `json:"known"`
	Stale      bool        `json:"stale,omitempty"` // known but not valid on the evaluation date
	Value      string      `json:"value,omitempty"`
	Provenance *Provenance `json:"provenance,omitempty"`
}

// Result is the assessment of one subject for one benefit on one date.
type Result struct {
	SubjectID   string        `json:"subject_id"`
	Benefit     string        `json:"benefit"`
	Date        calendar.Date `json:"date,omitzero"`
	Outcome     Outcome       `json:"outcome"`
	Missing     []string      `json:"missing,omitempty"`
	Parameters  []ParamUse    `json:"parameters,omitempty"`
	Explanation *Explanation  `json:"explanation"`
	Basis       LegalBasis    `json:"legal_basis"`
	NameNL      string        `json:"name_nl"`
	NameEN      string        `json:"name_en"`
}

// Evaluate assesses the subject for the benefit on date and explains why.
func (rs *Ruleset) Evaluate(s *Subject, benefit string, date calendar.Date) (Result, error) {
	b, ok := rs.benefitIdx[benefit]
	if !ok {
		return Result{}, fmt.Errorf("%w: %q", ErrUnknownBenefit, benefit)
	}
	return rs.At(date).Explain(s, b)
}

// Explain assesses the subject for the benefit at index b with a full explanation.
func (p *Prepared) Explain(s *Subject, b int) (Result, error) {
	if err := p.check(s, b); err != nil {
		return Result{}, err
	}
	cb := &p.rs.benefits[b]
	r := Result{SubjectID: s.ID, Benefit: cb.def.ID, Date: p.date, Basis: cb.def.LegalBasis, NameNL: cb.def.NameNL, NameEN: cb.def.NameEN}
	r.Explanation = p.explain(cb.root, s, &s.Person, "person")
	r.Outcome = outcomeOf(r.Explanation.Truth)
	if r.Outcome == Undecided {
		r.Missing = p.AppendMissing(nil, s, b)
	}
	for _, pi := range cb.params {
		r.Parameters = append(r.Parameters, p.paramUse(pi))
	}
	return r, nil
}

func (p *Prepared) paramUse(pi int32) ParamUse {
	cp := p.rs.params[pi]
	v := cp.def.Values[p.pidx[pi]]
	return ParamUse{Name: cp.def.Name, Kind: cp.def.Kind, LabelNL: cp.def.LabelNL, LabelEN: cp.def.LabelEN, Value: v.Value, From: v.From, Until: v.Until, Basis: v.Basis}
}

func (p *Prepared) explain(i int32, s *Subject, f *Facts, who string) *Explanation {
	n := &p.rs.nodes[i]
	e := &Explanation{Truth: p.eval(i, s, f)}
	switch n.kind {
	case nAll, nAny, nNot:
		e.Kind = map[nodeKind]string{nAll: "all", nAny: "any", nNot: "not"}[n.kind]
		for _, k := range n.kids {
			e.Children = append(e.Children, p.explain(k, s, f, who))
		}
	case nExcept:
		e.Kind = "exceptions"
		for k, ex := range n.exc {
			c := &Explanation{Kind: "exception", Name: ex.Name, LabelNL: ex.LabelNL, LabelEN: ex.LabelEN,
				Truth: p.eval(n.kids[k], s, f), Literal: ex.Outcome.String(), Children: []*Explanation{p.explain(n.kids[k], s, f, who)}}
			e.Children = append(e.Children, c)
		}
		e.Children = append(e.Children, &Explanation{Kind: "general_rule", Truth: p.eval(n.kids[len(n.exc)], s, f),
			Children: []*Explanation{p.explain(n.kids[len(n.exc)], s, f, who)}})
	case nRef:
		e.Kind, e.Name, e.LabelNL, e.LabelEN = "definition", n.def.Name, n.def.LabelNL, n.def.LabelEN
		e.Children = []*Explanation{p.explain(n.kids[0], s, f, who)}
	case nSomeMember:
		e.Kind = "some_member"
		e.Children = append(e.Children, &Explanation{Truth: p.eval(n.kids[0], s, &s.Person), Kind: "member", Who: "person",
			Children: []*Explanation{p.explain(n.kids[0], s, &s.Person, "person")}})
		for m := range s.nMembers {
			w := fmt.Sprintf("member %d", m+1)
			e.Children = append(e.Children, &Explanation{Truth: p.eval(n.kids[0], s, &s.Members[m]), Kind: "member", Who: w,
				Children: []*Explanation{p.explain(n.kids[0], s, &s.Members[m], w)}})
		}
	default:
		p.explainLeaf(e, n, s, f, who)
	}
	return e
}

func (p *Prepared) explainLeaf(e *Explanation, n *node, s *Subject, f *Facts, who string) {
	def := p.rs.schema.defs[n.fact]
	e.Kind, e.Name, e.LabelNL, e.LabelEN, e.Who = "fact", def.Name, def.LabelNL, def.LabelEN, who
	if n.kind == nAge {
		e.Kind = "age"
	}
	src := f
	if n.household {
		src, e.Who = &s.Household, "household"
	}
	sl := src.slots[n.fact]
	fu := &FactUse{Name: def.Name, Known: sl.until != 0}
	if fu.Known {
		fu.Value = decode(def, sl.val).String()
		if pp := src.prov[n.fact]; pp != nil {
			prov := *pp
			fu.Provenance = &prov
		}
		fu.Stale = sl.from > p.dkey32 || sl.until < p.dkey32
		if v, ok := p.value(n, s, f); ok && n.kind == nAge {
			age := v / scale
			e.Age = &age
		}
	}
	e.Fact = fu
	e.Op = n.cond.Op
	if e.Op == "" {
		e.Op = OpEq
	}
	switch {
	case n.param >= 0:
		u := p.paramUse(n.param)
		e.Param = &u
	case n.cmp == cIn:
		e.Literal = strings.Join(n.cond.Values, ", ")
	case n.cond.Value != "":
		e.Literal = n.cond.Value
	default:
		e.Literal = "true"
	}
}
