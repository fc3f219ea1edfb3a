package assistant

import (
	"embed"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// This file is what the block needs from the portal that hosts it, and how
// its pages are parsed; what every block parses and shows the same way is
// in frontoffice. A block imports nothing of the host, so it can be copied
// alone. This block parses the shared partial reply.tmpl with each page, as
// both the conversation page and the fragment the script asks for show a
// reply.

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

//go:embed templates/*.html templates/*.tmpl
var templateFS embed.FS

// parsePages parses each page of this block with the reply partial: each
// defines "content", and the site puts its layout around it.
func parsePages() (frontoffice.Pages, error) {
	return frontoffice.ParsePages(templateFS, "templates/*.html", funcs, "templates/reply.tmpl")
}

// funcs are the helpers these templates may use.
var funcs = template.FuncMap{
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.In(clock.Brussels).Format("02/01/2006 15:04")
	},
	"lines": func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	},
	"inc": func(i int) int { return i + 1 },
}

// show writes one of this block's pages with its title and typed data.
func (a *Block) show(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	a.pages.Show(a.site, w, r, status, page, title, data)
}
