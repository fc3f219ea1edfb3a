package permit

import "github.com/lokaalbestuur/bouwstenen/internal/errs"

// The limits on what one application may ask for. Every occurrence is kept
// (conflicts, the export and the fee see them all), so an application's
// size is bounded before its schedules are expanded: a daily schedule of
// three years is 1,097 occurrences, and a few thousand copies of it would
// otherwise take a gigabyte.
const (
	// MaxPeriods is the most one-off periods an application may have.
	MaxPeriods = 1000
	// MaxSchedules is the most recurring schedules an application may have.
	MaxSchedules = 100
	// MaxOccurrences is the most occurrences an application's periods and
	// schedules may yield together.
	MaxOccurrences = 5000
)

// occurrenceLimits refuses periods and schedules beyond the limits,
// counting the schedules' occurrences without expanding them.
func occurrenceLimits(periods []Period, schedules []Schedule) error {
	var c errs.Collector
	if len(periods) > MaxPeriods {
		c.Add("periods", "max", "an application has at most %d periods, not %d", MaxPeriods, len(periods))
	}
	if len(schedules) > MaxSchedules {
		c.Add("schedules", "max", "an application has at most %d schedules, not %d", MaxSchedules, len(schedules))
	}
	if c.Err() != nil {
		return c.Err()
	}
	n := len(periods)
	for _, s := range schedules {
		n += s.count()
	}
	if n > MaxOccurrences {
		c.Add("schedules", "max", "the periods and schedules yield %d occurrences; an application may have at most %d", n, MaxOccurrences)
	}
	return c.Err()
}
