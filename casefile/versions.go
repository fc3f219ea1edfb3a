package casefile

import (
	"fmt"
	"slices"
)

// register adds ct to the service's case types: every version is kept, and
// the highest version of a code is the one new cases get.
func (s *Service) register(ct *CaseType) error {
	vs := s.versions[ct.Code]
	i, found := slices.BinarySearchFunc(vs, ct.Version, func(x *CaseType, v int) int { return x.Version - v })
	if found {
		return fmt.Errorf("case type %q version %d is given twice", ct.Code, ct.Version)
	}
	vs = slices.Insert(vs, i, ct)
	s.versions[ct.Code] = vs
	s.types[ct.Code] = vs[len(vs)-1]
	return nil
}

// CaseTypeVersion returns version v of the case type with code: the rules
// a case created with that version keeps.
func (s *Service) CaseTypeVersion(code string, v int) (*CaseType, bool) {
	vs := s.versions[code]
	i, found := slices.BinarySearchFunc(vs, v, func(x *CaseType, v int) int { return x.Version - v })
	if !found {
		return nil, false
	}
	return vs[i], true
}

// CaseTypeVersions returns every version of the case type with code,
// lowest first; the last is the one new cases get.
func (s *Service) CaseTypeVersions(code string) []*CaseType {
	return slices.Clone(s.versions[code])
}

// CaseTypeOf returns the case type version c was created with.
func (s *Service) CaseTypeOf(c *Case) (*CaseType, error) { return s.typeOf(c) }
