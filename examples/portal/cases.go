package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/pgstore"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

// demoRouting sends reports to the demo municipality's teams by category;
// questions and everything else go to the counter ("balie").
var demoRouting = []casefile.RoutingRule{
	{Team: "verlichting", Category: "street_lighting"},
	{Team: "netheid", Category: "waste"},
	{Team: "openbaar-domein", Category: "roads"},
	{Team: "openbaar-domein", Category: "traffic_signs"},
	{Team: "groen", Category: "greenery"},
}

// teamNames are the demo teams in Dutch, for the clerk's worklist.
var teamNames = map[string]string{
	"balie": "Balie", "verlichting": "Openbare verlichting", "netheid": "Netheid",
	"openbaar-domein": "Wegen en openbaar domein", "groen": "Groendienst",
}

// setupCases composes the case engine of the demo municipality: the shipped
// public-space case type ("meldingen") with the Flemish calendar and the real
// clock, seeded with a few demo reports when the store is empty.
func (a *app) setupCases(ctx context.Context) error {
	var store casefile.Store = casefile.NewMemStore(a.be.sink())
	if a.be.postgres() {
		pg := pgstore.New(a.be.pool)
		if err := pg.Migrate(ctx); err != nil {
			return err
		}
		store = pg
	}
	questions, err := questionsType()
	if err != nil {
		return err
	}
	svc, err := casefile.NewService(casefile.Config{
		Municipality: "99999",
		Store:        store,
		Clock:        clock.Real{},
		Calendar:     calendar.Flanders(),
		Types:        []*casefile.CaseType{casefile.PublicSpaceReports(), questions},
		Routing:      demoRouting,
		DefaultTeam:  "balie",
	})
	if err != nil {
		return err
	}
	a.cases = svc
	a.nav = append(a.nav,
		navLink{Label: "Melding maken", Href: "/melding-maken"},
		navLink{Label: "Vraag stellen", Href: "/vraag-stellen"},
		navLink{Label: "Meldingen", Href: "/balie/meldingen", Clerk: true},
	)
	a.sources = append(a.sources, a.caseSection)
	page, err := svc.List(ctx, casefile.Query{Limit: 1})
	if err != nil || len(page.Cases) > 0 {
		return err // a PostgreSQL database that has cases is not seeded again
	}
	return seedCases(ctx, svc, a.town)
}

// seedCases files demo reports through the service, so they carry the same
// references, deadlines and timelines as real ones.
func seedCases(ctx context.Context, svc *casefile.Service, town *municipality) error {
	handler := casefile.Actor{ID: "demo-behandelaar", Role: casefile.RoleHandler}
	seeds := []struct {
		person, category, sub, text string
		transitions                 []string
	}{
		{"an", "street_lighting", "lamp_out", "De straatlamp voor mijn deur brandt niet meer.", nil},
		{"an", "waste", "illegal_dump", "Sluikstort naast de glasbol.", []string{"accept"}},
		{"an", "roads", "pothole", "Diepe put in het fietspad.", []string{"accept", "resolve"}},
		{"mohamed", "greenery", "mowing", "Het gras in het park is niet gemaaid.", []string{"accept"}},
	}
	for _, s := range seeds {
		p, ok := town.person(s.person)
		if !ok {
			return fmt.Errorf("seed: unknown person %q", s.person)
		}
		c, err := svc.Create(ctx, casefile.CreateRequest{
			Type: "meldingen", Category: s.category, Subcategory: s.sub,
			Requester:   requester(p),
			Channel:     casefile.ChannelWeb,
			Location:    casefile.Location{Address: p.Address},
			Description: s.text,
			Actor:       casefile.Actor{ID: p.ID, Role: casefile.RoleCitizen},
		})
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		for _, tr := range s.transitions {
			req := casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: tr, Actor: handler}
			if tr == "resolve" {
				req.Result, req.Text = "repaired", "De put is gedicht."
			}
			if c, err = svc.Transition(ctx, req); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
		}
	}
	return nil
}

// requester identifies p as the requester by national register number, as
// the service expects, so "Mijn dossiers" finds the case again.
func requester(p *person) casefile.Requester {
	return casefile.Requester{Kind: casefile.PartyPerson, ID: string(p.INSZ), Name: p.Name, Email: p.Email, Phone: p.Phone}
}

// caseSection lists the person's reports for "Mijn dossiers".
func (a *app) caseSection(ctx context.Context, p *person) (dossierSection, error) {
	sec := dossierSection{
		Title: "Meldingen en vragen", Empty: "U hebt nog geen meldingen of vragen.", DateLabel: "Uiterlijk behandeld op",
		Action: &navLink{Label: "Een probleem melden", Href: "/melding-maken"},
	}
	// Never query with an empty RequesterID: it matches every case. The
	// demo clerk has none.
	for _, rid := range requesterIDs(p) {
		if err := a.addCases(ctx, &sec, rid); err != nil {
			return sec, err
		}
	}
	return sec, nil
}

// addCases adds the cases of one requester to sec.
func (a *app) addCases(ctx context.Context, sec *dossierSection, requesterID string) error {
	for c, err := range a.cases.All(ctx, casefile.Query{RequesterID: requesterID}) {
		if err != nil {
			return err
		}
		v := a.citizenView(c)
		if c.Type == "vragen" {
			v.Category = "Vraag: " + v.Category
		}
		if c.Requester.Kind == casefile.PartyEnterprise {
			v.Category += " (onderneming)"
		}
		item := dossierItem{Reference: c.Reference, Link: "/mijn-dossiers/" + c.ID.String(), Subject: v.Category, Status: v.StatusLabel, Done: c.Closed}
		if !c.Closed {
			item.Date = c.Due
		}
		sec.Items = append(sec.Items, item)
	}
	return nil
}

// citizenView labels a case for the list without loading its timeline.
func (a *app) citizenView(c *casefile.Case) casefile.CitizenView {
	ct, _ := a.cases.CaseType(c.Type)
	v := casefile.NewCitizenView(ct, c, nil, "nl")
	v.Category, v.Subcategory = categoryLabels(ct, c.Category, c.Subcategory)
	return v
}

// categoryLabels gives the Dutch labels of a category and sub-category code;
// the citizen view carries the codes.
func categoryLabels(ct *casefile.CaseType, cat, sub string) (string, string) {
	if ct == nil {
		return cat, sub
	}
	for _, k := range ct.Categories {
		if k.Code != cat {
			continue
		}
		subLabel := sub
		for _, s := range k.Subcategories {
			if s.Code == sub {
				subLabel = s.Label.In("nl")
			}
		}
		return k.Label.In("nl"), subLabel
	}
	return cat, sub
}

// dossier shows one of the person's cases as the citizen sees it. Someone
// else's case is "not found", so its existence is not revealed.
func (a *app) dossier(w http.ResponseWriter, r *http.Request, p *person) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		a.notFound(w, r)
		return
	}
	c, err := a.cases.Get(r.Context(), id)
	if errors.Is(err, casefile.ErrNotFound) || (err == nil && !slices.Contains(requesterIDs(p), c.Requester.ID)) {
		a.notFound(w, r)
		return
	}
	if err != nil {
		a.serverError(w, r, err.Error())
		return
	}
	v, err := a.cases.CitizenView(r.Context(), c.Reference, "nl")
	if err != nil {
		a.serverError(w, r, err.Error())
		return
	}
	ct, _ := a.cases.CaseType(c.Type)
	v.Category, v.Subcategory = categoryLabels(ct, v.Category, v.Subcategory)
	a.render(w, r, http.StatusOK, "dossier.html", map[string]any{"Title": "Dossier " + v.Reference, "Case": v})
}

func (a *app) notFound(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusNotFound, "error.html", map[string]any{"Title": "Pagina niet gevonden", "Message": "Deze pagina bestaat niet."})
}
