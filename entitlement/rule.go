package entitlement

import "github.com/lokaalbestuur/bouwstenen/calendar"

// Op is a comparison between a fact and a parameter or a literal.
type Op string

// The comparisons a condition can make.
const (
	OpEq Op = "eq"
	OpNe Op = "ne"
	OpLt Op = "lt"
	OpLe Op = "le"
	OpGt Op = "gt"
	OpGe Op = "ge"
	OpIn Op = "in" // codes only: the fact is one of Values
)

// Condition is one node of a benefit's rule. Exactly one form is used:
//   - All / Any / Not combine conditions;
//   - Ref uses a named Definition of the policy (definitions may use each other, not in a cycle);
//   - SomeMember holds when the condition holds for the person or any other member of the household;
//   - Fact (+ Op + Param, Value or Values) compares a fact; a bool fact without Op means "is true";
//   - AgeOf (+ Op + Param or Value) compares the age in full years, on the evaluation date, of a date fact.
//
// Missing facts make a condition unknown, never false, and all/any/not
// follow three-valued logic: all() is false as soon as one part is false,
// any() is true as soon as one part is true.
type Condition struct {
	All        []Condition `json:"all,omitempty"`
	Any        []Condition `json:"any,omitempty"`
	Not        *Condition  `json:"not,omitempty"`
	Ref        string      `json:"ref,omitempty"`
	SomeMember *Condition  `json:"some_member,omitempty"`
	Fact       string      `json:"fact,omitempty"`
	AgeOf      string      `json:"age_of,omitempty"`
	Op         Op          `json:"op,omitempty"`
	Param      string      `json:"param,omitempty"`
	Value      string      `json:"value,omitempty"`
	Values     []string    `json:"values,omitempty"`
}

// All holds when every condition holds.
func All(cs ...Condition) Condition { return Condition{All: cs} }

// Any holds when at least one condition holds.
func Any(cs ...Condition) Condition { return Condition{Any: cs} }

// Not holds when c does not hold.
func Not(c Condition) Condition { return Condition{Not: &c} }

// Ref uses the named definition.
func Ref(name string) Condition { return Condition{Ref: name} }

// SomeMember holds when c holds for the person or another member of the household.
func SomeMember(c Condition) Condition { return Condition{SomeMember: &c} }

// IsTrue holds when the bool fact is true.
func IsTrue(fact string) Condition { return Condition{Fact: fact} }

// FactParam compares a fact with a parameter.
func FactParam(fact string, op Op, param string) Condition {
	return Condition{Fact: fact, Op: op, Param: param}
}

// FactValue compares a fact with a literal written as in a rule document.
func FactValue(fact string, op Op, value string) Condition {
	return Condition{Fact: fact, Op: op, Value: value}
}

// FactIn holds when the code fact is one of the codes.
func FactIn(fact string, codes ...string) Condition {
	return Condition{Fact: fact, Op: OpIn, Values: codes}
}

// AgeParam compares the age on the evaluation date, from a date fact, with a parameter.
func AgeParam(dateFact string, op Op, param string) Condition {
	return Condition{AgeOf: dateFact, Op: op, Param: param}
}

// Definition is a named condition several benefits share ("resides in the
// municipality"), explained under its own label.
type Definition struct {
	Name      string    `json:"name"`
	LabelNL   string    `json:"label_nl,omitempty"`
	LabelEN   string    `json:"label_en,omitempty"`
	Condition Condition `json:"condition"`
}

// LegalBasis is the decision a benefit rests on ("rechtsgrond").
type LegalBasis struct {
	Decision string        `json:"decision"` // e.g. "Gemeenteraadsbesluit 2025_GR_00123"
	Date     calendar.Date `json:"date,omitzero"`
	URL      string        `json:"url,omitempty"`
}

// Benefit is a right the municipality grants by itself ("recht", "voordeel")
// to whoever meets its condition.
type Benefit struct {
	ID          string     `json:"id"`
	NameNL      string     `json:"name_nl"`
	NameEN      string     `json:"name_en"`
	Description string     `json:"description,omitempty"`
	LegalBasis  LegalBasis `json:"legal_basis"`
	// Purpose is the GDPR processing purpose ("verwerkingsdoeleinde") that
	// allows the facts to be used for this benefit.
	Purpose   string    `json:"purpose"`
	Condition Condition `json:"condition"`
	// NoticeDays is how long a right keeps running after the subject no
	// longer qualifies ("opzegtermijn").
	NoticeDays int `json:"notice_days,omitempty"`
	// Exceptions override Condition, first one first, as in Catala's
	// default logic: Condition is the general rule, an exception the more
	// specific provision that prevails when it applies.
	Exceptions []Exception `json:"exceptions,omitempty"`
	// Example marks a benefit shipped as an illustration.
	Example bool `json:"example,omitempty"`
}

// Exception is a specific provision that decides the outcome when its
// condition holds, whatever the general rule says. An exception whose
// condition is unknown leaves the outcome unknown unless every outcome it
// could lead to is the same.
type Exception struct {
	Name    string    `json:"name"`
	LabelNL string    `json:"label_nl,omitempty"`
	LabelEN string    `json:"label_en,omitempty"`
	When    Condition `json:"when"`
	Outcome Outcome   `json:"outcome"` // eligible or not_eligible; left out, the exception excludes
	Basis   string    `json:"basis,omitempty"`
}

// Policy is a complete rule document: the facts it uses, the parameters,
// shared definitions and the benefits.
type Policy struct {
	Facts       []FactDef    `json:"facts"`
	Parameters  []Parameter  `json:"parameters"`
	Definitions []Definition `json:"definitions,omitempty"`
	Benefits    []Benefit    `json:"benefits"`
}
