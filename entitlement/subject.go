package entitlement

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Schema is the compiled catalogue of facts: every fact has a fixed slot, so
// a subject is a handful of flat slices and a rule reads a fact by index.
type Schema struct {
	defs   []FactDef
	byName map[string]FactID
	codes  []map[string]int64
}

// NewSchema checks the fact declarations and assigns each a slot.
func NewSchema(defs ...FactDef) (*Schema, error) {
	s := &Schema{byName: make(map[string]FactID, len(defs)), codes: make([]map[string]int64, len(defs))}
	var c collector
	for i, d := range defs {
		path := fmt.Sprintf("facts[%d]", i)
		if d.Name == "" {
			c.add(path+".name", "required", "a fact needs a name")
			continue
		}
		if _, dup := s.byName[d.Name]; dup {
			c.add(path+".name", "unique", "fact %q is declared twice", d.Name)
			continue
		}
		if d.Kind == KindInvalid || d.Kind > KindCode {
			c.add(path+".kind", "oneof", "fact %q needs a kind (bool, number, money, date or code)", d.Name)
		}
		if d.Scope > ScopeHousehold {
			c.add(path+".scope", "oneof", "fact %q needs scope person or household", d.Name)
		}
		if d.Kind == KindCode {
			if len(d.Codes) == 0 {
				c.add(path+".codes", "required", "code fact %q needs its list of codes", d.Name)
			}
			m := make(map[string]int64, len(d.Codes))
			for j, code := range d.Codes {
				if _, dup := m[code]; dup {
					c.add(fmt.Sprintf("%s.codes[%d]", path, j), "unique", "code %q is listed twice", code)
				}
				m[code] = int64(j)
			}
			s.codes[i] = m
		}
		s.byName[d.Name] = FactID(len(s.defs))
		s.defs = append(s.defs, d)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// Len returns the number of facts in the schema.
func (s *Schema) Len() int { return len(s.defs) }

// ID returns the slot of the named fact.
func (s *Schema) ID(name string) (FactID, bool) {
	id, ok := s.byName[name]
	return id, ok
}

// MustID returns the slot of the named fact and panics if there is none; it
// is meant for wiring code whose fact names are constants.
func (s *Schema) MustID(name string) FactID {
	id, ok := s.byName[name]
	if !ok {
		panic("entitlement: unknown fact " + name)
	}
	return id
}

// Def returns the declaration of a fact.
func (s *Schema) Def(id FactID) FactDef { return s.defs[id] }

// Code returns the index of a code of a code fact.
func (s *Schema) Code(id FactID, code string) (int64, bool) {
	v, ok := s.codes[id][code]
	return v, ok
}

// NewSubject returns an empty subject: every fact unknown.
func (s *Schema) NewSubject(id string) *Subject {
	// Person and household slots share one array so an evaluation reads
	// adjacent memory.
	n := len(s.defs)
	slots := make([]slot, 2*n)
	prov := make([]*Provenance, 2*n)
	sub := &Subject{ID: id, schema: s,
		Person:    Facts{slots: slots[:n:n], prov: prov[:n:n]},
		Household: Facts{slots: slots[n:], prov: prov[n:]}}
	sub.Person.conflicts, sub.Household.conflicts = &sub.conflicts, &sub.conflicts
	return sub
}

func (s *Schema) newFacts() Facts {
	n := len(s.defs)
	return Facts{
		slots: make([]slot, n), prov: make([]*Provenance, n),
	}
}

// Facts holds one person's or one household's facts in fixed slots.
type Facts struct {
	slots     []slot
	prov      []*Provenance // shared and never modified: copying a subject copies pointers only
	conflicts *int          // the subject's count, so one check covers every member
	conflict  []conflict
}

// slot is one fact: value, validity and presence side by side, so reading
// a fact touches one cache line.
//
// A fact is known when until is not zero: known facts run until a date or
// openEnd, so "known and valid on d" is the single test from <= d <= until.
type slot struct {
	val         int64
	from, until int32
}

type conflict struct {
	id             FactID
	old, new       int64
	oldSrc, newSrc string
}

// Subject is the person a right is assessed for ("rechthebbende"), with the
// facts of their household and of the other members of it.
type Subject struct {
	ID        string
	Person    Facts
	Household Facts
	Members   []Facts
	schema    *Schema
	nMembers  int
	conflicts int
}

// Schema returns the schema the subject was made for.
func (s *Subject) Schema() *Schema { return s.schema }

// Reset forgets every fact and member so the subject can be reused.
func (s *Subject) Reset(id string) {
	s.ID = id
	s.Person.reset()
	s.Household.reset()
	s.nMembers = 0
	s.conflicts = 0
}

// AddMember adds another member of the household and returns their facts.
// Member buffers are reused after Reset, so a generator that refills one
// subject does not allocate.
func (s *Subject) AddMember() *Facts {
	if s.nMembers == len(s.Members) {
		f := s.schema.newFacts()
		f.conflicts = &s.conflicts
		s.Members = append(s.Members, f)
	} else {
		s.Members[s.nMembers].reset()
	}
	s.nMembers++
	return &s.Members[s.nMembers-1]
}

// HouseholdMembers returns the facts of the other members of the household.
func (s *Subject) HouseholdMembers() []Facts { return s.Members[:s.nMembers] }

func (f *Facts) reset() {
	clear(f.slots)
	clear(f.prov)
	f.conflict = f.conflict[:0]
}

// Set records a fact for the person (person-scope facts) or the household
// (household-scope facts).
func (s *Subject) Set(name string, v Value, p Provenance) error {
	id, ok := s.schema.byName[name]
	if !ok {
		return fmt.Errorf("%w: unknown fact %q", ErrUnknownFact, name)
	}
	if s.schema.defs[id].Scope == ScopeHousehold {
		return s.Household.set(s.schema, id, v, p)
	}
	return s.Person.set(s.schema, id, v, p)
}

// SetMember records a person-scope fact for a member returned by AddMember.
func (s *Subject) SetMember(m *Facts, name string, v Value, p Provenance) error {
	id, ok := s.schema.byName[name]
	if !ok {
		return fmt.Errorf("%w: unknown fact %q", ErrUnknownFact, name)
	}
	if s.schema.defs[id].Scope == ScopeHousehold {
		return fmt.Errorf("%w: %q is a household fact, not a member's", ErrValidation, name)
	}
	return m.set(s.schema, id, v, p)
}

func (f *Facts) set(sc *Schema, id FactID, v Value, p Provenance) error {
	def := sc.defs[id]
	if err := validate.Input(p); err != nil {
		return fmt.Errorf("fact %q: provenance: %w", def.Name, err)
	}
	raw, err := v.raw(sc, id)
	if err != nil {
		return fmt.Errorf("%w: fact %q: %v", ErrValidation, def.Name, err)
	}
	f.SetRaw(id, raw, &p)
	return nil
}

// SetRaw stores an already encoded value (bool 0/1, number and money in
// 1/10000, date as yyyymmdd, code as its index). It is the allocation-free
// door for generators and fact sources that fill millions of subjects: the
// provenance is kept by pointer, so share one per source and batch and do
// not modify it afterwards. Unlike Set it checks nothing: Service.Run
// reports a subject faulty rather than grant it with a provenance whose
// text or dates no store should keep. A second, different value for a fact
// already known is recorded as a contradiction, which makes every
// evaluation of the subject fail.
func (f *Facts) SetRaw(id FactID, raw int64, p *Provenance) {
	sl := &f.slots[id]
	if sl.until != 0 && sl.val != raw {
		c := conflict{id: id, old: sl.val, new: raw}
		if old := f.prov[id]; old != nil {
			c.oldSrc = old.Source
		}
		if p != nil {
			c.newSrc = p.Source
		}
		f.conflict = append(f.conflict, c)
		*f.conflicts++
		return
	}
	*sl = slot{val: raw, until: openEnd}
	f.prov[id] = p
	if p != nil {
		if !p.ValidFrom.IsZero() {
			sl.from = int32(dateKey(p.ValidFrom))
		}
		if !p.ValidUntil.IsZero() {
			sl.until = int32(dateKey(p.ValidUntil))
		}
	}
}

// Known reports whether the fact is known at all (whatever its validity).
func (f *Facts) Known(id FactID) bool { return f.slots[id].until != 0 }

// Provenance returns where the fact came from.
func (f *Facts) Provenance(id FactID) Provenance {
	if p := f.prov[id]; p != nil {
		return *p
	}
	return Provenance{}
}

func (f *Facts) copyFrom(src *Facts) {
	copy(f.slots, src.slots)
	copy(f.prov, src.prov)
	f.conflict = append(f.conflict[:0], src.conflict...)
}

// copyFrom makes s an independent copy of src, reusing s's buffers.
func (s *Subject) copyFrom(src *Subject) {
	s.ID = src.ID
	s.schema = src.schema
	s.Person.copyFrom(&src.Person)
	s.Household.copyFrom(&src.Household)
	s.nMembers = 0
	s.conflicts = src.conflicts
	for i := range src.HouseholdMembers() {
		m := s.AddMember()
		m.copyFrom(&src.Members[i])
	}
}

// contradiction returns an error if any fact of the subject was given two
// different values.
func (s *Subject) contradiction() error {
	if s.conflicts == 0 {
		return nil
	}
	var parts []string
	describe := func(prefix string, c conflict) string {
		def := s.schema.defs[c.id]
		return fmt.Sprintf("%s%s is %s (%s) and %s (%s)", prefix, def.Name,
			decode(def, c.old), c.oldSrc, decode(def, c.new), c.newSrc)
	}
	for _, c := range s.Person.conflict {
		parts = append(parts, describe("", c))
	}
	for _, c := range s.Household.conflict {
		parts = append(parts, describe("household ", c))
	}
	for i, m := range s.HouseholdMembers() {
		for _, c := range m.conflict {
			parts = append(parts, describe(fmt.Sprintf("member %d ", i+1), c))
		}
	}
	return &ContradictionError{SubjectID: s.ID, Details: parts}
}

// ContradictionError says two sources gave different values for one fact.
type ContradictionError struct {
	SubjectID string
	Details   []string
}

// Error lists every contradiction with the sources involved. The subject
// is masked, as it often is a national register number.
func (e *ContradictionError) Error() string {
	return fmt.Sprintf("entitlement: subject %s has contradictory facts: %s", maskedID(e.SubjectID), strings.Join(e.Details, "; "))
}

// Is makes a contradiction a validation failure.
func (e *ContradictionError) Is(target error) bool {
	return target == ErrValidation || target == ErrContradictoryFacts
}

// ErrContradictoryFacts is matched by a *ContradictionError.
var ErrContradictoryFacts = errors.New("contradictory facts")

// Value is a typed fact or parameter value.
type Value struct {
	Kind Kind
	b    bool
	d    decimal.Decimal
	date calendar.Date
	code string
}

// Bool returns a yes/no value.
func Bool(b bool) Value { return Value{Kind: KindBool, b: b} }

// Number returns a number value.
func Number(d decimal.Decimal) Value { return Value{Kind: KindNumber, d: d} }

// Int returns a whole number value.
func Int(n int64) Value { return Number(decimal.NewFromInt(n)) }

// Money returns an amount in euro.
func Money(d decimal.Decimal) Value { return Value{Kind: KindMoney, d: d} }

// DateValue returns a date value.
func DateValue(d calendar.Date) Value { return Value{Kind: KindDate, date: d} }

// Code returns a code value.
func Code(c string) Value { return Value{Kind: KindCode, code: c} }

// String renders the value as it appears in explanations.
func (v Value) String() string {
	switch v.Kind {
	case KindBool:
		if v.b {
			return "yes"
		}
		return "no"
	case KindNumber:
		return v.d.String()
	case KindMoney:
		return "EUR " + v.d.StringFixed(2)
	case KindDate:
		return v.date.String()
	case KindCode:
		return v.code
	}
	return "?"
}

func (v Value) raw(sc *Schema, id FactID) (int64, error) {
	def := sc.defs[id]
	if v.Kind != def.Kind {
		return 0, fmt.Errorf("is a %s, not a %s", def.Kind, v.Kind)
	}
	return encode(v, sc.codes[id])
}

func encode(v Value, codes map[string]int64) (int64, error) {
	switch v.Kind {
	case KindBool:
		if v.b {
			return 1, nil
		}
		return 0, nil
	case KindNumber, KindMoney:
		return toScaled(v.d)
	case KindDate:
		if v.date.IsZero() {
			return 0, errors.New("date is empty")
		}
		if !realDate(v.date) {
			return 0, fmt.Errorf("%s is not a day of the calendar", v.date)
		}
		if !v.date.InHorizon() {
			return 0, fmt.Errorf("%s is not between the years %d and %d", v.date, calendar.MinYear, calendar.MaxYear)
		}
		return dateKey(v.date), nil
	case KindCode:
		c, ok := codes[v.code]
		if !ok {
			return 0, fmt.Errorf("%q is not one of the codes", v.code)
		}
		return c, nil
	}
	return 0, errors.New("value has no kind")
}

func decode(def FactDef, raw int64) Value {
	switch def.Kind {
	case KindBool:
		return Bool(raw != 0)
	case KindNumber:
		return Number(fromScaled(raw))
	case KindMoney:
		return Money(fromScaled(raw))
	case KindDate:
		return DateValue(keyDate(raw))
	case KindCode:
		if raw >= 0 && int(raw) < len(def.Codes) {
			return Code(def.Codes[raw])
		}
	}
	return Value{}
}
