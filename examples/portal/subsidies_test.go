package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

// newSubsidyClient serves a on a test server and returns a client without a session.
func newSubsidyClient(t *testing.T, a *app) *client {
	t.Helper()
	return serve(t, a)
}

// demoCall finds a seeded call by its title.
func demoCall(t *testing.T, a *app, title string) subsidy.Call {
	t.Helper()
	for c, err := range a.subsidies.Calls(context.Background()) {
		require.NoError(t, err)
		if c.Title == title {
			return c
		}
	}
	t.Fatalf("no call %q", title)
	return subsidy.Call{}
}

// demoApplication finds a seeded application of a call by its applicant's label.
func demoApplication(t *testing.T, a *app, call subsidy.Call, applicant string) subsidy.Application {
	t.Helper()
	for app, err := range a.subsidies.Applications(context.Background(), call.ID) {
		require.NoError(t, err)
		label := app.Applicant.Name.String()
		if app.Applicant.Kind == subsidy.Organisation {
			label = app.Applicant.Organisation + " (" + app.Applicant.KBO + ")"
		}
		if label == applicant {
			return app
		}
	}
	t.Fatalf("no application of %q", applicant)
	return subsidy.Application{}
}

var subsidyLinkRE = regexp.MustCompile(`href="(/subsidies/aanvragen/[0-9a-f-]{36})"`)

// greenRoofForm is a valid application for the green roof call.
func greenRoofForm(token string) url.Values {
	return url.Values{"csrf": {token}, "given_name": {"An"}, "family_name": {"Peeters"}, "email": {"an.peeters@example.be"},
		"street": {"Kerkstraat"}, "number": {"12"}, "postal_code": {"9999"}, "municipality": {"Demogem"},
		"iban": {"BE68 5390 0754 7034"}, "cost_description_1": {"Groendak op de garage"}, "cost_amount_1": {"1.250,00"},
		"cost_description_2": {"Plaatsing"}, "cost_amount_2": {"400"}, "requested": {"800,50"}, "answer_oppervlakte": {"12"}}
}

func TestSubsidyCallsAndPrefilledForm(t *testing.T) {
	a := newTestApp(t, io.Discard)
	c := newSubsidyClient(t, a)
	c.signIn("an")
	status, page := c.get("/subsidies")
	require.Equal(t, http.StatusOK, status)
	green := demoCall(t, a, demo.CallGreenRoofs)
	assert.Contains(t, page, `href="/subsidies/oproepen/`+green.ID.String()+`">Aanvragen als An Peeters`)
	assert.Contains(t, page, demo.CallFacades)
	assert.Contains(t, page, "Deze oproep is voor: Ondernemingen.", "An acts for no enterprise")
	assert.Contains(t, page, "€ 2.500,00")

	status, form := c.get("/subsidies/oproepen/" + green.ID.String())
	require.Equal(t, http.StatusOK, status)
	for _, v := range []string{`name="given_name" value="An"`, `name="family_name" value="Peeters"`, `value="Kerkstraat"`,
		`value="an.peeters@example.be"`, `value="9999"`} {
		assert.Contains(t, form, v, "pre-filled from the person")
	}
	assert.NotContains(t, form, `name="kbo"`, "a citizens' call has no enterprise fields")
	assert.Contains(t, form, "Hoeveel vierkante meter groendak legt u aan?")

	facades := demoCall(t, a, demo.CallFacades)
	status, _ = c.get("/subsidies/oproepen/" + facades.ID.String())
	assert.Equal(t, http.StatusNotFound, status, "An cannot apply for the entrepreneurs' call")
	status, _ = c.get("/subsidies/oproepen/" + uuid.NewString())
	assert.Equal(t, http.StatusNotFound, status)

	// A call that closed yesterday is not listed and takes no application.
	rules := green.CallRules
	rules.Title, rules.Opens, rules.Closes = "Premie groendaken 2025", green.Opens.AddDate(-1, 0, 0), time.Now().AddDate(0, 0, -1)
	closed, err := a.subsidies.CreateCall(context.Background(), green.SchemeID, rules)
	require.NoError(t, err)
	_, page = c.get("/subsidies")
	assert.NotContains(t, page, "Premie groendaken 2025")
	status, page = c.get("/subsidies/oproepen/" + closed.ID.String())
	assert.Equal(t, http.StatusGone, status)
	assert.Contains(t, page, "staat niet (meer) open")
	status, _ = c.post("/subsidies/oproepen/"+closed.ID.String(), greenRoofForm(csrf(t, form)))
	assert.Equal(t, http.StatusGone, status)
}

func TestSubsidyApplyHappyPath(t *testing.T) {
	var logs bytes.Buffer
	a := newTestApp(t, &logs)
	c := newSubsidyClient(t, a)
	c.signIn("an")
	green := demoCall(t, a, demo.CallGreenRoofs)
	_, form := c.get("/subsidies/oproepen/" + green.ID.String())

	status, page := c.post("/subsidies/oproepen/"+green.ID.String(), greenRoofForm(csrf(t, form)))
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "is ingediend.")
	assert.Contains(t, page, "<h1>Subsidieaanvraag SUB-")
	assert.Contains(t, page, "Ingediend")
	assert.Contains(t, page, "€ 800,50")
	assert.Contains(t, page, "Groendak op de garage")
	assert.Contains(t, page, "€ 1.250,00", "the Belgian amount 1.250,00 is read as twelve hundred and fifty")

	_, list := c.get("/mijn-dossiers")
	assert.Regexp(t, `<h2 id="sec-\d+">Subsidies</h2>`, list)
	assert.Len(t, subsidyLinkRE.FindAllString(list, -1), 2, "the seeded application and the new one")

	var found *subsidy.Application
	for app, err := range a.subsidies.Applications(context.Background(), green.ID) {
		require.NoError(t, err)
		if app.Requested.Equal(decimal.RequireFromString("800.50")) {
			found = &app
		}
	}
	require.NotNil(t, found)
	assert.Equal(t, subsidy.Submitted, found.Status)
	assert.Equal(t, "85073003328", string(found.Applicant.INSZ), "the national number comes from the sign-in")
	assert.Equal(t, "BE68 5390 0754 7034", found.Applicant.IBAN)
	assert.NotContains(t, logs.String(), "Peeters", "no personal data in the log")
	assert.NotContains(t, logs.String(), "85073003328")
}

func TestSubsidyApplyValidation(t *testing.T) {
	a := newTestApp(t, io.Discard)
	c := newSubsidyClient(t, a)
	c.signIn("an")
	green := demoCall(t, a, demo.CallGreenRoofs)
	path := "/subsidies/oproepen/" + green.ID.String()
	_, form := c.get(path)
	token := csrf(t, form)

	f := greenRoofForm(token)
	f.Set("iban", "BE68 5390 0754 7035")
	f.Set("requested", "veel")
	f.Set("cost_amount_2", "")
	f.Set("answer_oppervlakte", "")
	f.Set("email", "geen-adres")
	status, page := c.post(path, f)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	for field, msg := range map[string]string{
		"iban":               "Vul een geldig IBAN-rekeningnummer in",
		"requested":          "Vul een bedrag in euro in, bijvoorbeeld 1250,00.",
		"cost_amount_2":      "Vul een bedrag groter dan nul in",
		"answer_oppervlakte": "Beantwoord deze vraag.",
		"email":              "Vul een geldig e-mailadres in.",
	} {
		assert.Contains(t, page, `id="`+field+`-error">`+msg, field)
	}
	assert.Contains(t, page, `aria-describedby="iban-hint iban-error" aria-invalid="true"`)
	assertErrorSummary(t, page, "answer_oppervlakte", "cost_amount_2", "email", "iban", "requested")
	assert.Contains(t, page, `value="BE68 5390 0754 7035"`, "what was typed is kept")
	assert.Contains(t, page, `value="veel"`)
	assert.Contains(t, page, `value="Groendak op de garage"`)
	assert.Contains(t, page, `value="geen-adres"`)

	f = greenRoofForm(token)
	f.Set("requested", "2600")
	f.Set("cost_amount_1", "3000")
	status, page = c.post(path, f)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "Dat is meer dan het maximum per aanvraag (€ 2.500,00).")

	f = greenRoofForm(token)
	f.Set("requested", "2000")
	status, page = c.post(path, f)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "Het gevraagde bedrag mag niet hoger zijn dan de totale kosten.")

	f = greenRoofForm(token)
	for _, k := range []string{"cost_description_1", "cost_amount_1", "cost_description_2", "cost_amount_2"} {
		f.Del(k)
	}
	status, page = c.post(path, f)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, `id="cost_description_1-error">Geef minstens één kostenpost op`)

	n := 0
	for _, err := range a.subsidies.Applications(context.Background(), green.ID) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1, n, "no invalid form made an application; only the seeded one exists")
}

func TestSubsidyApplyAboveTheMaximumPerApplicant(t *testing.T) {
	a := newTestApp(t, io.Discard)
	ctx := context.Background()
	green := demoCall(t, a, demo.CallGreenRoofs)
	seeded := demoApplication(t, a, green, "An Peeters")
	_, err := a.subsidies.CheckAdmissibility(ctx, seeded.ID)
	require.NoError(t, err)
	require.NoError(t, a.subsidies.StartAssessment(ctx, seeded.ID))
	require.NoError(t, a.subsidies.Decide(ctx, seeded.ID, subsidy.DecisionInput{Amount: decimal.RequireFromString("2000"), Motivation: "Collegebesluit"}))

	c := newSubsidyClient(t, a)
	c.signIn("an")
	_, form := c.get("/subsidies/oproepen/" + green.ID.String())
	status, page := c.post("/subsidies/oproepen/"+green.ID.String(), greenRoofForm(csrf(t, form)))
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, `id="requested-error">Met deze aanvraag komt u boven het maximum per aanvrager (€ 2.500,00).`)
	assert.Contains(t, page, `value="800,50"`)
	_, list := c.get("/mijn-dossiers")
	assert.Len(t, subsidyLinkRE.FindAllString(list, -1), 1, "the draft of the failed submission is not An's dossier")
	assert.NotContains(t, list, "Ingetrokken")
}

func TestSubsidyApplyRefusesForgedForms(t *testing.T) {
	a := newTestApp(t, io.Discard)
	c := newSubsidyClient(t, a)
	c.signIn("an")
	green := demoCall(t, a, demo.CallGreenRoofs)
	f := greenRoofForm("vervalst")
	status, _ := c.post("/subsidies/oproepen/"+green.ID.String(), f)
	assert.Equal(t, http.StatusForbidden, status)
	f.Del("csrf")
	status, _ = c.post("/subsidies/oproepen/"+green.ID.String(), f)
	assert.Equal(t, http.StatusForbidden, status)
	_, list := c.get("/mijn-dossiers")
	assert.Len(t, subsidyLinkRE.FindAllString(list, -1), 1, "only the seeded application")
}

func TestSubsidyEntrepreneurAppliesByKBO(t *testing.T) {
	a := newTestApp(t, io.Discard)
	lotte := newSubsidyClient(t, a)
	body := lotte.signInFor("lotte", cafeKBO)
	facades := demoCall(t, a, demo.CallFacades)
	seeded := demoApplication(t, a, facades, "Café De Hoek (0202.239.951)")
	assert.Contains(t, body, "Gevelrenovatie handelspanden 2026 – Café De Hoek", "the enterprise's application is in Lotte's dossiers")
	assert.Contains(t, body, `href="/subsidies/aanvragen/`+seeded.ID.String()+`"`)

	status, page := lotte.get("/subsidies/aanvragen/" + seeded.ID.String())
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Café De Hoek (0202.239.951)")
	assert.Contains(t, page, "Nieuwe luifel")

	_, form := lotte.get("/subsidies/oproepen/" + facades.ID.String())
	assert.Contains(t, form, `value="Café De Hoek"`)
	assert.Contains(t, form, `name="kbo" value="0202.239.951" readonly`)
	assert.Contains(t, form, `value="Janssens"`, "the contact person is pre-filled")
	v := url.Values{"csrf": {csrf(t, form)}, "organisation": {"Café De Hoek"}, "kbo": {"0412.345.614"}, "given_name": {"Lotte"},
		"family_name": {"Janssens"}, "email": {"lotte@cafe-de-hoek.example.be"}, "postal_code": {"9999"},
		"iban": {"BE35310123456737"}, "cost_description_1": {"Nieuwe uithangborden"}, "cost_amount_1": {"3000"},
		"requested": {"500"}, "answer_werken": {"Uithangborden vervangen"}}
	status, page = lotte.post("/subsidies/oproepen/"+facades.ID.String(), v)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "is ingediend.")
	assert.Contains(t, page, "Café De Hoek (0202.239.951)", "a KBO number changed by hand is ignored: the sign-in says for whom")
	_, list := lotte.get("/mijn-dossiers")
	assert.Len(t, subsidyLinkRE.FindAllString(list, -1), 2)

	// Another person does not see the enterprise's application; Lotte does
	// not see An's.
	an := lotte.another()
	an.signIn("an")
	status, page = an.get("/subsidies/aanvragen/" + seeded.ID.String())
	assert.Equal(t, http.StatusNotFound, status)
	assert.NotContains(t, page, "Café De Hoek")
	anApp := demoApplication(t, a, demoCall(t, a, demo.CallGreenRoofs), "An Peeters")
	status, _ = lotte.get("/subsidies/aanvragen/" + anApp.ID.String())
	assert.Equal(t, http.StatusNotFound, status)
	mo := lotte.another()
	mo.signIn("mohamed")
	status, _ = mo.get("/subsidies/aanvragen/" + anApp.ID.String())
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = mo.get("/subsidies/aanvragen/geen-id")
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = mo.get("/subsidies/aanvragen/" + uuid.NewString())
	assert.Equal(t, http.StatusNotFound, status)
}

// TestSubsidyOrganisationComesFromTheSignIn: the enterprise that applies
// is the one the sign-in asserted (its name and KBO number), whatever the
// form says; Lotte, signed in for her party hall, applies for the party
// hall and not for her café.
func TestSubsidyOrganisationComesFromTheSignIn(t *testing.T) {
	a := newTestApp(t, io.Discard)
	c := newSubsidyClient(t, a)
	c.signInFor("lotte", "0456789034")
	facades := demoCall(t, a, demo.CallFacades)
	_, form := c.get("/subsidies/oproepen/" + facades.ID.String())
	assert.Contains(t, form, `value="Feestzaal De Hoek"`)
	v := url.Values{"csrf": {csrf(t, form)}, "organisation": {"Bakkerij Vals"}, "kbo": {"0202.239.951"}, "given_name": {"Lotte"}, "family_name": {"Janssens"},
		"email": {"lotte@example.be"}, "postal_code": {"9999"}, "iban": {"BE35310123456737"},
		"cost_description_1": {"Borden"}, "cost_amount_1": {"3000"}, "requested": {"500"}, "answer_werken": {"Borden"}}
	status, page := c.post("/subsidies/oproepen/"+facades.ID.String(), v)
	require.Equal(t, http.StatusOK, status, page)
	var hall []subsidy.Application
	for app, err := range a.subsidies.Applications(context.Background(), facades.ID) {
		require.NoError(t, err)
		assert.NotEqual(t, "Bakkerij Vals", app.Applicant.Organisation, "the typed name is not taken")
		if app.Applicant.Key() == "kbo:0456789034" {
			hall = append(hall, app)
		}
	}
	require.Len(t, hall, 1, "the application is the party hall's, as the sign-in asserted")
	assert.Equal(t, "Feestzaal De Hoek", hall[0].Applicant.Organisation)
	assert.Equal(t, "BE35310123456737", hall[0].Applicant.IBAN)
}

var stepRE = regexp.MustCompile(`name="action" value="([a-z]+)"`)

// step presses the button named action on the clerk's page of an application.
func (c *client) step(app uuid.UUID, extra url.Values) (int, string) {
	c.t.Helper()
	path := "/balie/subsidies/aanvragen/" + app.String()
	status, page := c.get(path)
	require.Equal(c.t, http.StatusOK, status)
	extra.Set("csrf", csrf(c.t, page))
	if a := extra.Get("action"); (a == "toekennen" || a == "weigeren") && !extra.Has("bevestigd") {
		extra.Set("bevestigd", "ja") // the confirmation page's answer
	}
	return c.post(path, extra)
}

func TestClerkAssessesDecidesWithinBudgetAndPays(t *testing.T) {
	a := newTestApp(t, io.Discard)
	var decided sync.Map // decisions reach the consumers
	require.NoError(t, a.be.On(context.Background(), "test: record decisions", func(_ context.Context, e event.Event) error {
		ch, err := event.Decode[subsidy.Change](e)
		decided.Store(ch.ApplicationID, ch.Detail)
		return err
	}, subsidy.EventDecided))
	clerk := newSubsidyClient(t, a)
	clerk.signIn("balie")
	facades := demoCall(t, a, demo.CallFacades)
	bakery := demoApplication(t, a, facades, "Bakkerij Van Damme (0412.345.614)")
	books := demoApplication(t, a, facades, "Boekhandel Het Blad (0423.456.765)")
	cafe := demoApplication(t, a, facades, "Café De Hoek (0202.239.951)")

	status, page := clerk.get("/balie/subsidies")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, demo.CallGreenRoofs)
	assert.Contains(t, page, "€ 10.000,00")
	status, page = clerk.get("/balie/subsidies/oproepen/" + facades.ID.String())
	require.Equal(t, http.StatusOK, status)
	assert.Regexp(t, `<td>1</td><th scope="row"><a href="/balie/subsidies/aanvragen/`+bakery.ID.String(), page, "the bakery ranks first (8·2+7)")
	assert.Regexp(t, `<td>2</td><th scope="row"><a href="/balie/subsidies/aanvragen/`+books.ID.String(), page)
	assert.Contains(t, page, "Café De Hoek (0202.239.951)</td><td>€ 4.500,00</td>")

	// Lotte's application: admissibility, assessment, scores.
	status, page = clerk.step(cafe.ID, url.Values{"action": {"ontvankelijkheid"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "De aanvraag is ontvankelijk.")
	_, page = clerk.step(cafe.ID, url.Values{"action": {"beoordelen"}})
	assert.Contains(t, page, "De beoordeling is gestart.")
	assert.Equal(t, []string{"scoren", "toekennen", "weigeren"}, actions(page))

	status, page = clerk.step(cafe.ID, url.Values{"action": {"scoren"}, "points_uitstraling": {"11"}, "motivation_uitstraling": {"Mooi"},
		"points_duurzaamheid": {"8"}, "motivation_duurzaamheid": {""}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, `id="points_uitstraling-error">Geef een score van 0 tot 10.`)
	assert.Contains(t, page, `id="motivation_duurzaamheid-error">Motiveer uw score.`)
	assertErrorSummary(t, page, "motivation_duurzaamheid", "points_uitstraling")
	assert.Contains(t, page, `name="points_uitstraling" value="11"`, "what was typed is kept")
	got, err := a.subsidies.Application(context.Background(), cafe.ID)
	require.NoError(t, err)
	assert.Empty(t, got.Scores, "a form with a bad field stores no score")

	_, page = clerk.step(cafe.ID, url.Values{"action": {"scoren"}, "points_uitstraling": {"9"}, "motivation_uitstraling": {"Opvallend mooi"},
		"points_duurzaamheid": {"8,5"}, "motivation_duurzaamheid": {"Goede isolatie"}})
	assert.Contains(t, page, "Uw scores zijn bewaard.")
	assert.Contains(t, page, "Rang 1, gewogen score 26,5. Voorstel: toegekend, € 4.500,00.", "9·2+8.5 puts the café first")

	// Grant the bakery and the bookshop in full: 7.500 of 10.000 committed.
	for _, app := range []subsidy.Application{bakery, books} {
		status, page = clerk.step(app.ID, url.Values{"action": {"toekennen"}, "amount": {app.Requested.String()}, "motivation": {"Collegebesluit"}})
		require.Equal(t, http.StatusOK, status, page)
		assert.Contains(t, page, "De beslissing is genomen.")
	}
	// The café asks 4.500: the budget guard says how much is left.
	status, page = clerk.step(cafe.ID, url.Values{"action": {"toekennen"}, "amount": {"4500"}, "motivation": {"Collegebesluit"}})
	require.Equal(t, http.StatusConflict, status)
	assert.Contains(t, page, "Het budget van deze oproep is niet toereikend: er is nog € 2.500,00 beschikbaar en u wilde € 4.500,00 toekennen.")
	assert.Contains(t, page, `name="amount" value="4500"`)
	got, err = a.subsidies.Application(context.Background(), cafe.ID)
	require.NoError(t, err)
	assert.Equal(t, subsidy.UnderAssessment, got.Status, "nothing was decided")

	status, page = clerk.step(cafe.ID, url.Values{"action": {"toekennen"}, "amount": {"2500"}, "motivation": {""}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, `id="motivation-error">Motiveer de beslissing.`)
	_, page = clerk.step(cafe.ID, url.Values{"action": {"toekennen"}, "amount": {"2.500,00"}, "motivation": {"Collegebesluit, rest van het budget"}})
	assert.Contains(t, page, "Gedeeltelijk toegekend")

	// Payout of the advance (half of the grant).
	_, page = clerk.step(cafe.ID, url.Values{"action": {"betaalopdracht"}})
	assert.Contains(t, page, "1 betaalopdracht(en) aangemaakt.")
	assert.Contains(t, page, "Betaling bevestigen (Voorschot, € 1.250,00)")
	got, err = a.subsidies.Application(context.Background(), cafe.ID)
	require.NoError(t, err)
	require.Len(t, got.Grant.Orders, 1)
	_, page = clerk.step(cafe.ID, url.Values{"action": {"betaald"}, "order": {got.Grant.Orders[0].ID.String()}})
	assert.Contains(t, page, "De betaling is bevestigd.")
	status, _ = clerk.step(cafe.ID, url.Values{"action": {"betaald"}, "order": {got.Grant.Orders[0].ID.String()}})
	assert.Equal(t, http.StatusConflict, status, "a payment is confirmed once")

	call, err := a.subsidies.Call(context.Background(), facades.ID)
	require.NoError(t, err)
	assert.True(t, call.Ledger.Committed().Equal(call.Budget), "the whole budget is committed")
	assert.True(t, call.Ledger.Paid.Equal(decimal.RequireFromString("1250")))

	require.NoError(t, a.be.Settle(context.Background()))
	for id, want := range map[uuid.UUID]subsidy.Outcome{bakery.ID: subsidy.Granted, books.ID: subsidy.Granted, cafe.ID: subsidy.GrantedPartially} {
		got, ok := decided.Load(id)
		assert.True(t, ok, "a decision event for %s", id)
		assert.Equal(t, string(want), got)
	}

	// Lotte sees the decision and the tranches.
	lotte := clerk.another()
	lotte.signInFor("lotte", cafeKBO)
	_, page = lotte.get("/subsidies/aanvragen/" + cafe.ID.String())
	assert.Contains(t, page, "Gedeeltelijk toegekend")
	assert.Contains(t, page, "Collegebesluit, rest van het budget")
	assert.Regexp(t, `1\. Voorschot</th><td>€ 1.250,00</td><td>Betaalopdracht gegeven`, page)
	assert.Regexp(t, `2\. Saldo</th><td>€ 1.250,00</td><td>Na goedkeuring van de verantwoording`, page)
	assert.Regexp(t, `Voorschot</th><td>€ 1.250,00</td><td>Betaald</td>`, page)
	assert.Contains(t, page, "Beslist: gedeeltelijk toegekend")
	_, list := lotte.get("/mijn-dossiers")
	assert.Contains(t, list, "Gedeeltelijk toegekend")
}

func TestClerkRefusesAndStepsAreGuarded(t *testing.T) {
	a := newTestApp(t, io.Discard)
	clerk := newSubsidyClient(t, a)
	clerk.signIn("balie")
	green := demoCall(t, a, demo.CallGreenRoofs)
	anApp := demoApplication(t, a, green, "An Peeters")

	status, _ := clerk.step(anApp.ID, url.Values{"action": {"toekennen"}, "amount": {"100"}, "motivation": {"x"}})
	assert.Equal(t, http.StatusConflict, status, "no decision before the assessment")
	_, _ = clerk.step(anApp.ID, url.Values{"action": {"ontvankelijkheid"}})
	_, _ = clerk.step(anApp.ID, url.Values{"action": {"beoordelen"}})
	status, page := clerk.step(anApp.ID, url.Values{"action": {"weigeren"}, "amount": {"abc"}, "motivation": {"Buiten de doelstelling"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Geweigerd", "a refusal ignores the amount")
	status, _ = clerk.step(anApp.ID, url.Values{"action": {"weigeren"}, "motivation": {"nog eens"}})
	assert.Equal(t, http.StatusConflict, status)

	path := "/balie/subsidies/aanvragen/" + anApp.ID.String()
	status, _ = clerk.post(path, url.Values{"csrf": {"vervalst"}, "action": {"ontvankelijkheid"}})
	assert.Equal(t, http.StatusForbidden, status)
	status, _ = clerk.get("/balie/subsidies/aanvragen/" + uuid.NewString())
	assert.Equal(t, http.StatusNotFound, status)

	an := clerk.another()
	an.signIn("an")
	status, _ = an.get(path)
	assert.Equal(t, http.StatusNotFound, status, "citizens do not see the clerk's pages")
	status, _ = an.get("/balie/subsidies")
	assert.Equal(t, http.StatusNotFound, status)
	_, page = an.get("/subsidies/aanvragen/" + anApp.ID.String())
	assert.Contains(t, page, "Geweigerd")
	assert.Contains(t, page, "Buiten de doelstelling")
}

func actions(page string) []string {
	var out []string
	for _, m := range stepRE.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}
