// Package web is the host of the reference portal: the shared routes (home,
// sign-in and sign-out, "Mijn dossiers", the clerk's start page, static
// files, /healthz), the layout every page is rendered in, the sessions, and
// the middleware every request passes (security headers, CSRF, panics).
//
// The building blocks' pages live in one folder each under web/ (cases,
// permits, payments, appointments, post, subsidies, rights, failures). A
// block never imports this package: it declares the small Site interface
// it needs, which *Server implements, and reads who is signed in from the
// request's context with frontoffice.VisitorFrom. So a municipality can
// copy one block folder into its own module and host it in its own pages.
package web

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Block is one building block's pages: it adds its routes to the mux.
type Block interface {
	Register(mux *http.ServeMux)
}

// MenuBlock is a block with entries in the main menu.
type MenuBlock interface {
	Menu() []frontoffice.MenuItem
}

// DossierBlock is a block with a section in "Mijn dossiers": the dossiers
// of the visitor (and of the enterprise they act for, if any).
type DossierBlock interface {
	Dossiers(ctx context.Context, v frontoffice.Visitor) (frontoffice.DossierSection, error)
}

// AssistantBlock is a block that answers questions from every page (the
// virtual assistant): the layout shows a question form that posts to its
// AssistantPath.
type AssistantBlock interface {
	AssistantPath() string
}

// Deps is what the host needs.
type Deps struct {
	Log *slog.Logger
	// Town is the demo municipality; its people are who the demo sign-in
	// offers.
	Town *demo.Municipality
	// TrustProxy trusts the X-Forwarded-Proto header of a TLS-terminating
	// proxy in front of the portal: a request it says came over HTTPS gets
	// a Secure session cookie and HSTS, as a request over TLS does. Set it
	// only behind such a proxy, which must overwrite the header.
	TrustProxy bool
}

// Server is the portal's host. It implements every block's Site interface.
type Server struct {
	log      *slog.Logger
	town     *demo.Municipality
	sessions *sessions
	pages    map[string]*template.Template
	// trustProxy: see Deps.TrustProxy.
	trustProxy bool
	// origins refuses state-changing requests from other sites.
	origins *http.CrossOriginProtection

	blocks   []Block
	nav      []frontoffice.MenuItem
	dossiers []DossierBlock
	// assistant is where the layout's question form posts; "" shows none.
	assistant string

	// framed caches each block page with the layout around it.
	framed sync.Map // *template.Template → *template.Template
}

// New returns the host; add the blocks with Add, then serve Handler.
func New(d Deps) (*Server, error) {
	pages := map[string]*template.Template{}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if name == "templates/layout.html" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", name)
		if err != nil {
			return nil, err
		}
		pages[name[len("templates/"):]] = t
	}
	return &Server{log: d.Log, town: d.Town, sessions: newSessions(8 * time.Hour), pages: pages,
		trustProxy: d.TrustProxy, origins: http.NewCrossOriginProtection()}, nil
}

// secure reports whether r reached the portal over HTTPS: directly, or
// through a proxy the portal trusts.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || (s.trustProxy && r.Header.Get("X-Forwarded-Proto") == "https")
}

// Add adds blocks, in the order of the menu and of "Mijn dossiers".
func (s *Server) Add(blocks ...Block) {
	for _, b := range blocks {
		s.blocks = append(s.blocks, b)
		if m, ok := b.(MenuBlock); ok {
			s.nav = append(s.nav, m.Menu()...)
		}
		if d, ok := b.(DossierBlock); ok {
			s.dossiers = append(s.dossiers, d)
		}
		if a, ok := b.(AssistantBlock); ok {
			s.assistant = a.AssistantPath()
		}
	}
}
