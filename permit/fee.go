package permit

import (
	"fmt"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/shopspring/decimal"
)

// TariffUnit says what a tariff's rate is multiplied by.
type TariffUnit string

// The ways a municipality charges for occupying the public domain.
const (
	PerSquareMetrePerDay TariffUnit = "m2_day" // area × days
	PerMetrePerDay       TariffUnit = "m_day"  // running metre × days
	PerDay               TariffUnit = "day"    // days
	PerStartedWeek       TariffUnit = "started_week"
	Flat                 TariffUnit = "flat"
)

// Exemption is a ground on which the fee is waived ("vrijstelling").
type Exemption string

// Common exemption grounds in Flemish retribution regulations.
const (
	NonProfit     Exemption = "non_profit"     // associations without profit motive
	PublicUtility Exemption = "public_utility" // works for utilities (water, power, telecom)
)

// Tariff is one rate of a retribution regulation, valid on the dates
// [ValidFrom, ValidUntil); a zero ValidUntil is open-ended.
type Tariff struct {
	ValidFrom  calendar.Date   `json:"valid_from"`
	ValidUntil calendar.Date   `json:"valid_until,omitzero"`
	Unit       TariffUnit      `json:"unit"`
	Rate       decimal.Decimal `json:"rate"`
	Minimum    decimal.Decimal `json:"minimum"`
	Exempt     []Exemption     `json:"exempt,omitempty"`
}

func (t *Tariff) validOn(d calendar.Date) bool {
	return !d.Before(t.ValidFrom) && (t.ValidUntil.IsZero() || d.Before(t.ValidUntil))
}

// FeeInput is what a fee depends on: the measured occupation and the dates it touches.
type FeeInput struct {
	Area      float64         // m², from the geometry
	Length    float64         // m, from the geometry
	Dates     []calendar.Date // occupied dates, sorted (see OccupiedDates)
	Exemption Exemption       // empty: none claimed
}

// FeeLine explains one part of a fee.
type FeeLine struct {
	Description string          `json:"description"`
	Quantity    decimal.Decimal `json:"quantity"`
	Days        int             `json:"days,omitempty"`
	Rate        decimal.Decimal `json:"rate"`
	Amount      decimal.Decimal `json:"amount"`
}

// Fee is a computed retribution ("retributie"): the total, rounded to the
// cent, and the lines that explain it.
type Fee struct {
	Total decimal.Decimal `json:"total"`
	Lines []FeeLine       `json:"lines"`
}

// ComputeFee applies the tariffs to an occupation. Day-based rates are
// charged per day at the tariff valid on that day, so an occupation over a
// tariff change is split into lines; per-week and flat rates, the minimum
// and exemptions follow the tariff valid on the first day. The total is
// rounded once, half away from zero to the cent.
func ComputeFee(tariffs []Tariff, in FeeInput) (Fee, error) {
	if len(in.Dates) == 0 {
		return Fee{}, errs.Invalid("periods", "required", "no occupied days to charge")
	}
	first := tariffAt(tariffs, in.Dates[0])
	if first == nil {
		return Fee{}, errs.Invalid("periods", "tariff", "no tariff is valid on %s", in.Dates[0])
	}
	var fee Fee
	fee.Lines = make([]FeeLine, 0, 2)
	switch first.Unit {
	case Flat:
		fee.Lines = append(fee.Lines, FeeLine{Description: "flat fee", Quantity: decimal.NewFromInt(1), Rate: first.Rate, Amount: first.Rate})
	case PerStartedWeek:
		days := in.Dates[0].DaysUntil(in.Dates[len(in.Dates)-1]) + 1
		weeks := decimal.NewFromInt(int64((days + 6) / 7))
		fee.Lines = append(fee.Lines, FeeLine{Description: "per started week", Quantity: weeks, Days: days, Rate: first.Rate, Amount: first.Rate.Mul(weeks)})
	default:
		// Runs of consecutive dates under the same tariff become one line.
		start := 0
		cur := first
		for i := 1; i <= len(in.Dates); i++ {
			var next *Tariff
			if i < len(in.Dates) {
				if cur.validOn(in.Dates[i]) {
					continue
				}
				if next = tariffAt(tariffs, in.Dates[i]); next == nil {
					return Fee{}, errs.Invalid("periods", "tariff", "no tariff is valid on %s", in.Dates[i])
				}
			}
			line, err := dayLine(cur, in, i-start)
			if err != nil {
				return Fee{}, err
			}
			fee.Lines = append(fee.Lines, line)
			start, cur = i, next
		}
	}
	total := decimal.Zero
	for _, l := range fee.Lines {
		total = total.Add(l.Amount)
	}
	if total.LessThan(first.Minimum) {
		fee.Lines = append(fee.Lines, FeeLine{Description: "raised to the minimum amount", Quantity: decimal.NewFromInt(1), Rate: first.Minimum, Amount: first.Minimum.Sub(total)})
		total = first.Minimum
	}
	if in.Exemption != "" {
		exempt := false
		for _, e := range first.Exempt {
			exempt = exempt || e == in.Exemption
		}
		if !exempt {
			return Fee{}, errs.Invalid("exemption", "oneof", "%q is not an exemption ground for this tariff", in.Exemption)
		}
		fee.Lines = append(fee.Lines, FeeLine{Description: "exemption: " + string(in.Exemption), Quantity: decimal.NewFromInt(1), Rate: total.Neg(), Amount: total.Neg()})
		total = decimal.Zero
	}
	fee.Total = roundFee(total)
	return fee, nil
}

// roundFee is the one place a fee is rounded.
func roundFee(d decimal.Decimal) decimal.Decimal { return d.Round(2) }

func dayLine(t *Tariff, in FeeInput, days int) (FeeLine, error) {
	var qty decimal.Decimal
	var what string
	switch t.Unit {
	case PerSquareMetrePerDay:
		if in.Area <= 0 {
			return FeeLine{}, errs.Invalid("location", "area", "a tariff per m² needs a polygon with an area")
		}
		qty, what = centis(in.Area), "m²"
	case PerMetrePerDay:
		if in.Length <= 0 {
			return FeeLine{}, errs.Invalid("location", "length", "a tariff per running metre needs a line or polygon")
		}
		qty, what = centis(in.Length), "m"
	case PerDay:
		qty, what = decimal.NewFromInt(1), "occupation"
	default:
		return FeeLine{}, fmt.Errorf("permit: unknown tariff unit %q", t.Unit)
	}
	d := decimal.NewFromInt(int64(days))
	return FeeLine{
		Description: "per " + what + " per day",
		Quantity:    qty, Days: days, Rate: t.Rate,
		Amount: t.Rate.Mul(qty).Mul(d),
	}, nil
}

// centis measures to the centimetre (or cm²-ish hundredth of m²): the
// geometry is not more precise, and it keeps decimals small.
func centis(v float64) decimal.Decimal {
	return decimal.New(int64(v*100+0.5), -2)
}

func tariffAt(tariffs []Tariff, d calendar.Date) *Tariff {
	for i := range tariffs {
		if tariffs[i].validOn(d) {
			return &tariffs[i]
		}
	}
	return nil
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func mustDate(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
