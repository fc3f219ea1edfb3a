package web

import (
	"bytes"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// view is what the layout and every page template receive.
type view struct {
	Title  string
	Town   *demo.Municipality
	Person *signedIn
	Nav    []frontoffice.MenuItem
	CSRF   string
	Flash  string
	// Here is the page's path and query, to come back to after signing in
	// or switching capacity.
	Here string
	// Refresh reloads the page after this many seconds, when not zero.
	Refresh int
	// Errors are the form's messages: the layout lists them at the top,
	// each linking to its field, and prefixes the title with "Fout: ".
	Errors frontoffice.FormErrors
	// Assistant is where the assistant's question form posts, "" for no
	// form (no assistant, or its own page).
	Assistant string
	Data      any
}

// formErrorer is page data of a form with errors: frontoffice.FormErrors,
// or a page type that carries them.
type formErrorer interface {
	FormErrors() frontoffice.FormErrors
}

// formErrors finds the form's errors in a page's data: page data that
// has them implements formErrorer (a page that keeps them by field uses
// frontoffice.FormErrorsOf).
func formErrors(data any) frontoffice.FormErrors {
	if d, ok := data.(formErrorer); ok {
		return d.FormErrors()
	}
	return nil
}

// refresher is page data of a page that reloads itself (a run in progress).
type refresher interface{ RefreshSeconds() int }

// layoutSrc is the layout, added to every block's page.
var layoutSrc = func() string {
	b, err := templateFS.ReadFile("templates/layout.html")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// Render writes page, a block's template that defines "content", inside
// the layout, with the status and the title. data is the page's own data,
// as .Data.
func (s *Server) Render(w http.ResponseWriter, r *http.Request, status int, page *template.Template, title string, data any) {
	t, err := s.frame(page)
	if err != nil {
		s.serverError(w, r, err.Error())
		return
	}
	s.execute(w, r, status, t, title, data)
}

// frame returns page with the layout around it, made once per page.
func (s *Server) frame(page *template.Template) (*template.Template, error) {
	if t, ok := s.framed.Load(page); ok {
		return t.(*template.Template), nil
	}
	t, err := page.Clone()
	if err != nil {
		return nil, err
	}
	if _, err := t.New("layout.html").Parse(layoutSrc); err != nil {
		return nil, err
	}
	t = t.Lookup("layout.html")
	actual, _ := s.framed.LoadOrStore(page, t)
	return actual.(*template.Template), nil
}

// render writes one of the host's own pages.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	t, ok := s.pages[page]
	if !ok {
		s.serverError(w, r, "unknown page "+page)
		return
	}
	s.execute(w, r, status, t, title, data)
}

// signedIn is the signed-in visitor as the templates show them.
type signedIn struct {
	Name    pii.Name
	INSZ    pii.INSZ
	Address pii.Address
	// Enterprise is the enterprise the visitor acts for, as the sign-in
	// asserted it; nil for a citizen.
	Enterprise *frontoffice.Enterprise
	Clerk      bool
}

func (s *Server) execute(w http.ResponseWriter, r *http.Request, status int, t *template.Template, title string, data any) {
	v := view{Title: title, Town: s.town, Errors: formErrors(data), Flash: s.flash.take(w, r), Data: data}
	if r.Method == http.MethodGet {
		v.Here = r.URL.RequestURI()
	}
	if sess, ok := sessionOf(r); ok {
		v.CSRF = sess.Data.CSRF
	} else {
		v.CSRF = s.anonymousToken(w, r)
	}
	if r.URL.Path != s.assistant {
		v.Assistant = s.assistant
	}
	if d, ok := data.(refresher); ok {
		v.Refresh = d.RefreshSeconds()
	}
	if vis, ok := frontoffice.VisitorFrom(r.Context()); ok {
		_, _, addr := s.Contact(r)
		v.Person = &signedIn{Name: vis.Name(), INSZ: vis.INSZ, Address: addr, Enterprise: vis.Enterprise, Clerk: vis.Clerk}
		for _, l := range s.nav {
			if l.Clerk == vis.Clerk {
				v.Nav = append(v.Nav, l)
			}
		}
	}
	// Render to a buffer first, so a template error never sends half a page.
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		s.serverError(w, r, err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// message is the data of the page that says one thing.
type message struct{ Message string }

// Message writes a page with a title and one sentence, with the status.
func (s *Server) Message(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	s.render(w, r, status, "error.html", title, message{Message: msg})
}

// Fail answers with the page for err: its HTTP status and its Dutch
// sentence (frontoffice.Status). A server error is logged with its detail;
// the visitor never sees it.
func (s *Server) Fail(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := frontoffice.Status(err)
	switch code {
	case http.StatusInternalServerError:
		s.serverError(w, r, err.Error())
	case http.StatusNotFound:
		s.NotFound(w, r)
	default:
		s.Message(w, r, code, "Dat lukte niet", msg)
	}
}

// NotFound is the page of a URL that leads nowhere, or to someone else's
// dossier (whose existence is not revealed).
func (s *Server) NotFound(w http.ResponseWriter, r *http.Request) {
	s.Message(w, r, http.StatusNotFound, "Pagina niet gevonden", "Deze pagina bestaat niet.")
}

// FormExpired is the page of a form without a valid CSRF token: expired,
// or not from our own pages.
func (s *Server) FormExpired(w http.ResponseWriter, r *http.Request) {
	s.Message(w, r, http.StatusForbidden, "Formulier verlopen", "Dit formulier is verlopen of niet van ons. Laad de pagina opnieuw en probeer nog eens.")
}

// confirmPage is the data of the page that asks before an irreversible
// step: the question, and the form to send again with bevestigd=ja.
type confirmPage struct {
	frontoffice.Confirmation
	Action string
	Fields []formField
	Field  string // frontoffice.ConfirmField
}

// formField is one field of the form sent again.
type formField struct{ Name, Value string }

// Confirm asks the person to confirm an irreversible step (withdraw,
// cancel, a clerk's decision) before the handler acts: a page with the
// question, a button that posts the same form to the same address with
// bevestigd=ja added, and a way back. It works without JavaScript.
func (s *Server) Confirm(w http.ResponseWriter, r *http.Request, c frontoffice.Confirmation) {
	page := confirmPage{Confirmation: c, Action: r.URL.Path, Field: frontoffice.ConfirmField}
	if r.URL.RawQuery != "" {
		page.Action += "?" + r.URL.RawQuery
	}
	if page.Back == "" || !localPath(page.Back) {
		page.Back = r.URL.Path
	}
	if page.Yes == "" {
		page.Yes = "Ja, ik bevestig"
	}
	for _, name := range slices.Sorted(maps.Keys(r.PostForm)) {
		if name == "csrf" || name == frontoffice.ConfirmField {
			continue
		}
		for _, v := range r.PostForm[name] {
			page.Fields = append(page.Fields, formField{Name: name, Value: v})
		}
	}
	s.log.Info("confirmation asked", "path", r.URL.Path)
	s.render(w, r, http.StatusOK, "confirm.html", c.Title, page)
}

// localPath reports whether p is a path on this site, not another's.
func localPath(p string) bool {
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && len(p) > 0 && p[0] == '/' && (len(p) == 1 || p[1] != '/')
}

// Flash adds to the message the next page shows.
func (s *Server) Flash(w http.ResponseWriter, r *http.Request, msg string) {
	s.flash.add(w, r, msg)
}

// Contact returns the contact details of the signed-in person: what a
// form offers to fill in. The demo keeps them with its people; a real
// portal asks the national register or the person's profile.
func (s *Server) Contact(r *http.Request) (pii.Email, pii.Phone, pii.Address) {
	v, ok := frontoffice.VisitorFrom(r.Context())
	if !ok {
		return "", "", pii.Address{}
	}
	p, ok := s.town.Person(v.Subject)
	if !ok {
		return "", "", pii.Address{}
	}
	return p.Email, p.Phone, p.Address
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request, detail string) {
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", detail)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte(`<!doctype html><html lang="nl"><title>Er ging iets mis</title><h1>Er ging iets mis</h1><p>Probeer het later opnieuw.</p></html>`))
}

// funcs are the helpers the host's templates may use.
var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.In(clock.Brussels).Format("02/01/2006")
	},
	"longdate": frontoffice.Date,
}
