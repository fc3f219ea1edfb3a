package main

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/permit"
)

// newAppClient is newClient that also hands out the app, so a test can wait
// for the bus (settle) and look behind the pages.
func newAppClient(t *testing.T, logs io.Writer) (*client, *app) {
	t.Helper()
	a := newTestApp(t, logs)
	return serve(t, a), a
}

// other is a second browser on the same server, signed in as person.
func (c *client) other(person string) *client {
	o := c.another()
	o.signIn(person)
	return o
}

// upload is one file of a multipart form.
type upload struct{ field, name, content string }

func (c *client) postMultipart(path string, form url.Values, files ...upload) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			require.NoError(c.t, mw.WriteField(k, v))
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(f.field, f.name)
		require.NoError(c.t, err)
		_, err = io.WriteString(w, f.content)
		require.NoError(c.t, err)
	}
	require.NoError(c.t, mw.Close())
	resp, err := c.c.Post(c.srv.URL+path, mw.FormDataContentType(), &body)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp.StatusCode, string(b)
}

func settle(t *testing.T, a *app) {
	t.Helper()
	require.NoError(t, a.be.Settle(context.Background()))
}

// text is a page with its entities decoded, to search for "+++" and "€".
func text(page string) string { return html.UnescapeString(page) }

var (
	permitLinkRE  = regexp.MustCompile(`href="(/vergunningen/[0-9a-f-]{36})"`)
	invoiceLinkRE = regexp.MustCompile(`href="(/facturen/[0-9a-f-]{36})"`)
	referenceRE   = regexp.MustCompile(`IOD-\d{5}`)
)

// applyForm is a valid container application in the Kerkstraat, next to
// the seeded sewer works, starting on start for three days.
func applyForm(token string, start calendar.Date) url.Values {
	return url.Values{"csrf": {token}, "type": {"container"}, "applicant": {"self"}, "description": {"Container voor puin"},
		"street": {"Kerkstraat"}, "number": {"12"}, "postal_code": {"9999"}, "municipality": {"Demogem"},
		"lat": {"50.8695"}, "lon": {"3.8111"}, "length": {"3"}, "width": {"2"},
		"start": {start.String()}, "end": {start.AddDays(2).String()}, "parking_places": {"1"}, "email": {"an.peeters@example.be"}}
}

// startFor is a first day that respects the type's lead time.
func startFor(t *testing.T, a *app, typ string) calendar.Date {
	t.Helper()
	ot, err := permit.DefaultCatalogue().Lookup(typ)
	require.NoError(t, err)
	// The lead time counts working days (Flemish holidays included).
	return calendar.Flanders().AddWorkingDays(calendar.DateIn(time.Now()), ot.LeadTime).AddDays(2)
}

// apply fills in the form and lands on the preview; it returns the permit's page.
func (c *client) apply(form url.Values) (string, string) {
	c.t.Helper()
	status, page := c.post("/vergunningen/aanvragen", form)
	require.Equal(c.t, http.StatusOK, status, page)
	require.Contains(c.t, page, "Uw aanvraag nakijken")
	m := regexp.MustCompile(`action="(/vergunningen/[0-9a-f-]{36})/indienen"`).FindStringSubmatch(page)
	require.NotNil(c.t, m, "the preview has a submit button")
	return m[1], page
}

func TestPermitApplyShowsFeeAndConflictBeforeSubmitting(t *testing.T) {
	var logs bytes.Buffer
	c, a := newAppClient(t, &logs)
	c.signIn("an")
	status, form := c.get("/vergunningen/aanvragen")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, form, `id="street" name="street" value="Kerkstraat"`, "pre-filled from the person")
	assert.Contains(t, form, `id="lat" name="lat" value="50.869500"`, "coordinates of the person's address from the demo table")
	assert.Contains(t, form, `value="an.peeters@example.be"`)
	assert.Contains(t, form, `<label for="type">`)

	link, preview := c.apply(applyForm(csrf(t, form), startFor(t, a, "container")))
	p := text(preview)
	assert.Contains(t, p, "6 m² × € 1,50 per dag × 3 dagen = € 27,00", "the fee explained line by line")
	assert.Contains(t, p, `<span id="fee-total">€ 27,00</span>`)
	assert.Contains(t, p, "Geplande werken: Rioleringswerken Kerkstraat", "the seeded works conflict")
	assert.Contains(t, p, "Concept (niet ingediend)")

	status, page := c.post(link+"/indienen", url.Values{"csrf": {csrf(t, preview)}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "is ingediend")
	assert.Contains(t, page, `<dd id="permit-status">Ingediend</dd>`)
	assert.Contains(t, page, "Aanvraag ingediend", "on the timeline")

	_, list := c.get("/mijn-dossiers")
	assert.Contains(t, list, link)
	assert.Contains(t, list, "Container, Kerkstraat 12")

	// Elsewhere in town, nothing in the way.
	f := applyForm(csrf(t, list), startFor(t, a, "container"))
	f.Set("street", "Molenstraat")
	f.Del("lat")
	f.Del("lon")
	_, preview = c.apply(f)
	assert.Contains(t, preview, "Er zijn geen conflicten")
	assert.NotContains(t, logs.String(), "Peeters", "no personal data in the log")
	assert.NotContains(t, logs.String(), "Kerkstraat")
}

func TestPermitFormValidationKeepsWhatWasTyped(t *testing.T) {
	c, a := newAppClient(t, io.Discard)
	c.signIn("an")
	_, form := c.get("/vergunningen/aanvragen")
	token := csrf(t, form)
	start := startFor(t, a, "container")

	f := applyForm(token, start)
	f.Del("type")
	f.Set("postal_code", "12")
	f.Set("description", "Mijn eigen omschrijving")
	f.Set("end", start.AddDays(-1).String())
	f.Set("length", "veel")
	status, page := c.post("/vergunningen/aanvragen", f)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "Kies wat u op het openbaar domein wilt plaatsen.")
	assert.Contains(t, page, `aria-invalid="true"`)
	assert.Contains(t, page, `id="type-error"`)
	assert.Contains(t, page, `aria-describedby="postal_code-error"`)
	assert.Contains(t, page, "geldige Belgische postcode")
	assert.Contains(t, page, `id="end-error"`)
	assert.Contains(t, page, `id="length-error"`)
	assert.Contains(t, page, "Mijn eigen omschrijving</textarea>", "what was typed is kept")
	assert.Contains(t, page, `value="veel"`)

	// Too early for a container's lead time.
	f = applyForm(token, calendar.DateIn(time.Now()).AddDays(1))
	status, page = c.post("/vergunningen/aanvragen", f)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "werkdagen vooraf aan: kies ten vroegste")
	assert.Contains(t, page, `aria-describedby="start-error"`)

	// A terrace needs a situation plan; with one attached it goes through.
	f = applyForm(token, startFor(t, a, "terrace"))
	f.Set("type", "terrace")
	status, page = c.post("/vergunningen/aanvragen", f)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "situatieschets")
	status, page = c.postMultipart("/vergunningen/aanvragen", f, upload{"attachment_situation_plan", "plan.pdf", "%PDF-1.4 demo"})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Situatieschets: plan.pdf")

	// An has no enterprise to apply for.
	f = applyForm(token, start)
	f.Set("applicant", "enterprise")
	status, page = c.post("/vergunningen/aanvragen", f)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "eigen onderneming")

	status, _ = c.post("/vergunningen/aanvragen", applyForm("vervalst", start))
	assert.Equal(t, http.StatusForbidden, status)
	status, _ = c.postMultipart("/vergunningen/aanvragen", applyForm("", start))
	assert.Equal(t, http.StatusForbidden, status, "a multipart form without the token")
}

func TestPermitDraftCanBeChangedAndWithdrawn(t *testing.T) {
	c, a := newAppClient(t, io.Discard)
	c.signIn("an")
	_, form := c.get("/vergunningen/aanvragen")
	link, preview := c.apply(applyForm(csrf(t, form), startFor(t, a, "container")))
	assert.Contains(t, preview, "Aanvraag wijzigen")

	status, edit := c.get(link + "/wijzigen")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, edit, `name="length" value="3"`, "the form comes back from the stored shape")
	assert.Contains(t, edit, `name="width" value="2"`)
	f := applyForm(csrf(t, edit), startFor(t, a, "container"))
	f.Set("length", "4")
	status, preview = c.post(link+"/wijzigen", f)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, text(preview), "8 m² × € 1,50 per dag × 3 dagen = € 36,00")

	status, page := c.post(link+"/intrekken", url.Values{"bevestigd": {"ja"}, "csrf": {csrf(t, preview)}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Ingetrokken")
	status, _ = c.get(link + "/wijzigen")
	assert.Equal(t, http.StatusConflict, status)
}

func TestPermitsOfOthersAreNotFound(t *testing.T) {
	an := newClient(t, io.Discard)
	body := an.signIn("an")
	permits := permitLinkRE.FindAllStringSubmatch(body, -1)
	invoices := uniqueSubmatches(invoiceLinkRE, body)
	require.Len(t, permits, 2, "An's seeded parking ban and container")
	require.Len(t, invoices, 1, "the parking ban's invoice")

	mo := an.other("mohamed")
	_, page := mo.get("/mijn-dossiers")
	token := csrf(t, page)
	for _, l := range permits {
		status, _ := mo.get(l[1])
		assert.Equal(t, http.StatusNotFound, status, l[1])
		status, _ = mo.get(l[1] + "/wijzigen")
		assert.Equal(t, http.StatusNotFound, status)
		status, _ = mo.post(l[1]+"/indienen", url.Values{"csrf": {token}})
		assert.Equal(t, http.StatusNotFound, status)
		status, _ = mo.post(l[1]+"/intrekken", url.Values{"bevestigd": {"ja"}, "csrf": {token}})
		assert.Equal(t, http.StatusNotFound, status)
	}
	inv := invoices[0][1]
	for _, path := range []string{inv, inv + "/qr.svg"} {
		status, _ := mo.get(path)
		assert.Equal(t, http.StatusNotFound, status, path)
	}
	status, _ := mo.post(inv+"/betalen", url.Values{"csrf": {token}})
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = an.get("/vergunningen/" + uuid.NewString())
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = an.get("/vergunningen/geen-id")
	assert.Equal(t, http.StatusNotFound, status)

	// The clerk's pages are the clerk's.
	status, _ = an.get("/balie/vergunningen")
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = an.get("/balie/vergunningen" + strings.TrimPrefix(permits[0][1], "/vergunningen"))
	assert.Equal(t, http.StatusNotFound, status)
}

func TestEnterpriseSeesItsTerrace(t *testing.T) {
	c, a := newAppClient(t, io.Discard)
	body := c.signInFor("lotte", cafeKBO)
	assert.Contains(t, body, "Terras, Dorpsplein 3 (Café De Hoek)", "the ondernemersloket: the enterprise's permits")
	assert.Contains(t, body, "In adviesronde")

	_, form := c.get("/vergunningen/aanvragen")
	assert.Contains(t, form, `id="applicant-enterprise"`)
	f := applyForm(csrf(t, form), startFor(t, a, "terrace"))
	f.Set("type", "terrace")
	f.Set("applicant", "enterprise")
	f.Set("street", "Dorpsplein")
	f.Set("number", "3")
	f.Del("lat")
	f.Del("lon")
	status, page := c.postMultipart("/vergunningen/aanvragen", f, upload{"attachment_situation_plan", "terras.pdf", "%PDF"})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Café De Hoek (0202.239.951)")
	assert.Contains(t, page, "Er zijn geen conflicten", "her seeded terrace is not granted: it does not conflict yet")
}

func TestClerkGrantsAndTheCitizenPays(t *testing.T) {
	var logs bytes.Buffer
	an, a := newAppClient(t, &logs)
	an.signIn("an")
	_, form := an.get("/vergunningen/aanvragen")
	link, preview := an.apply(applyForm(csrf(t, form), startFor(t, a, "container")))
	_, page := an.post(link+"/indienen", url.Values{"csrf": {csrf(t, preview)}})
	ref := referenceRE.FindString(page)
	require.NotEmpty(t, ref)
	permitID := strings.TrimPrefix(link, "/vergunningen/")

	clerk := an.other("balie")
	status, list := clerk.get("/balie/vergunningen")
	require.Equal(t, http.StatusOK, status)
	check := list[strings.Index(list, "Volledigheid nakijken"):strings.Index(list, "In adviesronde")]
	assert.Contains(t, check, ref, "the new application waits for the completeness check")
	status, detail := clerk.get("/balie/vergunningen/" + permitID)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, detail, "Rioleringswerken Kerkstraat")
	assert.Contains(t, detail, "Volledig verklaren")
	token := csrf(t, detail)

	// Refusing needs reasons; nothing is decided before the check anyway.
	status, _ = clerk.post("/balie/vergunningen/"+permitID, url.Values{"bevestigd": {"ja"}, "csrf": {token}, "action": {"grant"}})
	assert.Equal(t, http.StatusConflict, status, "not yet declared complete")
	status, detail = clerk.post("/balie/vergunningen/"+permitID, url.Values{"csrf": {token}, "action": {"complete"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, detail, "volledig verklaard")
	assert.Contains(t, detail, "Vergunning verlenen")
	status, page = clerk.post("/balie/vergunningen/"+permitID, url.Values{"bevestigd": {"ja"}, "csrf": {token}, "action": {"refuse"}, "reasons": {"  "}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, `id="reasons-error"`)
	status, _ = clerk.post("/balie/vergunningen/"+permitID, url.Values{"csrf": {"vervalst"}, "action": {"grant"}})
	assert.Equal(t, http.StatusForbidden, status)

	status, detail = clerk.post("/balie/vergunningen/"+permitID, url.Values{"bevestigd": {"ja"}, "csrf": {token}, "action": {"grant"},
		"conditions": {"Container afdekken met een net\nReflecterende hoeken"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, detail, "De vergunning is verleend.")
	settle(t, a)

	// The grant made the invoice and the signage schedule.
	_, dossiers := an.get("/mijn-dossiers")
	assert.Contains(t, dossiers, "Vergund, retributie te betalen")
	invoices := uniqueSubmatches(invoiceLinkRE, dossiers)
	require.Len(t, invoices, 2, "the seeded invoice and the new one")
	assert.Contains(t, text(dossiers), "Retributie "+ref+": Container, Kerkstraat 12 – € 27,00")
	_, page = an.get(link)
	assert.Contains(t, page, "Container afdekken met een net")
	assert.Contains(t, page, `id="signage"`)
	assert.Contains(t, page, "Borden plaatsen (uiterlijk)")
	m := regexp.MustCompile(`href="(/facturen/[0-9a-f-]{36})" id="invoice-link"`).FindStringSubmatch(page)
	require.NotNil(t, m, "the permit links its invoice")
	invoice := m[1]

	status, page = an.get(invoice)
	require.Equal(t, http.StatusOK, status)
	p := text(page)
	assert.Regexp(t, `<dd id="invoice-ogm">\+\+\+\d{3}/\d{4}/\d{5}\+\+\+</dd>`, p)
	assert.Contains(t, p, `<dd id="invoice-iban">BE68 5390 0754 7034</dd>`)
	assert.Contains(t, p, `<dd id="invoice-amount">€ 27,00</dd>`)
	assert.Contains(t, p, `src="`+invoice+`/qr.svg"`)
	status, svg := an.get(invoice + "/qr.svg")
	require.Equal(t, http.StatusOK, status)
	assert.True(t, strings.HasPrefix(svg, "<svg"), "an SVG QR code")

	// Pay: the portal sends An to the demo bank, where she confirms.
	status, page = an.post(invoice+"/betalen", url.Values{"csrf": {"vervalst"}})
	assert.Equal(t, http.StatusForbidden, status)
	resp, err := an.c.PostForm(an.srv.URL+invoice+"/betalen", url.Values{"csrf": {csrf(t, page)}})
	require.NoError(t, err)
	bank, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Regexp(t, `^/betaalprovider/checkout/tr_[0-9a-f]+$`, resp.Request.URL.Path)
	assert.Contains(t, string(bank), "Demobank.")
	assert.Contains(t, text(string(bank)), "€ 27,00")
	checkout := resp.Request.URL.Path
	status, _ = an.post(checkout, url.Values{"csrf": {"vervalst"}, "action": {"pay"}})
	assert.Equal(t, http.StatusForbidden, status, "the bank page has its CSRF token too")
	status, page = an.post(checkout, url.Values{"csrf": {csrf(t, string(bank))}, "action": {"pay"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Bedankt, uw betaling is ontvangen.")
	assert.Contains(t, page, `<dd id="invoice-status">Betaald</dd>`)
	assert.NotContains(t, page, "qr.svg", "no QR code for a paid invoice")
	settle(t, a)

	_, page = an.get(link)
	assert.Contains(t, page, "Vergund, retributie betaald")
	assert.Contains(t, page, "Retributie betaald", "on the timeline")
	_, dossiers = an.get("/mijn-dossiers")
	assert.Contains(t, dossiers, "Vergund, retributie betaald")

	// Paying again is refused; the bank page knows the payment is done.
	status, _ = an.post(invoice+"/betalen", url.Values{"csrf": {csrf(t, page)}})
	assert.Equal(t, http.StatusConflict, status)
	status, _ = an.post(checkout, url.Values{"csrf": {csrf(t, page)}, "action": {"pay"}})
	assert.Equal(t, http.StatusConflict, status)
	assert.NotContains(t, logs.String(), "Peeters")
}

func TestClerkAdviceIncompleteAndRefusal(t *testing.T) {
	lotte := newClient(t, io.Discard)
	lotte.signInFor("lotte", cafeKBO)
	clerk := lotte.other("balie")
	_, list := clerk.get("/balie/vergunningen")
	advice := list[strings.Index(list, "In adviesronde"):strings.Index(list, "Klaar voor beslissing")]
	m := regexp.MustCompile(`href="/balie/vergunningen/([0-9a-f-]{36})"`).FindStringSubmatch(advice)
	require.NotNil(t, m, "Lotte's terrace is in the advice round")
	terrace := "/balie/vergunningen/" + m[1]

	_, page := clerk.get(terrace)
	assert.Contains(t, page, "Mobiliteit")
	assert.Contains(t, page, "Advies registreren")
	token := csrf(t, page)
	status, page := clerk.post(terrace, url.Values{"csrf": {token}, "action": {"advice"}, "department": {"mobility"}, "opinion": {"favourable_with_conditions"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, `id="advice_conditions-mobility-error"`)
	status, page = clerk.post(terrace, url.Values{"csrf": {token}, "action": {"advice"}, "department": {"mobility"},
		"opinion": {"favourable_with_conditions"}, "conditions": {"Doorgang van 1,5 m voor voetgangers"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Gunstig met voorwaarden")
	assert.Contains(t, page, `<span id="stage">Klaar voor beslissing</span>`)
	status, page = clerk.post(terrace, url.Values{"bevestigd": {"ja"}, "csrf": {token}, "action": {"refuse"}, "reasons": {"Het plein is die zomer een werfzone."}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "De vergunning is geweigerd.")

	_, dossiers := lotte.get("/mijn-dossiers")
	assert.Contains(t, dossiers, "Geweigerd")
	l := permitLinkRE.FindStringSubmatch(dossiers)
	require.NotNil(t, l)
	_, page = lotte.get(l[1])
	assert.Contains(t, page, "Het plein is die zomer een werfzone.")
	assert.Contains(t, page, "Advies van Mobiliteit: Gunstig met voorwaarden")

	// An's seeded container: incomplete, completed, back on the list.
	an := lotte.other("an")
	_, list = clerk.get("/balie/vergunningen")
	check := list[strings.Index(list, "Volledigheid nakijken"):strings.Index(list, "In adviesronde")]
	m = regexp.MustCompile(`href="/balie/vergunningen/([0-9a-f-]{36})"`).FindStringSubmatch(check)
	require.NotNil(t, m)
	container := "/balie/vergunningen/" + m[1]
	status, page = clerk.post(container, url.Values{"csrf": {token}, "action": {"incomplete"}, "missing": {""}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, `id="missing-error"`)
	status, _ = clerk.post(container, url.Values{"csrf": {token}, "action": {"incomplete"}, "missing": {"Foto van de plaats"}})
	require.Equal(t, http.StatusOK, status)
	_, page = an.get("/vergunningen/" + m[1])
	assert.Contains(t, page, "Foto van de plaats")
	assert.Contains(t, page, "Opnieuw indienen")
	status, page = an.post("/vergunningen/"+m[1]+"/indienen", url.Values{"csrf": {csrf(t, page)}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, `<dd id="permit-status">Ingediend</dd>`)
	_, list = clerk.get("/balie/vergunningen")
	check = list[strings.Index(list, "Volledigheid nakijken"):strings.Index(list, "In adviesronde")]
	assert.Contains(t, check, m[1], "a new submission asks for a new check")
}

// Two grants' worth of deliveries of one event make one invoice, and a
// second "paid" keeps the first payment time: the handlers are idempotent.
func TestPermitWiringIsIdempotent(t *testing.T) {
	c, a := newAppClient(t, io.Discard)
	body := c.signIn("an")
	require.Len(t, uniqueMatches(invoiceLinkRE, body), 1)
	ctx := context.Background()
	var granted records.Permit
	for ap, err := range a.permits.ByApplicant(ctx, permit.PersonApplicant("85073003328")) {
		require.NoError(t, err)
		r, err := a.permitRecords.Get(ctx, ap.ID)
		require.NoError(t, err)
		if r.InvoiceID != uuid.Nil {
			granted = r
		}
	}
	require.NotEqual(t, uuid.Nil, granted.PermitID)
	ev := event.Event{ID: uuid.Must(uuid.NewV7()), Type: permit.EventGranted, AggregateID: granted.PermitID, Time: time.Now()}
	require.NoError(t, a.fees.OnPermitGranted(ctx, ev))
	require.NoError(t, a.be.Sink().Publish(ctx, ev, ev))
	settle(t, a)
	after, err := a.permitRecords.Get(ctx, granted.PermitID)
	require.NoError(t, err)
	assert.Equal(t, granted.InvoiceID, after.InvoiceID)
	_, body = c.get("/mijn-dossiers")
	assert.Len(t, uniqueMatches(invoiceLinkRE, body), 1, "still one invoice")
}

func TestWithdrawingAGrantedPermitCancelsItsInvoice(t *testing.T) {
	c, a := newAppClient(t, io.Discard)
	body := c.signIn("an")
	var granted string
	for _, l := range permitLinkRE.FindAllStringSubmatch(body, -1) {
		_, page := c.get(l[1])
		if strings.Contains(page, "retributie te betalen") {
			granted = l[1]
			body = page
		}
	}
	require.NotEmpty(t, granted)
	status, _ := c.post(granted+"/intrekken", url.Values{"bevestigd": {"ja"}, "csrf": {csrf(t, body)}})
	require.Equal(t, http.StatusOK, status)
	settle(t, a)
	_, body = c.get("/mijn-dossiers")
	assert.Contains(t, body, "Geannuleerd")
}

// A container on the day of An's seeded parking ban, at the same house:
// the preview warns, the clerk cannot grant until both sides accept.
func TestBlockingConflictNeedsBothPartiesToAccept(t *testing.T) {
	an, a := newAppClient(t, io.Discard)
	an.signIn("an")
	ctx := context.Background()
	var banDay calendar.Date
	for ap, err := range a.permits.List(ctx, permit.StatusGranted) {
		require.NoError(t, err)
		if ap.Type == "parking_ban" {
			banDay = calendar.DateIn(ap.Span().Start)
		}
	}
	require.False(t, banDay.IsZero())
	_, form := an.get("/vergunningen/aanvragen")
	link, preview := an.apply(applyForm(csrf(t, form), banDay.AddDays(-1)))
	assert.Contains(t, preview, "Overlapt:</strong> Een andere vergunde inname (parkeerverbod)")
	_, page := an.post(link+"/indienen", url.Values{"csrf": {csrf(t, preview)}})
	require.Contains(t, page, "is ingediend")

	clerk := an.other("balie")
	path := "/balie" + link
	_, page = clerk.get(path)
	token := csrf(t, page)
	assert.Contains(t, page, "blokkerend")
	status, _ := clerk.post(path, url.Values{"csrf": {token}, "action": {"complete"}})
	require.Equal(t, http.StatusOK, status)
	status, page = clerk.post(path, url.Values{"bevestigd": {"ja"}, "csrf": {token}, "action": {"grant"}})
	require.Equal(t, http.StatusConflict, status)
	assert.Contains(t, page, "blokkerend conflict")

	with := regexp.MustCompile(`name="with" value="([0-9a-f-]{36})"`).FindStringSubmatch(page)
	require.NotNil(t, with)
	for _, party := range []string{"self", "other"} {
		status, page = clerk.post(path, url.Values{"csrf": {token}, "action": {"rate"}, "with": {with[1]}, "party": {party}})
		require.Equal(t, http.StatusOK, status)
	}
	assert.Contains(t, page, "<td>aanvaard</td><td>aanvaard</td>")
	status, page = clerk.post(path, url.Values{"bevestigd": {"ja"}, "csrf": {token}, "action": {"grant"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "De vergunning is verleend.")
}

// The application form posted twice (a double click, a retry after a
// timeout) drafts one application with one number; the same form with
// other content is refused, and a new form drafts a new application.
func TestPermitFormPostedTwiceDraftsOnce(t *testing.T) {
	c, a := newAppClient(t, io.Discard)
	c.signIn("an")
	_, form := c.get("/vergunningen/aanvragen")
	key := regexp.MustCompile(`name="idempotency_key" value="([0-9a-f-]{36})"`).FindStringSubmatch(form)
	require.NotNil(t, key, "the form names its filling-in")
	values := applyForm(csrf(t, form), startFor(t, a, "container"))
	values.Set("idempotency_key", key[1])
	count := func() int {
		n := 0
		for range a.permits.ByApplicant(context.Background(), permit.PersonApplicant("85073003328")) {
			n++
		}
		return n
	}
	before := count()
	first, page := c.apply(values)
	ref := regexp.MustCompile(`IOD-\d{5}`).FindString(page)
	require.NotEmpty(t, ref)
	second, page := c.apply(values)
	assert.Equal(t, first, second, "one application")
	assert.Contains(t, page, ref, "one number")
	assert.Equal(t, before+1, count())

	values.Set("description", "Container voor iets anders")
	status, page := c.post("/vergunningen/aanvragen", values)
	assert.Equal(t, http.StatusConflict, status)
	assert.Contains(t, page, "al eens verstuurd met andere gegevens")
	assert.Equal(t, before+1, count())

	_, form = c.get("/vergunningen/aanvragen")
	other := regexp.MustCompile(`name="idempotency_key" value="([0-9a-f-]{36})"`).FindStringSubmatch(form)
	require.NotNil(t, other)
	assert.NotEqual(t, key[1], other[1])
	values.Set("idempotency_key", other[1])
	third, _ := c.apply(values)
	assert.NotEqual(t, first, third)
	assert.Equal(t, before+2, count())
}

// demoIBAN is the demo municipality's account, the creditor of its invoices.
const demoIBAN = "BE68539007547034"
