package calendar

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// TestZeroValue: issue 15 item 1. The zero Calendar knows weekends and the
// federal holidays, and many goroutines may ask it at once (run with -race).
func TestZeroValue(t *testing.T) {
	var zero Calendar
	ref := New()
	var wg sync.WaitGroup
	for g := range 32 {
		wg.Go(func() {
			for i := range 400 {
				day := NewDate(1990+(g*7+i)%60, time.Month(1+i%12), 1+(g+i)%28)
				assert.Equal(t, ref.IsWorkingDay(day), zero.IsWorkingDay(day), day)
				_, off := zero.HolidayName(day)
				_, want := ref.HolidayName(day)
				assert.Equal(t, want, off, day)
			}
			assert.Len(t, zero.Holidays(2026), 10)
		})
	}
	wg.Wait()
	assert.False(t, zero.IsWorkingDay(NewDate(2026, time.January, 1)), "Nieuwjaar")
	assert.False(t, zero.IsWorkingDay(NewDate(2026, time.April, 6)), "Paasmaandag")
	assert.True(t, zero.IsWorkingDay(NewDate(2026, time.January, 2)))
	assert.False(t, zero.IsWorkingDay(NewDate(2026, time.January, 3)), "Saturday")
	assert.Equal(t, NewDate(2026, time.January, 5), zero.AddWorkingDays(NewDate(2026, time.January, 2), 1))
}

// TestImpossibleClosingDays: issue 15 item 3. A yearly closing day that does
// not exist every year is refused instead of moved to the next month.
func TestImpossibleClosingDays(t *testing.T) {
	tests := []struct {
		name string
		opt  Option
		ok   bool
	}{
		{"31 April", WithYearlyClosingDay(time.April, 31, "x"), false},
		{"30 February", WithYearlyClosingDay(time.February, 30, "x"), false},
		{"29 February", WithYearlyClosingDay(time.February, 29, "x"), false},
		{"31 June", WithYearlyClosingDay(time.June, 31, "x"), false},
		{"day 0", WithYearlyClosingDay(time.May, 0, "x"), false},
		{"month 13", WithYearlyClosingDay(13, 1, "x"), false},
		{"28 February", WithYearlyClosingDay(time.February, 28, "x"), true},
		{"31 December", WithYearlyClosingDay(time.December, 31, "x"), true},
		{"one-off 30 February", WithClosingDay(Date{2026, time.February, 30}, "x"), false},
		{"one-off 29 February 2028", WithClosingDay(Date{2028, time.February, 29}, "x"), true},
		{"one-off 29 February 2027", WithClosingDay(Date{2027, time.February, 29}, "x"), false},
		{"community 9", WithCommunity(9), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal, err := Build(tt.opt)
			if tt.ok {
				require.NoError(t, err)
				require.NotNil(t, cal)
				return
			}
			var ve *errs.ValidationError
			require.True(t, errors.As(err, &ve), "want a validation error, got %v", err)
			assert.Len(t, ve.Fields, 1)
			assert.Nil(t, cal)
			assert.Panics(t, func() { New(tt.opt) })
			assert.Panics(t, func() { Flanders(tt.opt) })
		})
	}
	_, err := Build(WithYearlyClosingDay(time.April, 31, "x"), WithClosingDay(Date{2026, 2, 30}, "y"))
	var ve *errs.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Fields, 2, "every impossible date is named")

	// Before, 31 April closed 1 May... which is a holiday anyway; 31 June
	// closed 1 July, a working day: it must stay one.
	cal := Flanders(WithYearlyClosingDay(time.June, 30, "x"))
	assert.True(t, cal.IsWorkingDay(NewDate(2026, time.July, 1)))
}

// FuzzYearlyClosingDay: a yearly closing day is accepted exactly when the
// day exists in every year, and then closes that very day, every year.
func FuzzYearlyClosingDay(f *testing.F) {
	f.Add(4, 31, 2026)
	f.Add(2, 29, 2028)
	f.Add(12, 26, 2030)
	f.Add(0, 1, 1900)
	f.Fuzz(func(t *testing.T, m, day, y int) {
		if y < MinYear || y > MaxYear {
			return
		}
		everyYear := true
		for _, year := range []int{2023, 2024} { // a common and a leap year
			got := time.Date(year, time.Month(m), day, 12, 0, 0, 0, time.UTC)
			everyYear = everyYear && m >= 1 && m <= 12 && got.Month() == time.Month(m) && got.Day() == day
		}
		cal, err := Build(WithYearlyClosingDay(time.Month(m), day, "x"))
		if !everyYear {
			var ve *errs.ValidationError
			require.ErrorAs(t, err, &ve, "month %d day %d", m, day)
			return
		}
		require.NoError(t, err)
		name, ok := cal.HolidayName(Date{y, time.Month(m), day})
		assert.True(t, ok)
		if name != "x" { // a federal holiday on the same day keeps its name
			_, federal := New().HolidayName(Date{y, time.Month(m), day})
			assert.True(t, federal)
		}
		assert.False(t, cal.IsWorkingDay(Date{y, time.Month(m), day}))
	})
}
