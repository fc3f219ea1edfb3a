package entitlement

// fnode is the compact form of a condition for the hot path: 32 bytes, no
// pointers, children and code sets in shared flat arrays, definition nodes
// skipped. A rule's nodes then sit in a few cache lines.
type fnode struct {
	kind      nodeKind
	cmp       cmpOp
	household bool
	fact      int32
	param     int32
	first     int32 // first child in fkids, or first code in fset
	n         int32 // number of children or codes
	lit       int64
}

type flat struct {
	nodes []fnode
	kids  []int32
	set   []int64
}

// flatten appends the compact form of node i (and its subtree) and returns its index.
func (rs *Ruleset) flatten(fl *flat, i int32) int32 {
	n := &rs.nodes[i]
	for n.kind == nRef {
		n = &rs.nodes[n.kids[0]]
	}
	f := fnode{kind: n.kind, cmp: n.cmp, household: n.household, fact: int32(n.fact), param: n.param, lit: n.lit}
	if len(n.set) > 0 {
		f.first, f.n = int32(len(fl.set)), int32(len(n.set))
		fl.set = append(fl.set, n.set...)
	}
	kids := make([]int32, len(n.kids))
	for j, k := range n.kids {
		kids[j] = rs.flatten(fl, k)
	}
	if len(kids) > 0 {
		f.first, f.n = int32(len(fl.kids)), int32(len(kids))
		fl.kids = append(fl.kids, kids...)
	}
	fl.nodes = append(fl.nodes, f)
	return int32(len(fl.nodes) - 1)
}

// evalFn is a condition compiled into closures over the compact nodes: the
// hot path then makes direct calls, with each leaf's fact slot, operator
// and operand fixed, instead of switching on node kinds at every step.
type evalFn func(p *Prepared, s *Subject, f *Facts) Truth

func (fl *flat) compile(i int32) evalFn {
	n := fl.nodes[i]
	kids := make([]evalFn, 0, n.n)
	if n.kind <= nExcept && n.kind != nRef {
		for _, k := range fl.kids[n.first : n.first+n.n] {
			kids = append(kids, fl.compile(k))
		}
	}
	switch n.kind {
	case nAll:
		return func(p *Prepared, s *Subject, f *Facts) Truth {
			r := True
			for _, k := range kids {
				switch k(p, s, f) {
				case False:
					return False
				case Unknown:
					r = Unknown
				}
			}
			return r
		}
	case nAny:
		return func(p *Prepared, s *Subject, f *Facts) Truth {
			r := False
			for _, k := range kids {
				switch k(p, s, f) {
				case True:
					return True
				case Unknown:
					r = Unknown
				}
			}
			return r
		}
	case nNot:
		k := kids[0]
		return func(p *Prepared, s *Subject, f *Facts) Truth {
			switch k(p, s, f) {
			case True:
				return False
			case False:
				return True
			}
			return Unknown
		}
	case nExcept:
		grants := n.lit
		return func(p *Prepared, s *Subject, f *Facts) Truth {
			return except(len(kids)-1, grants, func(k int) Truth { return kids[k](p, s, f) })
		}
	case nSomeMember:
		k := kids[0]
		return func(p *Prepared, s *Subject, f *Facts) Truth {
			r := k(p, s, &s.Person)
			if r == True {
				return True
			}
			for m := range s.nMembers {
				switch k(p, s, &s.Members[m]) {
				case True:
					return True
				case Unknown:
					r = Unknown
				}
			}
			return r
		}
	}
	return fl.compileLeaf(n)
}

// compileLeaf compiles a comparison of a fact (or an age) with a parameter or a literal.
func (fl *flat) compileLeaf(n fnode) evalFn {
	fact, household, param, lit, age := n.fact, n.household, n.param, n.lit, n.kind == nAge
	set := fl.set[n.first : n.first+n.n]
	cmp := n.cmp
	if n.kind != nFact && !age {
		panic("entitlement: unknown node kind") // compile rejects every other kind before this
	}
	if !age && param < 0 && cmp == cEq && !household {
		// The common leaf, a person's fact equal to a constant (most often a
		// yes/no fact), gets a closure of its own.
		return func(p *Prepared, s *Subject, f *Facts) Truth {
			sl := &f.slots[fact]
			if sl.from > p.dkey32 || sl.until < p.dkey32 {
				return Unknown
			}
			if sl.val == lit {
				return True
			}
			return False
		}
	}
	return func(p *Prepared, s *Subject, f *Facts) Truth {
		if household {
			f = &s.Household
		}
		sl := &f.slots[fact]
		if sl.from > p.dkey32 || sl.until < p.dkey32 { // unknown facts have until 0
			return Unknown
		}
		v := sl.val
		if age {
			v = (p.dkey - v) / 10000 * scale
		}
		w := lit
		if param >= 0 {
			w = p.pval[param]
		}
		var ok bool
		switch cmp {
		case cEq:
			ok = v == w
		case cNe:
			ok = v != w
		case cLt:
			ok = v < w
		case cLe:
			ok = v <= w
		case cGt:
			ok = v > w
		case cGe:
			ok = v >= w
		case cIn:
			for _, x := range set {
				if x == v {
					ok = true
					break
				}
			}
		}
		if ok {
			return True
		}
		return False
	}
}
