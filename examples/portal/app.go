package main

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// app is the portal: the demo municipality, its sessions and its pages.
type app struct {
	log      *slog.Logger
	town     *municipality
	sessions *sessions
	pages    map[string]*template.Template
	be       *backend

	// nav is the main menu; each building block adds its pages.
	nav []navLink
	// sources fill "Mijn dossiers", one section per building block.
	sources []dossierSource

	cases *casefile.Service

	payments  *paymentBlock
	permits   *permitBlock
	invoicer  invoicer // what the permit wiring asks of the payment block
	appt      *appointments
	post      *postOffice
	subsidies *subsidy.Service
	rights    *rights
}

// navLink is one entry of the main menu.
type navLink struct {
	Label, Href string
	// Clerk links show only to the demo clerk; the others only to citizens
	// and entrepreneurs.
	Clerk bool
}

// newApp composes the portal on be. It seeds the demo municipality's data
// through the services, and returns when the seeds' events are handled.
// The bus (and in PostgreSQL mode the outbox relay) runs until ctx is done.
func newApp(ctx context.Context, log *slog.Logger, town *municipality, be *backend) (*app, error) {
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
	a := &app{log: log, town: town, sessions: newSessions(8 * time.Hour), pages: pages, be: be}
	be.start(ctx)
	// Each building block: its service on the backend's store, its menu
	// entries, its section of "Mijn dossiers", its event handlers and its
	// demo data.
	// setupPost comes first: it subscribes to the events the other blocks'
	// seeds emit; setupPostPages puts its menu entries and section last.
	for _, setup := range []func(context.Context) error{
		a.setupPost,
		a.setupCases,
		a.setupPayments, // before permits: the permit wiring invoices through it
		a.setupPermits,
		a.setupAppointments,
		a.setupSubsidies,
		a.setupRights,
		a.setupPostPages,
		a.setupFailures,
	} {
		if err := setup(ctx); err != nil {
			return nil, err
		}
	}
	if err := be.settle(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// funcs are the helpers every template may use.
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
func euro(d decimal.Decimal) string {
	s := d.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, cents, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	sign := ""
	if neg {
		sign = "-"
	}
	return "€ " + sign + b.String() + "," + cents
}

// routes returns the portal's handler with every middleware applied.
func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("GET /aanmelden", a.signInForm)
	mux.HandleFunc("POST /aanmelden", a.signIn)
	mux.HandleFunc("POST /afmelden", a.signOut)
	mux.HandleFunc("GET /mijn-dossiers", a.requirePerson(a.dossiers))
	mux.HandleFunc("GET /mijn-dossiers/{id}", a.requirePerson(a.dossier))
	mux.HandleFunc("GET /melding-maken", a.requireCitizen(a.reportNew))
	mux.HandleFunc("POST /melding-maken", a.requireCitizen(a.reportCreate))
	mux.HandleFunc("GET /vraag-stellen", a.requireCitizen(a.questionNew))
	mux.HandleFunc("POST /vraag-stellen", a.requireCitizen(a.questionCreate))
	mux.HandleFunc("GET /balie", a.requireClerk(a.clerkHome))
	mux.HandleFunc("GET /balie/meldingen", a.requireClerk(a.clerkList))
	mux.HandleFunc("POST /balie/meldingen/{id}", a.requireClerk(a.clerkTransition))
	mux.HandleFunc("GET /vergunningen/aanvragen", a.requireCitizen(a.permitNew))
	mux.HandleFunc("POST /vergunningen/aanvragen", a.requireCitizen(a.permitCreate))
	mux.HandleFunc("GET /vergunningen/{id}", a.requireCitizen(a.permitPage))
	mux.HandleFunc("GET /vergunningen/{id}/wijzigen", a.requireCitizen(a.permitEdit))
	mux.HandleFunc("POST /vergunningen/{id}/wijzigen", a.requireCitizen(a.permitUpdate))
	mux.HandleFunc("POST /vergunningen/{id}/indienen", a.requireCitizen(a.permitSubmit))
	mux.HandleFunc("POST /vergunningen/{id}/intrekken", a.requireCitizen(a.permitWithdraw))
	mux.HandleFunc("GET /balie/vergunningen", a.requireClerk(a.clerkPermits))
	mux.HandleFunc("GET /balie/vergunningen/{id}", a.requireClerk(a.clerkPermit))
	mux.HandleFunc("POST /balie/vergunningen/{id}", a.requireClerk(a.clerkPermitAction))
	mux.HandleFunc("GET /facturen/{id}", a.requireCitizen(a.invoicePage))
	mux.HandleFunc("GET /facturen/{id}/qr.svg", a.requireCitizen(a.invoiceQR))
	mux.HandleFunc("POST /facturen/{id}/betalen", a.requireCitizen(a.invoicePay))
	mux.HandleFunc("GET "+sandboxPath+"/checkout/{pid}", a.providerPage)
	mux.HandleFunc("POST "+sandboxPath+"/checkout/{pid}", a.providerAction)
	mux.HandleFunc("POST /betalingen/webhook", a.webhook)
	mux.HandleFunc("GET /balie/rekeninguittreksels", a.requireClerk(a.statements))
	mux.HandleFunc("POST /balie/rekeninguittreksels", a.requireClerk(a.statementUpload))
	mux.HandleFunc("POST /balie/rekeninguittreksels/bevestigen", a.requireClerk(a.statementConfirm))
	mux.HandleFunc("GET /afspraak-maken", a.requireCitizen(a.appointmentNew))
	mux.HandleFunc("POST /afspraak-maken", a.requireCitizen(a.appointmentCreate))
	mux.HandleFunc("GET /afspraken/{id}", a.requireCitizen(a.appointmentShow))
	mux.HandleFunc("GET /afspraken/{id}/verplaatsen", a.requireCitizen(a.appointmentMoveForm))
	mux.HandleFunc("POST /afspraken/{id}/verplaatsen", a.requireCitizen(a.appointmentMove))
	mux.HandleFunc("POST /afspraken/{id}/annuleren", a.requireCitizen(a.appointmentCancel))
	mux.HandleFunc("GET /afspraken/{id}/afspraak.ics", a.requireCitizen(a.appointmentICS))
	mux.HandleFunc("GET /balie/afspraken", a.requireClerk(a.clerkAppointments))
	mux.HandleFunc("GET /mijn-post", a.requireCitizen(a.postPage))
	mux.HandleFunc("POST /mijn-post/voorkeur", a.requireCitizen(a.postPreferenceSave))
	mux.HandleFunc("GET /mijn-post/{id}", a.requireCitizen(a.postDocument))
	mux.HandleFunc("GET /mijn-post/{id}/bijlagen/{n}", a.requireCitizen(a.postAttachment))
	mux.HandleFunc("GET /balie/storingen", a.requireClerk(a.clerkFailures))
	mux.HandleFunc("POST /balie/storingen/opnieuw", a.requireClerk(a.clerkReplay))
	mux.HandleFunc("GET /balie/post", a.requireClerk(a.clerkPostQueue))
	mux.HandleFunc("POST /balie/post/verzendronde", a.requireClerk(a.clerkDispatch))
	mux.HandleFunc("GET /subsidies", a.requireCitizen(a.subsidyCalls))
	mux.HandleFunc("GET /subsidies/oproepen/{call}", a.requireCitizen(a.subsidyApplyForm))
	mux.HandleFunc("POST /subsidies/oproepen/{call}", a.requireCitizen(a.subsidyApply))
	mux.HandleFunc("GET /subsidies/aanvragen/{id}", a.requireCitizen(a.subsidyApplication))
	mux.HandleFunc("GET /balie/subsidies", a.requireClerk(a.clerkSubsidyCalls))
	mux.HandleFunc("GET /balie/subsidies/oproepen/{call}", a.requireClerk(a.clerkSubsidyCall))
	mux.HandleFunc("GET /balie/subsidies/aanvragen/{id}", a.requireClerk(a.clerkSubsidyApplication))
	mux.HandleFunc("POST /balie/subsidies/aanvragen/{id}", a.requireClerk(a.clerkSubsidyAction))
	mux.HandleFunc("GET /mijn-rechten", a.requireCitizen(a.myRights))
	mux.HandleFunc("POST /mijn-rechten/{benefit}/afzien", a.requireCitizen(a.optOut))
	mux.HandleFunc("GET /balie/rechten", a.requireClerk(a.batchPage))
	mux.HandleFunc("POST /balie/rechten", a.requireClerk(a.batchStart))
	mux.HandleFunc("/", a.notFound)
	return a.recoverer(securityHeaders(mux))
}

// view is what every page template receives.
type view struct {
	Title  string
	Town   *municipality
	Person *person
	Nav    []navLink
	CSRF   string
	Flash  string
	Data   map[string]any
}

func (a *app) render(w http.ResponseWriter, r *http.Request, status int, page string, data map[string]any) {
	sess := a.sessions.get(w, r)
	v := view{Town: a.town, CSRF: sess.CSRF, Flash: sess.takeFlash(), Data: data}
	if p, ok := a.town.person(sess.person()); ok {
		v.Person = p
		for _, l := range a.nav {
			if l.Clerk == p.Clerk {
				v.Nav = append(v.Nav, l)
			}
		}
	}
	if t, ok := data["Title"].(string); ok {
		v.Title = t
	}
	t, ok := a.pages[page]
	if !ok {
		a.serverError(w, r, "unknown page "+page)
		return
	}
	// Render to a buffer first, so a template error never sends half a page.
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		a.serverError(w, r, err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

func (a *app) serverError(w http.ResponseWriter, r *http.Request, detail string) {
	a.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", detail)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte(`<!doctype html><html lang="nl"><title>Er ging iets mis</title><h1>Er ging iets mis</h1><p>Probeer het later opnieuw.</p></html>`))
}

// recoverer turns a panic into a plain error page: the user never sees a stack trace; the log does.
func (a *app) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				a.serverError(w, r, "panic")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// requirePerson sends visitors who are not signed in to the sign-in page.
func (a *app) requirePerson(next func(http.ResponseWriter, *http.Request, *person)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess := a.sessions.get(w, r)
		p, ok := a.town.person(sess.person())
		if !ok {
			http.Redirect(w, r, "/aanmelden", http.StatusSeeOther)
			return
		}
		next(w, r, p)
	}
}

func (a *app) home(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "home.html", map[string]any{"Title": "Welkom"})
}

func (a *app) signInForm(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "signin.html", map[string]any{"Title": "Aanmelden (demo)"})
}

func (a *app) signIn(w http.ResponseWriter, r *http.Request) {
	sess := a.sessions.get(w, r)
	if !sess.validCSRF(r) {
		a.render(w, r, http.StatusForbidden, "error.html", map[string]any{"Title": "Formulier verlopen", "Message": "Dit formulier is verlopen of niet van ons. Laad de pagina opnieuw en probeer nog eens."})
		return
	}
	p, ok := a.town.person(r.PostFormValue("person"))
	if !ok {
		a.render(w, r, http.StatusUnprocessableEntity, "signin.html", map[string]any{"Title": "Aanmelden (demo)", "Error": "Kies een van de demopersonen."})
		return
	}
	sess = a.sessions.renew(w, r, p.ID)
	sess.setFlash("U bent aangemeld als " + p.Name.String() + ".")
	a.log.Info("demo sign-in", "person", p.Name, "insz", p.INSZ)
	if p.Clerk {
		http.Redirect(w, r, "/balie", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/mijn-dossiers", http.StatusSeeOther)
}

func (a *app) signOut(w http.ResponseWriter, r *http.Request) {
	sess := a.sessions.get(w, r)
	if !sess.validCSRF(r) {
		a.render(w, r, http.StatusForbidden, "error.html", map[string]any{"Title": "Formulier verlopen", "Message": "Dit formulier is verlopen of niet van ons."})
		return
	}
	sess = a.sessions.renew(w, r, "")
	sess.setFlash("U bent afgemeld.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// clerkHome is the clerk's start page: every worklist of the counter.
func (a *app) clerkHome(w http.ResponseWriter, r *http.Request, _ *person) {
	a.render(w, r, http.StatusOK, "clerk_home.html", map[string]any{"Title": "Balie"})
}
