package rights

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// generatedSubjects is how many made-up inhabitants the demo population has
// besides the named demo people. Their national numbers are unique up to
// 2994 (see generatedINSZ).
const generatedSubjects = 2500

// demoFact is one fact the demo register knows about a named person, with
// the authentic source it stands in for.
type demoFact struct {
	Name   string
	Value  entitlement.Value
	Source string
	// Member is set for a fact of another member of the household (the
	// partner, a parent), not of the person.
	Member bool
}

// demoRegister stands in for the data connections a municipality plugs into
// the proactive service (national register, Crossroads Bank, tax authority,
// vehicle register, its own records). It knows a few facts about the named
// demo people, and makes up a population of thousands around them.
//
// The facts of the named people, and what they lead to under the shipped
// EXAMPLE rules:
//   - An Peeters (born 1985): resident, no increased allowance, household
//     income € 23.800 → UiTPAS opportunity tariff (ceiling € 25.000).
//   - Mohamed El Amrani (born 2017): resident, household income € 28.500 →
//     the school and childcare invoice discount (child under 12, ceiling € 30.000).
//   - Lotte Janssens (born 1990): resident, her car is banned from the LEZ,
//     but no increased allowance or debt mediation → no LEZ measure; the tax
//     authority has not sent her household income yet → UiTPAS unknown.
type demoRegister struct {
	schema    *entitlement.Schema
	named     map[string][]demoFact // by subject ID, the national number
	order     []string
	generated int
	// retrieved is when the demo "fetched" the facts.
	retrieved time.Time
}

// Resident is a named person the demo register knows, by the demo's ID.
type Resident struct {
	ID   string
	INSZ pii.INSZ
}

func newDemoRegister(schema *entitlement.Schema, residents []Resident, now time.Time) *demoRegister {
	d := calendar.NewDate
	money := func(s string) entitlement.Value { return entitlement.Money(decimal.RequireFromString(s)) }
	rr, ksz, fin, div, own := entitlement.SourceNationalRegister, entitlement.SourceCrossroadsBank, entitlement.SourceTaxAuthority,
		entitlement.SourceVehicleRegister, entitlement.SourceOwnRecords
	facts := map[string][]demoFact{
		"an": {
			{Name: entitlement.FactResident, Value: entitlement.Bool(true), Source: rr},
			{Name: entitlement.FactBirthDate, Value: entitlement.DateValue(d(1985, 7, 30)), Source: rr},
			{Name: entitlement.FactIncreasedAllowance, Value: entitlement.Bool(false), Source: ksz},
			{Name: entitlement.FactDebtMediation, Value: entitlement.Bool(false), Source: own},
			{Name: entitlement.FactHouseholdIncome, Value: money("23800"), Source: fin},
			{Name: entitlement.FactVehicleLEZStatus, Value: entitlement.Code("allowed"), Source: div},
			{Name: entitlement.FactIncreasedAllowance, Value: entitlement.Bool(false), Source: ksz, Member: true},
		},
		"mohamed": {
			{Name: entitlement.FactResident, Value: entitlement.Bool(true), Source: rr},
			{Name: entitlement.FactBirthDate, Value: entitlement.DateValue(d(2017, 7, 30)), Source: rr},
			{Name: entitlement.FactIncreasedAllowance, Value: entitlement.Bool(false), Source: ksz},
			{Name: entitlement.FactDebtMediation, Value: entitlement.Bool(false), Source: own},
			{Name: entitlement.FactHouseholdIncome, Value: money("28500"), Source: fin},
			{Name: entitlement.FactVehicleLEZStatus, Value: entitlement.Code("none"), Source: div},
			{Name: entitlement.FactIncreasedAllowance, Value: entitlement.Bool(false), Source: ksz, Member: true},
		},
		"lotte": {
			{Name: entitlement.FactResident, Value: entitlement.Bool(true), Source: rr},
			{Name: entitlement.FactBirthDate, Value: entitlement.DateValue(d(1990, 2, 1)), Source: rr},
			{Name: entitlement.FactIncreasedAllowance, Value: entitlement.Bool(false), Source: ksz},
			{Name: entitlement.FactDebtMediation, Value: entitlement.Bool(false), Source: own},
			{Name: entitlement.FactVehicleLEZStatus, Value: entitlement.Code("banned"), Source: div},
		},
	}
	reg := &demoRegister{schema: schema, named: map[string][]demoFact{}, generated: generatedSubjects, retrieved: now}
	for _, p := range residents {
		if f, ok := facts[p.ID]; ok && p.INSZ != "" {
			reg.named[string(p.INSZ)] = f
			reg.order = append(reg.order, string(p.INSZ))
		}
	}
	return reg
}

// Facts returns what the register knows of a named person.
func (reg *demoRegister) Facts(subjectID string) []demoFact { return reg.named[subjectID] }

// Load implements entitlement.FactSource for the named people; of anyone
// else it knows nothing, so every fact stays unknown.
func (reg *demoRegister) Load(_ context.Context, subjectID string, s *entitlement.Subject) error {
	return reg.fill(s, reg.named[subjectID])
}

func (reg *demoRegister) fill(s *entitlement.Subject, facts []demoFact) error {
	var member *entitlement.Facts
	for _, f := range facts {
		p := entitlement.Provenance{Source: f.Source, RetrievedAt: reg.retrieved}
		if f.Member {
			if member == nil {
				member = s.AddMember()
			}
			if err := s.SetMember(member, f.Name, f.Value, p); err != nil {
				return err
			}
			continue
		}
		if err := s.Set(f.Name, f.Value, p); err != nil {
			return err
		}
	}
	return nil
}

// mix is SplitMix64's finaliser: a cheap, well-spread hash, so the made-up
// population is the same on every start.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// moved reports whether made-up inhabitant i has left the population in
// run no: from the second run on, a few move away each run, so the run
// report has absent holders to show.
func moved(i, no int) bool { return no > 1 && mix(uint64(i)*1_000_003+uint64(no))%150 == 1 }

// size is the number of subjects population(no) yields.
func (reg *demoRegister) size(no int) int {
	n := len(reg.order)
	for i := range reg.generated {
		if !moved(i, no) {
			n++
		}
	}
	return n
}

// generatedINSZ makes a valid national number for made-up inhabitant i born
// on birth. Serial numbers are even (the named people's are odd) and i/499
// picks the year within a six-year band, so no two made-up inhabitants
// share a number while i < 6·499.
func generatedINSZ(i int, birth calendar.Date) string {
	serial := 2*(i%499) + 2
	base := int64(birth.Year%100)*10_000_000 + int64(birth.Month)*100_000 + int64(birth.Day)*1000 + int64(serial)
	check := 97 - base%97
	if birth.Year >= 2000 {
		check = 97 - (2_000_000_000+base)%97
	}
	return fmt.Sprintf("%09d%02d", base, check)
}

// population yields the named people, then the made-up inhabitants, for run
// number no. One Subject is refilled for each (the batch copies it). From
// the second run on, a few incomes change each run, so some rights end and
// others start, as in a real municipality month after month. Every 997th
// made-up inhabitant has contradictory facts from two sources, which the
// batch reports as an error. pace, when set, is called before each made-up
// inhabitant.
func (reg *demoRegister) population(no int, pace func(i int)) iter.Seq[*entitlement.Subject] {
	return func(yield func(*entitlement.Subject) bool) {
		s := reg.schema.NewSubject("")
		for _, id := range reg.order {
			s.Reset(id)
			if err := reg.fill(s, reg.named[id]); err != nil {
				panic(err) // the named facts are constants of this file
			}
			if !yield(s) {
				return
			}
		}
		prov := func(src string) entitlement.Provenance {
			return entitlement.Provenance{Source: src, RetrievedAt: reg.retrieved}
		}
		rr, ksz, fin, div, own := prov(entitlement.SourceNationalRegister), prov(entitlement.SourceCrossroadsBank),
			prov(entitlement.SourceTaxAuthority), prov(entitlement.SourceVehicleRegister), prov(entitlement.SourceOwnRecords)
		for i := range reg.generated {
			if moved(i, no) {
				continue
			}
			if pace != nil {
				pace(i)
			}
			h := mix(uint64(i))
			birth := calendar.NewDate(1940+int(h%14)*6+(i/499)%6, time.Month(1+(h>>8)%12), 1+int((h>>16)%28))
			s.Reset(generatedINSZ(i, birth))
			set := func(name string, v entitlement.Value, p entitlement.Provenance) {
				if err := s.Set(name, v, p); err != nil {
					panic(err) // names and kinds are constants of this file
				}
			}
			set(entitlement.FactResident, entitlement.Bool((h>>24)%50 != 0), rr)
			set(entitlement.FactBirthDate, entitlement.DateValue(birth), rr)
			set(entitlement.FactIncreasedAllowance, entitlement.Bool((h>>32)%100 < 12), ksz)
			set(entitlement.FactDebtMediation, entitlement.Bool((h>>40)%100 < 4), own)
			if (h>>48)%100 >= 3 { // the tax authority has not sent every income yet
				income := 15_000 + int64((h>>20)%750)*100
				if no > 1 && mix(uint64(i)*7_000_003+uint64(no))%40 == 0 {
					if income <= 30_000 {
						income += 20_000
					} else {
						income -= 20_000
					}
				}
				set(entitlement.FactHouseholdIncome, entitlement.Money(decimal.NewFromInt(income)), fin)
			}
			set(entitlement.FactVehicleLEZStatus, entitlement.Code([]string{"none", "none", "none", "none", "none", "allowed", "allowed", "allowed", "allowed", "banned"}[(h>>44)%10]), div)
			if (h>>52)%10 < 4 {
				m := s.AddMember()
				if err := s.SetMember(m, entitlement.FactIncreasedAllowance, entitlement.Bool((h>>56)%10 == 0), ksz); err != nil {
					panic(err)
				}
			}
			if i%997 == 5 {
				set(entitlement.FactResident, entitlement.Bool((h>>24)%50 == 0), own) // contradicts the register
			}
			if !yield(s) {
				return
			}
		}
	}
}

// subjectLabel shows a subject ID (a national number) the way a clerk reads it.
func subjectLabel(id string) string { return pii.INSZ(id).Formatted() }
