package post

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// This file is the same in every block of the portal (less the helpers a
// block does not use): what a block needs from the portal that hosts it,
// and how its pages are parsed. A block imports nothing of the host, so it
// can be copied alone.

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

// parsePages parses each page of this block on its own: each defines
// "content", and the site puts its layout around it.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*template.Template, len(names))
	for _, name := range names {
		base := strings.TrimPrefix(name, "templates/")
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, name)
		if err != nil {
			return nil, err
		}
		pages[base] = t
	}
	return pages, nil
}

// funcs are the helpers these templates may use.
var funcs = template.FuncMap{
	"local": func(t time.Time) time.Time { return t.In(clock.Brussels) },
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.In(clock.Brussels).Format("02/01/2006")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.In(clock.Brussels).Format("02/01/2006 15:04")
	},
	"euro": func(d decimal.Decimal) string { return euro(d) },
}

// euro formats an amount the Belgian way: "€ 1.234,50".
func euro(d decimal.Decimal) string { return frontoffice.Euro(d) }

// person is the signed-in visitor as these pages use them.
type person struct {
	ID      string // the sign-in's subject
	Name    pii.Name
	INSZ    pii.INSZ
	Email   pii.Email
	Phone   pii.Phone
	Address pii.Address
	// Enterprise is set for an entrepreneur who acts for an enterprise.
	Enterprise *enterprise
	// Clerk marks a clerk of the municipality ("baliemedewerker").
	Clerk bool
}

// enterprise is an enterprise by its KBO number.
type enterprise struct {
	Name string
	KBO  string
}

// personOf is the visitor v, without contact details.
func personOf(v frontoffice.Visitor) *person {
	p := &person{ID: v.Subject, Name: pii.Name{Given: v.GivenName, Family: v.FamilyName}, INSZ: v.INSZ, Clerk: v.Clerk}
	if v.Enterprise != nil {
		p.Enterprise = &enterprise{Name: v.Enterprise.Name, KBO: v.Enterprise.KBO}
	}
	return p
}

// requirePerson sends visitors who are not signed in to the sign-in page.
func (a *Block) requirePerson(next func(http.ResponseWriter, *http.Request, *person)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, ok := frontoffice.VisitorFrom(r.Context())
		if !ok {
			http.Redirect(w, r, "/aanmelden", http.StatusSeeOther)
			return
		}
		p := personOf(v)
		p.Email, p.Phone, p.Address = a.site.Contact(r)
		next(w, r, p)
	}
}

// requireCitizen keeps clerks, who have no national register number to
// file under, out of the citizen's pages.
func (a *Block) requireCitizen(next func(http.ResponseWriter, *http.Request, *person)) http.HandlerFunc {
	return a.requirePerson(func(w http.ResponseWriter, r *http.Request, p *person) {
		if p.INSZ == "" {
			a.site.NotFound(w, r)
			return
		}
		next(w, r, p)
	})
}

// requireClerk keeps citizens out of the clerk's pages: for them these
// pages do not exist.
func (a *Block) requireClerk(next func(http.ResponseWriter, *http.Request, *person)) http.HandlerFunc {
	return a.requirePerson(func(w http.ResponseWriter, r *http.Request, p *person) {
		if !p.Clerk {
			a.site.NotFound(w, r)
			return
		}
		next(w, r, p)
	})
}

// show writes one of this block's pages with its title and its typed
// data (.Data in the template).
func (a *Block) show(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	t, ok := a.pages[page]
	if !ok {
		a.site.Fail(w, r, errors.New("unknown page "+page))
		return
	}
	a.site.Render(w, r, status, t, title, data)
}

// render writes one of this block's pages; data["Title"] is its title.
// Pages still on a map use it; new pages use show with a struct.
func (a *Block) render(w http.ResponseWriter, r *http.Request, status int, page string, data map[string]any) {
	title, _ := data["Title"].(string)
	a.show(w, r, status, page, title, data)
}

func (a *Block) notFound(w http.ResponseWriter, r *http.Request) { a.site.NotFound(w, r) }
