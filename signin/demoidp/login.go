package demoidp

import (
	"context"
	"html/template"
	"net/http"
)

// Banner is the warning every page of the provider shows.
const Banner = "Demo-aanmelddienst — geen echte aanmelding"

var pages = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}} — ` + Banner + `</title>
<style>
body{font-family:system-ui,sans-serif;max-width:44rem;margin:1rem auto;padding:0 1rem;color:#222}
.demo{background:#ffe28a;border:2px solid #a67c00;padding:.6rem 1rem;font-weight:bold}
.person{border:1px solid #ccc;border-radius:.4rem;padding:.6rem 1rem;margin:.8rem 0}
button{margin:.2rem .4rem .2rem 0;padding:.4rem .8rem}
.error{color:#a00}
</style></head><body>
<p class="demo" role="alert">` + Banner + `. Iedereen kan hier als elke demopersoon aanmelden; gebruik dit nooit voor echte gegevens.</p>
<h1>{{.Title}}</h1>
{{if .Error}}<p class="error">{{.Error}}</p>{{end}}
{{range .People}}
<form class="person" method="post">
<input type="hidden" name="id" value="{{$.RequestID}}">
<input type="hidden" name="sub" value="{{.Subject}}">
<h2>{{.GivenName}} {{.FamilyName}}{{if .Clerk}} (loketmedewerker){{end}}</h2>
<button type="submit" name="kbo" value="">Aanmelden als burger</button>
{{range .Enterprises}}<button type="submit" name="kbo" value="{{.KBO}}">Aanmelden namens {{.Name}} ({{.KBO}})</button>
{{end}}
</form>
{{end}}
{{if .Message}}<p>{{.Message}}</p>{{end}}
</body></html>`))

type pageData struct {
	Title, Error, Message, RequestID string
	People                           []Person
}

func render(w http.ResponseWriter, status int, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_ = pages.Execute(w, d)
}

// loginPage lists the demo people for a pending authorization request.
type loginPage struct {
	store    *storage
	people   []Person
	callback func(context.Context, string) string
}

func (l *loginPage) show(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	if _, err := l.store.AuthRequestByID(r.Context(), id); err != nil {
		render(w, http.StatusBadRequest, pageData{Title: "Aanmelden", Error: "Deze aanmeldaanvraag bestaat niet of is verlopen. Begin opnieuw bij de toepassing waar u wou aanmelden."})
		return
	}
	render(w, http.StatusOK, pageData{Title: "Kies een demopersoon", RequestID: id, People: l.people})
}

// choose completes the request for the chosen person and capacity. The
// enterprise is checked against the person, so a forged kbo field is refused.
func (l *loginPage) choose(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("id")
	if _, err := l.store.AuthRequestByID(r.Context(), id); err != nil {
		render(w, http.StatusBadRequest, pageData{Title: "Aanmelden", Error: "Deze aanmeldaanvraag bestaat niet of is verlopen. Begin opnieuw bij de toepassing waar u wou aanmelden."})
		return
	}
	p, ok := l.store.people[r.PostFormValue("sub")]
	if !ok {
		render(w, http.StatusBadRequest, pageData{Title: "Kies een demopersoon", RequestID: id, People: l.people, Error: "Deze persoon bestaat niet in de demo."})
		return
	}
	kbo := r.PostFormValue("kbo")
	if kbo != "" {
		if _, ok := p.enterprise(kbo); !ok {
			render(w, http.StatusForbidden, pageData{Title: "Kies een demopersoon", RequestID: id, People: l.people, Error: "Deze persoon mag niet aanmelden namens die onderneming."})
			return
		}
	}
	if err := l.store.choose(id, capacity{Subject: p.Subject, KBO: kbo}); err != nil {
		render(w, http.StatusConflict, pageData{Title: "Aanmelden", Error: "Deze aanmeldaanvraag is al afgerond. Begin opnieuw bij de toepassing waar u wou aanmelden."})
		return
	}
	http.Redirect(w, r, l.callback(r.Context(), id), http.StatusFound)
}

func loggedOut(w http.ResponseWriter, _ *http.Request) {
	render(w, http.StatusOK, pageData{Title: "Afgemeld", Message: "U bent afgemeld bij de demo-aanmelddienst."})
}
