package main

import (
	"context"
	"net/http"
	"time"
)

// dossierItem is one line of "Mijn dossiers", whichever building block it
// comes from.
type dossierItem struct {
	Reference string
	Link      string // the page of the dossier, empty when it has none
	Subject   string
	Status    string
	// Date is the next date that matters (a deadline, an appointment, a
	// due date); zero when there is none.
	Date time.Time
	Done bool
}

// dossierSection is the part of "Mijn dossiers" that one building block
// fills: a person's reports, permits, subsidy applications, appointments,
// invoices, rights.
type dossierSection struct {
	Title     string
	Empty     string   // shown when Items is empty
	DateLabel string   // the heading of the Date column
	Action    *navLink // where to start a new one, if anywhere
	Items     []dossierItem
}

// dossierSource fills one section for a person (and the enterprise they act
// for, if any).
type dossierSource func(ctx context.Context, p *person) (dossierSection, error)

// dossiers is "Mijn dossiers": every dossier of the person, one section per
// building block.
func (a *app) dossiers(w http.ResponseWriter, r *http.Request, p *person) {
	sections := make([]dossierSection, 0, len(a.sources))
	for _, src := range a.sources {
		sec, err := src(r.Context(), p)
		if err != nil {
			a.serverError(w, r, err.Error())
			return
		}
		sections = append(sections, sec)
	}
	a.render(w, r, http.StatusOK, "dossiers.html", map[string]any{"Title": "Mijn dossiers", "Sections": sections})
}
