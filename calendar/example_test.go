package calendar_test

import (
	"fmt"
	"time"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

func ExampleCalendar_AddWorkingDays() {
	cal := calendar.Flanders(calendar.WithYearlyClosingDay(time.December, 26, "Tweede kerstdag"))
	start := calendar.NewDate(2026, time.December, 22)
	due := cal.AddWorkingDays(start, 5)
	fmt.Println(due, due.Weekday())
	fmt.Println(cal.WorkingDaysBetween(start, due))
	// Output:
	// 2026-12-30 Wednesday
	// 5
}

func ExampleCalendar_Due() {
	cal := calendar.Flanders()
	// Reported on Friday 27 March 2026 at 09:00; summer time starts that Sunday.
	reported := time.Date(2026, 3, 27, 9, 0, 0, 0, clock.Brussels)
	fmt.Println(cal.Due(reported, calendar.Deadline{Days: 3, WorkingDays: true}).Format("Mon 2006-01-02 15:04 MST"))
	// Output: Wed 2026-04-01 09:00 CEST
}
