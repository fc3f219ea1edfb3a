// Package rights is the portal's pages for proactive rights ("Mijn
// rechten") on the entitlement building block: what a citizen gets without
// asking, why, and how to opt out; and the clerk's batch run over the
// population.
//
// The package imports nothing of the portal that hosts it: it needs a Site
// (site.go) and reads who is signed in with frontoffice.VisitorFrom.
package rights

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// Block is the pages of proactive rights.
type Block struct {
	site   Site
	log    *slog.Logger
	pages  frontoffice.Pages
	rights *rights
}

// New returns the pages on the shipped example rules, over store and the
// demo register of residents. ctx is the portal's: a clerk's run outlives
// the request that started it.
func New(ctx context.Context, site Site, log *slog.Logger, store entitlement.Store, residents []Resident, policy entitlement.Policy) (*Block, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	rules, err := entitlement.Compile(policy)
	if err != nil {
		return nil, err
	}
	reg := newDemoRegister(rules.Schema(), residents, time.Now())
	return &Block{site: site, log: log, pages: pages, rights: &rights{
		svc: entitlement.NewService(rules, store, clock.Real{}, reg), rules: rules, register: reg, log: log, ctx: ctx,
		pace: func(int) { time.Sleep(2 * time.Millisecond) },
	}}, nil
}

// Service is the proactive service the pages read through.
func (a *Block) Service() *entitlement.Service { return a.rights.svc }

// SetPace replaces the pause before each made-up inhabitant of a clerk's
// run (tests run without one).
func (a *Block) SetPace(pace func(i int)) { a.rights.pace = pace }

// FirstRun runs the batch once when no right was granted yet, so "Mijn
// rechten" is not empty.
func (a *Block) FirstRun(ctx context.Context) error {
	for _, b := range a.rights.rules.Benefits() {
		for _, err := range a.rights.svc.Held(ctx, b.ID) {
			return err // rights were granted before (PostgreSQL): no first run
		}
	}
	run := a.rights.begin()
	a.rights.execute(ctx, run, nil)
	return run.Err
}

// Register adds the pages' routes to mux.
func (a *Block) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /mijn-rechten", frontoffice.RequireCitizen(a.site, a.myRights))
	mux.HandleFunc("POST /mijn-rechten/{benefit}/afzien", frontoffice.RequireCitizen(a.site, a.optOut))
	mux.HandleFunc("GET /balie/rechten", frontoffice.RequireClerk(a.site, a.batchPage))
	mux.HandleFunc("POST /balie/rechten", frontoffice.RequireClerk(a.site, a.batchStart))
}

// Menu returns the block's entries in the main menu.
func (a *Block) Menu() []frontoffice.MenuItem {
	return []frontoffice.MenuItem{
		{Label: "Mijn rechten", Href: "/mijn-rechten"},
		{Label: "Proactieve rechten", Href: "/balie/rechten", Clerk: true},
	}
}

// Dossiers returns the visitor's rights for "Mijn dossiers".
func (a *Block) Dossiers(ctx context.Context, v frontoffice.Visitor) (frontoffice.DossierSection, error) {
	return a.rightsSection(ctx, frontoffice.PersonOf(v))
}

// RunNow runs the batch over the population at once, as the clerk's button
// does but waiting for the end; it returns nil when a run is going on.
func (a *Block) RunNow(ctx context.Context) *BatchRun {
	run := a.rights.begin()
	if run == nil {
		return nil
	}
	a.rights.execute(ctx, run, nil)
	return run
}

// LastRun returns the running or last finished run, nil before the first.
func (a *Block) LastRun() *BatchRun {
	a.rights.mu.Lock()
	defer a.rights.mu.Unlock()
	if a.rights.last == nil {
		return nil
	}
	run := *a.rights.last
	return &run
}

// PopulationSize is how many inhabitants run number no assesses.
func (a *Block) PopulationSize(no int) int { return a.rights.register.size(no) }
