package appointment_test

import (
	"time"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

var cal = calendar.Flanders()

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, clock.Brussels)
}

func eid() appointment.Service {
	return appointment.Service{
		ID: "eid", Name: "Identiteitskaart", Duration: 15 * time.Minute, Interval: 15 * time.Minute,
		Notice:  appointment.Notice{Book: time.Hour, Reschedule: 24 * time.Hour, Cancel: 2 * time.Hour},
		Horizon: 60 * 24 * time.Hour, Capacity: 1, Documents: []string{"oude identiteitskaart", "pasfoto"}, MaxOpenPerCitizen: 2,
	}
}

func weekdays(open, close appointment.TimeOfDay) []appointment.OpeningHours {
	var hs []appointment.OpeningHours
	for wd := time.Monday; wd <= time.Friday; wd++ {
		hs = append(hs, appointment.OpeningHours{Weekday: wd, Open: open, Close: close})
	}
	return hs
}

func townHall() appointment.Location {
	return appointment.Location{
		ID: "gemeentehuis", Name: "Gemeentehuis", Address: "Markt 1, 9000 Gent",
		Counters: []appointment.Counter{
			{ID: "L1", Name: "Loket 1", Services: []string{"eid", "passport"}},
			{ID: "L2", Name: "Loket 2", Services: []string{"eid"}},
			{ID: "L3", Name: "Loket 3", Services: []string{"building"}},
		},
		Hours: weekdays(appointment.HM(9, 0), appointment.HM(12, 0)),
	}
}
