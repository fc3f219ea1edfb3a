package main

// End-to-end tests in a real headless browser: people click through the
// portal as they would, from the sign-in to the clerk's worklist and back.
// The helpers (signIn, follow, submit, fill, choose, row, screenshot,
// onPhone) are in e2e_browser_test.go; every page a helper loads is checked
// for basic accessibility. The tests skip when the machine has no Chromium.
//
//	go test ./examples/portal -run TestBrowser -v
//	BOUWSTENEN_ARTIFACTS=$PWD/.ci/artifacts go test ./examples/portal -run TestBrowser   # keep the screenshots

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// TestBrowser runs each flow in its own sub-test and its own browser (so
// its own cookies and portal session), on one portal.
func TestBrowser(t *testing.T) {
	needChrome(t)
	dir := artifactsDir(t)
	logs := &lockedBuffer{}
	a := newTestApp(t, logs)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("portal log:\n%s", logs.String())
		}
	})

	t.Run("melding", func(t *testing.T) { reportFlow(t, openTab(t, srv.URL, "melding", dir)) })
	t.Run("vergunning", func(t *testing.T) { permitFlow(t, a, openTab(t, srv.URL, "vergunning", dir)) })

	assert.NotContains(t, logs.String(), "Peeters", "no personal data in the portal's log")
	assert.NotContains(t, logs.String(), "85073003328")
}

var dossierPathRE = regexp.MustCompile(`^/mijn-dossiers/[0-9a-f-]{36}$`)

// reportFlow: An reports a problem and follows it in "Mijn dossiers"; the
// clerk takes it in and closes it from the worklist; An sees the outcome
// and its public timeline entries.
func reportFlow(t *testing.T, an *tab) {
	require.Equal(t, http.StatusOK, an.visit("/"))
	assert.Equal(t, "Welkom bij het digitaal loket van Demogem", an.text("h1"))
	an.screenshot("home")
	require.Equal(t, http.StatusOK, an.follow(`nav a[href^="/aanmelden"]`))
	assert.Equal(t, "Kies een demopersoon", an.text("h1"), "the demo provider's page")
	an.screenshot("aanmelden")

	require.Equal(t, http.StatusOK, an.signIn("an"))
	require.Equal(t, "/mijn-dossiers", an.path(), "a citizen lands on Mijn dossiers")
	assert.Equal(t, "U bent aangemeld als An Peeters.", an.text(".flash"))
	assert.Equal(t, 3, an.count(`section[aria-labelledby="sec-0"] tbody tr`), "An's three demo reports") // Meldingen is the first section
	an.screenshot("mijn-dossiers")
	an.onPhone("mijn-dossiers")

	// The form through the menu, pre-filled with An's address.
	require.Equal(t, http.StatusOK, an.follow(`nav a[href="/melding-maken"]`))
	assert.Equal(t, "Melding maken", an.text("h1"))
	assert.Equal(t, "Kerkstraat", an.value("street"), "the form knows An's address")
	an.screenshot("melding-formulier")

	// Sent without category and description: both errors next to their
	// field, and what was typed is kept.
	an.fill("number", "14")
	require.Equal(t, http.StatusUnprocessableEntity, an.submit(`form[action="/melding-maken"]`))
	assert.Equal(t, "Kies een categorie.", an.text("#category-error"))
	assert.Equal(t, "true", an.attr("category", "aria-invalid"))
	assert.Equal(t, "category-error", an.attr("category", "aria-describedby"))
	assert.Contains(t, an.text("#description-error"), "Beschrijf het probleem")
	assert.Equal(t, "14", an.value("number"), "the form keeps what An typed")
	an.screenshot("melding-fouten")

	an.choose("category", "Voetpad beschadigd")
	an.fill("description", "Losliggende tegels op het voetpad, gevaarlijk voor fietsers.")
	an.fill("street", "Kerkstraat")
	an.fill("postal_code", "9999")
	an.fill("municipality", "Demogem")
	an.fill("lat", "50,8705")
	an.fill("lon", "3,8110")
	require.Equal(t, http.StatusOK, an.submit(`form[action="/melding-maken"]`))
	dossier := an.path()
	require.Regexp(t, dossierPathRE, dossier, "the portal shows the new report")
	ref, ok := strings.CutPrefix(an.text("h1"), "Melding ")
	require.True(t, ok, "the heading names the report")
	assert.Equal(t, "Bedankt, uw melding "+ref+" is ontvangen.", an.text(".flash"))
	assert.Equal(t, "Wegen en voetpaden – Voetpad beschadigd", an.fact("Categorie"))
	assert.Equal(t, "Gemeld", an.fact("Status"))
	an.screenshot("dossier")

	require.Equal(t, http.StatusOK, an.follow(`main a[href="/mijn-dossiers"]`))
	row := an.row(ref)
	require.Len(t, row, 4, "the new report is in Mijn dossiers")
	assert.Equal(t, []string{"Wegen en voetpaden", "Gemeld"}, row[0:2], "what it is about first, then its status")
	assert.Equal(t, 4, an.count(`section[aria-labelledby="sec-0"] tbody tr`))
	an.signOut()

	// The clerk's worklist, through the clerk's start page.
	clerk := an // the same tab: signing out ends An's session
	require.Equal(t, http.StatusOK, clerk.signIn("balie"))
	require.Equal(t, "/balie", clerk.path(), "the clerk lands on the worklists")
	require.Equal(t, http.StatusOK, clerk.follow(`main a[href="/balie/meldingen"]`))
	assert.Equal(t, "Gemeld", clerk.row(ref)[3], "status, after reference, category and team")
	clerk.screenshot("balie-meldingen")

	require.Equal(t, http.StatusOK, clerk.follow(`button[aria-label="In behandeling nemen: `+ref+`"]`))
	assert.Equal(t, "Melding "+ref+" is bijgewerkt.", clerk.text(".flash"))
	assert.Equal(t, "In behandeling", clerk.row(ref)[3])
	// The demo clerk also handles the report, and resolves it on its page
	// with a message of their own.
	require.Equal(t, http.StatusOK, clerk.follow(`a[aria-label="Openen: `+ref+`"]`))
	clerk.choose("result-resolve", "Hersteld")
	clerk.fill("text-resolve", "Het probleem is opgelost: de tegels liggen weer vast.")
	require.Equal(t, http.StatusOK, clerk.submit(`form.action:has(input[value="resolve"])`))
	assert.Equal(t, "Melding "+ref+" is bijgewerkt.", clerk.text(".flash"))
	require.Equal(t, http.StatusOK, clerk.follow(`main a[href="/balie/meldingen"]`))
	assert.Nil(t, clerk.row(ref), "a closed report leaves the open worklist")
	clerk.screenshot("balie-meldingen-na")
	clerk.signOut()

	// An sees the outcome, and the steps of the timeline that are public.
	require.Equal(t, http.StatusOK, an.signIn("an"))
	row = an.row(ref)
	require.Len(t, row, 4)
	assert.Equal(t, "Afgehandeld", row[1])
	assert.Empty(t, row[2], "a closed report has no deadline")
	require.Equal(t, http.StatusOK, an.follow(`a[href="`+dossier+`"]`))
	assert.Contains(t, an.fact("Status"), "Afgehandeld")
	timeline := an.texts(".timeline li")
	require.NotEmpty(t, timeline)
	assert.Contains(t, timeline[0], "Gemeld")
	assert.Contains(t, strings.Join(timeline, "\n"), "In behandeling")
	assert.Contains(t, timeline[len(timeline)-1], "Afgehandeld", "the latest step comes last")
	assert.Contains(t, strings.Join(timeline, "\n"), "de tegels liggen weer vast.", "the clerk's public text")
	an.screenshot("dossier-afgesloten")
}

// TestBrowserChecksCatchProblems shows that the checks every flow relies
// on fail on a page that breaks them, so a green flow means something.
func TestBrowserChecksCatchProblems(t *testing.T) {
	needChrome(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><html lang="en"><meta name="viewport" content="width=device-width, initial-scale=1">
<h1>One</h1><h1>Two</h1>
<form><input id="naked" name="naked"><input type="hidden" name="csrf">
<label for="named">Naam</label><input id="named" aria-describedby="missing-error">
<select name="choice"><option>a</option></select>
<span id="kop">Opmerking</span><textarea id="note" aria-labelledby="kop"></textarea></form>
<div id="wide" style="width: 600px">breed</div>`))
	}))
	t.Cleanup(srv.Close)
	tb := openTab(t, srv.URL, "controle", t.TempDir())
	require.Equal(t, http.StatusOK, tb.goTo("/"))

	assert.ElementsMatch(t, []string{
		`html lang is "en", want "nl"`,
		"2 h1 elements, want exactly one",
		"input#naked has no label",
		"select[name=choice] has no label",
		"input#named is described by #missing-error, which does not exist",
	}, tb.a11yProblems(), "a labelled field, a field named by aria-labelledby and a hidden field pass")

	tb.phone()
	scroll, viewport, wide := tb.overflow()
	tb.desktop()
	assert.Equal(t, phoneWidth, viewport)
	assert.Greater(t, scroll, 600)
	assert.Contains(t, wide, "div#wide to 608px")
}

var permitPathRE = regexp.MustCompile(`^/vergunningen/([0-9a-f-]{36})$`)

// permitFlow: An applies for a container in front of her house (after a
// first attempt with the days the wrong way round), checks the fee and the
// conflicts and submits; the clerk declares the application complete and
// grants it; An finds the invoice, pays it at the demo bank, and sees the
// permit marked paid.
func permitFlow(t *testing.T, a *app, an *tab) {
	require.Equal(t, http.StatusOK, an.visit("/"))
	require.Equal(t, http.StatusOK, an.signIn("an"))
	require.Equal(t, "/mijn-dossiers", an.path())

	// The form through the menu, pre-filled with An's address and the
	// coordinates of her house.
	require.Equal(t, http.StatusOK, an.follow(`nav a[href="/vergunningen/aanvragen"]`))
	assert.Equal(t, "Inname openbaar domein aanvragen", an.text("h1"))
	assert.Equal(t, "Kerkstraat", an.value("street"))
	assert.Equal(t, "12", an.value("number"))
	assert.NotEmpty(t, an.value("lat"))
	assert.NotEmpty(t, an.value("lon"))
	assert.Equal(t, "5", an.value("length"))
	assert.Equal(t, "2", an.value("width"))

	// The earliest start of a container, as the form's table of lead times
	// shows it (opened as a person would).
	an.click("#type-hint summary")
	container := an.row("Container")
	require.Len(t, container, 4, "the table of lead times has a row for containers")
	assert.Equal(t, "5 werkdagen vooraf", container[1])
	assert.Equal(t, "geen", container[3], "a container needs no attachments")
	earliest := parseDay(t, container[2])
	// The demo seeds An's granted parking ban at Kerkstraat 12 on the 25th
	// day after the earliest start (permit_demo.go): a container there on
	// that day overlaps it, and an unaccepted overlap blocks the grant. Days
	// 3 to 5 after the earliest start stay well clear of it, and the
	// sewer works 8 m away only warn.
	first, last := earliest.AddDays(3), earliest.AddDays(5)
	an.screenshot("formulier")

	// First with the days the wrong way round: the error sits next to the
	// last day, and what An typed is kept.
	an.choose("type", "Container")
	an.fill("description", "Container voor het afval van de verbouwing")
	an.setDate("start", first.String())
	an.setDate("end", first.AddDays(-1).String())
	an.fill("parking_places", "1")
	require.Equal(t, http.StatusUnprocessableEntity, an.submit(`form[action="/vergunningen/aanvragen"]`))
	assert.Equal(t, "De laatste dag mag niet vóór de eerste dag liggen.", an.text("#end-error"))
	assert.Equal(t, "true", an.attr("end", "aria-invalid"))
	assert.Equal(t, "end-error", an.attr("end", "aria-describedby"))
	assert.Zero(t, an.count("#start-error"), "the first day is fine")
	assert.Equal(t, "Container voor het afval van de verbouwing", an.value("description"), "the form keeps what An typed")
	assert.Equal(t, first.String(), an.value("start"))
	assert.Equal(t, "container", an.value("type"))
	assert.Equal(t, "1", an.value("parking_places"))
	an.screenshot("formulier-fout")

	an.setDate("end", last.String())
	require.Equal(t, http.StatusOK, an.submit(`form[action="/vergunningen/aanvragen"]`))

	// The preview: the fee (10 m² × € 1,50 × 3 days) and the sewer works
	// nearby, before anything is submitted.
	m := permitPathRE.FindStringSubmatch(an.path())
	require.NotNil(t, m, "the portal shows the draft on its own page")
	permitPath, permitID := m[0], m[1]
	assert.Equal(t, "Uw aanvraag nakijken", an.text("h1"))
	ref := an.text("#permit-reference")
	require.Regexp(t, `^IOD-\d{5}$`, ref)
	assert.Equal(t, "Uw aanvraag "+ref+" is bewaard als concept. Kijk ze na en dien ze in.", an.text(".flash"))
	assert.Equal(t, "Concept (niet ingediend)", an.text("#permit-status"))
	assert.Equal(t, first.Start().Format("02/01/2006")+" tot en met "+last.Start().Format("02/01/2006"), an.fact("Periode"))
	fee := an.text("#fee-total")
	assert.Equal(t, "€ 45,00", fee)
	require.Equal(t, 1, an.count("#conflicts li"), "the sewer works in the Kerkstraat")
	assert.Contains(t, an.text("#conflicts"), "Vlakbij: Geplande werken: Rioleringswerken Kerkstraat")
	assert.Zero(t, an.count("#no-conflicts"))
	an.screenshot("nakijken")
	an.onPhone("nakijken")

	require.Equal(t, http.StatusOK, an.submit(`form[action="`+permitPath+`/indienen"]`))
	require.Equal(t, permitPath, an.path())
	assert.Equal(t, "Vergunning "+ref, an.text("h1"))
	assert.Equal(t, "Ingediend", an.text("#permit-status"))
	assert.Equal(t, ref, an.text("#permit-reference"))
	assert.Contains(t, an.text(".flash"), "Uw aanvraag "+ref+" is ingediend.")
	an.signOut()

	// The clerk finds it among the applications to check, declares it
	// complete and grants it.
	clerk := an
	require.Equal(t, http.StatusOK, clerk.signIn("balie"))
	require.Equal(t, http.StatusOK, clerk.follow(`nav a[href="/balie/vergunningen"]`))
	assert.Equal(t, "Volledigheid nakijken", clerk.text("#stage-0"))
	row := clerk.row(ref)
	require.Len(t, row, 6, "the application is on the worklist")
	assert.Equal(t, []string{"Container", "An Peeters", "Kerkstraat 12"}, row[1:4])
	clerk.screenshot("balie-vergunningen")
	clerkPath := "/balie/vergunningen/" + permitID
	require.Equal(t, http.StatusOK, clerk.follow(`section[aria-labelledby="stage-0"] a[href="`+clerkPath+`"]`))
	assert.Equal(t, "Aanvraag "+ref, clerk.text("h1"))
	assert.Equal(t, "Volledigheid nakijken", clerk.text("#stage"))

	require.Equal(t, http.StatusOK, clerk.submit(`form:has(input[name="action"][value="complete"])`))
	require.Equal(t, clerkPath, clerk.path())
	assert.Equal(t, ref+": De aanvraag is volledig verklaard.", clerk.text(".flash"))
	assert.Equal(t, "Klaar voor beslissing", clerk.text("#stage"))
	clerk.fill("conditions", "Plaats de container op de parkeerstrook, niet op het voetpad.")
	clerk.screenshot("balie-vergunning")
	require.Equal(t, http.StatusOK, clerk.submit(`form:has(input[name="action"][value="grant"])`))
	assert.Equal(t, "Vergunning verlenen?", clerk.text("h1"), "a decision asks first")
	require.Equal(t, http.StatusOK, clerk.submit(`form.confirm`))
	assert.Equal(t, ref+": De vergunning is verleend. De factuur en de signalisatie volgen vanzelf.", clerk.text(".flash"))
	// The invoice comes through the bus, possibly before this page loads.
	assert.Regexp(t, `^Vergund(, retributie te betalen)?$`, clerk.text("#permit-status"))
	clerk.signOut()

	// The invoice follows the grant through the event bus; the app runs in
	// this process, so wait for its handlers rather than for the clock.
	settleBus(t, a)

	// An finds the permit granted, with its conditions and the invoice.
	require.Equal(t, http.StatusOK, an.signIn("an"))
	row = an.row(ref)
	require.Len(t, row, 4, "the permit is in Mijn dossiers")
	assert.Equal(t, "Vergund, retributie te betalen", row[1])
	require.Equal(t, http.StatusOK, an.follow(`main a[href="`+permitPath+`"]`))
	assert.Equal(t, "Vergund, retributie te betalen", an.text("#permit-status"))
	assert.Equal(t, []string{"Plaats de container op de parkeerstrook, niet op het voetpad."}, an.texts("#conditions li"))
	invoiceRef := an.text("#invoice-link")
	require.Regexp(t, `^\+\+\+\d{3}/\d{4}/\d{5}\+\+\+$`, invoiceRef, "the invoice is known by its structured reference")

	require.Equal(t, http.StatusOK, an.follow("#invoice-link"))
	require.Regexp(t, `^/facturen/[0-9a-f-]{36}$`, an.path())
	invoicePath := an.path()
	assert.Equal(t, "Factuur "+invoiceRef, an.text("h1"))
	assert.Equal(t, "Openstaand", an.text("#invoice-status"))
	assert.Equal(t, fee, an.text("#invoice-amount"), "the invoice asks the fee of the preview")
	assert.Equal(t, invoiceRef, an.text("#invoice-ogm"))
	assert.Regexp(t, `^BE\d{2}( \d{4}){3}$`, an.text("#invoice-iban"))
	assert.True(t, an.imageLoaded("invoice-qr"), "the QR code loads")
	an.screenshot("factuur")
	an.onPhone("factuur")

	// Paying: the portal sends An to the demo bank, and the bank back.
	require.Equal(t, http.StatusOK, an.submit(`form[action="`+invoicePath+`/betalen"]`))
	assert.Regexp(t, `^/betaalprovider/checkout/`, an.path())
	assert.Equal(t, "Demobank.", an.text(".demo-bank strong"))
	assert.Equal(t, "Betaling bevestigen", an.text("h1"))
	assert.Equal(t, fee, an.text("#provider-amount"))
	an.screenshot("demobank")
	require.Equal(t, http.StatusOK, an.follow(`form:has(input[name="action"][value="pay"]) button`))
	require.Equal(t, invoicePath, an.path())
	assert.Equal(t, "Bedankt, uw betaling is ontvangen.", an.text(".flash"))
	assert.Equal(t, "Betaald", an.text("#invoice-status"))
	assert.Zero(t, an.count("#invoice-qr"), "no QR code on a paid invoice")
	an.screenshot("factuur-betaald")

	// The paid mark reaches the permit through the event bus too.
	settleBus(t, a)
	require.Equal(t, http.StatusOK, an.visit(permitPath))
	assert.Equal(t, "Vergund, retributie betaald", an.text("#permit-status"))
	timeline := an.texts("#timeline li")
	require.NotEmpty(t, timeline)
	assert.Contains(t, timeline[len(timeline)-1], "Retributie betaald", "the latest step comes last")
	an.screenshot("vergunning-betaald")

	require.Equal(t, http.StatusOK, an.visit("/mijn-dossiers"))
	assert.Equal(t, "Vergund, retributie betaald", an.row(ref)[1])
	invoiceRow := an.row(invoiceRef)
	require.GreaterOrEqual(t, len(invoiceRow), 3, "the invoice is in Mijn dossiers")
	assert.Contains(t, invoiceRow[0], ref, "an invoice is titled by what it is for")
	assert.Equal(t, "Afgehandeld Betaald", invoiceRow[1])
}

// parseDay reads a day as the portal writes it (dd/mm/yyyy).
func parseDay(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := time.Parse("02/01/2006", s)
	require.NoError(t, err, "a day as dd/mm/yyyy")
	return calendar.DateOf(d)
}

// settleBus waits, within a deadline, until the portal's event handlers
// have handled everything published so far.
func settleBus(t *testing.T, a *app) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- a.be.Settle(ctx) }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-ctx.Done():
		t.Fatal("the portal's event handlers did not settle in time")
	}
}
