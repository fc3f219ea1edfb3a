package permits

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// permitForm is what the applicant typed in "Inname openbaar domein
// aanvragen", kept as text so a re-rendered form shows exactly that.
type permitForm struct {
	Type, Applicant, Description                  string
	Street, Number, Box, PostalCode, Municipality string
	// Lat and Lon are the middle of the occupation; Length runs east–west
	// along the street and Width north–south, in metres.
	Lat, Lon, Length, Width string
	Start, End              string // first and last day, yyyy-mm-dd
	ParkingPlaces           string
	Exemption               string
	Email, Phone            string
	// Key names this filling-in of the new-application form: the form
	// posted twice (a double click, a retry) drafts one application.
	Key string
}

// maxUpload bounds the whole application form, attachments included.
const maxUpload = 10 << 20

// demoGeocoder is the demo municipality's street table: the middle of each
// street in WGS84. House numbers lie 3.5 m apart along the street. A real
// portal asks the Flemish address register (CRAB/Adressenregister).
var demoGeocoder = map[string][2]float64{
	"kerkstraat":     {50.86950, 3.81050},
	"dorpsplein":     {50.86900, 3.81200},
	"stationsstraat": {50.87200, 3.80500},
	"marktplein":     {50.86880, 3.81150},
	"molenstraat":    {50.86700, 3.81500},
	"schoolstraat":   {50.87050, 3.80800},
}

// geocode finds the point of an address in the demo table.
func geocode(street, number string) (lat, lon float64, ok bool) {
	pt, ok := demoGeocoder[strings.ToLower(strings.TrimSpace(street))]
	if !ok {
		return 0, 0, false
	}
	n, _ := strconv.Atoi(strings.TrimLeftFunc(number, func(r rune) bool { return r < '0' || r > '9' }))
	const degPerHouse = 0.00005 // about 3.5 m east at this latitude
	return pt[0], pt[1] + float64(n)*degPerHouse, true
}

// streets lists the demo table's streets for the form's suggestions.
func streets() []string {
	var out []string
	for s := range demoGeocoder {
		out = append(out, strings.ToUpper(s[:1])+s[1:])
	}
	slices.Sort(out)
	return out
}

// lineShaped reports whether the type is charged per running metre: its
// occupation is drawn as a line along the kerb, not as a rectangle.
func lineShaped(typ permit.OccupationType) bool {
	return len(typ.Tariffs) > 0 && typ.Tariffs[0].Unit == permit.PerMetrePerDay
}

// shape draws the occupation in Lambert 72 around the point: a line of the
// given length east–west, or a rectangle length × width.
func shape(lat, lon, length, width float64, line bool) json.RawMessage {
	x, y := permit.WGS84ToLambert72(lon, lat)
	l, w := length/2, width/2
	var g string
	if line {
		g = fmt.Sprintf(`{"type":"LineString","coordinates":[[%.3f,%.3f],[%.3f,%.3f]]}`, x-l, y, x+l, y)
	} else {
		g = fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f]]]}`,
			x-l, y-w, x+l, y-w, x+l, y+w, x-l, y+w, x-l, y-w)
	}
	return json.RawMessage(g)
}

// formOf gives back the form of a stored application, to change it: the
// middle and size of the shape the form drew, and the first and last day.
func formOf(ap *permit.Application) permitForm {
	f := permitForm{Type: ap.Type, Applicant: "self", Description: ap.Description,
		Street: ap.Address.Street, Number: ap.Address.Number, Box: ap.Address.Box, PostalCode: ap.Address.PostalCode, Municipality: ap.Address.Municipality,
		ParkingPlaces: strconv.Itoa(ap.ParkingPlaces), Exemption: string(ap.Exemption), Email: string(ap.Applicant.Email), Phone: string(ap.Applicant.Phone)}
	if ap.Applicant.KBO != "" {
		f.Applicant = "enterprise"
	}
	b := permit.LambertBounds(ap.Location)
	lon, lat := permit.Lambert72ToWGS84((b.MinX+b.MaxX)/2, (b.MinY+b.MaxY)/2)
	f.Lat, f.Lon = strconv.FormatFloat(lat, 'f', 6, 64), strconv.FormatFloat(lon, 'f', 6, 64)
	f.Length = decimalFloat(b.MaxX - b.MinX)
	f.Width = decimalFloat(b.MaxY - b.MinY)
	if ap.Location.Type == permit.LineString {
		f.Width = ""
	}
	if span := ap.Span(); !span.Start.IsZero() {
		f.Start = calendar.DateIn(span.Start).String()
		f.End = calendar.DateIn(span.End.Add(-time.Nanosecond)).String()
	}
	return f
}

func decimalInt(n int) string { return strconv.Itoa(n) }

// decimalFloat writes a measure the Belgian way, to the centimetre: "12,5".
func decimalFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return strings.Replace(s, ".", ",", 1)
}

// parseNumber reads a measure as a person types it: "2,5", "1.250,75".
func parseNumber(s string) (float64, error) {
	d, err := frontoffice.ParseDecimal(s)
	if err != nil {
		return 0, err
	}
	f, _ := d.Float64()
	return f, nil
}

var postalCodeRE = regexp.MustCompile(`^[1-9][0-9]{3}$`)

// typeChoice is one occupation type as the form offers it.
type typeChoice struct {
	Code, Name  string
	LeadTime    int
	Earliest    calendar.Date
	Attachments []string
	Line        bool
}

func (a *Block) typeChoices() []typeChoice {
	var out []typeChoice
	for _, code := range typeOrder {
		typ, err := a.permits.types.Lookup(code)
		if err != nil {
			continue
		}
		c := typeChoice{Code: code, Name: TypeName(code), LeadTime: typ.LeadTime, Earliest: a.permits.earliestStart(typ), Line: lineShaped(typ)}
		for _, k := range typ.Attachments {
			c.Attachments = append(c.Attachments, attachmentNames[k])
		}
		out = append(out, c)
	}
	return out
}

func (a *Block) permitNew(w http.ResponseWriter, r *http.Request, p *person) {
	f := permitForm{Applicant: "self", Street: p.Address.Street, Number: p.Address.Number, Box: p.Address.Box,
		PostalCode: p.Address.PostalCode, Municipality: p.Address.Municipality, Length: "5", Width: "2", ParkingPlaces: "0",
		Email: string(p.Email), Phone: string(p.Phone), Key: uuid.NewString()}
	if lat, lon, ok := geocode(p.Address.Street, p.Address.Number); ok {
		f.Lat, f.Lon = strconv.FormatFloat(lat, 'f', 6, 64), strconv.FormatFloat(lon, 'f', 6, 64)
	}
	a.renderPermitForm(w, r, http.StatusOK, p, "/vergunningen/aanvragen", f, nil, nil)
}

// permitFormPage is the data of the application form.
type permitFormPage struct {
	Form   permitForm
	Errors frontoffice.FormErrors
	// Action is where the form posts: a new application or a draft's.
	Action     string
	Types      []typeChoice
	Enterprise *frontoffice.Enterprise
	Streets    []string
	// AttachmentKinds are the kinds of attachment the form takes.
	AttachmentKinds []attachmentChoice
	// Existing are the attachments a draft already has.
	Existing []string
	// Exemptions are the fee exemptions one may claim.
	Exemptions []exemptionChoice
}

// attachmentChoice is one kind of attachment, by its code and its name.
type attachmentChoice struct{ Kind, Name string }

// exemptionChoice is one fee exemption, by its code and its name.
type exemptionChoice struct{ Code, Name string }

// FormErrors gives the form's errors to the site's error summary.
func (p permitFormPage) FormErrors() frontoffice.FormErrors { return p.Errors }

func (a *Block) renderPermitForm(w http.ResponseWriter, r *http.Request, status int, p *person, action string, f permitForm, errsByField frontoffice.FormErrors, existing []permit.Attachment) {
	var have []string
	for _, at := range existing {
		have = append(have, attachmentNames[at.Kind]+": "+at.Filename)
	}
	kinds := make([]attachmentChoice, 0, len(attachmentKinds))
	for _, k := range attachmentKinds {
		kinds = append(kinds, attachmentChoice{Kind: k, Name: attachmentNames[k]})
	}
	exemptions := []exemptionChoice{{Code: string(permit.NonProfit), Name: exemptionNames[permit.NonProfit]},
		{Code: string(permit.PublicUtility), Name: exemptionNames[permit.PublicUtility]}}
	a.show(w, r, status, "permit_form.html", "Inname openbaar domein aanvragen", permitFormPage{
		Form: f, Errors: errsByField, Action: action,
		Types: a.typeChoices(), Enterprise: p.Enterprise, Streets: streets(), AttachmentKinds: kinds,
		Existing: have, Exemptions: exemptions,
	})
}

// readPermitForm parses the form (multipart when it carries attachments)
// and its files. It returns false after answering when the request itself
// is wrong: too large, or no valid CSRF token.
func (a *Block) readPermitForm(w http.ResponseWriter, r *http.Request) (permitForm, []permit.Attachment, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			a.site.Message(w, r, http.StatusRequestEntityTooLarge, "Bestanden te groot", "Samen mogen de bijlagen hoogstens 10 MB zijn. Ga terug en kies kleinere bestanden.")
			return permitForm{}, nil, false
		}
		a.site.Message(w, r, http.StatusBadRequest, "Formulier onleesbaar", "Het formulier kon niet gelezen worden. Probeer opnieuw.")
		return permitForm{}, nil, false
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := permitForm{Type: v("type"), Applicant: v("applicant"), Description: v("description"),
		Street: v("street"), Number: v("number"), Box: v("box"), PostalCode: v("postal_code"), Municipality: v("municipality"),
		Lat: v("lat"), Lon: v("lon"), Length: v("length"), Width: v("width"), Start: v("start"), End: v("end"),
		ParkingPlaces: v("parking_places"), Exemption: v("exemption"), Email: v("email"), Phone: v("phone"),
		Key: v("idempotency_key")}
	if f.Applicant == "" {
		f.Applicant = "self"
	}
	var files []permit.Attachment
	if r.MultipartForm != nil {
		for _, kind := range attachmentKinds {
			fhs := r.MultipartForm.File["attachment_"+kind]
			if len(fhs) == 0 || fhs[0].Size == 0 {
				continue
			}
			fh := fhs[0]
			file, err := fh.Open()
			if err != nil {
				a.site.Fail(w, r, err)
				return permitForm{}, nil, false
			}
			h := sha256.New()
			n, err := io.Copy(h, file)
			_ = file.Close()
			if err != nil {
				a.site.Fail(w, r, err)
				return permitForm{}, nil, false
			}
			mediaType, _, _ := mime.ParseMediaType(fh.Header.Get("Content-Type"))
			if mediaType == "" {
				mediaType = "application/octet-stream"
			}
			name := filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
			if len(name) > 255 {
				name = name[len(name)-255:]
			}
			// The demo keeps what identifies the document, not the document:
			// a municipality stores the content in its document store.
			files = append(files, permit.Attachment{Kind: kind, Filename: name, MediaType: mediaType, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))})
		}
	}
	return f, files, true
}

// input checks the form as far as the portal's own fields go (numbers,
// dates, the address table, the lead time and the attachments) and builds
// the permit input; the permit service checks the rest.
func (a *Block) permitInput(f permitForm, p *person, attachments []permit.Attachment) (permit.ApplicationInput, frontoffice.FormErrors) {
	var e frontoffice.FormErrors
	typ, typErr := a.permits.types.Lookup(f.Type)
	if typErr != nil {
		e.Add("type", "Kies wat u op het openbaar domein wilt plaatsen.")
	}
	in := permit.ApplicationInput{
		Type:          f.Type,
		Applicant:     permit.Applicant{Name: p.Name, INSZ: p.INSZ, Email: pii.Email(f.Email), Phone: pii.Phone(f.Phone)},
		CRS:           permit.Lambert72,
		Address:       pii.Address{Street: f.Street, Number: f.Number, Box: f.Box, PostalCode: f.PostalCode, Municipality: f.Municipality},
		Description:   f.Description,
		Attachments:   attachments,
		Exemption:     permit.Exemption(f.Exemption),
		ParkingPlaces: 0,
	}
	switch f.Applicant {
	case "self":
	case "enterprise":
		if p.Enterprise == nil {
			e.Add("applicant", "U kunt enkel aanvragen voor uzelf of voor uw eigen onderneming.")
			break
		}
		in.Applicant.Enterprise, in.Applicant.KBO = p.Enterprise.Name, p.Enterprise.KBO
	default:
		e.Add("applicant", "U kunt enkel aanvragen voor uzelf of voor uw eigen onderneming.")
	}
	if f.Description == "" {
		e.Add("description", "Beschrijf kort wat u plaatst en waarom.")
	}
	if f.Street == "" {
		e.Add("street", "Vul de straat in.")
	}
	if !postalCodeRE.MatchString(f.PostalCode) {
		e.Add("postal_code", "Vul een geldige Belgische postcode in (4 cijfers).")
	}
	if f.Municipality == "" {
		e.Add("municipality", "Vul de gemeente in.")
	}
	if f.Email == "" {
		e.Add("email", "Vul uw e-mailadres in, zodat we u kunnen bereiken.")
	}
	var lat, lon float64
	located := false
	if f.Lat == "" && f.Lon == "" {
		if lat, lon, located = geocode(f.Street, f.Number); !located && f.Street != "" {
			e.Add("location", "We vinden deze straat niet in de adrestabel van de demo: geef de breedte- en lengtegraad op.")
		}
	} else {
		var err1, err2 error
		lat, err1 = frontoffice.ParseCoordinate(f.Lat)
		lon, err2 = frontoffice.ParseCoordinate(f.Lon)
		located = err1 == nil && err2 == nil
		if !located {
			e.Add("location", "Geef een geldige breedte- en lengtegraad op, bijvoorbeeld 50,8695 en 3,8105.")
		}
	}
	line := typErr == nil && lineShaped(typ)
	length, err := parseNumber(f.Length)
	if err != nil || length <= 0 || length > 500 {
		e.Add("length", "Geef de lengte in meter: meer dan 0 en hoogstens 500.")
	}
	width := 0.0
	if !line {
		width, err = parseNumber(f.Width)
		if err != nil || width <= 0 || width > 100 {
			e.Add("width", "Geef de breedte in meter: meer dan 0 en hoogstens 100.")
		}
	}
	if located && !e.Has("length") && !e.Has("width") {
		in.Location = shape(lat, lon, length, width, line)
	}
	start, errStart := calendar.ParseDate(f.Start)
	end, errEnd := calendar.ParseDate(f.End)
	switch {
	case errStart != nil:
		e.Add("start", "Kies de eerste dag van de inname.")
	case typErr == nil && start.Before(a.permits.earliestStart(typ)):
		e.Add("start", fmt.Sprintf("Een %s vraagt u minstens %d werkdagen vooraf aan: kies ten vroegste %s.",
			strings.ToLower(TypeName(typ.Code)), typ.LeadTime, a.permits.earliestStart(typ).Start().Format("02/01/2006")))
	}
	switch {
	case errEnd != nil:
		e.Add("end", "Kies de laatste dag van de inname.")
	case errStart == nil && end.Before(start):
		e.Add("end", "De laatste dag mag niet vóór de eerste dag liggen.")
	}
	if errStart == nil && errEnd == nil && !end.Before(start) {
		in.Periods = []permit.Period{{Start: start.Start(), End: end.AddDays(1).Start()}}
	}
	if f.ParkingPlaces != "" {
		n, err := strconv.Atoi(f.ParkingPlaces)
		if err != nil || n < 0 || n > 100 {
			e.Add("parking_places", "Geef een aantal parkeerplaatsen van 0 tot 100.")
		}
		in.ParkingPlaces = n
	}
	switch permit.Exemption(f.Exemption) {
	case "", permit.NonProfit, permit.PublicUtility:
	default:
		e.Add("exemption", "Kies een van de vrijstellingen, of geen.")
	}
	if typErr == nil {
		var missing []string
		for _, kind := range typ.Attachments {
			if !slices.ContainsFunc(attachments, func(at permit.Attachment) bool { return at.Kind == kind }) {
				missing = append(missing, strings.ToLower(attachmentNames[kind]))
			}
		}
		if len(missing) > 0 {
			e.Add("attachments", "Voeg voor een "+strings.ToLower(TypeName(typ.Code))+" deze bijlagen toe: "+strings.Join(missing, ", ")+".")
		}
	}
	return in, e
}

// permitErrors turns the permit service's validation error into Dutch
// messages next to the form's fields. A rule the form has no words of its
// own for reads as frontoffice.FieldErrors words it: the field and the
// limit ("Omschrijving is te lang: u kunt ten hoogste 2000 tekens
// gebruiken.").
func permitErrors(verr *permit.ValidationError, typ permit.OccupationType) frontoffice.FormErrors {
	var out frontoffice.FormErrors
	general := frontoffice.FieldErrors(verr, permitLabels)
	for i, fe := range verr.Fields {
		field, msg := "", ""
		switch {
		case fe.Field == "type":
			field, msg = "type", "Kies wat u op het openbaar domein wilt plaatsen."
		case fe.Field == "description" && fe.Rule == "required":
			field, msg = "description", "Beschrijf kort wat u plaatst en waarom."
		case fe.Field == "description":
			field, msg = "description", general[i].Message
		case fe.Field == "location" && (fe.Rule == "area" || fe.Rule == "length"):
			field, msg = "length", "Deze inname wordt per m² of per meter aangerekend: geef de lengte en breedte op."
		case fe.Field == "location" && fe.Rule == "territory":
			field, msg = "location", "Deze plaats ligt niet op het grondgebied van de gemeente."
		case strings.HasPrefix(fe.Field, "location"), strings.HasPrefix(fe.Field, "geometry"), strings.HasPrefix(fe.Field, "coordinates"):
			field, msg = "location", "Deze plaats ligt niet in België of is geen geldige plaats: kijk de breedte- en lengtegraad na."
		case fe.Field == "periods" && fe.Rule == "max":
			field, msg = "end", fmt.Sprintf("Een %s mag hoogstens %d dagen duren.", strings.ToLower(TypeName(typ.Code)), int(typ.MaxDuration.Hours()/24))
		case fe.Field == "periods" && fe.Rule == "lead_time":
			field, msg = "start", fmt.Sprintf("Een %s vraagt u minstens %d werkdagen vooraf aan.", strings.ToLower(TypeName(typ.Code)), typ.LeadTime)
		case strings.HasSuffix(fe.Field, ".end"):
			field, msg = "end", "De laatste dag mag niet vóór de eerste dag liggen."
		case strings.HasPrefix(fe.Field, "periods"), strings.HasPrefix(fe.Field, "schedules"):
			field, msg = "start", "Kies een geldige periode."
		case fe.Field == "applicant.email":
			field, msg = "email", "Vul een geldig e-mailadres in."
		case fe.Field == "applicant.phone":
			field, msg = "phone", "Vul een geldig telefoonnummer in (hoogstens 30 tekens)."
		case strings.HasPrefix(fe.Field, "applicant"):
			field, msg = "applicant", "De gegevens van de aanvrager zijn niet volledig."
		case fe.Field == "parking_places":
			field, msg = "parking_places", "Geef een aantal parkeerplaatsen van 0 tot 100."
		case fe.Field == "exemption":
			field, msg = "exemption", "Deze vrijstelling geldt niet voor deze soort inname."
		case strings.HasPrefix(fe.Field, "attachments"):
			field, msg = "attachments", "Voeg de gevraagde bijlagen toe."
		default:
			msg = general[i].Message
		}
		out.Add(field, msg)
	}
	return out
}

func (a *Block) permitCreate(w http.ResponseWriter, r *http.Request, p *person) {
	f, files, ok := a.readPermitForm(w, r)
	if !ok {
		return
	}
	in, e := a.permitInput(f, p, files)
	if len(e) > 0 {
		a.renderPermitForm(w, r, http.StatusUnprocessableEntity, p, "/vergunningen/aanvragen", f, e, nil)
		return
	}
	if f.Key != "" {
		// Scoped by the person, so one person's key never finds another's draft.
		in.IdempotencyKey = "portal-permit-form:" + string(p.INSZ) + ":" + f.Key
	}
	ap, err := a.permits.svc.Draft(r.Context(), in)
	var verr *permit.ValidationError
	if errors.As(err, &verr) {
		typ, _ := a.permits.types.Lookup(f.Type)
		a.renderPermitForm(w, r, http.StatusUnprocessableEntity, p, "/vergunningen/aanvragen", f, permitErrors(verr, typ), nil)
		return
	}
	if errors.Is(err, permit.ErrConflict) {
		f.Key = uuid.NewString() // sent before with other content: this is a new application
		a.renderPermitForm(w, r, http.StatusConflict, p, "/vergunningen/aanvragen", f,
			frontoffice.FormErrors{{Message: "Dit formulier werd al eens verstuurd met andere gegevens. Kijk het na en verstuur het opnieuw."}}, nil)
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	// A repeated form finds the record of its first post: one draft, one number.
	rec, err := a.permits.records.Add(r.Context(), records.Permit{PermitID: ap.ID, Applicant: string(ap.Applicant.ID()), CreatedAt: ap.CreatedAt})
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	a.log.Info("permit drafted", "permit", ap.ID, "reference", rec.Reference(), "type", ap.Type)
	a.site.Flash(w, r, "Uw aanvraag "+rec.Reference()+" is bewaard als concept. Kijk ze na en dien ze in.")
	http.Redirect(w, r, "/vergunningen/"+ap.ID.String(), http.StatusSeeOther)
}

// editable reports whether the applicant may still change the application
// in the portal: a draft, or one sent back as incomplete.
func editable(ap *permit.Application) bool {
	return ap.Status == permit.StatusDraft || ap.Status == permit.StatusIncomplete
}

func (a *Block) permitEdit(w http.ResponseWriter, r *http.Request, p *person) {
	ap, _, ok := a.ownPermit(w, r, p)
	if !ok {
		return
	}
	if !editable(ap) {
		a.cannotChange(w, r)
		return
	}
	a.renderPermitForm(w, r, http.StatusOK, p, "/vergunningen/"+ap.ID.String()+"/wijzigen", formOf(ap), nil, ap.Attachments)
}

func (a *Block) cannotChange(w http.ResponseWriter, r *http.Request) {
	a.site.Message(w, r, http.StatusConflict, "Niet meer te wijzigen", "Deze aanvraag is in behandeling en kan niet meer gewijzigd worden. Neem contact op met de gemeente.")
}

func (a *Block) permitUpdate(w http.ResponseWriter, r *http.Request, p *person) {
	f, files, ok := a.readPermitForm(w, r)
	if !ok {
		return
	}
	ap, _, ok := a.ownPermit(w, r, p)
	if !ok {
		return
	}
	if !editable(ap) {
		a.cannotChange(w, r)
		return
	}
	// A new file of a kind replaces the earlier one; the others stay.
	attachments := slices.Clone(files)
	for _, old := range ap.Attachments {
		if !slices.ContainsFunc(files, func(n permit.Attachment) bool { return n.Kind == old.Kind }) {
			attachments = append(attachments, old)
		}
	}
	action := "/vergunningen/" + ap.ID.String() + "/wijzigen"
	in, e := a.permitInput(f, p, attachments)
	if (in.Applicant.KBO != "") != (ap.Applicant.KBO != "") {
		e.Add("applicant", "U kunt de aanvrager niet wijzigen. Trek de aanvraag in en dien een nieuwe in.")
	}
	if len(e) > 0 {
		a.renderPermitForm(w, r, http.StatusUnprocessableEntity, p, action, f, e, ap.Attachments)
		return
	}
	_, err := a.permits.svc.Modify(r.Context(), ap.ID, in)
	var verr *permit.ValidationError
	switch {
	case errors.As(err, &verr):
		typ, _ := a.permits.types.Lookup(f.Type)
		a.renderPermitForm(w, r, http.StatusUnprocessableEntity, p, action, f, permitErrors(verr, typ), ap.Attachments)
		return
	case errors.Is(err, permit.ErrInvalidTransition), errors.Is(err, permit.ErrConflict):
		a.cannotChange(w, r)
		return
	case err != nil:
		a.site.Fail(w, r, err)
		return
	}
	a.site.Flash(w, r, "Uw wijzigingen zijn bewaard.")
	http.Redirect(w, r, "/vergunningen/"+ap.ID.String(), http.StatusSeeOther)
}

// permitSubmit hands a draft in, or an incomplete application in again.
func (a *Block) permitSubmit(w http.ResponseWriter, r *http.Request, p *person) {
	ap, rec, ok := a.ownPermit(w, r, p)
	if !ok {
		return
	}
	var err error
	var after *permit.Application
	switch ap.Status {
	case permit.StatusDraft:
		after, err = a.permits.svc.Submit(r.Context(), ap.ID)
	case permit.StatusIncomplete:
		after, err = a.permits.svc.Resubmit(r.Context(), ap.ID)
	default:
		err = permit.ErrInvalidTransition
	}
	var verr *permit.ValidationError
	switch {
	case errors.As(err, &verr):
		typ, _ := a.permits.types.Lookup(ap.Type)
		var problems []string
		for _, fe := range permitErrors(verr, typ) {
			problems = append(problems, fe.Message)
		}
		a.renderPermit(w, r, http.StatusUnprocessableEntity, ap, rec, problems)
		return
	case errors.Is(err, permit.ErrInvalidTransition), errors.Is(err, permit.ErrConflict):
		a.site.Message(w, r, http.StatusConflict, "Al ingediend", "Deze aanvraag is al ingediend.")
		return
	case err != nil:
		a.site.Fail(w, r, err)
		return
	}
	a.log.Info("permit submitted", "permit", after.ID, "reference", rec.Reference())
	a.site.Flash(w, r, "Uw aanvraag "+rec.Reference()+" is ingediend. U krijgt bericht zodra de gemeente beslist.")
	http.Redirect(w, r, "/vergunningen/"+ap.ID.String(), http.StatusSeeOther)
}

// permitWithdraw lets the applicant withdraw until the occupation starts.
func (a *Block) permitWithdraw(w http.ResponseWriter, r *http.Request, p *person) {
	ap, rec, ok := a.ownPermit(w, r, p)
	if !ok {
		return
	}
	if !frontoffice.Confirmed(r) {
		a.site.Confirm(w, r, frontoffice.Confirmation{Title: "Aanvraag intrekken?",
			Question: "U trekt uw aanvraag " + rec.Reference() + " in. Dat kunt u niet ongedaan maken: wilt u later toch een vergunning, dan dient u een nieuwe aanvraag in.",
			Yes:      "Ja, aanvraag intrekken", Back: "/vergunningen/" + ap.ID.String()})
		return
	}
	if _, err := a.permits.svc.Withdraw(r.Context(), ap.ID); err != nil {
		if errors.Is(err, permit.ErrInvalidTransition) || errors.Is(err, permit.ErrConflict) {
			a.site.Message(w, r, http.StatusConflict, "Niet meer in te trekken", "Deze aanvraag kan niet meer ingetrokken worden.")
			return
		}
		a.site.Fail(w, r, err)
		return
	}
	a.site.Flash(w, r, "Uw aanvraag "+rec.Reference()+" is ingetrokken.")
	http.Redirect(w, r, "/vergunningen/"+ap.ID.String(), http.StatusSeeOther)
}

// parseID reads the {id} of the URL.
func parseID(r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	return id, err == nil
}
