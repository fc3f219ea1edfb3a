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

func ExampleBuild() {
	// Closing days typed in by a clerk: 31 April does not exist.
	_, err := calendar.Build(calendar.WithYearlyClosingDay(time.April, 31, "Opendeurdag"))
	fmt.Println(err != nil)
	cal, err := calendar.Build(calendar.WithCommunity(calendar.Flemish), calendar.WithYearlyClosingDay(time.November, 2, "Allerzielen"))
	fmt.Println(err, cal.IsWorkingDay(calendar.NewDate(2026, time.November, 2)))
	// Output:
	// true
	// <nil> false
}

func ExampleDate_At() {
	// On 29 March 2026 the clock jumps from 02:00 to 03:00; on 25 October it
	// shows 02:00–03:00 twice. A time of day is the first instant the clock shows it.
	fmt.Println(calendar.NewDate(2026, time.March, 29).At(2, 30, clock.Brussels).Format("15:04 MST"))
	fmt.Println(calendar.NewDate(2026, time.October, 25).At(2, 30, clock.Brussels).UTC().Format("15:04 MST"))
	// Output:
	// 03:00 CEST
	// 00:30 UTC
}

func ExampleAmbiguousWallTime() {
	// 00:30 and 01:30 UTC on 25 October 2026 both read 02:30 in Brussels.
	for _, t := range []time.Time{
		time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC),
		time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC),
		time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC),
	} {
		b := t.In(clock.Brussels)
		fmt.Println(b.Format("15:04 MST"), calendar.AmbiguousWallTime(b))
	}
	// Output:
	// 02:30 CEST true
	// 02:30 CET true
	// 03:30 CET false
}

func ExampleDate_AtTimeOf() {
	// 01:30 UTC on 25 October 2026 is the second 02:30 of that night (CET);
	// the same wall time two days earlier is in summer time.
	second := time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC).In(clock.Brussels)
	fmt.Println(calendar.NewDate(2026, time.October, 25).AtTimeOf(second).UTC().Format("15:04 MST"))
	fmt.Println(calendar.NewDate(2026, time.October, 23).AtTimeOf(second).Format("15:04 MST"))
	// Output:
	// 01:30 UTC
	// 02:30 CEST
}
