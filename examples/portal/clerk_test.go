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

var acceptFormRE = regexp.MustCompile(`action="(/balie/meldingen/[0-9a-f-]{36})"[^>]*>\s*<input type="hidden" name="csrf" value="[^"]+">\s*<input type="hidden" name="version" value="(\d+)">\s*<input type="hidden" name="transition" value="accept">`)

func TestClerkListsOpenCasesAndTransitions(t *testing.T) {
	c := newClient(t, io.Discard)
	body := c.signIn("balie")
	assert.Contains(t, body, "<h1>Balie</h1>", "the clerk starts on the worklists")
	assert.Contains(t, body, `href="/balie/meldingen"`)
	_, body = c.get("/balie/meldingen")
	assert.Contains(t, body, "<h1>Meldingen (balie)</h1>")
	assert.Contains(t, body, "Demorol.")
	assert.Contains(t, body, "Straatverlichting")
	assert.NotContains(t, body, "Put in de weg", "resolved cases are not listed")
	assert.NotContains(t, body, "Wegen en voetpaden")

	m := acceptFormRE.FindStringSubmatch(body)
	require.NotNil(t, m, "the reported case offers 'accept'")
	token := csrf(t, body)
	status, body := c.post(m[1], url.Values{"csrf": {token}, "version": {m[2]}, "transition": {"accept"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "is bijgewerkt.")

	// The same button again carries the old version: someone else changed it.
	status, body = c.post(m[1], url.Values{"csrf": {token}, "version": {m[2]}, "transition": {"accept"}})
	assert.Equal(t, http.StatusConflict, status)
	assert.Contains(t, body, "Iemand anders heeft deze melding intussen gewijzigd.")

	status, _ = c.post(m[1], url.Values{"csrf": {"vervalst"}, "version": {m[2]}, "transition": {"accept"}})
	assert.Equal(t, http.StatusForbidden, status)

	status, body = c.get("/mijn-dossiers")
	assert.Equal(t, http.StatusOK, status, "the clerk has no cases of their own, and no error")
	assert.Contains(t, body, "U hebt nog geen meldingen of vragen.")
	status, _ = c.get("/mijn-dossiers/" + m[1][len("/balie/meldingen/"):])
	assert.Equal(t, http.StatusNotFound, status, "the citizen detail page is only for the requester")
	status, _ = c.get("/melding-maken")
	assert.Equal(t, http.StatusNotFound, status, "the clerk files no reports of their own")
}

func TestClerkViewIsNotForCitizens(t *testing.T) {
	c := newClient(t, io.Discard)
	c.signIn("an")
	status, body := c.get("/balie/meldingen")
	assert.Equal(t, http.StatusNotFound, status)
	assert.NotContains(t, body, "Straatverlichting")
}

func TestClerkWorklistByTeam(t *testing.T) {
	c := newClient(t, io.Discard)
	c.signIn("balie")
	_, all := c.get("/balie/meldingen")
	assert.Contains(t, all, "<td>Openbare verlichting</td>", "routed by category")
	assert.Contains(t, all, "<td>Groendienst</td>")

	_, body := c.get("/balie/meldingen?team=verlichting")
	assert.Contains(t, body, `<option value="verlichting" selected>`)
	assert.Contains(t, body, "<td>Openbare verlichting</td>")
	assert.NotContains(t, body, "<td>Groendienst</td>", "the green team's case is not on the lighting list")

	_, body = c.get("/balie/meldingen?team=bestaat-niet")
	assert.Contains(t, body, "<td>Groendienst</td>", "an unknown team shows every team")
}
