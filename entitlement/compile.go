package entitlement

import (
	"fmt"
	"slices"

	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

type nodeKind uint8

const (
	nAll nodeKind = iota
	nAny
	nNot
	nRef
	nSomeMember
	nExcept // kids: the exceptions' conditions, then the general rule; lit: bit i set when exception i grants
	nFact
	nAge
)

type cmpOp uint8

const (
	cEq cmpOp = iota
	cNe
	cLt
	cLe
	cGt
	cGe
	cIn
)

var opCmp = map[Op]cmpOp{OpEq: cEq, OpNe: cNe, OpLt: cLt, OpLe: cLe, OpGt: cGt, OpGe: cGe, OpIn: cIn}

// node is a compiled condition: facts are slots, parameters are indices into
// the values resolved for the evaluation date, literals are encoded once.
type node struct {
	kind      nodeKind
	cmp       cmpOp
	household bool
	fact      FactID
	param     int32 // -1 when comparing with lit
	lit       int64
	set       []int64
	kids      []int32
	cond      *Condition
	def       *Definition
	exc       []Exception
}

type compiledBenefit struct {
	def    Benefit
	root   int32
	froot  int32   // root in the compact form (see fnode)
	fn     evalFn  // froot compiled into closures, for the hot path
	params []int32 // parameters the rule uses, checked once per evaluation date
}

// Ruleset is a policy compiled once: every name resolved, every type checked,
// every cycle refused. It is immutable and safe for concurrent use.
type Ruleset struct {
	schema     *Schema
	params     []*compiledParam
	paramIdx   map[string]int32
	nodes      []node
	benefits   []compiledBenefit
	benefitIdx map[string]int
	flat       flat
}

// Compile checks a policy and turns it into a Ruleset. Every problem found
// is reported at once, each under the JSON path of the offending field.
func Compile(p Policy) (*Ruleset, error) {
	// Text and dates first: a rule file is input like any other, and its
	// labels and dates end up in every grant's explanation.
	if err := validate.Input(p); err != nil {
		return nil, err
	}
	schema, err := NewSchema(p.Facts...)
	if err != nil {
		return nil, err
	}
	rs := &Ruleset{schema: schema, paramIdx: map[string]int32{}, benefitIdx: map[string]int{}}
	c := &compiler{rs: rs, defs: map[string]int{}, defRoot: map[string]int32{}, state: map[string]uint8{}, defPath: map[string]string{}}
	for i, prm := range p.Parameters {
		path := fmt.Sprintf("parameters[%d]", i)
		if _, dup := rs.paramIdx[prm.Name]; dup {
			c.add(path+".name", "unique", "parameter %q is declared twice", prm.Name)
			continue
		}
		rs.paramIdx[prm.Name] = int32(len(rs.params))
		rs.params = append(rs.params, compileParam(prm, path, &c.collector))
	}
	c.policy = &p
	for i, d := range p.Definitions {
		if _, dup := c.defs[d.Name]; dup || d.Name == "" {
			c.add(fmt.Sprintf("definitions[%d].name", i), "unique", "definition name %q is empty or declared twice", d.Name)
			continue
		}
		c.defs[d.Name] = i
		c.defPath[d.Name] = fmt.Sprintf("definitions[%d].condition", i)
	}
	for i := range p.Definitions {
		c.definition(p.Definitions[i].Name)
	}
	for i, b := range p.Benefits {
		path := fmt.Sprintf("benefits[%d]", i)
		if b.ID == "" {
			c.add(path+".id", "required", "a benefit needs an id")
		} else if _, dup := rs.benefitIdx[b.ID]; dup {
			c.add(path+".id", "unique", "benefit %q is declared twice", b.ID)
		}
		if b.Purpose == "" {
			c.add(path+".purpose", "required", "benefit %q needs its GDPR processing purpose", b.ID)
		}
		if b.LegalBasis.Decision == "" {
			c.add(path+".legal_basis.decision", "required", "benefit %q needs its legal basis", b.ID)
		}
		if b.NoticeDays < 0 {
			c.add(path+".notice_days", "gte", "notice period cannot be negative")
		}
		if b.NoticeDays > maxNoticeDays {
			c.add(path+".notice_days", "lte", "a notice period of more than %d days (a century) is a typing error", maxNoticeDays)
		}
		root := c.cond(&p.Benefits[i].Condition, path+".condition", false, 1)
		if len(b.Exceptions) > 0 {
			n := node{kind: nExcept, exc: b.Exceptions}
			for j := range b.Exceptions {
				e := &p.Benefits[i].Exceptions[j]
				ep := fmt.Sprintf("%s.exceptions[%d]", path, j)
				if e.Name == "" {
					c.add(ep+".name", "required", "an exception needs a name")
				}
				if e.Outcome == Undecided {
					c.add(ep+".outcome", "oneof", "an exception decides eligible or not_eligible")
				}
				if e.Outcome == Eligible && j < 63 {
					n.lit |= 1 << j
				}
				n.kids = append(n.kids, c.cond(&e.When, ep+".when", false, 1))
			}
			if len(b.Exceptions) > 63 {
				c.add(path+".exceptions", "max", "at most 63 exceptions per benefit")
			}
			n.kids = append(n.kids, root)
			root = c.emit(n)
		}
		rs.benefitIdx[b.ID] = len(rs.benefits)
		rs.benefits = append(rs.benefits, compiledBenefit{def: b, root: root})
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	for i := range rs.benefits {
		rs.benefits[i].froot = rs.flatten(&rs.flat, rs.benefits[i].root)
		rs.benefits[i].fn = rs.flat.compile(rs.benefits[i].froot)
		seen := map[int32]bool{}
		rs.walk(rs.benefits[i].root, func(n *node) {
			if n.param >= 0 && (n.kind == nFact || n.kind == nAge) && !seen[n.param] {
				seen[n.param] = true
				rs.benefits[i].params = append(rs.benefits[i].params, n.param)
			}
		})
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return rs, nil
}

// MustCompile is Compile for policies built in code, such as the shipped examples.
func MustCompile(p Policy) *Ruleset {
	rs, err := Compile(p)
	if err != nil {
		panic(err)
	}
	return rs
}

// Schema returns the fact schema subjects must be built with.
func (rs *Ruleset) Schema() *Schema { return rs.schema }

// Benefits returns the benefits in declaration order.
func (rs *Ruleset) Benefits() []Benefit {
	out := make([]Benefit, len(rs.benefits))
	for i, b := range rs.benefits {
		out[i] = b.def
	}
	return out
}

// Benefit returns the benefit with the given ID.
func (rs *Ruleset) Benefit(id string) (Benefit, bool) {
	i, ok := rs.benefitIdx[id]
	if !ok {
		return Benefit{}, false
	}
	return rs.benefits[i].def, true
}

type compiler struct {
	collector
	rs      *Ruleset
	policy  *Policy
	defs    map[string]int
	defPath map[string]string
	defRoot map[string]int32
	state   map[string]uint8 // 1 visiting, 2 done
	stack   []string
}

func (c *compiler) emit(n node) int32 {
	c.rs.nodes = append(c.rs.nodes, n)
	return int32(len(c.rs.nodes) - 1)
}

// definition compiles a named definition once; a definition met again while
// it is being compiled is a cycle.
func (c *compiler) definition(name string) (int32, bool) {
	switch c.state[name] {
	case 2:
		return c.defRoot[name], true
	case 1:
		cycle := append(slices.Clone(c.stack[slices.Index(c.stack, name):]), name)
		c.add(c.defPath[name], "cycle", "definitions refer to each other in a cycle: %v", cycle)
		return -1, false
	}
	c.state[name] = 1
	c.stack = append(c.stack, name)
	d := &c.policy.Definitions[c.defs[name]]
	kid := c.cond(&d.Condition, c.defPath[name], false, 1)
	c.stack = c.stack[:len(c.stack)-1]
	root := c.emit(node{kind: nRef, kids: []int32{kid}, def: d, cond: &d.Condition})
	c.state[name] = 2
	c.defRoot[name] = root
	return root, true
}

// maxNoticeDays bounds a benefit's notice period, so the end of a grant
// stays a date every store can keep.
const maxNoticeDays = 36500

// maxConditionDepth bounds how deeply conditions nest. Rules a council
// writes stay within a dozen levels; the bound keeps compiling, evaluating
// and explaining a hostile rule file linear in its size.
const maxConditionDepth = 100

func (c *compiler) cond(cd *Condition, path string, inMember bool, depth int) int32 {
	if depth > maxConditionDepth {
		c.add(path, "depth", "conditions nest deeper than %d levels", maxConditionDepth)
		return -1
	}
	forms := 0
	for _, used := range []bool{len(cd.All) > 0, len(cd.Any) > 0, cd.Not != nil, cd.Ref != "", cd.SomeMember != nil, cd.Fact != "", cd.AgeOf != ""} {
		if used {
			forms++
		}
	}
	if forms != 1 {
		c.add(path, "oneof", "a condition needs exactly one of all, any, not, ref, some_member, fact or age_of (found %d)", forms)
		return -1
	}
	switch {
	case len(cd.All) > 0 || len(cd.Any) > 0:
		kind, list, key := nAll, cd.All, "all"
		if len(cd.Any) > 0 {
			kind, list, key = nAny, cd.Any, "any"
		}
		kids := make([]int32, len(list))
		for i := range list {
			kids[i] = c.cond(&list[i], fmt.Sprintf("%s.%s[%d]", path, key, i), inMember, depth+1)
		}
		return c.emit(node{kind: kind, kids: kids, cond: cd})
	case cd.Not != nil:
		kid := c.cond(cd.Not, path+".not", inMember, depth+1)
		return c.emit(node{kind: nNot, kids: []int32{kid}, cond: cd})
	case cd.Ref != "":
		if _, ok := c.defs[cd.Ref]; !ok {
			c.add(path+".ref", "exists", "no definition named %q", cd.Ref)
			return -1
		}
		root, _ := c.definition(cd.Ref)
		return root
	case cd.SomeMember != nil:
		if inMember {
			c.add(path+".some_member", "nesting", "some_member cannot be nested in some_member")
		}
		kid := c.cond(cd.SomeMember, path+".some_member", true, depth+1)
		return c.emit(node{kind: nSomeMember, kids: []int32{kid}, cond: cd})
	}
	return c.compare(cd, path)
}

func (c *compiler) compare(cd *Condition, path string) int32 {
	name, field := cd.Fact, "fact"
	if cd.AgeOf != "" {
		name, field = cd.AgeOf, "age_of"
	}
	id, ok := c.rs.schema.ID(name)
	if !ok {
		c.add(path+"."+field, "exists", "unknown fact %q", name)
		return -1
	}
	def := c.rs.schema.Def(id)
	n := node{kind: nFact, fact: id, param: -1, household: def.Scope == ScopeHousehold, cond: cd}
	want := def.Kind
	if cd.AgeOf != "" {
		n.kind = nAge
		want = KindNumber
		if def.Kind != KindDate {
			c.add(path+".age_of", "kind", "age_of needs a date fact, %q is a %s", name, def.Kind)
			return -1
		}
	}
	op := cd.Op
	if op == "" && def.Kind == KindBool && cd.AgeOf == "" && cd.Param == "" && cd.Value == "" {
		n.lit, n.cmp = 1, cEq
		return c.emit(n)
	}
	cmp, ok := opCmp[op]
	if !ok {
		c.add(path+".op", "oneof", "op %q is not one of eq, ne, lt, le, gt, ge, in", op)
		return -1
	}
	n.cmp = cmp
	if (want == KindBool || want == KindCode) && cmp >= cLt && cmp <= cGe {
		c.add(path+".op", "kind", "%s facts can only be compared with eq, ne or in, not %s", want, op)
		return -1
	}
	if cmp == cIn {
		if want != KindCode || len(cd.Values) == 0 {
			c.add(path+".values", "kind", "in needs a code fact and a list of values")
			return -1
		}
		for i, v := range cd.Values {
			raw, ok := c.rs.schema.Code(id, v)
			if !ok {
				c.add(fmt.Sprintf("%s.values[%d]", path, i), "oneof", "%q is not a code of %q (codes: %v)", v, name, def.Codes)
			}
			n.set = append(n.set, raw)
		}
		return c.emit(n)
	}
	switch {
	case cd.Param != "" && cd.Value != "":
		c.add(path, "oneof", "compare with a param or a value, not both")
	case cd.Param != "":
		pi, ok := c.rs.paramIdx[cd.Param]
		if !ok {
			c.add(path+".param", "exists", "unknown parameter %q", cd.Param)
			return -1
		}
		if pk := c.rs.params[pi].def.Kind; pk != want {
			c.add(path+".param", "kind", "cannot compare %s %q with %s parameter %q", want, name, pk, cd.Param)
			return -1
		}
		n.param = pi
	case cd.Value != "":
		_, raw, err := parseLiteral(want, cd.Value, c.rs.schema.codes[id])
		if err != nil {
			c.add(path+".value", "kind", "%v (comparing with %s %q)", err, want, name)
			return -1
		}
		n.lit = raw
	default:
		c.add(path, "required", "comparison of %q needs a param or a value", name)
		return -1
	}
	return c.emit(n)
}

func (rs *Ruleset) walk(i int32, fn func(*node)) {
	n := &rs.nodes[i]
	fn(n)
	for _, k := range n.kids {
		rs.walk(k, fn)
	}
}
