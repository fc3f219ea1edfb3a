// Package permits is the portal's pages for the occupation of public
// domain ("inname openbaar domein") on the permit building block: the
// citizen's and the entrepreneur's application form, the permit page with
// its fee, and the clerk's worklist and decisions.
//
// The package imports nothing of the portal that hosts it: it needs a Site
// (site.go) and reads who is signed in with frontoffice.VisitorFrom. What
// the portal keeps about a permit besides the permit itself lives in
// examples/portal/records. Copy this folder and records into a module of
// your own, implement Site, and the pages build.
package permits

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/permit"
)

// Block is the permit pages.
type Block struct {
	site     Site
	log      *slog.Logger
	pages    frontoffice.Pages
	permits  *permitBlock
	payments *payment.Service
}

// Deps is what the permit pages work on.
type Deps struct {
	Permits  *permit.Service
	Records  records.Permits
	Types    permit.Catalogue
	Calendar *calendar.Calendar
	Clock    clock.Clock
	// Payments shows the state of a granted permit's fee invoice.
	Payments *payment.Service
}

// New returns the permit pages.
func New(site Site, log *slog.Logger, d Deps) (*Block, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Block{site: site, log: log, pages: pages, payments: d.Payments,
		permits: &permitBlock{svc: d.Permits, records: d.Records, types: d.Types, cal: d.Calendar, clock: d.Clock}}, nil
}

// Empty reports whether the portal keeps no permit yet: a PostgreSQL
// database that has permits is not seeded again.
func (a *Block) Empty(ctx context.Context) (bool, error) { return a.permits.records.Empty(ctx) }

// Register adds the pages' routes to mux.
func (a *Block) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /vergunningen/aanvragen", frontoffice.RequireCitizen(a.site, a.permitNew))
	mux.HandleFunc("POST /vergunningen/aanvragen", frontoffice.RequireCitizen(a.site, a.permitCreate))
	mux.HandleFunc("GET /vergunningen/{id}", frontoffice.RequireCitizen(a.site, a.permitPage))
	mux.HandleFunc("GET /vergunningen/{id}/wijzigen", frontoffice.RequireCitizen(a.site, a.permitEdit))
	mux.HandleFunc("POST /vergunningen/{id}/wijzigen", frontoffice.RequireCitizen(a.site, a.permitUpdate))
	mux.HandleFunc("POST /vergunningen/{id}/indienen", frontoffice.RequireCitizen(a.site, a.permitSubmit))
	mux.HandleFunc("POST /vergunningen/{id}/intrekken", frontoffice.RequireCitizen(a.site, a.permitWithdraw))
	mux.HandleFunc("GET /balie/vergunningen", frontoffice.RequireClerk(a.site, a.clerkPermits))
	mux.HandleFunc("GET /balie/vergunningen/{id}", frontoffice.RequireClerk(a.site, a.clerkPermit))
	mux.HandleFunc("POST /balie/vergunningen/{id}", frontoffice.RequireClerk(a.site, a.clerkPermitAction))
}

// BodyLimits lets the application form carry its attachments.
func (a *Block) BodyLimits() map[string]int64 {
	return map[string]int64{
		"POST /vergunningen/aanvragen":     maxUpload,
		"POST /vergunningen/{id}/wijzigen": maxUpload,
	}
}

// Menu returns the block's entries in the main menu.
func (a *Block) Menu() []frontoffice.MenuItem {
	return []frontoffice.MenuItem{
		{Label: "Inname openbaar domein", Href: "/vergunningen/aanvragen"},
		{Label: "Vergunningen", Href: "/balie/vergunningen", Clerk: true},
	}
}

// Dossiers returns the visitor's permits for "Mijn dossiers".
func (a *Block) Dossiers(ctx context.Context, v frontoffice.Visitor) (frontoffice.DossierSection, error) {
	return a.permitSection(ctx, frontoffice.PersonOf(v))
}
