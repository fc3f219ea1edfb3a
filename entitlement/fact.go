package entitlement

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// Kind is the type of a fact or a parameter.
type Kind uint8

// The kinds of value a fact or parameter can hold.
const (
	KindInvalid Kind = iota
	KindBool         // yes or no ("ja/nee")
	KindNumber       // a count or measure, up to four decimals
	KindMoney        // an amount in euro, up to four decimals
	KindDate         // a civil date
	KindCode         // one of a fixed list of codes
)

var kindNames = [...]string{"invalid", "bool", "number", "money", "date", "code"}

// String returns the name used for the kind in rule documents.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// MarshalText writes the kind's name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a kind's name.
func (k *Kind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if i > 0 && n == string(b) {
			*k = Kind(i)
			return nil
		}
	}
	// An unknown kind is left invalid so Compile reports it under its JSON
	// path, with a line number, instead of the decoder failing without one.
	*k = KindInvalid
	return nil
}

// Scope says whose fact it is: the person's own, or the household's as a whole.
type Scope uint8

// The scopes of a fact.
const (
	ScopePerson    Scope = iota // a fact about one person ("persoon")
	ScopeHousehold              // a fact about the household ("gezin"), such as its taxable income
	scopeInvalid
)

// MarshalText writes "person" or "household".
func (s Scope) MarshalText() ([]byte, error) {
	if s == ScopeHousehold {
		return []byte("household"), nil
	}
	return []byte("person"), nil
}

// UnmarshalText reads "person" (or empty) or "household".
func (s *Scope) UnmarshalText(b []byte) error {
	switch string(b) {
	case "", "person":
		*s = ScopePerson
	case "household":
		*s = ScopeHousehold
	default:
		*s = scopeInvalid // reported by NewSchema with the field's path
	}
	return nil
}

// FactDef declares a fact a rule may use: its name, kind and scope, and for
// codes the closed list of values, so a typo in a rule is caught at load time.
type FactDef struct {
	Name        string   `json:"name"`
	Kind        Kind     `json:"kind"`
	Scope       Scope    `json:"scope,omitempty"`
	Codes       []string `json:"codes,omitempty"`
	Description string   `json:"description,omitempty"`
	// Label is the short Dutch and English wording used in explanations.
	LabelNL string `json:"label_nl,omitempty"`
	LabelEN string `json:"label_en,omitempty"`
}

// FactID is the slot of a fact in a compiled schema; setting and reading
// facts by ID is what keeps the batch free of map look-ups.
type FactID int32

// Provenance says where a fact comes from ("herkomst"): the authentic source,
// when it was retrieved, and the period for which the source vouches for it.
// Outside that period the fact counts as unknown.
type Provenance struct {
	Source      string        `json:"source"`
	RetrievedAt time.Time     `json:"retrieved_at"`
	ValidFrom   calendar.Date `json:"valid_from,omitzero"`
	ValidUntil  calendar.Date `json:"valid_until,omitzero"` // inclusive; zero means open-ended
}

// Common sources of facts in a Flemish municipality.
const (
	SourceNationalRegister = "rijksregister"  // national register ("Rijksregister")
	SourceCrossroadsBank   = "kruispuntbank"  // Crossroads Bank for Social Security ("KSZ")
	SourceTaxAuthority     = "fod-financien"  // federal tax authority
	SourceVehicleRegister  = "div"            // vehicle registration ("DIV")
	SourceOwnRecords       = "eigen-gegevens" // the municipality's or OCMW's own records
)

// Scaled numbers: numbers and money are held as integers of 1/10000 so the
// hot path compares int64s and money never passes through a float.
const scale = 10000

var decScale = decimal.NewFromInt(scale)

func toScaled(d decimal.Decimal) (int64, error) {
	s := d.Mul(decScale)
	if !s.Equal(s.Truncate(0)) {
		return 0, fmt.Errorf("%s has more than four decimals", d)
	}
	if s.Abs().GreaterThan(decimal.NewFromInt(1 << 60)) {
		return 0, fmt.Errorf("%s is out of range", d)
	}
	return s.IntPart(), nil
}

func fromScaled(v int64) decimal.Decimal { return decimal.New(v, -4) }

// dateKey packs a date as yyyymmdd: order is preserved and the age in full
// years on a reference date is (ref-birth)/10000, with no calendar arithmetic.
func dateKey(d calendar.Date) int64 {
	return int64(d.Year)*10000 + int64(d.Month)*100 + int64(d.Day)
}

func keyDate(k int64) calendar.Date {
	return calendar.Date{Year: int(k / 10000), Month: time.Month(k / 100 % 100), Day: int(k % 100)}
}

const openEnd = int32(99991231)
