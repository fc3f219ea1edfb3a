// Command deadline prints when a handling deadline in working days ends,
// counted on the calendar of a Flemish municipality: Belgian public
// holidays, 11 July, and the municipality's own closing days.
//
//	go run ./examples/deadline -from 2026-12-22 -days 10
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

func main() {
	from := flag.String("from", time.Now().In(clock.Brussels).Format(time.DateOnly), "start date (YYYY-MM-DD)")
	days := flag.Int("days", 10, "working days")
	flag.Parse()
	start, err := calendar.ParseDate(*from)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	cal := calendar.Flanders(
		calendar.WithYearlyClosingDay(time.January, 2, "Tweede nieuwjaarsdag"),
		calendar.WithYearlyClosingDay(time.December, 26, "Tweede kerstdag"),
	)
	due := cal.AddWorkingDays(start, *days)
	fmt.Printf("%d working days after %s (%s) is %s (%s).\n", *days, start, start.Weekday(), due, due.Weekday())
	for y := start.Year; y <= due.Year; y++ {
		for _, h := range cal.Holidays(y) {
			if h.Date.After(start) && !h.Date.After(due) {
				fmt.Printf("  skipped %s %s\n", h.Date, h.Name)
			}
		}
	}
}
