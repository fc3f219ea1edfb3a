package wiring

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// This file is what the virtual assistant needs from the other building
// blocks (assistant.Dossiers, Appointments, Handover), made of their read
// use cases and of casefile.

// errNotTheVisitor is a programming error: the assistant asked for a
// person who is not the one signed in on the request.
var errNotTheVisitor = errors.New("wiring: the assistant asked for someone other than the signed-in visitor")

// visitorFor returns the signed-in visitor of ctx when p is them. The
// person's dossiers are looked up for the visitor the host put in the
// request's context, never for an ID alone.
func visitorFor(ctx context.Context, p assistant.Person) (frontoffice.Visitor, error) {
	v, ok := frontoffice.VisitorFrom(ctx)
	if !ok || v.Subject == "" || v.Subject != p.ID {
		return frontoffice.Visitor{}, errNotTheVisitor
	}
	return v, nil
}

// DossierSource is a block's section of "Mijn dossiers": the visitor's own
// dossiers of that block, by the block's read use case.
type DossierSource interface {
	Dossiers(ctx context.Context, v frontoffice.Visitor) (frontoffice.DossierSection, error)
}

// AssistantDossiers answers "where is my dossier" ("waar staat mijn
// dossier") from the same read use cases as "Mijn dossiers": the
// reports and questions, permits, subsidy applications, appointments,
// invoices and post of the signed-in person (and of the enterprise they
// act for). Open dossiers come first; at most MaxDossiers.
type AssistantDossiers struct {
	Sources []DossierSource
}

// MaxDossiers bounds the dossiers one answer lists.
const MaxDossiers = 12

// Dossiers implements assistant.Dossiers.
func (d AssistantDossiers) Dossiers(ctx context.Context, p assistant.Person) ([]assistant.DossierStatus, error) {
	v, err := visitorFor(ctx, p)
	if err != nil {
		return nil, err
	}
	var open, done []assistant.DossierStatus
	for _, src := range d.Sources {
		sec, err := src.Dossiers(ctx, v)
		if err != nil {
			return nil, err
		}
		for _, it := range sec.Items {
			title := sec.Title
			if it.Subject != "" {
				title += ": " + it.Subject
			}
			s := assistant.DossierStatus{Reference: it.Reference, Title: title, Status: it.Status, URL: it.Link}
			if it.Done {
				done = append(done, s)
			} else {
				open = append(open, s)
			}
		}
	}
	all := append(open, done...)
	return all[:min(len(all), MaxDossiers)], nil
}

// AssistantAppointments offers the free slots of the appointment service
// that handles a catalogue entry, each linking to the booking page with
// the slot chosen.
type AssistantAppointments struct {
	Scheduler *appointment.Scheduler
	Location  string
	// Services maps a catalogue entry's ID to the appointment service that
	// handles it; an entry with the ID of a service maps to it by itself.
	Services map[string]string
	// Offered are the services, in order, offered when the question names
	// none (one slot each).
	Offered []appointment.Service
	// Booking is the booking page ("/afspraak-maken").
	Booking string
	Clock   clock.Clock
}

// Slots implements assistant.Appointments.
func (a AssistantAppointments) Slots(ctx context.Context, entryID string, limit int) ([]assistant.Slot, error) {
	if entryID == "" {
		var out []assistant.Slot
		for _, svc := range a.Offered {
			s, err := a.slots(ctx, svc, 1)
			if err != nil {
				return nil, err
			}
			out = append(out, s...)
			if len(out) >= limit {
				break
			}
		}
		return out, nil
	}
	id, ok := a.Services[entryID]
	if !ok {
		id = entryID
	}
	i := slices.IndexFunc(a.Offered, func(s appointment.Service) bool { return s.ID == id })
	if i < 0 {
		return nil, nil // no appointment for this service: the assistant says so
	}
	return a.slots(ctx, a.Offered[i], limit)
}

// slotWindow is how far ahead the assistant looks for free slots.
const slotWindow = 14

func (a AssistantAppointments) slots(ctx context.Context, svc appointment.Service, limit int) ([]assistant.Slot, error) {
	today := calendar.DateIn(a.Clock.Now())
	free, err := a.Scheduler.Availability(ctx, appointment.Query{ServiceID: svc.ID, LocationID: a.Location, From: today, To: today.AddDays(slotWindow), Channel: appointment.Web})
	if err != nil {
		return nil, fmt.Errorf("assistant slots of %s: %w", svc.ID, err)
	}
	var out []assistant.Slot
	for _, sl := range free[:min(len(free), limit)] {
		start := sl.Start.In(clock.Brussels)
		q := url.Values{"dienst": {svc.ID}, "van": {calendar.DateIn(start).String()}, "start": {sl.Start.UTC().Format(time.RFC3339)}}
		out = append(out, assistant.Slot{
			Start: sl.Start,
			Label: svc.Name + ": " + frontoffice.LongDay(calendar.DateIn(start)) + " om " + start.Format("15:04"),
			URL:   a.Booking + "?" + q.Encode(),
		})
	}
	return out, nil
}

// AssistantHandover hands a conversation over to a person as a question
// case ("vraag") in the clerk's worklist, filed for the signed-in person
// with the redacted transcript as its description. The clerk answers it as
// any question; the citizen follows it in "Mijn dossiers".
type AssistantHandover struct {
	Cases *casefile.Service
	// Type is the question case type ("vragen"); Categories are its
	// categories in order of preference, the first it knows is used
	// ("general" of casefile.CitizenQuestions, "other" of the portal's own).
	Type       string
	Categories []string
	// Requester makes the signed-in visitor the case's requester, with
	// their contact details.
	Requester func(ctx context.Context, v frontoffice.Visitor) (casefile.Requester, error)
	// Link is the case's page for the citizen.
	Link func(c *casefile.Case) string
}

// maxTranscript keeps the description within casefile's limit.
const maxTranscript = 9000

// HandOver implements assistant.Handover.
func (h AssistantHandover) HandOver(ctx context.Context, r assistant.HandoverRequest) (assistant.Ticket, error) {
	if r.Person == nil {
		return assistant.Ticket{}, errors.New("wiring: a handover to a case needs a signed-in person")
	}
	v, err := visitorFor(ctx, *r.Person)
	if err != nil {
		return assistant.Ticket{}, err
	}
	req, err := h.Requester(ctx, v)
	if err != nil {
		return assistant.Ticket{}, err
	}
	ct, ok := h.Cases.CaseType(h.Type)
	if !ok {
		return assistant.Ticket{}, fmt.Errorf("wiring: no case type %q for the assistant's handover", h.Type)
	}
	category := ""
	for _, c := range h.Categories {
		if slices.ContainsFunc(ct.Categories, func(k casefile.Category) bool { return k.Code == c }) {
			category = c
			break
		}
	}
	c, err := h.Cases.Create(ctx, casefile.CreateRequest{
		Type: h.Type, Category: category, Requester: req, Channel: casefile.ChannelWeb,
		Description:    Transcript(r),
		Actor:          casefile.Actor{ID: req.ID, Role: casefile.RoleCitizen},
		IdempotencyKey: "assistant-handover:" + r.ConversationID.String(),
	})
	if err != nil {
		return assistant.Ticket{}, err
	}
	t := assistant.Ticket{Channel: assistant.ChannelCase, Reference: c.Reference}
	if h.Link != nil {
		t.URL = h.Link(c)
	}
	return t, nil
}

// Transcript writes a handover's redacted conversation for the clerk,
// oldest turn first; when it is too long, the oldest turns are left out.
func Transcript(r assistant.HandoverRequest) string {
	head := "Vraag doorgegeven door de virtuele assistent"
	switch r.Reason {
	case "out_of_scope":
		head += " (de assistent kon ze niet beantwoorden)"
	case "unresolved":
		head += " (niet opgelost)"
	}
	head += ". Het gesprek, zonder persoonsgegevens:\n"
	var turns []string
	for _, t := range r.Transcript {
		who := "Burger"
		if t.From == assistant.FromAssistant {
			who = "Assistent"
		}
		turns = append(turns, who+" ("+t.At.In(clock.Brussels).Format("15:04")+"): "+strings.TrimSpace(t.Text))
	}
	for len(turns) > 1 && len(head)+len(strings.Join(turns, "\n")) > maxTranscript {
		turns = turns[1:]
	}
	out := head + strings.Join(turns, "\n")
	if len(out) > maxTranscript {
		out = strings.ToValidUTF8(out[:maxTranscript], "") // a rune cut in two is dropped
	}
	return out
}
