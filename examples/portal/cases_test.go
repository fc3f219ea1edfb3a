package main

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

func TestReportSuccessValidationAndCSRF(t *testing.T) {
	var logs bytes.Buffer
	c := newClient(t, &logs)
	defer func() {
		assert.NotContains(t, logs.String(), "El Amrani", "no personal data in the log")
		assert.NotContains(t, logs.String(), "17073003384")
	}()
	c.signIn("mohamed")
	status, form := c.get("/melding-maken")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, form, `value="Stationsstraat"`, "address pre-filled from the person")
	token := csrf(t, form)

	// Missing category, bad postal code: the form comes back with what was typed.
	status, page := c.post("/melding-maken", url.Values{"csrf": {token}, "description": {"Kapotte bank in het park"},
		"street": {"Parklaan"}, "number": {"7"}, "postal_code": {"12"}, "municipality": {"Demogem"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "Kies een categorie.")
	assert.Contains(t, page, `aria-invalid="true" aria-describedby="category-error"`)
	assert.Contains(t, page, `id="category-error"`)
	assert.Contains(t, page, "Kapotte bank in het park</textarea>")
	assert.Contains(t, page, `value="Parklaan"`)
	assert.Contains(t, page, `aria-describedby="postal_code-error"`)
	assert.Contains(t, page, "geldige Belgische postcode")

	status, page = c.post("/melding-maken", url.Values{"csrf": {token}, "category": {"waste/graffiti"}, "description": {"Graffiti op de kerkmuur"},
		"street": {"Kerkstraat"}, "number": {"1"}, "postal_code": {"9999"}, "municipality": {"Demogem"}, "lat": {"50,8705"}, "lon": {"3,8110"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Graffiti op de kerkmuur")
	assert.Contains(t, page, "is ontvangen")
	assert.Contains(t, page, "Gemeld")

	status, _ = c.post("/melding-maken", url.Values{"csrf": {"vervalst"}, "category": {"waste/graffiti"}, "description": {"x"}})
	assert.Equal(t, http.StatusForbidden, status)
	_, list := c.get("/mijn-dossiers")
	assert.Len(t, caseLinkRE.FindAllString(list, -1), 2, "only the seeded case and the valid report exist")
}
