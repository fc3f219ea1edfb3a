package calendar

import "time"

// MinYear and MaxYear bound the years every bouwstenen service accepts in
// its input: a permit, a booking, a rule or a payment dated before 1900 or
// after 2200 is a typing error, not a plan, and years far outside this
// range break JSON encoding (year 10000) and PostgreSQL's date types.
const (
	MinYear = 1900
	MaxYear = 2200
)

// InHorizon reports whether d lies within MinYear and MaxYear, inclusive.
// The zero Date (no date) is not within the horizon.
func (d Date) InHorizon() bool { return d.Year >= MinYear && d.Year <= MaxYear }

// InHorizon reports whether t, read in Europe/Brussels, lies within MinYear
// and MaxYear, inclusive. The zero time is not within the horizon.
func InHorizon(t time.Time) bool { return DateIn(t).InHorizon() }
