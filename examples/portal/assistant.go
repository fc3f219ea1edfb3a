package main

import (
	"context"
	"time"

	"github.com/lokaalbestuur/bouwstenen/assistant"
	assistantdemo "github.com/lokaalbestuur/bouwstenen/assistant/demo"
	assistantpg "github.com/lokaalbestuur/bouwstenen/assistant/pgstore"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web"
	assistantweb "github.com/lokaalbestuur/bouwstenen/examples/portal/web/assistant"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// demoAppointmentServices maps the demo catalogue's entries to the demo
// appointment service that handles them (an entry with a service's ID
// maps to it by itself).
var demoAppointmentServices = map[string]string{
	"kids-id": "identiteitskaart", "identiteitskaart-verlies": "identiteitskaart", "pincode-eid": "identiteitskaart",
	"vreemdelingenkaart": "identiteitskaart", "reistoestemming-minderjarige": "reispas",
	"voorlopig-rijbewijs": "rijbewijs", "internationaal-rijbewijs": "rijbewijs", "buitenlands-rijbewijs": "rijbewijs",
	"afvalophaling": "afval-milieu", "recyclagepark": "afval-milieu",
}

// sweepEvery is how often expired conversations are deleted.
const sweepEvery = 5 * time.Minute

// assistantPages makes the virtual assistant on the demo catalogue: its
// store (memory or PostgreSQL), what it needs of the other blocks, and its
// pages. Expired conversations are swept until ctx is done.
func (a *app) assistantPages(ctx context.Context, sources []web.Block) (*assistantweb.Block, error) {
	var store assistant.Store = assistant.NewMemStore(a.be.Sink())
	if a.be.Postgres() {
		pg := assistantpg.New(a.be.Pool)
		if err := pg.Migrate(ctx); err != nil {
			return nil, err
		}
		store = pg
	}
	var dossiers wiring.AssistantDossiers
	for _, b := range sources {
		if d, ok := b.(wiring.DossierSource); ok {
			dossiers.Sources = append(dossiers.Sources, d)
		}
	}
	svc, err := assistant.NewService(assistant.Config{
		Store: store, Dossiers: dossiers,
		Appointments: wiring.AssistantAppointments{Scheduler: a.scheduler, Location: demo.LocationID, Services: demoAppointmentServices,
			Offered: demo.Services(), Booking: "/afspraak-maken", Clock: clock.Real{}},
		Handover: wiring.AssistantHandover{Cases: a.cases, Type: "vragen", Categories: []string{"general", "other"},
			Requester: a.requester, Link: func(c *casefile.Case) string { return "/mijn-dossiers/" + c.ID.String() }},
	})
	if err != nil {
		return nil, err
	}
	entries, err := assistant.LoadCatalogue(assistantdemo.CatalogueYAML())
	if err != nil {
		return nil, err
	}
	if err := svc.Import(ctx, entries); err != nil {
		return nil, err
	}
	a.assistant = svc
	go func() {
		t := time.NewTicker(sweepEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := svc.Sweep(ctx); err != nil && ctx.Err() == nil {
					a.log.Warn("sweeping the assistant's conversations failed", "err", err)
				}
			}
		}
	}()
	return assistantweb.New(a.server, a.log, assistantweb.Deps{Assistant: svc, Entries: store})
}

// requester is the signed-in visitor as the requester of a question case,
// with the contact details the demo keeps of them.
func (a *app) requester(_ context.Context, v frontoffice.Visitor) (casefile.Requester, error) {
	r := casefile.Requester{Kind: casefile.PartyPerson, ID: string(v.INSZ), Name: v.Name()}
	if p, ok := a.town.Person(v.Subject); ok {
		r.Email, r.Phone = p.Email, p.Phone
	}
	return r, nil
}
