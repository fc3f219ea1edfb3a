package entitlement

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// Parameter is a value the council sets and changes over time (a threshold,
// an age limit), with one value per period, as in OpenFisca's parameters.
type Parameter struct {
	Name        string       `json:"name"`
	Kind        Kind         `json:"kind"`
	Description string       `json:"description,omitempty"`
	LabelNL     string       `json:"label_nl,omitempty"`
	LabelEN     string       `json:"label_en,omitempty"`
	Values      []ParamValue `json:"values"`
	// Example marks illustrative values that no council has decided; a
	// municipality must replace them before granting anything.
	Example bool `json:"example,omitempty"`
}

// ParamValue is the value of a parameter during one period. Periods follow
// each other without overlap or gap; only the last may be open-ended.
type ParamValue struct {
	From  calendar.Date `json:"from,omitzero"`
	Until calendar.Date `json:"until,omitzero"`  // inclusive; zero means open-ended
	Value string        `json:"value"`           // written as in a rule document: "21000.00", "18", "true", a date or a code
	Basis string        `json:"basis,omitempty"` // the decision that set this value
}

// ParamUse records which version of a parameter an evaluation used.
type ParamUse struct {
	Name    string        `json:"name"`
	Kind    Kind          `json:"kind"`
	LabelNL string        `json:"label_nl,omitempty"`
	LabelEN string        `json:"label_en,omitempty"`
	Value   string        `json:"value"`
	From    calendar.Date `json:"from,omitzero"`
	Until   calendar.Date `json:"until,omitzero"`
	Basis   string        `json:"basis,omitempty"`
}

type compiledParam struct {
	def   Parameter
	from  []int64
	until []int64
	raw   []int64
}

// parseLiteral reads a value written in a rule document as the given kind.
func parseLiteral(k Kind, s string, codes map[string]int64) (Value, int64, error) {
	var v Value
	switch k {
	case KindBool:
		switch strings.ToLower(s) {
		case "true", "yes", "ja":
			v = Bool(true)
		case "false", "no", "nee":
			v = Bool(false)
		default:
			return v, 0, fmt.Errorf("%q is not true or false", s)
		}
	case KindNumber, KindMoney:
		d, err := decimal.NewFromString(s)
		if err != nil {
			return v, 0, fmt.Errorf("%q is not a number", s)
		}
		v = Value{Kind: k, d: d}
	case KindDate:
		d, err := calendar.ParseDate(s)
		if err != nil {
			return v, 0, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
		}
		v = DateValue(d)
	case KindCode:
		v = Code(s)
	default:
		return v, 0, fmt.Errorf("kind %s has no literal form", k)
	}
	raw, err := encode(v, codes)
	return v, raw, err
}

func compileParam(p Parameter, path string, c *collector) *compiledParam {
	cp := &compiledParam{def: p}
	if p.Name == "" {
		c.add(path+".name", "required", "a parameter needs a name")
	}
	if p.Kind == KindInvalid || p.Kind == KindCode || p.Kind > KindCode {
		c.add(path+".kind", "oneof", "parameter %q needs a kind: bool, number, money or date", p.Name)
		return cp
	}
	if len(p.Values) == 0 {
		c.add(path+".values", "required", "parameter %q needs at least one dated value", p.Name)
	}
	for i, pv := range p.Values {
		vp := fmt.Sprintf("%s.values[%d]", path, i)
		if pv.From.IsZero() {
			c.add(vp+".from", "required", "each value needs the date it applies from")
			continue
		}
		from, until := dateKey(pv.From), int64(openEnd)
		if !pv.Until.IsZero() {
			until = dateKey(pv.Until)
			if until < from {
				c.add(vp+".until", "gtefield", "period ends (%s) before it starts (%s)", pv.Until, pv.From)
			}
		}
		if i > 0 {
			prev := p.Values[i-1]
			switch {
			case prev.Until.IsZero():
				c.add(vp+".from", "overlap", "the previous value of %q is open-ended, so this period overlaps it", p.Name)
			case pv.From.Before(prev.Until.AddDays(1)):
				c.add(vp+".from", "overlap", "period from %s overlaps the previous one (until %s)", pv.From, prev.Until)
			case pv.From.After(prev.Until.AddDays(1)):
				c.add(vp+".from", "gap", "gap between %s and %s: no value of %q applies then", prev.Until, pv.From, p.Name)
			}
		}
		_, raw, err := parseLiteral(p.Kind, pv.Value, nil)
		if err != nil {
			c.add(vp+".value", "kind", "%v (parameter %q is a %s)", err, p.Name, p.Kind)
		}
		cp.from = append(cp.from, from)
		cp.until = append(cp.until, until)
		cp.raw = append(cp.raw, raw)
	}
	return cp
}

// at returns the index of the value that applies on date key d, or -1.
func (p *compiledParam) at(d int64) int {
	for i := len(p.from) - 1; i >= 0; i-- {
		if p.from[i] <= d {
			if d <= p.until[i] {
				return i
			}
			return -1
		}
	}
	return -1
}
