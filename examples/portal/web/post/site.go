package post

import (
	"embed"
	"html/template"
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// This file is what the block needs from the portal that hosts it, and how
// its pages are parsed. What every block needs the same way (who is signed
// in, the role guards, parsing and showing pages) is in frontoffice. A block
// imports nothing of the host, so it can be copied alone.

// Site is what these pages need from the portal that hosts them. The
// reference portal's web.Server implements it; a municipality that copies
// this folder implements it in its own host.
type Site interface {
	// Render writes page, a template of this block that defines
	// "content", inside the site's layout, with the status and the title;
	// data is the page's own data (.Data in the template).
	Render(w http.ResponseWriter, r *http.Request, status int, page *template.Template, title string, data any)
	// Message writes a page with a title and one sentence.
	Message(w http.ResponseWriter, r *http.Request, status int, title, message string)
	// Fail answers with the page for err: its status and a Dutch sentence
	// (frontoffice.Status); the detail goes to the log only.
	Fail(w http.ResponseWriter, r *http.Request, err error)
	// NotFound answers "not found".
	NotFound(w http.ResponseWriter, r *http.Request)
	// Flash sets a message the next page shows.
	Flash(w http.ResponseWriter, r *http.Request, message string)
	// Contact returns the contact details of the signed-in person.
	Contact(r *http.Request) (pii.Email, pii.Phone, pii.Address)
}

//go:embed templates/*.html
var templateFS embed.FS

// parsePages parses this block's pages, each with the portal's template
// helpers (frontoffice.TemplateFuncs).
func parsePages() (frontoffice.Pages, error) {
	return frontoffice.ParsePages(templateFS, "templates/*.html", frontoffice.TemplateFuncs())
}

// person is the signed-in visitor as these pages use them.
type person = frontoffice.Person

// show writes one of this block's pages with its title and its typed
// data (.Data in the template).
func (a *Block) show(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	a.pages.Show(a.site, w, r, status, page, title, data)
}

func (a *Block) notFound(w http.ResponseWriter, r *http.Request) { a.site.NotFound(w, r) }
