package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var questionRefRE = regexp.MustCompile(`uw vraag (\d{4}-\d{6}) is ontvangen`)

func TestEntrepreneurAsksAQuestionForTheEnterprise(t *testing.T) {
	c := newClient(t, io.Discard)
	c.signInFor("lotte", cafeKBO)
	status, body := c.get("/vraag-stellen")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `id="for-enterprise" name="for" value="enterprise" checked`, "an entrepreneur asks for the enterprise by default")
	assert.Contains(t, body, "Café De Hoek (0202.239.951)")
	token := csrf(t, body)

	// Nothing typed: the errors sit next to the fields, and the choice is kept.
	status, body = c.post("/vraag-stellen", url.Values{"csrf": {token}, "for": {"enterprise"}, "category": {""}, "question": {"  "}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, `<span class="error" id="category-error">Kies een onderwerp.</span>`)
	assert.Contains(t, body, `id="question-error"`)

	status, body = c.post("/vraag-stellen", url.Values{"csrf": {token}, "for": {"enterprise"}, "category": {"enterprise"},
		"question": {"Mag ik op zondag mijn terras tot 23 uur openhouden?"}})
	require.Equal(t, http.StatusOK, status)
	m := questionRefRE.FindStringSubmatch(body)
	require.NotNil(t, m, "the flash names the reference")
	assert.Contains(t, body, "Ontvangen")

	_, body = c.get("/mijn-dossiers")
	assert.Contains(t, body, m[1])
	assert.Contains(t, body, "Vraag: Ondernemen (terras, markt, evenement, vestiging) (onderneming)")

	// The clerk opens it from the same worklist as the reports and answers
	// it in free text.
	clerk := c.another()
	clerk.signIn("balie")
	_, body = clerk.get("/balie/meldingen")
	require.Contains(t, body, m[1])
	open := regexp.MustCompile(`<a href="(/balie/meldingen/[0-9a-f-]{36})">` + m[1] + `</a>`).FindStringSubmatch(body)
	require.NotNil(t, open, "the list links to the question's page")
	_, page := clerk.get(open[1])
	assert.Contains(t, page, "Mag ik op zondag mijn terras tot 23 uur openhouden?")
	answer := regexp.MustCompile(`action="(` + open[1] + `/antwoord)"[^>]*>\s*<input type="hidden" name="csrf" value="[^"]+"><input type="hidden" name="version" value="(\d+)">`).FindStringSubmatch(page)
	require.NotNil(t, answer, "a question is answered in free text")
	status, _ = clerk.post(answer[1], url.Values{"csrf": {csrf(t, page)}, "version": {answer[2]}, "close": {"1"},
		"text": {"Ja, tot 23 uur op zondag, met de terrasvergunning van uw zaak."}})
	require.Equal(t, http.StatusOK, status)

	_, body = c.get("/mijn-dossiers")
	assert.Regexp(t, `<td data-label="Status" class="status"><span class="badge">Afgehandeld</span> Beantwoord</td>\s*(?:<td[^>]*></td>\s*)?<td data-label="Nummer" class="reference">`+m[1]+`</td>`, body)
	link := regexp.MustCompile(`href="(/mijn-dossiers/[0-9a-f-]{36})">[^<]*</a></td>\s*<td data-label="Status"[^>]*>(?:[^<]|<span[^>]*>[^<]*</span>)*</td>\s*(?:<td[^>]*>[^<]*</td>\s*)?<td data-label="Nummer" class="reference">` + m[1]).FindStringSubmatch(body)
	require.NotNil(t, link)
	_, body = c.get(link[1])
	assert.Contains(t, body, "Ja, tot 23 uur op zondag, met de terrasvergunning van uw zaak.", "the answer is in Mijn dossiers")
}

func TestQuestionForAnEnterpriseOneDoesNotActForIsRefused(t *testing.T) {
	c := newClient(t, io.Discard)
	c.signIn("an")
	_, body := c.get("/vraag-stellen")
	assert.NotContains(t, body, "for-enterprise", "a citizen without an enterprise gets no choice")
	status, body := c.post("/vraag-stellen", url.Values{"csrf": {csrf(t, body)}, "for": {"enterprise"}, "category": {"other"}, "question": {"Vraag"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status, "a forged 'for' field")
	assert.Contains(t, body, "Kies voor wie u de vraag stelt.")
	assert.Contains(t, body, ">Vraag</textarea>", "what was typed is kept")

	status, _ = c.post("/vraag-stellen", url.Values{"csrf": {"forged"}, "for": {"self"}, "category": {"other"}, "question": {"Vraag"}})
	assert.Equal(t, http.StatusForbidden, status)
}

func TestEnterpriseQuestionIsNotVisibleToOthers(t *testing.T) {
	c := newClient(t, io.Discard)
	c.signInFor("lotte", cafeKBO)
	_, body := c.get("/vraag-stellen")
	status, body := c.post("/vraag-stellen", url.Values{"csrf": {csrf(t, body)}, "for": {"enterprise"}, "category": {"taxes"}, "question": {"Hoeveel bedraagt de terrasbelasting?"}})
	require.Equal(t, http.StatusOK, status)
	link := caseLinkRE.FindStringSubmatch(body)
	if link == nil {
		// The dossier page itself has no link to itself; take it from the overview.
		_, body = c.get("/mijn-dossiers")
		link = regexp.MustCompile(`href="(/mijn-dossiers/[0-9a-f-]{36})">Vraag: Belastingen`).FindStringSubmatch(body)
	}
	require.NotNil(t, link)

	an := c.another()
	an.signIn("an")
	status, _ = an.get(link[1])
	assert.Equal(t, http.StatusNotFound, status, "another person's (enterprise's) dossier")
	status, _ = c.get(link[1])
	assert.Equal(t, http.StatusOK, status)
}
