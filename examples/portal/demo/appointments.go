package demo

import (
	"context"
	"time"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// LocationID is the demo town hall, where every demo service is booked.
const LocationID = "gemeentehuis"

// Services is the demo catalogue. Up to two open bookings per citizen
// and service; changes up to two hours before the visit.
func Services() []appointment.Service {
	notice := appointment.Notice{Book: time.Hour, Reschedule: 2 * time.Hour, Cancel: 2 * time.Hour}
	horizon := 60 * 24 * time.Hour
	return []appointment.Service{
		{ID: "identiteitskaart", Name: "Identiteitskaart", Duration: 15 * time.Minute, Notice: notice, Horizon: horizon, Capacity: 1, MaxOpenPerCitizen: 2,
			Documents: []string{"uw huidige identiteitskaart", "de oproepingsbrief (als u die kreeg)"}},
		{ID: "reispas", Name: "Reispas", Duration: 20 * time.Minute, Notice: notice, Horizon: horizon, Capacity: 1, MaxOpenPerCitizen: 2,
			Documents: []string{"uw identiteitskaart", "uw oude reispas"}},
		{ID: "rijbewijs", Name: "Rijbewijs", Duration: 15 * time.Minute, Notice: notice, Horizon: horizon, Capacity: 1, MaxOpenPerCitizen: 2,
			Documents: []string{"uw identiteitskaart", "uw oude rijbewijs of voorlopig rijbewijs", "een recente pasfoto"}},
		{ID: "afval-milieu", Name: "Afval & milieu", Duration: 20 * time.Minute, Notice: notice, Horizon: horizon, Capacity: 1, MaxOpenPerCitizen: 2,
			Documents: []string{"uw identiteitskaart"}},
	}
}

// Location is the demo town hall: two counters for identity papers and
// driving licences, a "milieuloket" with shorter hours, an evening opening
// on Wednesday, and a closing day for staff training on the first Friday at
// least three days after today.
func Location(town *Municipality, today calendar.Date) appointment.Location {
	hm := appointment.HM
	var hours []appointment.OpeningHours
	for wd := time.Monday; wd <= time.Saturday; wd++ {
		hours = append(hours, appointment.OpeningHours{Weekday: wd, Open: hm(9, 0), Close: hm(12, 0)})
	}
	hours = append(hours, appointment.OpeningHours{Weekday: time.Wednesday, Open: hm(14, 0), Close: hm(19, 0)})
	closure := today.AddDays(3)
	for closure.Weekday() != time.Friday {
		closure = closure.AddDays(1)
	}
	papers := []string{"identiteitskaart", "reispas", "rijbewijs"}
	return appointment.Location{
		ID: LocationID, Name: "Gemeentehuis " + town.Name, Address: town.Address.String(),
		Counters: []appointment.Counter{
			{ID: "loket-1", Name: "Loket 1", Services: papers},
			{ID: "loket-2", Name: "Loket 2", Services: papers},
			{ID: "milieuloket", Name: "Milieuloket", Services: []string{"afval-milieu"}, Hours: []appointment.OpeningHours{
				{Weekday: time.Tuesday, Open: hm(9, 0), Close: hm(12, 0)},
				{Weekday: time.Wednesday, Open: hm(14, 0), Close: hm(19, 0)},
				{Weekday: time.Thursday, Open: hm(9, 0), Close: hm(12, 0)},
			}},
		},
		Hours:      hours,
		Exceptions: []appointment.Exception{{Date: closure, Kind: appointment.Closed, Reason: "opleidingsdag personeel"}},
	}
}

// SeedAppointments defines the catalogue and the town hall, and books a few
// appointments through the scheduler: one for An, one for Mohamed and a
// phone booking for someone outside the demo.
func SeedAppointments(ctx context.Context, sched *appointment.Scheduler, cal *calendar.Calendar, town *Municipality) error {
	for _, s := range Services() {
		if err := sched.DefineService(ctx, s); err != nil {
			return err
		}
	}
	today := calendar.DateIn(time.Now())
	if err := sched.DefineLocation(ctx, Location(town, today)); err != nil {
		return err
	}
	an, _ := town.Person("an")
	mo, _ := town.Person("mohamed")
	seeds := []struct {
		service  string
		fromDays int
		channel  appointment.Channel
		citizen  appointment.Citizen
	}{
		{"identiteitskaart", 2, appointment.Web, appointment.Citizen{INSZ: an.INSZ, Name: an.Name, Email: an.Email, Phone: an.Phone}},
		{"afval-milieu", 3, appointment.Web, appointment.Citizen{INSZ: mo.INSZ, Name: mo.Name, Email: mo.Email, Phone: mo.Phone}},
		{"rijbewijs", 0, appointment.Phone, appointment.Citizen{Name: pii.Name{Given: "Jan", Family: "Claes"}, Email: "jan.claes@example.be"}},
	}
	for _, s := range seeds {
		from := today.AddDays(s.fromDays)
		slots, err := sched.Availability(ctx, appointment.Query{ServiceID: s.service, LocationID: LocationID, From: from, To: from.AddDays(14), Channel: s.channel})
		if err != nil {
			return err
		}
		if len(slots) == 0 {
			continue // nothing free: the demo does without this booking
		}
		if _, err := sched.Book(ctx, appointment.Request{ServiceID: s.service, LocationID: LocationID, Start: slots[0].Start, Channel: s.channel, Citizen: s.citizen}); err != nil {
			return err
		}
	}
	return nil
}
