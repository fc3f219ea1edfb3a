// Package cases is the portal's pages for reports and questions
// ("meldingen" and "vragen") on the casefile building block: the citizen's
// forms (with photos, the place by address or on a map, the category's
// extra questions and nearby reports, "Is dit uw probleem?"), the case page
// in "Mijn dossiers" (answer the clerk's question, "niet opgelost", the
// satisfaction questionnaire), the clerk's worklist and case page, the
// photos behind an access check, and the Open311 GeoReport v2 endpoint.
//
// The package imports nothing of the portal that hosts it: it needs a Site
// (site.go) and reads who is signed in with frontoffice.VisitorFrom.
package cases

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/address"
	"github.com/lokaalbestuur/bouwstenen/casefile/open311"
	"github.com/lokaalbestuur/bouwstenen/casefile/photo"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// Deps is what the pages work on. Only Cases is required; without Photos
// the report form takes no photos, without Addresses it looks up nothing,
// without Territory it accepts any place in Belgium, and without
// Open311Keys no Open311 endpoint is served.
type Deps struct {
	// Cases knows the case types "meldingen" and "vragen" (QuestionsType).
	Cases *casefile.Service
	// Photos keeps the photos' bytes (photo/photoblob: a folder, S3 or
	// memory); Processor strips, turns and thumbnails them first (nil:
	// photo.NewProcessor with the default limits and 2 at a time).
	Photos    photo.Blobs
	Processor *photo.Processor
	// MaxPhotos is the most photos per report (default 3); MaxUpload the
	// largest body of the report form in bytes (default 30 MiB).
	MaxPhotos int
	MaxUpload int64
	// Addresses looks up a typed address and names the address of a
	// point on the map (address.DemogemGazetteer, address.Register).
	Addresses address.Lookup
	// Territory refuses a place outside the municipality, in Dutch.
	Territory *address.Territory
	// TileURL is the map tiles' URL template for Leaflet, e.g.
	// "https://tile.openstreetmap.org/{z}/{x}/{y}.png"; empty shows no map
	// (the form still takes an address and coordinates).
	TileURL string
	// Open311Keys returns what an Open311 API key may do; nil serves no
	// Open311 endpoint. Open311Public says what the public sees of each
	// category (open311.Handler.Public); Open311Rate is the requests per
	// second each client may make (default 5, burst 20).
	Open311Keys   func(ctx context.Context, key string) (open311.Access, error)
	Open311Public map[string]open311.Disclosure
	Open311Rate   float64
	// Agency names the municipality in Open311 answers.
	Agency string
}

// Block is the pages of reports and questions.
type Block struct {
	site    Site
	log     *slog.Logger
	pages   frontoffice.Pages
	cases   *casefile.Service
	deps    Deps
	open311 http.Handler
	// secret signs the photos a form carries when shown again.
	secret []byte
}

// New returns the pages on svc, which knows the case types "meldingen" and
// "vragen" (QuestionsType), without photos, address look-up or Open311.
func New(site Site, log *slog.Logger, svc *casefile.Service) (*Block, error) {
	return NewWith(site, log, Deps{Cases: svc})
}

// NewWith returns the pages on d.
func NewWith(site Site, log *slog.Logger, d Deps) (*Block, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	if d.MaxPhotos <= 0 {
		d.MaxPhotos = 3
	}
	if d.MaxUpload <= 0 {
		d.MaxUpload = 30 << 20
	}
	if d.Photos != nil && d.Processor == nil {
		d.Processor = photo.NewProcessor(photo.DefaultLimits, 2)
	}
	a := &Block{site: site, log: log, pages: pages, cases: d.Cases, deps: d, secret: newSecret()}
	if d.Open311Keys != nil {
		a.open311 = a.open311Handler()
	}
	return a, nil
}

// Register adds the pages' routes to mux.
func (a *Block) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /mijn-dossiers/{id}", frontoffice.RequirePerson(a.site, a.dossier))
	mux.HandleFunc("POST /mijn-dossiers/{id}/antwoord", frontoffice.RequireCitizen(a.site, a.citizenAnswer))
	mux.HandleFunc("POST /mijn-dossiers/{id}/niet-opgelost", frontoffice.RequireCitizen(a.site, a.citizenReopen))
	mux.HandleFunc("POST /mijn-dossiers/{id}/tevredenheid", frontoffice.RequireCitizen(a.site, a.citizenRate))
	mux.HandleFunc("GET /melding-maken", frontoffice.RequireCitizen(a.site, a.reportNew))
	mux.HandleFunc("POST /melding-maken", frontoffice.RequireCitizen(a.site, a.reportCreate))
	mux.HandleFunc("GET /vraag-stellen", frontoffice.RequireCitizen(a.site, a.questionNew))
	mux.HandleFunc("POST /vraag-stellen", frontoffice.RequireCitizen(a.site, a.questionCreate))
	mux.HandleFunc("GET /meldingen/{id}/foto/{n}", frontoffice.RequirePerson(a.site, a.photo))
	mux.HandleFunc("GET /meldingen/{id}/foto/{n}/klein", frontoffice.RequirePerson(a.site, a.photo))
	mux.HandleFunc("GET /balie/meldingen", frontoffice.RequireClerk(a.site, a.clerkList))
	mux.HandleFunc("GET /balie/meldingen/{id}", frontoffice.RequireClerk(a.site, a.clerkDetail))
	mux.HandleFunc("POST /balie/meldingen/{id}", frontoffice.RequireClerk(a.site, a.clerkTransition))
	mux.HandleFunc("POST /balie/meldingen/{id}/{action}", frontoffice.RequireClerk(a.site, a.clerkAction))
	if a.open311 != nil {
		mux.Handle("/open311/v2/", a.open311)
	}
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
	return a.caseSection(ctx, frontoffice.PersonOf(v))
}

// BodyLimits lets the report form carry photos.
func (a *Block) BodyLimits() map[string]int64 {
	return map[string]int64{"POST /melding-maken": a.deps.MaxUpload}
}

// Unprotected is the Open311 endpoint's POST: its clients are other
// servers and apps, which prove themselves by an API key, not a form token.
func (a *Block) Unprotected() []string {
	if a.open311 == nil {
		return nil
	}
	return []string{"/open311/v2/requests.json", "/open311/v2/requests.xml"}
}
