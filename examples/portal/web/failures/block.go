// Package failures is the clerk's page "Storingen": the events a consumer
// failed to handle, waiting for a retry or parked after its last attempt,
// each with a button that tries it again at once.
//
// The package imports nothing of the portal that hosts it: it needs a Site
// (site.go) and reads who is signed in with frontoffice.VisitorFrom.
package failures

import (
	"log/slog"
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// Block is the page "Storingen".
type Block struct {
	site   Site
	log    *slog.Logger
	pages  frontoffice.Pages
	events event.Consumers
}

// New returns the page over the portal's event consumers.
func New(site Site, log *slog.Logger, events event.Consumers) (*Block, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Block{site: site, log: log, pages: pages, events: events}, nil
}

// Register adds the page's routes to mux.
func (a *Block) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /balie/storingen", frontoffice.RequireClerk(a.site, a.clerkFailures))
	mux.HandleFunc("POST /balie/storingen/opnieuw", frontoffice.RequireClerk(a.site, a.clerkReplay))
}

// Menu returns the block's entry in the main menu.
func (a *Block) Menu() []frontoffice.MenuItem {
	return []frontoffice.MenuItem{{Label: "Storingen", Href: "/balie/storingen", Clerk: true}}
}
