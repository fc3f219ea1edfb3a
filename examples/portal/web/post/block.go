// Package post is the portal's pages for the municipality's post ("Mijn
// post") on the delivery building block: the documents sent to a person
// and their enterprise, the choice of channel (Mijn Burgerprofiel, eBox,
// e-mail, paper), and the clerk's dispatch queue. It also sends the other
// blocks' notices (Notify).
//
// The package imports nothing of the portal that hosts it: it needs a Site
// (site.go) and reads who is signed in with frontoffice.VisitorFrom.
package post

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Block is the post pages.
type Block struct {
	site  Site
	log   *slog.Logger
	pages frontoffice.Pages
	post  *postOffice
}

// Deps is what the post pages work on.
type Deps struct {
	Delivery   *delivery.Service
	Dispatcher *delivery.Dispatcher
	// Paper is the mail provider's print batch (the demo's: letters wait
	// in it).
	Paper *delivery.PrintBatch
	// AddressOf is the postal address the national register knows of a
	// party, for a party that never chose a channel.
	AddressOf func(delivery.Party) (pii.Address, bool)
}

// New returns the post pages.
func New(site Site, log *slog.Logger, d Deps) (*Block, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Block{site: site, log: log, pages: pages,
		post: &postOffice{svc: d.Delivery, dispatcher: d.Dispatcher, paper: d.Paper, addressOf: d.AddressOf}}, nil
}

// Notify sends n's party a document by the channel they chose.
func (a *Block) Notify(ctx context.Context, n Notice) error { return a.post.notify(ctx, n) }

// Register adds the pages' routes to mux.
func (a *Block) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /mijn-post", frontoffice.RequireCitizen(a.site, a.postPage))
	mux.HandleFunc("POST /mijn-post/voorkeur", frontoffice.RequireCitizen(a.site, a.postPreferenceSave))
	mux.HandleFunc("GET /mijn-post/{id}", frontoffice.RequireCitizen(a.site, a.postDocument))
	mux.HandleFunc("GET /mijn-post/{id}/bijlagen/{n}", frontoffice.RequireCitizen(a.site, a.postAttachment))
	mux.HandleFunc("GET /balie/post", frontoffice.RequireClerk(a.site, a.clerkPostQueue))
	mux.HandleFunc("POST /balie/post/verzendronde", frontoffice.RequireClerk(a.site, a.clerkDispatch))
}

// Menu returns the block's entries in the main menu.
func (a *Block) Menu() []frontoffice.MenuItem {
	return []frontoffice.MenuItem{
		{Label: "Mijn post", Href: "/mijn-post"},
		{Label: "Verzendwachtrij", Href: "/balie/post", Clerk: true},
	}
}

// Dossiers returns the visitor's post for "Mijn dossiers".
func (a *Block) Dossiers(ctx context.Context, v frontoffice.Visitor) (frontoffice.DossierSection, error) {
	return a.postSection(ctx, frontoffice.PersonOf(v))
}
