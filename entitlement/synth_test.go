package entitlement_test

import (
	"iter"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
)

// synth is one synthetic citizen, drawn from a fixed pseudo-random stream
// so our evaluator and expr see exactly the same population.
type synth struct {
	resident, allowance, debt bool
	incomeKnown               bool
	income                    int64 // euro cents
	birth                     int64 // yyyymmdd
	lez                       int64 // 0 none, 1 allowed, 2 banned
	members                   [3]bool
	nMembers                  int
}

type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9e3779b97f4a7c15
	z := uint64(*r)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func draw(r *rng) synth {
	x := r.next()
	s := synth{
		resident:    x%10 != 0,
		allowance:   x>>4%5 == 0,
		debt:        x>>8%20 == 0,
		incomeKnown: x>>13%100 != 0,
		income:      int64(x>>16%6000000) + 500000,
		birth:       int64(1940+x>>40%86)*10000 + int64(1+x>>48%12)*100 + int64(1+x>>52%28),
		lez:         int64(x >> 56 % 3),
		nMembers:    int(x >> 60 % 4),
	}
	y := r.next()
	for i := range s.nMembers {
		s.members[i] = y>>(i*8)%6 == 0
	}
	return s
}

type slots struct {
	resident, birth, allowance, debt, income, lez entitlement.FactID
}

func slotsOf(sc *entitlement.Schema) slots {
	return slots{sc.MustID(entitlement.FactResident), sc.MustID(entitlement.FactBirthDate), sc.MustID(entitlement.FactIncreasedAllowance),
		sc.MustID(entitlement.FactDebtMediation), sc.MustID(entitlement.FactHouseholdIncome), sc.MustID(entitlement.FactVehicleLEZStatus)}
}

var benchProv = entitlement.Provenance{Source: entitlement.SourceNationalRegister, ValidFrom: calendar.NewDate(2020, 1, 1)}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (sy *synth) fill(s *entitlement.Subject, sl slots) {
	p := &benchProv
	s.Person.SetRaw(sl.resident, b2i(sy.resident), p)
	s.Person.SetRaw(sl.allowance, b2i(sy.allowance), p)
	s.Person.SetRaw(sl.debt, b2i(sy.debt), p)
	s.Person.SetRaw(sl.birth, sy.birth, p)
	if sy.incomeKnown {
		s.Household.SetRaw(sl.income, sy.income*100, p) // cents to 1/10000
	}
	s.Household.SetRaw(sl.lez, sy.lez, p)
	for i := range sy.nMembers {
		m := s.AddMember()
		m.SetRaw(sl.allowance, b2i(sy.members[i]), p)
	}
}

// population yields n synthetic subjects, refilling one Subject.
func population(rs *entitlement.Ruleset, n int) iter.Seq[*entitlement.Subject] {
	return func(yield func(*entitlement.Subject) bool) {
		sc := rs.Schema()
		sl := slotsOf(sc)
		s := sc.NewSubject("")
		ids := make([]string, 1024)
		for i := range ids {
			ids[i] = "subject-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26))
		}
		r := rng(42)
		for i := range n {
			sy := draw(&r)
			s.Reset(ids[i%len(ids)])
			sy.fill(s, sl)
			if !yield(s) {
				return
			}
		}
	}
}
