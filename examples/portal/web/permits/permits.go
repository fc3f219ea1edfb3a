package permits

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/pggather"
)

// permitBlock is the occupation of public domain ("inname openbaar
// domein"): the permit service (the pages reach the permits through it
// only) and what the portal keeps about each permit.
type permitBlock struct {
	svc     *permit.Service
	records records.Permits
	types   permit.Catalogue
	cal     *calendar.Calendar
	clock   clock.Clock
}

// applicantIDs are the applicants a person sees the permits of: signed
// in for an enterprise, the enterprise's (by KBO number, the
// "ondernemersloket") and not their own; as a citizen, their own (by
// national register number). The demo clerk has none.
func applicantIDs(p *person) []permit.ApplicantID {
	switch {
	case p.Enterprise != nil:
		return []permit.ApplicantID{permit.EnterpriseApplicant(p.Enterprise.KBO)}
	case p.INSZ != "":
		return []permit.ApplicantID{permit.PersonApplicant(p.INSZ)}
	}
	return nil
}

// typeNames are the occupation types in Dutch; the catalogue's names are English.
var typeNames = map[string]string{
	"container": "Container", "scaffolding": "Stelling", "moving_lift": "Verhuislift",
	"parking_ban": "Parkeerverbod", "site": "Werfzone", "terrace": "Terras", "event": "Evenement",
}

// typeOrder is the order the form offers the types in.
var typeOrder = []string{"container", "parking_ban", "moving_lift", "scaffolding", "terrace", "event", "site"}

// TypeName is the occupation type code in Dutch.
func TypeName(code string) string {
	if n, ok := typeNames[code]; ok {
		return n
	}
	return code
}

var permitStatusLabels = map[permit.Status]string{
	permit.StatusDraft: "Concept (niet ingediend)", permit.StatusSubmitted: "Ingediend", permit.StatusIncomplete: "Onvolledig",
	permit.StatusInAdvice: "In adviesronde", permit.StatusGranted: "Vergund", permit.StatusRefused: "Geweigerd",
	permit.StatusActive: "Lopend", permit.StatusEnded: "Afgelopen", permit.StatusWithdrawn: "Ingetrokken",
}

var departmentNames = map[permit.Department]string{
	permit.Police: "Politie", permit.FireBrigade: "Brandweer", permit.Mobility: "Mobiliteit",
	permit.Environment: "Milieu", permit.PublicWorks: "Openbare werken", permit.EventsOffice: "Evenementenloket",
}

var opinionNames = map[permit.Opinion]string{
	permit.Favourable: "Gunstig", permit.FavourableWithConditions: "Gunstig met voorwaarden", permit.Unfavourable: "Ongunstig",
}

// permitLabels are the Dutch names of the permit service's fields, for the
// messages frontoffice.FieldErrors words.
var permitLabels = map[string]string{
	"description":            "Omschrijving",
	"conditions[]":           "Voorwaarde",
	"conditions":             "Voorwaarden",
	"reasons[]":              "Reden van weigering",
	"reasons":                "Redenen van weigering",
	"missing[]":              "Wat ontbreekt",
	"missing":                "Wat ontbreekt",
	"remarks":                "Opmerkingen",
	"opinion":                "Advies",
	"department":             "Dienst",
	"applicant.name":         "Naam van de aanvrager",
	"applicant.email":        "E-mailadres",
	"applicant.phone":        "Telefoonnummer",
	"applicant.kbo":          "Ondernemingsnummer",
	"parking_places":         "Aantal parkeerplaatsen",
	"attachments[]":          "Bijlage",
	"attachments[].filename": "Bestandsnaam",
}

var attachmentNames = map[string]string{
	"situation_plan": "Situatieschets", "insurance": "Verzekeringsattest", "signage_plan": "Signalisatieplan", "safety_plan": "Veiligheidsplan",
}

// attachmentKinds is the order the form offers the attachment kinds in.
var attachmentKinds = []string{"situation_plan", "insurance", "signage_plan", "safety_plan"}

var exemptionNames = map[permit.Exemption]string{
	permit.NonProfit: "Vereniging zonder winstoogmerk", permit.PublicUtility: "Nutswerken (water, energie, telecom)",
}

// feeLineText explains one line of a fee in Dutch.
func feeLineText(l permit.FeeLine) string {
	d := l.Description
	switch {
	case d == "flat fee":
		return "Forfait"
	case d == "per started week":
		return "Per begonnen week: " + l.Quantity.String() + " × " + euro(l.Rate) + " (" + itoaDays(l.Days) + ")"
	case d == "raised to the minimum amount":
		return "Aangevuld tot het minimumbedrag van " + euro(l.Rate)
	case strings.HasPrefix(d, "exemption: "):
		return "Vrijstelling: " + exemptionNames[permit.Exemption(strings.TrimPrefix(d, "exemption: "))]
	case strings.HasPrefix(d, "per "):
		unit := map[string]string{"per m² per day": "m²", "per m per day": "lopende meter", "per occupation per day": "inname"}[d]
		return l.Quantity.String() + " " + unit + " × " + euro(l.Rate) + " per dag × " + itoaDays(l.Days)
	}
	return d
}

func itoaDays(n int) string {
	if n == 1 {
		return "1 dag"
	}
	return decimalInt(n) + " dagen"
}

// permitSection lists the permits of the person and their enterprise for
// "Mijn dossiers".
func (a *Block) permitSection(ctx context.Context, p *person) (frontoffice.DossierSection, error) {
	sec := frontoffice.DossierSection{
		Title: "Vergunningen", Empty: "U hebt nog geen vergunningen aangevraagd.", DateLabel: "Begint op",
		Action: &frontoffice.Link{Label: "Inname openbaar domein aanvragen", Href: "/vergunningen/aanvragen"},
	}
	// The permits and their records at the same time: in PostgreSQL the
	// two reads go with the other sections' (pggather.Split).
	who := applicantIDs(p)
	owners := make([]string, len(who))
	for i, id := range who {
		owners[i] = string(id)
	}
	both := pggather.Split(ctx, 2)
	var (
		recs   map[uuid.UUID]records.Permit
		recErr error
		wg     sync.WaitGroup
	)
	wg.Go(func() {
		defer pggather.Done(both[1])
		recs, recErr = a.permits.records.ByApplicant(both[1], owners...)
	})
	apps, err := a.summaries(both[0], who)
	wg.Wait()
	if err != nil {
		return sec, err
	}
	if recErr != nil {
		return sec, recErr
	}
	// Records made before records knew their applicant, if any: by permit.
	var missing []uuid.UUID
	for _, ap := range apps {
		if _, ok := recs[ap.ID]; !ok {
			missing = append(missing, ap.ID)
		}
	}
	if len(missing) > 0 {
		more, err := a.permits.records.GetMany(ctx, missing...)
		if err != nil {
			return sec, err
		}
		maps.Copy(recs, more)
	}
	for _, ap := range apps {
		rec := recs[ap.ID] // without a record (made outside the portal) the permit has no short number
		subject := TypeName(ap.Type) + ", " + ap.Address.Street + " " + ap.Address.Number
		if ap.Applicant.Enterprise != "" {
			subject += " (" + ap.Applicant.Enterprise + ")"
		}
		item := frontoffice.DossierItem{Reference: rec.Reference(), Link: "/vergunningen/" + ap.ID.String(), Subject: subject,
			Status: permitStatusText(ap, rec), Date: ap.Span().Start}
		switch ap.Status {
		case permit.StatusRefused, permit.StatusEnded, permit.StatusWithdrawn:
			item.Done, item.Date = true, time.Time{}
		case permit.StatusDraft:
			item.ToDo = "Nakijken en indienen"
		case permit.StatusIncomplete:
			item.ToDo = "Aanvullen en opnieuw indienen"
		}
		sec.Items = append(sec.Items, item)
	}
	return sec, nil
}

// summaries reads the permits of the applicants, newest first, and tells
// the gathering of ctx it reads no more.
func (a *Block) summaries(ctx context.Context, who []permit.ApplicantID) ([]*permit.Application, error) {
	defer pggather.Done(ctx)
	var apps []*permit.Application
	for ap, err := range a.permits.svc.SummariesByApplicant(ctx, who...) {
		if err != nil {
			return nil, err
		}
		apps = append(apps, ap)
	}
	return apps, nil
}

// permitStatusText is the status as the citizen reads it, the fee included
// once the permit is granted.
func permitStatusText(ap *permit.Application, rec records.Permit) string {
	s := permitStatusLabels[ap.Status]
	if ap.Status != permit.StatusGranted && ap.Status != permit.StatusActive {
		return s
	}
	switch {
	case !rec.FeePaidAt.IsZero():
		return s + ", retributie betaald"
	case rec.InvoiceID != uuid.Nil:
		return s + ", retributie te betalen"
	}
	return s
}

// ownPermit loads the permit of the URL if it belongs to p; otherwise it
// answers "not found" (so its existence is not revealed) and returns false.
func (a *Block) ownPermit(w http.ResponseWriter, r *http.Request, p *person) (*permit.Application, records.Permit, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		a.notFound(w, r)
		return nil, records.Permit{}, false
	}
	ap, err := a.permits.svc.Get(r.Context(), id)
	if errors.Is(err, permit.ErrNotFound) || (err == nil && (ap.Applicant.ID() == "" || !slices.Contains(applicantIDs(p), ap.Applicant.ID()))) {
		a.notFound(w, r)
		return nil, records.Permit{}, false
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return nil, records.Permit{}, false
	}
	rec, err := a.permits.records.Get(r.Context(), id)
	if err != nil && !errors.Is(err, records.ErrNoRecord) {
		a.site.Fail(w, r, err)
		return nil, records.Permit{}, false
	}
	return ap, rec, true
}

// timelineEntry is one step on a permit's timeline.
type timelineEntry struct {
	At   time.Time
	Text string
}

// permitTimeline derives the timeline from the permit's dates and what the
// wiring recorded. The permit package keeps no history of its own, so an
// earlier submission that was sent back as incomplete shows as the last one.
func permitTimeline(ap *permit.Application, rec records.Permit, invoiceRef string) []timelineEntry {
	var tl []timelineEntry
	add := func(at time.Time, text string) {
		if !at.IsZero() {
			tl = append(tl, timelineEntry{At: at, Text: text})
		}
	}
	add(ap.CreatedAt, "Aanvraag opgesteld (concept)")
	add(ap.SubmittedAt, "Aanvraag ingediend")
	if rec.CompleteAt.After(ap.SubmittedAt) && !ap.SubmittedAt.IsZero() {
		add(rec.CompleteAt, "Aanvraag volledig verklaard")
	}
	for _, ad := range ap.Advice {
		add(ad.Requested, "Advies gevraagd aan "+departmentNames[ad.Department])
		add(ad.GivenAt, "Advies van "+departmentNames[ad.Department]+": "+opinionNames[ad.Opinion])
	}
	switch ap.Status {
	case permit.StatusIncomplete:
		add(ap.UpdatedAt, "Aanvraag onvolledig: "+strings.Join(ap.Missing, "; "))
	case permit.StatusWithdrawn:
		add(ap.UpdatedAt, "Aanvraag ingetrokken")
	}
	switch {
	case ap.Status == permit.StatusRefused:
		add(ap.DecidedAt, "Vergunning geweigerd")
	case !ap.DecidedAt.IsZero():
		add(ap.DecidedAt, "Vergunning verleend")
	}
	if invoiceRef != "" {
		add(rec.InvoicedAt, "Factuur voor de retributie opgemaakt ("+invoiceRef+")")
	}
	add(rec.FeePaidAt, "Retributie betaald")
	slices.SortStableFunc(tl, func(x, y timelineEntry) int { return x.At.Compare(y.At) })
	return tl
}

// permitView is what the permit pages show of an application.
type permitView struct {
	App        *permit.Application
	Record     records.Permit
	Reference  string
	TypeName   string
	Status     string
	Size       string    // the area, or the length of a line
	Start, End time.Time // the first and last occupied day
	FeeLines   []string
	Timeline   []timelineEntry
	Signage    []permit.SignageTask
	Invoice    *invoiceSummary
	Conflicts  []conflictView
	Missing    []string // attachment kinds still missing, in Dutch
	Advice     []adviceView
	Attachment []string
}

// conflictView is a conflict as the pages show it.
type conflictView struct {
	With     string // the other occupation's ID
	What     string
	Label    string // only for the clerk: an applicant's description may be personal
	Distance string
	When     []permit.Period
	Blocking bool
	Permit   bool   // the other side is a permit (its applicant rates too)
	Self     string // the applicant's rating, in Dutch
	Other    string // the other party's rating, in Dutch
}

type adviceView struct {
	Department, Name, Opinion, Remarks string
	Conditions                         []string
	Due, Given                         time.Time
	Pending                            bool
}

var ratingNames = map[permit.RatingValue]string{
	permit.Accepted: "aanvaard", permit.NotAccepted: "niet aanvaard", permit.NotRated: "niet beoordeeld", permit.ToRerate: "opnieuw te beoordelen",
}

// view assembles what the pages show; conflicts are looked up only when
// asked, because they cost a store query.
func (a *Block) permitView(ctx context.Context, ap *permit.Application, rec records.Permit, withConflicts bool) (permitView, error) {
	v := permitView{App: ap, Record: rec, Reference: rec.Reference(), TypeName: TypeName(ap.Type), Status: permitStatusText(ap, rec), Signage: rec.Signage}
	v.Size = decimalFloat(ap.Length) + " m"
	if ap.Area > 0 {
		v.Size = decimalFloat(ap.Area) + " m²"
	}
	span := ap.Span()
	v.Start, v.End = span.Start, span.End.Add(-time.Nanosecond)
	for _, l := range ap.Fee.Lines {
		v.FeeLines = append(v.FeeLines, feeLineText(l)+" = "+euro(l.Amount))
	}
	if rec.InvoiceID != uuid.Nil {
		inv, err := a.invoiceSummary(ctx, rec.InvoiceID)
		if err != nil {
			return v, err
		}
		v.Invoice = &inv
	}
	invRef := ""
	if v.Invoice != nil {
		invRef = v.Invoice.Reference
	}
	v.Timeline = permitTimeline(ap, rec, invRef)
	if typ, err := a.permits.types.Lookup(ap.Type); err == nil {
		for _, kind := range typ.Attachments {
			if !slices.ContainsFunc(ap.Attachments, func(at permit.Attachment) bool { return at.Kind == kind }) {
				v.Missing = append(v.Missing, attachmentNames[kind])
			}
		}
	}
	for _, at := range ap.Attachments {
		v.Attachment = append(v.Attachment, attachmentNames[at.Kind]+": "+at.Filename)
	}
	for _, ad := range ap.Advice {
		v.Advice = append(v.Advice, adviceView{Department: string(ad.Department), Name: departmentNames[ad.Department], Opinion: opinionNames[ad.Opinion],
			Remarks: ad.Remarks, Conditions: ad.Conditions, Due: ad.Due, Given: ad.GivenAt, Pending: ad.Opinion == ""})
	}
	if withConflicts {
		cs, err := a.permits.svc.Conflicts(ctx, ap.ID)
		if err != nil {
			return v, err
		}
		for _, c := range cs {
			cv := conflictView{With: c.With.String(), Label: c.WithLabel, Distance: distanceText(c.Distance), When: c.When,
				Blocking: c.Severity == permit.Block, Permit: c.WithKind == permit.KindPermit,
				Self: ratingNames[c.Ratings[ap.ID]], Other: ratingNames[c.Ratings[c.With]]}
			if cv.Permit {
				cv.What = "Een andere vergunde inname (" + strings.ToLower(TypeName(c.WithType)) + ")"
			} else {
				cv.What = "Geplande werken: " + c.WithLabel
			}
			v.Conflicts = append(v.Conflicts, cv)
		}
	}
	return v, nil
}

func distanceText(m float64) string {
	if m == 0 {
		return "op dezelfde plaats"
	}
	return "op " + decimalFloat(m) + " m"
}

// permitPage is the citizen's page of one permit: for a draft the preview
// step (fee, conflicts, submit), otherwise its status and timeline, its
// conditions, fee and invoice, and the signage schedule once granted.
func (a *Block) permitPage(w http.ResponseWriter, r *http.Request, p *person) {
	ap, rec, ok := a.ownPermit(w, r, p)
	if !ok {
		return
	}
	a.renderPermit(w, r, http.StatusOK, ap, rec, nil)
}

// permitPage is the data of the citizen's page of one permit.
type permitPage struct {
	P        permitView
	Problems []string
	// Earliest is, for a draft, the first day the occupation could start
	// if submitted today; nil otherwise.
	Earliest *calendar.Date
}

func (a *Block) renderPermit(w http.ResponseWriter, r *http.Request, status int, ap *permit.Application, rec records.Permit, problems []string) {
	open := ap.Status == permit.StatusDraft || ap.Status == permit.StatusSubmitted || ap.Status == permit.StatusIncomplete || ap.Status == permit.StatusInAdvice
	v, err := a.permitView(r.Context(), ap, rec, open)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	title := "Vergunning " + v.Reference
	if ap.Status == permit.StatusDraft {
		title = "Uw aanvraag nakijken"
	}
	data := permitPage{P: v, Problems: problems}
	if ap.Status == permit.StatusDraft {
		if typ, err := a.permits.types.Lookup(ap.Type); err == nil {
			earliest := a.permits.earliestStart(typ)
			data.Earliest = &earliest
		}
	}
	a.show(w, r, status, "permit.html", title, data)
}

// earliestStart is the first day an occupation of typ may start if it is
// applied for today: the lead time in working days.
func (b *permitBlock) earliestStart(typ permit.OccupationType) calendar.Date {
	return b.cal.AddWorkingDays(calendar.DateIn(b.clock.Now()), typ.LeadTime)
}
