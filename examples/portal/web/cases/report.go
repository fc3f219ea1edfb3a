package cases

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/address"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// reportForm is what the citizen typed in "Melding maken", kept as text so a
// re-rendered form shows exactly that.
type reportForm struct {
	Category, Description                         string
	Street, Number, Box, PostalCode, Municipality string
	Lat, Lon                                      string
	// Attributes are the answers to the category's extra questions.
	Attributes map[string][]string
	// Photos are the photos already uploaded, signed (see photos.go), so
	// a form shown again does not ask for them again.
	Photos []string
	// Confirmed: the citizen saw the nearby reports and files anyway.
	Confirmed bool
}

// hasPlace reports whether the form names a place at all.
func (f reportForm) hasPlace() bool {
	return f.Street != "" || f.Lat != "" || f.Lon != ""
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
	"photos":                        "Deze foto kunnen we niet gebruiken.",
	"attributes":                    "Deze waarde is niet geldig.",
}

// formOf reads the report form (also the clerk's "wijzigen" form, which
// shares the place fields).
func formOf(r *http.Request) reportForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := reportForm{Category: v("category"), Description: r.PostFormValue("description"), Street: v("street"), Number: v("number"), Box: v("box"),
		PostalCode: v("postal_code"), Municipality: v("municipality"), Lat: v("lat"), Lon: v("lon"),
		Attributes: map[string][]string{}, Photos: r.PostForm["photo_token"], Confirmed: v("confirm") == "new"}
	for k, vals := range r.PostForm {
		if code, ok := strings.CutPrefix(k, "attr_"); ok {
			var kept []string
			for _, s := range vals {
				if s = strings.TrimSpace(s); s != "" {
					kept = append(kept, s)
				}
			}
			if len(kept) > 0 {
				f.Attributes[code] = kept
			}
		}
	}
	return f
}

func (a *Block) reportNew(w http.ResponseWriter, r *http.Request, p *person) {
	f := reportForm{Street: p.Address.Street, Number: p.Address.Number, Box: p.Address.Box, PostalCode: p.Address.PostalCode, Municipality: p.Address.Municipality}
	// A draft of the virtual assistant comes as query values: the form
	// shows it, and nothing is filed until the citizen sends it.
	q := r.URL.Query()
	f.Category, f.Description = q.Get("categorie"), q.Get("omschrijving")
	if street := q.Get("straat"); street != "" {
		f.Street, f.Number, f.Box = street, q.Get("huisnummer"), ""
	}
	a.renderReport(w, r, http.StatusOK, f, nil, nil)
}

// reportPage is the data of the report form ("Melding maken").
type reportPage struct {
	Form       reportForm
	Errors     map[string]string
	Categories []casefile.Category
	Questions  []reportQuestion
	// Photos is whether the form takes photos, at most MaxPhotos;
	// Uploaded is how many it carries already.
	Photos              bool
	MaxPhotos, Uploaded int
	// Nearby are open reports near the place, for "is this your problem?".
	Nearby []nearbyView
	Map    mapView
	Point  mapView
}

// FormErrors gives the form's errors to the site's error summary, each
// under the id of the element it is about (reportElements), so its link
// leads there.
func (p reportPage) FormErrors() frontoffice.FormErrors {
	byElement := make(map[string]string, len(p.Errors))
	for field, msg := range p.Errors {
		if id, ok := reportElements[field]; ok {
			field = id
		}
		byElement[field] = msg
	}
	return frontoffice.FormErrorsOf(byElement)
}

// reportElements are the ids of the report form's elements by the name of
// the field their errors use, where the two differ: the service's names
// for the place, and the messages that have no input of their own.
var reportElements = map[string]string{
	"location":                      "location-error",
	"location.address.street":       "street",
	"location.address.postal_code":  "postal_code",
	"location.address.municipality": "municipality",
	"location.point":                "lat",
	"attributes":                    "attributes-error",
}

// reportQuestion is a category's extra question on the report form.
type reportQuestion struct {
	Category string
	casefile.Attribute
}

func (a *Block) renderReport(w http.ResponseWriter, r *http.Request, status int, f reportForm, errsByField map[string]string, nearby []nearbyView) {
	ct, _ := a.cases.CaseType("meldingen")
	var questions []reportQuestion
	for _, c := range ct.Categories {
		for _, q := range ct.Attributes(c.Code) {
			questions = append(questions, reportQuestion{Category: c.Code, Attribute: q})
		}
	}
	a.allowTiles(w)
	a.show(w, r, status, "report.html", "Melding maken", reportPage{Form: f, Errors: errsByField, Categories: ct.Categories,
		Questions: questions, Photos: a.deps.Photos != nil, MaxPhotos: a.deps.MaxPhotos, Uploaded: len(f.Photos),
		Nearby: nearby, Map: a.mapOf(casefile.Location{}), Point: a.formPoint(f)})
}

// formPoint is the point the form holds, for the map, or none.
func (a *Block) formPoint(f reportForm) mapView {
	lat, err1 := address.ParseCoordinate(f.Lat)
	lon, err2 := address.ParseCoordinate(f.Lon)
	if err1 != nil || err2 != nil {
		return mapView{}
	}
	return a.mapOf(casefile.Location{Point: casefile.Point{Lat: lat, Lon: lon}})
}

// locationOf makes the place of the form: the coordinates typed or picked
// on the map (decimal comma or point), the address typed, looked up to
// find its point when none was given; a place outside the territory is
// refused. The errors are by field, in Dutch.
func (a *Block) locationOf(ctx context.Context, f *reportForm) (casefile.Location, map[string]string) {
	loc := casefile.Location{Address: pii.Address{Street: f.Street, Number: f.Number, Box: f.Box, PostalCode: f.PostalCode, Municipality: f.Municipality}}
	if f.Lat != "" || f.Lon != "" {
		lat, err := address.ParseCoordinate(f.Lat)
		if err == nil {
			var lon float64
			if lon, err = address.ParseCoordinate(f.Lon); err == nil {
				err = address.CheckLatLon(lat, lon)
				loc.Point = casefile.Point{Lat: lat, Lon: lon}
			}
		}
		if err != nil {
			return loc, map[string]string{"location.point": coordinateMessage(err)}
		}
	}
	if !loc.HasPoint() && f.Street != "" && a.deps.Addresses != nil {
		q := strings.TrimSpace(f.Street + " " + f.Number + ", " + f.PostalCode + " " + f.Municipality)
		found, err := a.deps.Addresses.Search(ctx, q)
		switch {
		case err != nil:
			a.log.Warn("address look-up", "err", err)
		case len(found) == 0 && a.deps.Territory != nil:
			return loc, map[string]string{"location.address.street": "Dit adres vinden we niet in " + a.deps.Territory.Name +
				". Kijk de straat en het huisnummer na, of duid de plaats aan op de kaart."}
		case len(found) > 0:
			hit := found[0]
			loc.Point = casefile.Point{Lat: hit.Lat, Lon: hit.Lon}
			loc.AddressID = hit.ID
			if loc.Address.Municipality == "" {
				loc.Address.Municipality, loc.Address.PostalCode = hit.Municipality, hit.PostalCode
			}
		}
	}
	if !loc.HasAddress() && loc.HasPoint() && a.deps.Addresses != nil {
		if hit, err := a.deps.Addresses.Reverse(ctx, loc.Point.Lat, loc.Point.Lon); err == nil {
			loc.Address = pii.Address{Street: hit.Street, Number: hit.Number, PostalCode: hit.PostalCode, Municipality: hit.Municipality}
			loc.AddressID = hit.ID
		}
	}
	if loc.HasPoint() && a.deps.Territory != nil {
		if err := a.deps.Territory.Check(loc.Point.Lat, loc.Point.Lon); err != nil {
			return loc, map[string]string{"location": err.Error()}
		}
	}
	return loc, nil
}

// coordinateMessage is the Dutch reason a coordinate was refused.
func coordinateMessage(err error) string {
	var ce *address.CoordinateError
	if errors.As(err, &ce) && ce.Message != "" {
		return ce.Message
	}
	return dutchMessages["location.point"]
}

// firstMessage is one of the messages, for a page that shows one.
func firstMessage(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return m[keys[0]]
}

func (a *Block) reportCreate(w http.ResponseWriter, r *http.Request, p *person) {
	ctx := r.Context()
	f := formOf(r)
	cat, sub, _ := strings.Cut(f.Category, "/")
	errsByField := map[string]string{}
	attachments, err := a.uploads(r, p, &f)
	if err != nil {
		errsByField["photos"] = photoMessage(err)
	}
	loc, placeErrs := a.locationOf(ctx, &f)
	for k, v := range placeErrs {
		errsByField[k] = v
	}
	if len(errsByField) > 0 {
		// Say at once what else is missing, not one thing at a time.
		if cat == "" {
			errsByField["category"] = dutchMessages["category"]
		}
		if strings.TrimSpace(f.Description) == "" {
			errsByField["description"] = dutchMessages["description"]
		}
		var verr *casefile.ValidationError
		if errors.As(casefile.CheckLocation(loc, true), &verr) {
			for _, fe := range verr.Fields {
				if msg, ok := dutchMessages[fe.Field]; ok {
					errsByField[fe.Field] = msg
				}
			}
		}
		a.renderReport(w, r, http.StatusUnprocessableEntity, f, errsByField, nil)
		return
	}
	// "Is dit uw probleem?": open reports of the category nearby, before
	// filing a second one.
	if loc.HasPoint() && cat != "" && !f.Confirmed {
		if near := a.nearby(ctx, cat, loc.Point, uuid.Nil); len(near) > 0 {
			a.renderReport(w, r, http.StatusOK, f, nil, near)
			return
		}
	}
	req := casefile.CreateRequest{
		Type: "meldingen", Category: cat, Subcategory: sub,
		Requester: requester(p), Channel: casefile.ChannelWeb,
		Location: loc, Description: strings.TrimSpace(f.Description), Attachments: attachments,
		Actor: casefile.Actor{ID: string(p.INSZ), Role: casefile.RoleCitizen}, Attributes: f.Attributes,
	}
	c, err := a.cases.Create(ctx, req)
	var verr *casefile.ValidationError
	if errors.As(err, &verr) {
		byField := map[string]string{}
		for _, fe := range verr.Fields {
			field := fe.Field
			if strings.HasPrefix(field, "attributes") {
				field = "attributes"
			}
			msg, ok := dutchMessages[field]
			if !ok {
				msg = "Deze waarde is niet geldig."
			}
			byField[field] = msg
		}
		a.renderReport(w, r, http.StatusUnprocessableEntity, f, byField, nil)
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	// "Ja, dit is mijn probleem": the new report follows the one chosen,
	// and its reporter hears when that one is solved.
	if into, perr := uuid.Parse(r.PostFormValue("follow")); perr == nil {
		if _, err := a.cases.Merge(ctx, casefile.MergeRequest{CaseID: c.ID, Version: c.Version, Into: into,
			Actor: casefile.Actor{ID: "portaal", Role: casefile.RoleSystem}}); err != nil {
			a.log.Warn("follow a nearby report", "case", c.ID, "err", err)
		} else {
			a.site.Flash(w, r, "Bedankt, uw melding "+c.Reference+" volgt de bestaande melding. U hoort het wanneer die is opgelost.")
			http.Redirect(w, r, "/mijn-dossiers/"+c.ID.String(), http.StatusSeeOther)
			return
		}
	}
	a.site.Flash(w, r, "Bedankt, uw melding "+c.Reference+" is ontvangen.")
	http.Redirect(w, r, "/mijn-dossiers/"+c.ID.String(), http.StatusSeeOther)
}
