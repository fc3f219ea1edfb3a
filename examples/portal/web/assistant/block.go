// Package assistant is the portal's virtual assistant ("de Virtuele
// Assistent") on the assistant building block: a question form on every
// page, the conversation page /assistent that works without JavaScript,
// a small script that answers in a panel instead, the catalogue entry an
// answer links to, and the button that hands the conversation over to a
// person.
//
// What the assistant knows of the citizen's dossiers, free appointment
// slots and the clerk's worklist, the portal gives it through the
// assistant package's interfaces (assistant.Dossiers, Appointments,
// Handover); this package only shows the replies.
//
// # The conversation cookie
//
// A conversation is found again by a cookie, "assistent", that holds its
// ID and a MAC binding it to who asked: nobody, or the signed-in person.
// It is not a session: the server keeps nothing per visitor but the
// conversation itself, in the assistant's store, bounded
// (assistant.MaxTurns turns, assistant.MaxQuestion bytes a question),
// with personal data masked, and deleted when its time-to-live ends
// (assistant.Config.TTL, 30 minutes after the last message, by
// Service.Sweep). An anonymous visitor can thus leave a few kilobytes in
// the store for half an hour per conversation; that is the price of a
// form that works without JavaScript and without signing in. The MAC
// keeps someone else's conversation out of reach on a shared computer:
// after signing out, a person's conversation no longer opens, while an
// anonymous conversation carries on when its visitor signs in. Without a
// configured key, a restart starts every conversation afresh.
//
// The package imports nothing of the portal that hosts it: it needs a
// Site (site.go) and reads who is signed in with frontoffice.VisitorFrom.
package assistant

import (
	"context"
	"crypto/rand"
	_ "embed"
	"log/slog"
	"net/http"
	"time"

	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

//go:embed static/assistent.js
var scriptJS []byte

// Path is where the assistant answers; the host's layout posts its form
// here (see AssistantPath).
const Path = "/assistent"

// Entries looks a catalogue entry up by ID; assistant.Store does.
type Entries interface {
	GetEntry(ctx context.Context, id string) (*assistant.Entry, error)
}

// Deps is what the assistant's pages work on.
type Deps struct {
	Assistant *assistant.Service
	// Entries shows the catalogue entry an answer links to.
	Entries Entries
	// CookieKey signs the conversation cookie (at least 32 bytes); nil
	// draws a random key, so a restart starts conversations afresh.
	CookieKey []byte
	// TTL is how long the browser keeps the cookie; 0 means
	// assistant.DefaultTTL. The store's time-to-live decides.
	TTL time.Duration
	// ReportForm is the page a draft report leads to, to be checked and
	// sent (default "/melding-maken"). A free slot's link comes with it
	// from assistant.Appointments.
	ReportForm string
}

// Block is the assistant's pages.
type Block struct {
	site  Site
	log   *slog.Logger
	pages frontoffice.Pages
	d     Deps
}

// New returns the assistant's pages.
func New(site Site, log *slog.Logger, d Deps) (*Block, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	if len(d.CookieKey) == 0 {
		d.CookieKey = make([]byte, 32)
		_, _ = rand.Read(d.CookieKey) // crypto/rand.Read never fails on supported platforms
	}
	if d.TTL <= 0 {
		d.TTL = assistant.DefaultTTL
	}
	if d.ReportForm == "" {
		d.ReportForm = "/melding-maken"
	}
	return &Block{site: site, log: log, pages: pages, d: d}, nil
}

// Register adds the pages' routes to mux.
func (a *Block) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Path, a.page)
	mux.HandleFunc("POST "+Path, a.ask)
	mux.HandleFunc("POST "+Path+"/medewerker", a.handOver)
	mux.HandleFunc("GET "+Path+"/product/{id}", a.product)
	mux.HandleFunc("GET "+Path+"/assistent.js", a.script)
}

// AssistantPath is where the layout's question form posts: the host shows
// the form on every page when a block has this method.
func (a *Block) AssistantPath() string { return Path }

func (a *Block) script(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(scriptJS)
}
