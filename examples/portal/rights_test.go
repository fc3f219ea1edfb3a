package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/event"
)

func TestMyRightsShowsGrantedRightsWithExplanation(t *testing.T) {
	a := newTestApp(t, io.Discard)
	an := newSubsidyClient(t, a)
	an.signIn("an")
	status, page := an.get("/mijn-rechten")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, `<h3 id="recht-uitpas-kansentarief-titel">UiTPAS aan kansentarief</h3>`)
	assert.Contains(t, page, "<summary>Waarom krijg ik dit? De volledige uitleg</summary>", "the full tree one click away")
	plain := regexp.MustCompile(`<p class="plain">([^<]+)</p>`).FindStringSubmatch(page)
	require.NotNil(t, plain, "the explanation in plain Dutch comes first")
	assert.Regexp(t, `^U krijgt UiTPAS aan kansentarief omdat .*€ 23\.800,00.*€ 25\.000,00.* de FOD Financiën\.$`, plain[1], "amounts the Belgian way, sources by name")
	assert.Contains(t, plain[1], "Ingeschreven in Demogem", "the demo rules name the demo municipality")
	assert.NotContains(t, page, "in Gent")
	assert.Less(t, strings.Index(page, `<p class="plain">`), strings.Index(page, "<summary>Waarom krijg ik dit?"), "the plain words before the tree")
	assert.Contains(t, page, `<span class="truth met">voldaan</span> Belastbaar gezinsinkomen (het gezin): EUR 23800.00 is ten hoogste inkomensgrens kansentarief EUR 25000.00`,
		"the package's Dutch explanation, as a tree")
	assert.Contains(t, page, `<span class="truth unmet">niet voldaan</span> Verhoogde tegemoetkoming (de persoon zelf): nee [bron: kruispuntbank`)
	assert.Contains(t, page, "Voorbeeldregel.", "the shipped rules are marked as examples")
	assert.Contains(t, page, "VOORBEELD Reglement UiTPAS Gent")
	assert.Contains(t, page, "<td>€ 23.800,00</td><td>FOD Financiën</td>", "the facts used, with their source")
	assert.NotContains(t, page, "recht-school-childcare-discount-titel", "An is no child")
	assert.Equal(t, 1, strings.Count(page, "Ik zie af van dit recht"))

	_, dossiers := an.get("/mijn-dossiers")
	assert.Contains(t, dossiers, `<a href="/mijn-rechten#recht-uitpas-kansentarief">UiTPAS aan kansentarief</a>`)

	mo := an.another()
	mo.signIn("mohamed")
	_, page = mo.get("/mijn-rechten")
	assert.Contains(t, page, `<h3 id="recht-school-childcare-discount-titel">Korting op facturen stedelijke scholen en kinderopvang</h3>`)
	assert.Contains(t, page, "leeftijd (Geboortedatum) (de persoon zelf): 9 is lager dan leeftijdsgrens kind 12")
	assert.NotContains(t, page, "recht-uitpas-kansentarief-titel", "€ 28.500 is above the UiTPAS ceiling")

	lotte := an.another()
	lotte.signIn("lotte")
	_, page = lotte.get("/mijn-rechten")
	assert.Contains(t, page, "De gemeente heeft u nog geen rechten automatisch toegekend.")
	assert.Contains(t, page, "<h2>Nog niet te beoordelen</h2>")
	assert.Contains(t, page, "<strong>UiTPAS aan kansentarief</strong>: ontbrekende gegevens: Belastbaar gezinsinkomen.")

	clerk := an.another()
	clerk.signIn("balie")
	status, _ = clerk.get("/mijn-rechten")
	assert.Equal(t, http.StatusNotFound, status, "the clerk has no rights of their own here")
}

func TestOptOutOfARight(t *testing.T) {
	a := newTestApp(t, io.Discard)
	an := newSubsidyClient(t, a)
	an.signIn("an")
	_, page := an.get("/mijn-rechten")
	token := csrf(t, page)
	path := "/mijn-rechten/" + entitlement.BenefitUiTPASKansentarief + "/afzien"

	status, _ := an.post(path, url.Values{"csrf": {"vervalst"}, "bevestig": {"ja"}})
	assert.Equal(t, http.StatusForbidden, status)
	status, page = an.post(path, url.Values{"csrf": {token}, "reden": {"Ik gebruik het niet"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, `id="bevestig-uitpas-kansentarief-error">Vink aan dat u begrijpt`)
	assert.Contains(t, page, `aria-invalid="true" aria-describedby="bevestig-uitpas-kansentarief-error"`)
	assert.Contains(t, page, "Ik gebruik het niet</textarea>", "the reason is kept")
	status, page = an.post(path, url.Values{"csrf": {token}, "bevestig": {"ja"}, "reden": {strings.Repeat("a", 501)}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "Houd de reden kort: hoogstens 500 tekens.")
	status, _ = an.post("/mijn-rechten/bestaat-niet/afzien", url.Values{"csrf": {token}, "bevestig": {"ja"}})
	assert.Equal(t, http.StatusNotFound, status)

	status, page = an.post(path, url.Values{"csrf": {token}, "bevestig": {"ja"}, "reden": {"Ik gebruik het niet"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "U ziet af van UiTPAS aan kansentarief.")
	assert.Contains(t, page, "<h2>Rechten waarvan u afziet</h2>")
	assert.NotContains(t, page, "recht-uitpas-kansentarief-titel")
	_, err := a.rights.Service().Current(context.Background(), "85073003328", entitlement.BenefitUiTPASKansentarief)
	assert.ErrorIs(t, err, entitlement.ErrNotFound, "the grant stopped")

	// A later run does not grant it again.
	run := a.rights.RunNow(context.Background())
	require.NotNil(t, run)
	require.NoError(t, run.Err)
	_, err = a.rights.Service().Current(context.Background(), "85073003328", entitlement.BenefitUiTPASKansentarief)
	assert.ErrorIs(t, err, entitlement.ErrNotFound)
	assert.Positive(t, run.Report.Skipped)
}

var progressRE = regexp.MustCompile(`([0-9.]+) van ([0-9.]+) inwoners beoordeeld`)

func TestClerkRunsTheBatchWithProgressAndReport(t *testing.T) {
	a := newTestApp(t, io.Discard)
	var granted sync.Map // events reach the consumers: count the grants of run 2
	require.NoError(t, a.be.On(context.Background(), "test: count grants", func(_ context.Context, e event.Event) error {
		g, err := event.Decode[entitlement.GrantEvent](e)
		if err == nil && strings.HasSuffix(g.Actor, "#2") {
			granted.Store(g.GrantID, true)
		}
		return err
	}, entitlement.EventGranted))
	// Hold the population after the first chunk (512 subjects) until the
	// test has seen the progress.
	gate := make(chan struct{})
	a.rights.SetPace(func(i int) {
		if i == 1000 {
			<-gate
		}
	})
	clerk := newSubsidyClient(t, a)
	clerk.signIn("balie")
	status, page := clerk.get("/balie/rechten")
	require.Equal(t, http.StatusOK, status)
	assert.Regexp(t, `Verslag van de toekenningsronde van \d{1,2} [a-z]+ \d{4} om \d{2}:\d{2}`, page, "the run at start, named by its date")
	assert.NotContains(t, page, "run 1")
	assert.NotContains(t, page, `http-equiv="refresh"`)

	status, _ = clerk.post("/balie/rechten", url.Values{"csrf": {"vervalst"}})
	assert.Equal(t, http.StatusForbidden, status)
	status, page = clerk.post("/balie/rechten", url.Values{"csrf": {csrf(t, page)}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "De toekenningsronde is gestart.")

	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(page, "512 van") && time.Now().Before(deadline) {
		assert.Contains(t, page, `<meta http-equiv="refresh" content="1">`, "a running batch refreshes its page")
		assert.NotContains(t, page, "Toekenningsronde starten", "no second run while one runs")
		time.Sleep(10 * time.Millisecond)
		_, page = clerk.get("/balie/rechten")
	}
	require.Regexp(t, `<h2>De toekenningsronde van [^<]+ loopt</h2>`, page)
	assert.Contains(t, page, `<meta http-equiv="refresh" content="1">`)
	m := progressRE.FindStringSubmatch(page)
	require.NotNil(t, m)
	assert.Equal(t, "512", m[1])
	total, err := strconv.Atoi(strings.ReplaceAll(m[2], ".", ""))
	require.NoError(t, err)
	assert.Equal(t, a.rights.PopulationSize(2), total)
	assert.Contains(t, page, `<progress id="voortgang" max="`+strconv.Itoa(total)+`" value="512">`)
	close(gate)

	for strings.Contains(page, "loopt</h2>") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		_, page = clerk.get("/balie/rechten")
	}
	require.Contains(t, page, "Verslag van de toekenningsronde van")
	assert.NotContains(t, page, `http-equiv="refresh"`)
	assert.Contains(t, page, "Toekenningsronde starten")
	rep := a.rights.LastRun().Report
	assert.Equal(t, total, rep.Batch.Subjects)
	require.NoError(t, a.be.Settle(context.Background()))
	n := 0
	granted.Range(func(any, any) bool { n++; return true })
	assert.Equal(t, rep.Granted, n, "every grant of the run is published on the bus")
	for label, want := range map[string]int{
		"Toegekend": rep.Granted, "Opzeg gegeven (voldoet niet meer)": rep.Ending,
		"Niet te beoordelen (gegevens ontbreken)": len(rep.Unknown), "Afwezig (houdt een recht maar zat niet in de bevolking)": len(rep.Absent),
	} {
		assert.Contains(t, page, "<dt>"+label+"</dt><dd>"+strconv.Itoa(want)+"</dd>")
	}
	// The demo population changed a little since run 1: some rights start,
	// some end, some holders moved away, and the contradictions stay errors.
	assert.Positive(t, rep.Granted)
	assert.Positive(t, rep.Ending)
	assert.Positive(t, len(rep.Absent))
	assert.Positive(t, len(rep.Faulty))
	assert.Contains(t, page, "tegenstrijdige gegevens uit twee bronnen")
	assert.Contains(t, page, "<th scope=\"row\">UiTPAS aan kansentarief</th>")

	an := clerk.another()
	anPage := an.signIn("an")
	status, _ = an.get("/balie/rechten")
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = an.post("/balie/rechten", url.Values{"csrf": {csrf(t, anPage)}})
	assert.Equal(t, http.StatusNotFound, status, "a citizen's own valid form does not start a run")
}
