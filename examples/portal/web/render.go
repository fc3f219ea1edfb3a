package web

import (
	"bytes"
	"html/template"
	"net/http"
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
	// Assistant is where the assistant's question form posts, "" for no
	// form (no assistant, or its own page).
	Assistant string
	Data      any
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
	v := view{Title: title, Town: s.town, Flash: s.flash.take(w, r), Data: data}
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
	switch d := data.(type) {
	case refresher:
		v.Refresh = d.RefreshSeconds()
	case map[string]any: // pages not yet typed
		v.Refresh, _ = d["Refresh"].(int)
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
}
