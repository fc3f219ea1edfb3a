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
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBrowser runs each flow in its own sub-test and its own browser (so
// its own cookies and portal session), on one portal.
func TestBrowser(t *testing.T) {
	needChrome(t)
	dir := artifactsDir(t)
	logs := &lockedBuffer{}
	srv := httptest.NewServer(newTestApp(t, logs).routes())
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("portal log:\n%s", logs.String())
		}
	})

	t.Run("melding", func(t *testing.T) { reportFlow(t, openTab(t, srv.URL, "melding", dir)) })
	// A next flow opens its own tab on the same portal, e.g.
	//	t.Run("vergunning", func(t *testing.T) { permitFlow(t, openTab(t, srv.URL, "vergunning", dir)) })
	// (permit application → the clerk grants it → the citizen pays the invoice).

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
	require.Equal(t, http.StatusOK, an.follow(`nav a[href="/aanmelden"]`))
	assert.Equal(t, "Aanmelden", an.text("h1"))
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
	an.fill("lat", "51.0543")
	an.fill("lon", "3.7174")
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
	assert.Equal(t, []string{"Wegen en voetpaden", "Gemeld"}, row[1:3])
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
	// The demo clerk also handles the report, and resolves it.
	require.Equal(t, http.StatusOK, clerk.follow(`button[aria-label="Afhandelen: `+ref+`"]`))
	assert.Equal(t, "Melding "+ref+" is bijgewerkt.", clerk.text(".flash"))
	assert.Nil(t, clerk.row(ref), "a closed report leaves the open worklist")
	clerk.screenshot("balie-meldingen-na")
	clerk.signOut()

	// An sees the outcome, and the steps of the timeline that are public.
	require.Equal(t, http.StatusOK, an.signIn("an"))
	row = an.row(ref)
	require.Len(t, row, 4)
	assert.Equal(t, "Afgehandeld", row[2])
	assert.Equal(t, "–", row[3], "a closed report has no deadline")
	require.Equal(t, http.StatusOK, an.follow(`a[href="`+dossier+`"]`))
	assert.Contains(t, an.fact("Status"), "Afgehandeld")
	timeline := an.texts(".timeline li")
	require.NotEmpty(t, timeline)
	assert.Contains(t, timeline[0], "Gemeld")
	assert.Contains(t, strings.Join(timeline, "\n"), "In behandeling")
	assert.Contains(t, timeline[len(timeline)-1], "Afgehandeld", "the latest step comes last")
	assert.Contains(t, strings.Join(timeline, "\n"), "Het probleem is opgelost.", "the clerk's public text")
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
