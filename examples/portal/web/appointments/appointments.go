package appointments

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
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
	// bookingWindow is how many days of free slots one page shows.
	bookingWindow = 14
)

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
func (a *Block) appointmentSection(ctx context.Context, p *person) (frontoffice.DossierSection, error) {
	sec := frontoffice.DossierSection{
		Title: "Afspraken", Empty: "U hebt geen afspraken.", DateLabel: "Datum",
		Action: &frontoffice.Link{Label: "Een afspraak maken", Href: "/afspraak-maken"},
	}
	if p.INSZ == "" || p.Enterprise != nil { // a person's own, not the enterprise's
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
		sec.Items = append(sec.Items, frontoffice.DossierItem{
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

// randomToken is a fresh key for a form, so posting it twice books once.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
