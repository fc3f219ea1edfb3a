// Package appointments is the portal's pages for appointments at the
// counter ("afspraken") on the appointment building block: booking a free
// slot, moving and cancelling it, its .ics, and the clerk's day overview.
//
// The package imports nothing of the portal that hosts it: it needs a Site
// (site.go) and reads who is signed in with frontoffice.VisitorFrom.
package appointments

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// Block is the appointment pages.
type Block struct {
	site  Site
	log   *slog.Logger
	pages frontoffice.Pages
	appt  *appointments
}

// Deps is what the appointment pages work on.
type Deps struct {
	Scheduler *appointment.Scheduler
	Calendar  *calendar.Calendar
	// Location is where the pages book; Services the catalogue in the
	// order the form offers it.
	Location string
	Services []appointment.Service
	ICS      appointment.ICSOptions
}

// New returns the appointment pages.
func New(site Site, log *slog.Logger, d Deps) (*Block, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Block{site: site, log: log, pages: pages, appt: &appointments{
		sched: d.Scheduler, cal: d.Calendar, location: d.Location, services: d.Services, ics: d.ICS,
	}}, nil
}

// Register adds the pages' routes to mux.
func (a *Block) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /afspraak-maken", frontoffice.RequireCitizen(a.site, a.appointmentNew))
	mux.HandleFunc("POST /afspraak-maken", frontoffice.RequireCitizen(a.site, a.appointmentCreate))
	mux.HandleFunc("GET /afspraken/{id}", frontoffice.RequireCitizen(a.site, a.appointmentShow))
	mux.HandleFunc("GET /afspraken/{id}/verplaatsen", frontoffice.RequireCitizen(a.site, a.appointmentMoveForm))
	mux.HandleFunc("POST /afspraken/{id}/verplaatsen", frontoffice.RequireCitizen(a.site, a.appointmentMove))
	mux.HandleFunc("POST /afspraken/{id}/annuleren", frontoffice.RequireCitizen(a.site, a.appointmentCancel))
	mux.HandleFunc("GET /afspraken/{id}/afspraak.ics", frontoffice.RequireCitizen(a.site, a.appointmentICS))
	mux.HandleFunc("GET /balie/afspraken", frontoffice.RequireClerk(a.site, a.clerkAppointments))
}

// Menu returns the block's entries in the main menu.
func (a *Block) Menu() []frontoffice.MenuItem {
	return []frontoffice.MenuItem{
		{Label: "Afspraak maken", Href: "/afspraak-maken"},
		{Label: "Afspraken (balie)", Href: "/balie/afspraken", Clerk: true},
	}
}

// Dossiers returns the visitor's appointments for "Mijn dossiers".
func (a *Block) Dossiers(ctx context.Context, v frontoffice.Visitor) (frontoffice.DossierSection, error) {
	return a.appointmentSection(ctx, frontoffice.PersonOf(v))
}
