package frontoffice

import (
	"errors"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"path"
	"slices"
	"time"

	"github.com/lokaalbestuur/bouwstenen/clock"
)

// Pages are a block's page templates by file name ("permit_form.html"):
// each defines "content", and the portal puts its layout around it.
type Pages map[string]*template.Template

// ParsePages parses each file of fsys that matches pattern on its own,
// together with the shared files (partials several pages use) and with
// funcs, so two pages may each define the same template names.
func ParsePages(fsys fs.FS, pattern string, funcs template.FuncMap, shared ...string) (Pages, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("frontoffice: no page matches " + pattern)
	}
	pages := make(Pages, len(names))
	for _, name := range names {
		base := path.Base(name)
		t, err := template.New(base).Funcs(funcs).ParseFS(fsys, append([]string{name}, shared...)...)
		if err != nil {
			return nil, err
		}
		pages[base] = t
	}
	return pages, nil
}

// Renderer is what Pages.Show needs of the portal that hosts a block's
// pages; every block's Site has both methods.
type Renderer interface {
	// Render writes page inside the portal's layout, with the status and
	// the title; data is the page's own data (.Data in the template).
	Render(w http.ResponseWriter, r *http.Request, status int, page *template.Template, title string, data any)
	// Fail answers with the page for err.
	Fail(w http.ResponseWriter, r *http.Request, err error)
}

// Show writes the page named page with its title and its data through
// site.Render. A name that is not among the pages is the program's
// mistake: site.Fail answers with a server error.
func (p Pages) Show(site Renderer, w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	t, ok := p[page]
	if !ok {
		site.Fail(w, r, errors.New("frontoffice: unknown page "+page))
		return
	}
	site.Render(w, r, status, t, title, data)
}

// TemplateFuncs returns, in a new map a block may add its own to, the
// helpers the portal's templates use:
//
//	local     the time in Europe/Brussels
//	date      "02/01/2006" in Europe/Brussels, "–" for the zero time
//	datetime  "02/01/2006 15:04" in Europe/Brussels, "–" for the zero time
//	euro      Euro: "€ 1.234,50"
func TemplateFuncs() template.FuncMap {
	return template.FuncMap{
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
		"euro": Euro,
	}
}

// FormErrorsOf turns messages by field into FormErrors, in the order of
// the field names (a map has no other); the field "form" holds a message
// about the form as a whole. Pages that keep their messages in a map use
// it to give them to the host's error summary.
func FormErrorsOf(byField map[string]string) FormErrors {
	var out FormErrors
	for _, field := range slices.Sorted(maps.Keys(byField)) {
		if field == "form" {
			out = append(out, FieldError{Message: byField[field]})
			continue
		}
		out.Add(field, byField[field])
	}
	return out
}
