package cases

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// reportForm is what the citizen typed in "Melding maken", kept as text so a
// re-rendered form shows exactly that.
type reportForm struct {
	Category, Description                         string
	Street, Number, Box, PostalCode, Municipality string
	Lat, Lon                                      string
}

// dutchMessages says per ValidationError field name what to fix, in Dutch;
// the service's own messages are English and meant for developers.
var dutchMessages = map[string]string{
	"category":                      "Kies een categorie.",
	"description":                   "Beschrijf het probleem (maximaal 10.000 tekens).",
	"location":                      "Geef een adres of een locatie op.",
	"location.address.street":       "Vul de straat in.",
	"location.address.postal_code":  "Vul een geldige Belgische postcode in (4 cijfers).",
	"location.address.municipality": "Vul de gemeente in.",
	"location.point":                "Geef een geldige breedte- en lengtegraad op.",
}

func (a *Block) reportNew(w http.ResponseWriter, r *http.Request, p *person) {
	f := reportForm{Street: p.Address.Street, Number: p.Address.Number, Box: p.Address.Box, PostalCode: p.Address.PostalCode, Municipality: p.Address.Municipality}
	a.renderReport(w, r, http.StatusOK, f, nil)
}

func (a *Block) renderReport(w http.ResponseWriter, r *http.Request, status int, f reportForm, errsByField map[string]string) {
	ct, _ := a.cases.CaseType("meldingen")
	a.render(w, r, status, "report.html", map[string]any{"Title": "Melding maken", "Form": f, "Errors": errsByField, "Categories": ct.Categories})
}

func (a *Block) reportCreate(w http.ResponseWriter, r *http.Request, p *person) {
	v := r.PostFormValue
	f := reportForm{Category: v("category"), Description: v("description"), Street: v("street"), Number: v("number"), Box: v("box"),
		PostalCode: v("postal_code"), Municipality: v("municipality"), Lat: strings.TrimSpace(v("lat")), Lon: strings.TrimSpace(v("lon"))}
	cat, sub, _ := strings.Cut(f.Category, "/")
	req := casefile.CreateRequest{
		Type: "meldingen", Category: cat, Subcategory: sub,
		Requester: requester(p), Channel: casefile.ChannelWeb,
		Location:    casefile.Location{Address: pii.Address{Street: f.Street, Number: f.Number, Box: f.Box, PostalCode: f.PostalCode, Municipality: f.Municipality}},
		Description: strings.TrimSpace(f.Description),
		Actor:       casefile.Actor{ID: string(p.INSZ), Role: casefile.RoleCitizen},
	}
	if f.Lat != "" || f.Lon != "" {
		lat, err1 := strconv.ParseFloat(f.Lat, 64)
		lon, err2 := strconv.ParseFloat(f.Lon, 64)
		if err1 != nil || err2 != nil {
			a.renderReport(w, r, http.StatusUnprocessableEntity, f, map[string]string{"location.point": dutchMessages["location.point"]})
			return
		}
		req.Location.Point = casefile.Point{Lat: lat, Lon: lon}
	}
	c, err := a.cases.Create(r.Context(), req)
	var verr *casefile.ValidationError
	if errors.As(err, &verr) {
		byField := map[string]string{}
		for _, fe := range verr.Fields {
			msg, ok := dutchMessages[fe.Field]
			if !ok {
				msg = "Deze waarde is niet geldig."
			}
			byField[fe.Field] = msg
		}
		a.renderReport(w, r, http.StatusUnprocessableEntity, f, byField)
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	a.site.Flash(w, r, "Bedankt, uw melding "+c.Reference+" is ontvangen.")
	http.Redirect(w, r, "/mijn-dossiers/"+c.ID.String(), http.StatusSeeOther)
}
