// Package cases is the portal's pages for reports and questions
// ("meldingen" and "vragen") on the casefile building block: the citizen's
// forms, the case page in "Mijn dossiers", and the clerk's worklist.
//
// The package imports nothing of the portal that hosts it: it needs a Site
// (site.go) and reads who is signed in with frontoffice.VisitorFrom.
package cases

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// Block is the pages of reports and questions.
type Block struct {
	site  Site
	log   *slog.Logger
	pages map[string]*template.Template
	cases *casefile.Service
}

// New returns the pages on svc, which knows the case types "meldingen" and
// "vragen" (QuestionsType).
func New(site Site, log *slog.Logger, svc *casefile.Service) (*Block, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Block{site: site, log: log, pages: pages, cases: svc}, nil
}

// Register adds the pages' routes to mux.
func (a *Block) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /mijn-dossiers/{id}", a.requirePerson(a.dossier))
	mux.HandleFunc("GET /melding-maken", a.requireCitizen(a.reportNew))
	mux.HandleFunc("POST /melding-maken", a.requireCitizen(a.reportCreate))
	mux.HandleFunc("GET /vraag-stellen", a.requireCitizen(a.questionNew))
	mux.HandleFunc("POST /vraag-stellen", a.requireCitizen(a.questionCreate))
	mux.HandleFunc("GET /balie/meldingen", a.requireClerk(a.clerkList))
	mux.HandleFunc("POST /balie/meldingen/{id}", a.requireClerk(a.clerkTransition))
}

// Menu returns the block's entries in the main menu.
func (a *Block) Menu() []frontoffice.MenuItem {
	return []frontoffice.MenuItem{
		{Label: "Melding maken", Href: "/melding-maken"},
		{Label: "Vraag stellen", Href: "/vraag-stellen"},
		{Label: "Meldingen", Href: "/balie/meldingen", Clerk: true},
	}
}

// Dossiers returns the visitor's reports and questions for "Mijn dossiers".
func (a *Block) Dossiers(ctx context.Context, v frontoffice.Visitor) (frontoffice.DossierSection, error) {
	return a.caseSection(ctx, personOf(v))
}
