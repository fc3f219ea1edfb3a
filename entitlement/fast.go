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

func (p *Prepared) run(i int32, s *Subject, f *Facts) Truth {
	fl := &p.rs.flat
	n := &fl.nodes[i]
	switch n.kind {
	case nAll:
		r := True
		for _, k := range fl.kids[n.first : n.first+n.n] {
			switch p.run(k, s, f) {
			case False:
				return False
			case Unknown:
				r = Unknown
			}
		}
		return r
	case nAny:
		r := False
		for _, k := range fl.kids[n.first : n.first+n.n] {
			switch p.run(k, s, f) {
			case True:
				return True
			case Unknown:
				r = Unknown
			}
		}
		return r
	case nNot:
		switch p.run(fl.kids[n.first], s, f) {
		case True:
			return False
		case False:
			return True
		}
		return Unknown
	case nExcept:
		kids := fl.kids[n.first : n.first+n.n]
		return except(len(kids)-1, n.lit, func(k int) Truth { return p.run(kids[k], s, f) })
	case nSomeMember:
		k := fl.kids[n.first]
		r := p.run(k, s, &s.Person)
		if r == True {
			return True
		}
		for m := range s.nMembers {
			switch p.run(k, s, &s.Members[m]) {
			case True:
				return True
			case Unknown:
				r = Unknown
			}
		}
		return r
	}
	if n.household {
		f = &s.Household
	}
	sl := &f.slots[n.fact]
	if sl.from > p.dkey32 || sl.until < p.dkey32 { // unknown facts have until 0
		return Unknown
	}
	v := sl.val
	if n.kind == nAge {
		v = (p.dkey - v) / 10000 * scale
	}
	w := n.lit
	if n.param >= 0 {
		w = p.pval[n.param]
	}
	var ok bool
	switch n.cmp {
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
		for _, x := range fl.set[n.first : n.first+n.n] {
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
