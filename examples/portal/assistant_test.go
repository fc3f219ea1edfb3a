package main

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
)

// ask posts a question to the assistant the way the layout's form does,
// with the form token of the page the visitor saw.
func (c *client) ask(question string) (int, string) {
	c.t.Helper()
	_, page := c.get("/")
	return c.post("/assistent", url.Values{"csrf": {csrf(c.t, page)}, "vraag": {question}})
}

// askFragment asks as the script does, and returns the reply alone.
func (c *client) askFragment(question string) (int, string) {
	c.t.Helper()
	_, page := c.get("/")
	form := url.Values{"csrf": {csrf(c.t, page)}, "vraag": {question}}
	req, err := http.NewRequest(http.MethodPost, c.srv.URL+"/assistent", strings.NewReader(form.Encode()))
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Assistent", "fragment")
	resp, err := c.c.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp.StatusCode, string(b)
}

func TestAssistantOnEveryPageAndItsScript(t *testing.T) {
	c := newClient(t, io.Discard)
	for _, path := range []string{"/", "/ondernemers"} { // /aanmelden is the provider's page now
		_, body := c.get(path)
		assert.Contains(t, body, `<form method="post" action="/assistent" data-assistent="assistent-antwoord">`, path)
		assert.Contains(t, body, `<label for="assistent-vraag">`, "the question field is labelled on "+path)
		assert.Contains(t, body, `aria-live="polite"`, path)
		assert.Contains(t, body, `<script src="/assistent/assistent.js" defer></script>`, path)
	}
	_, body := c.get("/assistent")
	assert.NotContains(t, body, `id="assistent-vraag"`, "the assistant's own page has its form once")
	assert.Contains(t, body, `<label for="vraag">Uw vraag</label>`)

	status, typ, js := c.fetch("/assistent/assistent.js")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "text/javascript; charset=utf-8", typ)
	assert.Contains(t, js, `"X-Assistent": "fragment"`)
	assert.NotContains(t, js, "innerHTML =", "replies are added, never replace the page")
}

func TestAssistantAnswersFromTheCatalogueWithItsLink(t *testing.T) {
	c := newClient(t, io.Discard)
	status, body := c.ask("wat kost een reispas")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "<h1>Vraag het de assistent</h1>", "without the script: the conversation page")
	assert.Contains(t, body, `data-intent="information"`)
	assert.Contains(t, body, `<a class="bron" href="https://www.demogem.be/reispas">`, "the answer links to its catalogue entry")
	assert.Contains(t, body, `href="/assistent/product/reispas"`)
	assert.Contains(t, body, "(Kosten)", "the costs section answers a question about the price")
	assert.Contains(t, body, "€", "and quotes it")
	assert.Contains(t, body, "<p>wat kost een reispas</p>", "the question is shown with the answer")

	// The entry the answer links to.
	status, body = c.get("/assistent/product/reispas")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "<h1>Reispas (paspoort)</h1>")
	assert.Contains(t, body, "<dt>Kosten</dt>")
	status, _ = c.get("/assistent/product/bestaat-niet")
	assert.Equal(t, http.StatusNotFound, status)

	// Two entries close together: the assistant offers them, and a click
	// on one (the button sends its title) answers from it.
	_, frag := c.askFragment("wat kost een identiteitskaart?")
	assert.NotContains(t, frag, "<html", "with the script: a fragment, not a page")
	assert.Contains(t, frag, "Bedoel je een van deze?")
	option := `<button type="submit" name="vraag" value="Elektronische identiteitskaart (eID) voor Belgen">`
	require.Contains(t, frag, option)
	status, frag = c.askFragment("Elektronische identiteitskaart (eID) voor Belgen")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, frag, `href="https://www.demogem.be/identiteitskaart"`)

	// The conversation page shows both exchanges, from the cookie.
	_, body = c.get("/assistent")
	assert.Contains(t, body, "wat kost een reispas")
	assert.Contains(t, body, "Elektronische identiteitskaart (eID) voor Belgen")
	assert.Equal(t, 6, strings.Count(body, `class="beurt `), "three questions and three answers")

	// Out of scope: refused, a person offered (after signing in).
	_, body = c.ask("wie wint de tour de france dit jaar")
	assert.Contains(t, body, `data-intent="out_of_scope"`)
	assert.Contains(t, body, `<a href="/aanmelden">Aanmelden</a>, dan kan ik uw vraag doorgeven`)
	assert.NotContains(t, body, `class="bron"`, "a refusal cites nothing")
}

func TestAssistantRefusesEmptyTooLongAndForgedQuestions(t *testing.T) {
	c := newClient(t, io.Discard)
	status, body := c.ask("   ")
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, `<span class="error" id="vraag-fout">Typ eerst uw vraag.</span>`)
	assert.Contains(t, body, `aria-describedby="vraag-fout"`)

	status, body = c.ask(strings.Repeat("identiteitskaart ", 200))
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "Uw vraag is te lang")

	status, frag := c.askFragment("")
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Equal(t, `<p class="error">Typ eerst uw vraag.</p>`, strings.TrimSpace(frag))

	status, _ = c.post("/assistent", url.Values{"csrf": {"vervalst"}, "vraag": {"wat kost een identiteitskaart"}})
	assert.Equal(t, http.StatusForbidden, status, "the form token is checked as on every form")
	status, _ = c.post("/assistent/medewerker", url.Values{"csrf": {"vervalst"}})
	assert.Equal(t, http.StatusForbidden, status)
}

// casesOf returns the references of the cases filed by the person.
func casesOf(t *testing.T, a *app, personID string) []string {
	t.Helper()
	p, ok := a.town.Person(personID)
	require.True(t, ok)
	var refs []string
	for c, err := range a.cases.All(context.Background(), casefile.Query{RequesterID: string(p.INSZ)}) {
		require.NoError(t, err)
		refs = append(refs, c.Reference)
	}
	return refs
}

func TestAssistantDossierStatusOnlyForTheSignedInPerson(t *testing.T) {
	a, c := newApptClient(t, io.Discard)
	ans := casesOf(t, a, "an")
	require.NotEmpty(t, ans, "An has demo reports")

	// An anonymous visitor who knows An's reference learns nothing.
	_, body := c.ask("waar staat mijn dossier " + ans[0])
	assert.Contains(t, body, `data-intent="dossier"`)
	assert.Contains(t, body, "Meld je aan")
	assert.Contains(t, body, `<a href="/aanmelden">Aanmelden</a>, dan toon ik waar uw dossiers staan.`)
	assert.NotContains(t, body, `class="dossiers"`)
	assert.NotContains(t, body, "In behandeling")
	assert.NotContains(t, body, "/mijn-dossiers/")

	// An, signed in, gets her own: every report, with its status and page.
	c.signIn("an")
	_, body = c.ask("waar staat mijn dossier?")
	require.Contains(t, body, `<ul class="dossiers">`)
	for _, ref := range ans {
		assert.Contains(t, body, ">"+ref+"</a>", "An's report %s", ref)
	}
	assert.Regexp(t, `Meldingen en vragen: [^<]+: <strong>[^<]+</strong>`, body, "each with its block, subject and status")

	// Mohamed gets his own and none of An's, even when he names hers.
	m := c.another()
	m.signIn("mohamed")
	_, body = m.ask("waar staat mijn melding " + ans[0])
	assert.Contains(t, body, `data-intent="dossier"`)
	for _, ref := range ans {
		assert.NotContains(t, body, ">"+ref+"</a>")
	}
	for _, ref := range casesOf(t, a, "mohamed") {
		assert.Contains(t, body, ">"+ref+"</a>")
	}
}

var replyRefRE = regexp.MustCompile(`referentie ([0-9A-Za-z-]+)\)`)

func TestAssistantHandsOverToTheClerksWorklist(t *testing.T) {
	a, c := newApptClient(t, io.Discard)

	// Anonymous: no case, the sign-in offered.
	before := len(casesOf(t, a, "an"))
	_, body := c.ask("ik wil een medewerker spreken")
	assert.Contains(t, body, `data-intent="handover"`)
	assert.Contains(t, body, `<a href="/aanmelden">Aanmelden</a>`)

	// Signed in, An's question about her bank account is out of scope; she
	// asks for a person with the button. The same conversation carries on
	// after the sign-in.
	c.signIn("an")
	_, body = c.ask("mijn rekening BE68 5390 0754 7034 werd twee keer gedebiteerd door de tennisclub")
	assert.Contains(t, body, `data-intent="out_of_scope"`)
	require.Contains(t, body, `<form method="post" action="/assistent/medewerker" data-assistent>`, "a person is offered")
	status, body := c.post("/assistent/medewerker", url.Values{"csrf": {csrf(t, body)}})
	require.Equal(t, http.StatusOK, status)
	m := replyRefRE.FindStringSubmatch(html.UnescapeString(body))
	require.NotNil(t, m, "the reply names the question's reference")
	ref := m[1]
	assert.Contains(t, body, `class="overdracht" href="/mijn-dossiers/`)
	assert.Len(t, casesOf(t, a, "an"), before+1, "one question case, in An's name")

	// The case: a question with the redacted transcript.
	p, _ := a.town.Person("an")
	var filed *casefile.Case
	for k, err := range a.cases.All(context.Background(), casefile.Query{RequesterID: string(p.INSZ)}) {
		require.NoError(t, err)
		if k.Reference == ref {
			filed = k
		}
	}
	require.NotNil(t, filed)
	assert.Equal(t, "vragen", filed.Type)
	assert.Contains(t, filed.Description, "Vraag doorgegeven door de virtuele assistent")
	assert.Contains(t, filed.Description, "ik wil een medewerker spreken", "the anonymous start of the conversation")
	assert.Contains(t, filed.Description, "[IBAN]")
	assert.NotContains(t, filed.Description, "BE68", "the account number is masked")

	// The conversation page says so; asking again files no second case.
	_, body = c.get("/assistent")
	assert.Contains(t, body, "Dit gesprek is doorgegeven aan een medewerker (referentie "+ref+").")
	assert.NotContains(t, body, "Dit gesprek doorgeven aan een medewerker")
	_, _ = c.post("/assistent/medewerker", url.Values{"csrf": {csrf(t, body)}})
	assert.Len(t, casesOf(t, a, "an"), before+1)

	// The clerk finds it in the worklist and answers it as any question.
	clerk := c.another()
	clerk.signIn("balie")
	_, body = clerk.get("/balie/meldingen")
	require.Contains(t, body, ref, "the handover is in the clerk's worklist")
	page := "/balie/meldingen/" + filed.ID.String()
	status, body = clerk.get(page)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Vraag doorgegeven door de virtuele assistent", "the clerk reads the transcript")
	assert.Contains(t, body, "[IBAN]")
	m = regexp.MustCompile(`action="` + page + `/antwoord" class="action">\s*<input type="hidden" name="csrf" value="([^"]+)"><input type="hidden" name="version" value="(\d+)">`).FindStringSubmatch(body)
	require.NotNil(t, m, "the clerk can answer the handed-over question")
	status, body = clerk.post(page+"/antwoord", url.Values{"csrf": {m[1]}, "version": {m[2]}, "text": {"Neem contact op met de tennisclub; de gemeente int dat lidgeld niet."}, "close": {"1"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, ref)
	closed, err := a.cases.Get(context.Background(), filed.ID)
	require.NoError(t, err)
	assert.True(t, closed.Closed)
}

var reportLinkRE = regexp.MustCompile(`<a class="button melding" href="([^"]+)">`)

func TestAssistantReportDraftIsConfirmedInTheReportForm(t *testing.T) {
	a, c := newApptClient(t, io.Discard)
	c.signIn("an")
	before := len(casesOf(t, a, "an"))
	_, body := c.ask("de straatlamp in de Molenstraat 7 brandt niet meer")
	assert.Contains(t, body, `data-intent="report"`)
	m := reportLinkRE.FindStringSubmatch(body)
	require.NotNil(t, m, "the reply links to the filled-in form")
	link := html.UnescapeString(m[1])
	assert.True(t, strings.HasPrefix(link, "/melding-maken?"), link)

	_, form := c.get(link)
	assert.Contains(t, form, `<option value="street_lighting" selected>`)
	assert.Contains(t, form, `>de straatlamp in de Molenstraat 7 brandt niet meer</textarea>`)
	assert.Contains(t, form, `id="street" name="street" value="Molenstraat"`)
	assert.Contains(t, form, `id="number" name="number" value="7"`)
	assert.Contains(t, form, `id="postal_code" name="postal_code" value="9999"`, "the rest of the address stays An's")
	assert.Len(t, casesOf(t, a, "an"), before, "nothing is filed before An sends the form")

	// Anonymous, the same question leads to the sign-in first.
	anon := c.another()
	_, body = anon.ask("de straatlamp in de Molenstraat 7 brandt niet meer")
	assert.Contains(t, body, `<a href="/aanmelden">Aanmelden</a>, dan kunt u de melding nakijken en versturen.`)

	// Without a place, the assistant asks where first.
	_, body = c.ask("er ligt een sluikstort")
	assert.Contains(t, body, "Waar is het precies?")
	assert.NotContains(t, body, `class="button melding"`)
	_, body = c.ask("aan de Stationsstraat 4")
	m = reportLinkRE.FindStringSubmatch(body)
	require.NotNil(t, m)
	assert.Contains(t, html.UnescapeString(m[1]), "categorie=waste")
}

var slotLinkRE = regexp.MustCompile(`<ul class="vrije-momenten">\s*<li><a href="([^"]+)">([^<]+)</a>`)

func TestAssistantAppointmentLinksToFreeSlots(t *testing.T) {
	_, c := newApptClient(t, io.Discard)
	_, body := c.ask("ik wil een afspraak maken voor een nieuwe identiteitskaart")
	assert.Contains(t, body, `data-intent="appointment"`)
	m := slotLinkRE.FindStringSubmatch(body)
	require.NotNil(t, m, "free slots are offered")
	link := html.UnescapeString(m[1])
	assert.Contains(t, link, "/afspraak-maken?dienst=identiteitskaart")
	assert.True(t, strings.HasPrefix(m[2], "Identiteitskaart: "), m[2])

	c.signIn("an")
	_, page := c.get(link)
	u, err := url.Parse(link)
	require.NoError(t, err)
	start := u.Query().Get("start")
	require.NotEmpty(t, start)
	assert.Regexp(t, `value="`+regexp.QuoteMeta(start)+`"[^>]*checked`, page, "the booking page has the slot chosen")

	// A service without appointments: no slots, a person offered.
	_, body = c.ask("ik wil een afspraak maken voor een huwelijk")
	assert.Contains(t, body, `data-intent="appointment"`)
	assert.NotContains(t, body, `class="vrije-momenten"`)
}

func TestAssistantConversationCookieIsBoundToWhoAsked(t *testing.T) {
	_, c := newApptClient(t, io.Discard)
	// An anonymous conversation carries on after signing in.
	c.ask("wat kost een reispas")
	c.signIn("an")
	_, body := c.get("/assistent")
	assert.Contains(t, body, "wat kost een reispas")
	c.ask("en een rijbewijs")
	_, body = c.get("/assistent")
	assert.Contains(t, body, "en een rijbewijs")
	assert.Contains(t, body, "Dit gesprek doorgeven aan een medewerker", "a signed-in person can hand the conversation over")

	// After signing out, An's conversation is not shown to whoever uses
	// the browser next.
	_, page := c.get("/")
	_, _ = c.post("/afmelden", url.Values{"csrf": {csrf(t, page)}})
	_, body = c.get("/assistent")
	assert.NotContains(t, body, "wat kost een reispas")
	assert.NotContains(t, body, `class="beurt`)

	// A forged cookie opens nothing.
	u, err := url.Parse(c.srv.URL + "/assistent")
	require.NoError(t, err)
	for _, ck := range c.c.Jar.Cookies(u) {
		if ck.Name == "assistent" {
			id, _, _ := strings.Cut(ck.Value, ".")
			ck.Value = id + ".AAAAAAAAAAAAAAAAAAAAAAAA"
			c.c.Jar.SetCookies(u, []*http.Cookie{ck})
		}
	}
	_, body = c.get("/assistent")
	assert.NotContains(t, body, `class="beurt`)
}
