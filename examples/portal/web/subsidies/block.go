// Package subsidies is the portal's pages for subsidies on the subsidy
// building block: the open calls, the application form for citizens and
// enterprises, the application page, and the clerk's admissibility check,
// scoring and decision.
//
// The package imports nothing of the portal that hosts it: it needs a Site
// (site.go) and reads who is signed in with frontoffice.VisitorFrom.
package subsidies

import (
	"context"
	"log/slog"
	"net/http"
	"sync"

	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

// Block is the subsidy pages.
type Block struct {
	site      Site
	log       *slog.Logger
	pages     frontoffice.Pages
	subsidies *subsidy.Service
	// callTitles caches each call's title (uuid.UUID → string) for "Mijn
	// dossiers", so the overview reads no call per application. The
	// subsidy service never changes a call's title after CreateCall.
	callTitles sync.Map
}

// New returns the subsidy pages on svc.
func New(site Site, log *slog.Logger, svc *subsidy.Service) (*Block, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Block{site: site, log: log, pages: pages, subsidies: svc}, nil
}

// Register adds the pages' routes to mux.
func (a *Block) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /subsidies", frontoffice.RequireCitizen(a.site, a.subsidyCalls))
	mux.HandleFunc("GET /subsidies/oproepen/{call}", frontoffice.RequireCitizen(a.site, a.subsidyApplyForm))
	mux.HandleFunc("POST /subsidies/oproepen/{call}", frontoffice.RequireCitizen(a.site, a.subsidyApply))
	mux.HandleFunc("GET /subsidies/aanvragen/{id}", frontoffice.RequireCitizen(a.site, a.subsidyApplication))
	mux.HandleFunc("GET /balie/subsidies", frontoffice.RequireClerk(a.site, a.clerkSubsidyCalls))
	mux.HandleFunc("GET /balie/subsidies/oproepen/{call}", frontoffice.RequireClerk(a.site, a.clerkSubsidyCall))
	mux.HandleFunc("GET /balie/subsidies/aanvragen/{id}", frontoffice.RequireClerk(a.site, a.clerkSubsidyApplication))
	mux.HandleFunc("POST /balie/subsidies/aanvragen/{id}", frontoffice.RequireClerk(a.site, a.clerkSubsidyAction))
}

// Menu returns the block's entries in the main menu.
func (a *Block) Menu() []frontoffice.MenuItem {
	return []frontoffice.MenuItem{
		{Label: "Subsidie aanvragen", Href: "/subsidies"},
		{Label: "Subsidies", Href: "/balie/subsidies", Clerk: true},
	}
}

// Dossiers returns the visitor's subsidy applications for "Mijn dossiers".
func (a *Block) Dossiers(ctx context.Context, v frontoffice.Visitor) (frontoffice.DossierSection, error) {
	return a.subsidySection(ctx, frontoffice.PersonOf(v))
}
