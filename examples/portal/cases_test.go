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

func (c *client) signIn(person string) string {
	c.t.Helper()
	_, body := c.get("/aanmelden")
	status, body := c.post("/aanmelden", url.Values{"csrf": {csrf(c.t, body)}, "person": {person}})
	require.Equal(c.t, http.StatusOK, status)
	return body
}

var caseLinkRE = regexp.MustCompile(`href="(/mijn-dossiers/[0-9a-f-]{36})"`)

func TestMyCasesListsOnlyOwnCasesWithCitizenLabels(t *testing.T) {
	c := newClient(t, io.Discard)
	body := c.signIn("an")
	assert.Contains(t, body, "Straatverlichting")
	assert.Contains(t, body, "Afval en netheid")
	assert.Contains(t, body, "Gemeld")
	assert.Contains(t, body, "In behandeling")
	assert.Contains(t, body, "Afgehandeld")
	assert.NotContains(t, body, "Groen", "Mohamed's report is not in An's list")
	assert.Len(t, caseLinkRE.FindAllString(body, -1), 3)
}

func TestCaseDetailShowsCitizenViewAndHidesOthersCases(t *testing.T) {
	an := newClient(t, io.Discard)
	body := an.signIn("an")
	links := caseLinkRE.FindAllStringSubmatch(body, -1)
	require.NotEmpty(t, links)

	var resolved string
	for _, l := range links {
		status, page := an.get(l[1])
		require.Equal(t, http.StatusOK, status)
		if regexp.MustCompile(`Afgehandeld \(Hersteld\)`).MatchString(page) {
			resolved = l[1]
			assert.Contains(t, page, "De put is gedicht.", "the public explanation is on the timeline")
			assert.Contains(t, page, "Put in de weg")
		}
	}
	require.NotEmpty(t, resolved, "the resolved demo case has a detail page")

	// The same server, another person: An's case does not exist for Mohamed.
	mo := &client{t: t, srv: an.srv, c: &http.Client{Jar: newJar(t)}}
	mo.signIn("mohamed")
	status, page := mo.get(resolved)
	assert.Equal(t, http.StatusNotFound, status)
	assert.NotContains(t, page, "Put in de weg")

	status, _ = an.get("/mijn-dossiers/00000000-0000-7000-8000-000000000000")
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = an.get("/mijn-dossiers/geen-id")
	assert.Equal(t, http.StatusNotFound, status)
}
