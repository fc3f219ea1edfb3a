package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/appointment/pgstore"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// appointments is the appointment block of the portal: the scheduler of the
// demo town hall, which serves every read and write of the pages; the
// pages never reach its store.
type appointments struct {
	sched *appointment.Scheduler
	cal   *calendar.Calendar
	// services is the catalogue in the order the form offers it.
	services []appointment.Service
	location string
	ics      appointment.ICSOptions
}

// The demo town hall and what can be booked there.
const (
	demoLocationID = "gemeentehuis"
	// bookingWindow is how many days of free slots one page shows.
	bookingWindow = 14
)

// demoServices is the demo catalogue. Up to two open bookings per citizen
// and service; changes up to two hours before the visit.
func demoServices() []appointment.Service {
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

// demoLocation is the demo town hall: two counters for identity papers and
// driving licences, a "milieuloket" with shorter hours, an evening opening
// on Wednesday, and a closing day for staff training on the first Friday at
// least three days after today.
func demoLocation(town *municipality, today calendar.Date) appointment.Location {
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
		ID: demoLocationID, Name: "Gemeentehuis " + town.Name, Address: town.Address.String(),
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

// setupAppointments composes the appointment block: the scheduler with the
// Flemish calendar on the backend's store, the demo catalogue and town hall
// with a few bookings when the store has none, and the wiring that sends the
// citizen a confirmation (with the .ics) by their chosen channel.
func (a *app) setupAppointments(ctx context.Context) error {
	var store appointment.Store = appointment.NewMemStore(a.be.sink())
	if a.be.postgres() {
		pg := pgstore.New(a.be.pool)
		if err := pg.Migrate(ctx); err != nil {
			return err
		}
		store = pg
	}
	cal := calendar.Flanders()
	ap := &appointments{
		sched: appointment.NewScheduler(appointment.Config{Store: store, Clock: clock.Real{}, Calendar: cal}),
		cal:   cal, location: demoLocationID,
		ics: appointment.ICSOptions{Domain: "demogem.example.be", Organizer: "afspraken@demogem.example.be", OrganizerName: "Gemeente " + a.town.Name},
	}
	a.appt = ap
	a.nav = append(a.nav,
		navLink{Label: "Afspraak maken", Href: "/afspraak-maken"},
		navLink{Label: "Afspraken (balie)", Href: "/balie/afspraken", Clerk: true},
	)
	a.sources = append(a.sources, a.appointmentSection)
	if err := a.be.on(ctx, "notify booking changes", func(ctx context.Context, e event.Event) error {
		return bookingNotice(ctx, a.post, ap, a.town, e)
	}, appointment.EventConfirmed, appointment.EventRescheduled, appointment.EventCancelled); err != nil {
		return err
	}
	_, err := ap.sched.Service(ctx, demoServices()[0].ID)
	switch {
	case errors.Is(err, appointment.ErrNotFound):
		if err := seedAppointments(ctx, ap, a.town); err != nil {
			return fmt.Errorf("seed appointments: %w", err)
		}
	case err != nil:
		return err
	}
	for _, s := range demoServices() {
		svc, err := ap.sched.Service(ctx, s.ID)
		if err != nil {
			return err
		}
		ap.services = append(ap.services, svc)
	}
	return nil
}

// seedAppointments defines the catalogue and the town hall, and books a few
// appointments through the scheduler: one for An, one for Mohamed and a
// phone booking for someone outside the demo.
func seedAppointments(ctx context.Context, ap *appointments, town *municipality) error {
	for _, s := range demoServices() {
		if err := ap.sched.DefineService(ctx, s); err != nil {
			return err
		}
	}
	today := calendar.DateIn(time.Now())
	if err := ap.sched.DefineLocation(ctx, demoLocation(town, today)); err != nil {
		return err
	}
	an, _ := town.person("an")
	mo, _ := town.person("mohamed")
	seeds := []struct {
		service  string
		fromDays int
		channel  appointment.Channel
		citizen  appointment.Citizen
	}{
		{"identiteitskaart", 2, appointment.Web, citizenOf(an)},
		{"afval-milieu", 3, appointment.Web, citizenOf(mo)},
		{"rijbewijs", 0, appointment.Phone, appointment.Citizen{Name: pii.Name{Given: "Jan", Family: "Claes"}, Email: "jan.claes@example.be"}},
	}
	for _, s := range seeds {
		from := today.AddDays(s.fromDays)
		slots, err := ap.sched.Availability(ctx, appointment.Query{ServiceID: s.service, LocationID: ap.location, From: from, To: from.AddDays(bookingWindow), Channel: s.channel})
		if err != nil {
			return err
		}
		if len(slots) == 0 {
			continue // nothing free: the demo does without this booking
		}
		if _, err := ap.sched.Book(ctx, appointment.Request{ServiceID: s.service, LocationID: ap.location, Start: slots[0].Start, Channel: s.channel, Citizen: s.citizen}); err != nil {
			return err
		}
	}
	return nil
}

// citizenOf is the person as the scheduler knows them.
func citizenOf(p *person) appointment.Citizen {
	return appointment.Citizen{INSZ: p.INSZ, Name: p.Name, Email: p.Email, Phone: p.Phone}
}

// service returns the catalogue entry with id.
func (ap *appointments) service(id string) (appointment.Service, bool) {
	for _, s := range ap.services {
		if s.ID == id {
			return s, true
		}
	}
	return appointment.Service{}, false
}

// serviceName names a service for lists, falling back to its id.
func (ap *appointments) serviceName(id string) string {
	if s, ok := ap.service(id); ok {
		return s.Name
	}
	return id
}

// bookingsBetween returns the bookings at the town hall starting in
// [from, to), every counter, in start order.
func (ap *appointments) bookingsBetween(ctx context.Context, from, to time.Time) ([]appointment.Booking, error) {
	return ap.sched.Agenda(ctx, ap.location, from, to)
}

// appointmentSection lists the person's appointments of the last month and
// the coming months for "Mijn dossiers".
func (a *app) appointmentSection(ctx context.Context, p *person) (dossierSection, error) {
	sec := dossierSection{
		Title: "Afspraken", Empty: "U hebt geen afspraken.", DateLabel: "Datum",
		Action: &navLink{Label: "Een afspraak maken", Href: "/afspraak-maken"},
	}
	if p.INSZ == "" {
		return sec, nil
	}
	now := time.Now()
	bs, err := a.appt.sched.CitizenBookings(ctx, appointment.Citizen{INSZ: p.INSZ}, now.AddDate(0, -1, 0), now.AddDate(0, 6, 0))
	if err != nil {
		return sec, err
	}
	for _, b := range bs {
		st := b.StatusAt(now)
		if st == appointment.Held || st == appointment.Expired {
			continue
		}
		sec.Items = append(sec.Items, dossierItem{
			Reference: string(b.Reference), Link: "/afspraken/" + b.ID.String(),
			Subject: a.appt.serviceName(b.ServiceID) + ", " + dutchMoment(b.Start),
			Status:  bookingStatusLabel(st), Date: b.Start,
			Done: st != appointment.Confirmed || !b.Start.After(now),
		})
	}
	return sec, nil
}

// bookingStatusLabels are the statuses of a booking in Dutch.
var bookingStatusLabels = map[appointment.Status]string{
	appointment.Held:      "Voorlopig vastgehouden",
	appointment.Confirmed: "Bevestigd",
	appointment.Cancelled: "Geannuleerd",
	appointment.CheckedIn: "Aangemeld aan het loket",
	appointment.NoShow:    "Niet opgedaagd",
	appointment.Expired:   "Verlopen",
}

func bookingStatusLabel(s appointment.Status) string {
	if l, ok := bookingStatusLabels[s]; ok {
		return l
	}
	return string(s)
}

// bookingNotice sends the citizen of a booking its confirmation, move or
// cancellation by their chosen channel, with the .ics attached. Citizens
// without a national register number (a phone booking by e-mail address)
// have no party in the delivery package and are skipped.
func bookingNotice(ctx context.Context, n notifier, ap *appointments, town *municipality, e event.Event) error {
	be, err := event.Decode[appointment.BookingEvent](e)
	if err != nil {
		return err
	}
	b := be.Booking
	party := delivery.Party{Kind: delivery.Person, ID: string(b.Citizen.INSZ)}
	if party.Validate() != nil {
		return nil
	}
	svc, err := ap.sched.Service(ctx, b.ServiceID)
	if err != nil {
		return err
	}
	loc, err := ap.sched.Location(ctx, b.LocationID)
	if err != nil {
		return err
	}
	var subject, what string
	switch e.Type {
	case appointment.EventConfirmed:
		subject, what = "Bevestiging van uw afspraak %s", "Uw afspraak is bevestigd"
	case appointment.EventRescheduled:
		subject, what = "Uw afspraak %s is verplaatst", "Uw afspraak is verplaatst"
	default:
		subject, what = "Uw afspraak %s is geannuleerd", "Uw afspraak is geannuleerd"
	}
	var body strings.Builder
	if name := b.Citizen.Name.String(); name != "" {
		fmt.Fprintf(&body, "Beste %s,\n\n", name)
	}
	fmt.Fprintf(&body, "%s: %s op %s.\nAfspraaknummer: %s\nWaar: %s, %s\n", what, svc.Name, dutchMoment(b.Start), b.Reference, loc.Name, loc.Address)
	if b.Status != appointment.Cancelled && len(svc.Documents) > 0 {
		body.WriteString("\nMee te brengen:\n")
		for _, d := range svc.Documents {
			fmt.Fprintf(&body, "- %s\n", d)
		}
	}
	fmt.Fprintf(&body, "\nMet vriendelijke groeten,\nGemeente %s\n", town.Name)
	return n.notify(ctx, notice{
		ID: e.ID, Party: party, Name: b.Citizen.Name, Category: categoryAppointment,
		Subject: fmt.Sprintf(subject, b.Reference), Body: body.String(),
		Attachments: []delivery.Attachment{{Name: "afspraak-" + string(b.Reference) + ".ics", ContentType: "text/calendar; charset=utf-8",
			Data: appointment.ICS(b, svc, loc, ap.ics)}},
		Reference: string(b.Reference), Link: "/afspraken/" + b.ID.String(),
	})
}

var (
	dutchWeekdays = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
	dutchMonths   = [...]string{"", "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
)

// dutchDay writes a date the Dutch way: "dinsdag 3 maart 2026".
func dutchDay(d calendar.Date) string {
	return fmt.Sprintf("%s %d %s %d", dutchWeekdays[d.Weekday()], d.Day, dutchMonths[d.Month], d.Year)
}

// dutchMoment writes an instant in Brussels: "dinsdag 3 maart 2026 om 10:15".
func dutchMoment(t time.Time) string {
	return dutchDay(calendar.DateIn(t)) + " om " + t.In(clock.Brussels).Format("15:04")
}
