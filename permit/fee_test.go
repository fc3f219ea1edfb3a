package permit

import (
	"testing"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dates(from string, n int) []calendar.Date {
	d := date(from)
	out := make([]calendar.Date, n)
	for i := range out {
		out[i] = d.AddDays(i)
	}
	return out
}

func TestComputeFee(t *testing.T) {
	from := date("2025-01-01")
	change := date("2026-01-01")
	area := []Tariff{
		{ValidFrom: from, ValidUntil: change, Unit: PerSquareMetrePerDay, Rate: dec("1.50"), Minimum: dec("15.00"), Exempt: []Exemption{NonProfit}},
		{ValidFrom: change, Unit: PerSquareMetrePerDay, Rate: dec("1.60"), Minimum: dec("15.00")},
	}
	tests := []struct {
		name  string
		tar   []Tariff
		in    FeeInput
		total string
		lines int
	}{
		{"m² per day", area, FeeInput{Area: 12.5, Dates: dates("2025-06-01", 3)}, "56.25", 1},
		{"area rounded to cm²", area, FeeInput{Area: 12.499, Dates: dates("2025-06-01", 1)}, "18.75", 1},
		{"minimum", area, FeeInput{Area: 2, Dates: dates("2025-06-01", 2)}, "15.00", 2},
		{"over a tariff change", area, FeeInput{Area: 10, Dates: dates("2025-12-30", 4)}, "62.00", 2}, // 2×15 + 2×16
		{"exempt", area, FeeInput{Area: 10, Dates: dates("2025-06-01", 2), Exemption: NonProfit}, "0.00", 2},
		{"running metre", []Tariff{{ValidFrom: from, Unit: PerMetrePerDay, Rate: dec("0.75")}}, FeeInput{Length: 20.004, Dates: dates("2025-06-01", 5)}, "75.00", 1},
		{"per started week", []Tariff{{ValidFrom: from, Unit: PerStartedWeek, Rate: dec("2.00")}}, FeeInput{Dates: dates("2025-06-01", 8)}, "4.00", 1},
		{"one full week", []Tariff{{ValidFrom: from, Unit: PerStartedWeek, Rate: dec("2.00")}}, FeeInput{Dates: dates("2025-06-01", 7)}, "2.00", 1},
		{"flat", []Tariff{{ValidFrom: from, Unit: Flat, Rate: dec("30.00")}}, FeeInput{Dates: dates("2025-06-01", 2)}, "30.00", 1},
		{"per day half cent rounds away from zero", []Tariff{{ValidFrom: from, Unit: PerDay, Rate: dec("0.335")}}, FeeInput{Dates: dates("2025-06-01", 1)}, "0.34", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fee, err := ComputeFee(tt.tar, tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.total, fee.Total.StringFixed(2))
			assert.Len(t, fee.Lines, tt.lines)
			sum := fee.Lines[0].Amount
			for _, l := range fee.Lines[1:] {
				sum = sum.Add(l.Amount)
			}
			assert.Equal(t, tt.total, roundFee(sum).StringFixed(2), "the lines explain the total")
		})
	}
}

func TestComputeFeeBadInput(t *testing.T) {
	tar := []Tariff{{ValidFrom: date("2025-01-01"), ValidUntil: date("2026-01-01"), Unit: PerSquareMetrePerDay, Rate: dec("1")}}
	tests := []struct {
		name  string
		in    FeeInput
		field string
	}{
		{"no dates", FeeInput{Area: 1}, "periods"},
		{"before any tariff", FeeInput{Area: 1, Dates: dates("2024-06-01", 1)}, "periods"},
		{"runs past the last tariff", FeeInput{Area: 1, Dates: dates("2025-12-31", 2)}, "periods"},
		{"no area", FeeInput{Length: 3, Dates: dates("2025-06-01", 1)}, "location"},
		{"unknown exemption", FeeInput{Area: 1, Dates: dates("2025-06-01", 1), Exemption: NonProfit}, "exemption"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ComputeFee(tar, tt.in)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			_, ok := ve.Field(tt.field)
			assert.True(t, ok, "fields %v", ve.Fields)
		})
	}
}

func TestDefaultCatalogue(t *testing.T) {
	c := DefaultCatalogue()
	for _, code := range []string{"container", "scaffolding", "moving_lift", "parking_ban", "site", "terrace", "event"} {
		typ, err := c.Lookup(code)
		require.NoError(t, err, code)
		assert.Positive(t, typ.LeadTime)
		assert.Positive(t, typ.MaxDuration)
		assert.NotEmpty(t, typ.Tariffs)
	}
	c.Add(OccupationType{Code: "food_truck", Name: "Food truck", LeadTime: 3, MaxDuration: day})
	_, err := c.Lookup("food_truck")
	assert.NoError(t, err)
	_, err = c.Lookup("tank")
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "type", ve.Fields[0].Field)
}

func BenchmarkComputeFee(b *testing.B) {
	tar := DefaultCatalogue()["container"].Tariffs
	in := FeeInput{Area: 12.34, Dates: dates("2025-06-01", 14)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ComputeFee(tar, in); err != nil {
			b.Fatal(err)
		}
	}
}
