package main

import (
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// partyHallKBO is Feestzaal De Hoek, Lotte's second enterprise.
const partyHallKBO = "0456789034"

// TestEnterpriseSpaceIsTheEnterprisesOnly: signed in for an enterprise, a
// person sees its dossiers and not their own; the enterprise's dossiers are
// seen by every person the provider asserts for it, and by nobody else —
// not by the same person signed in as a citizen or for their other
// enterprise.
func TestEnterpriseSpaceIsTheEnterprisesOnly(t *testing.T) {
	lotte := newClient(t, io.Discard)

	// Lotte, as a citizen, asks a question of her own.
	lotte.signIn("lotte")
	_, form := lotte.get("/vraag-stellen")
	status, _ := lotte.post("/vraag-stellen", url.Values{"csrf": {csrf(t, form)}, "for": {"self"}, "category": {"civil_affairs"}, "question": {"Wanneer vervalt mijn identiteitskaart?"}})
	require.Equal(t, http.StatusOK, status)
	_, mine := lotte.get("/mijn-dossiers")
	assert.Contains(t, mine, "Vraag: Burgerzaken")
	assert.NotContains(t, mine, "Café De Hoek", "as a citizen, none of the café's dossiers")

	// For her café: the café's terrace and facade subsidy, not her question.
	forCafe := lotte.another()
	cafe := forCafe.signInFor("lotte", cafeKBO)
	assert.Contains(t, cafe, "U handelt namens <strong>Café De Hoek (0202.239.951)</strong>")
	assert.Contains(t, cafe, "Terras, Dorpsplein 3 (Café De Hoek)")
	assert.Contains(t, cafe, "Gevelrenovatie handelspanden 2026 – Café De Hoek")
	assert.NotContains(t, cafe, "Vraag: Burgerzaken", "not her own dossiers")
	link := permitLinkRE.FindStringSubmatch(cafe)
	require.NotNil(t, link, "the terrace has a page")
	terrace := link[1]
	status, _ = forCafe.get(terrace)
	assert.Equal(t, http.StatusOK, status)
	_, form = forCafe.get("/vraag-stellen")
	status, _ = forCafe.post("/vraag-stellen", url.Values{"csrf": {csrf(t, form)}, "for": {"enterprise"}, "category": {"enterprise"}, "question": {"Mag het terras tot 23 uur open?"}})
	require.Equal(t, http.StatusOK, status)

	// Tom, whom the provider asserts for the café too, sees the same.
	tom := lotte.another()
	page := tom.signInFor("tom", cafeKBO)
	assert.Contains(t, page, "Terras, Dorpsplein 3 (Café De Hoek)")
	assert.Contains(t, page, "Vraag: Ondernemen", "the question Lotte asked for the café")
	assert.NotContains(t, page, "Vraag: Burgerzaken", "not Lotte's own question")
	status, _ = tom.get(terrace)
	assert.Equal(t, http.StatusOK, status)

	// Nobody else: Tom as a citizen, Lotte for her party hall, Lotte as a
	// citizen, An.
	for name, c := range map[string]func(*client) string{
		"tom as a citizen":         func(c *client) string { return c.signIn("tom") },
		"lotte for the party hall": func(c *client) string { return c.signInFor("lotte", partyHallKBO) },
		"lotte as a citizen":       func(c *client) string { return c.signIn("lotte") },
		"an":                       func(c *client) string { return c.signIn("an") },
	} {
		other := lotte.another()
		page := c(other)
		assert.NotContains(t, page, "Terras, Dorpsplein 3", name)
		assert.NotContains(t, page, "Vraag: Ondernemen", name)
		status, _ := other.get(terrace)
		assert.Equal(t, http.StatusNotFound, status, name)
	}
}

// TestEnterpriseCapacityIsWhatTheTokenAsserts: a capacity is never taken
// from what the browser sends. The demo provider refuses an enterprise the
// person does not represent (a forged form field), and the portal reads
// no capacity from a URL.
func TestEnterpriseCapacityIsWhatTheTokenAsserts(t *testing.T) {
	c := newClient(t, io.Discard)
	_, page := c.demoLoginPage("/aanmelden?als=onderneming&kbo=" + partyHallKBO)
	status, body := c.post("/demo-idp/aanmelden", url.Values{"id": {demoRequest(t, page)}, "sub": {"tom"}, "kbo": {partyHallKBO}})
	assert.Equal(t, http.StatusForbidden, status)
	assert.Contains(t, body, "Deze persoon mag niet aanmelden namens die onderneming.")
	assert.Empty(t, c.cookie("sessie"), "nobody signed in")

	// The same request, as Tom may: for the café, whatever the URL said.
	status, body = c.post("/demo-idp/aanmelden", url.Values{"id": {demoRequest(t, page)}, "sub": {"tom"}, "kbo": {cafeKBO}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "U handelt namens <strong>Café De Hoek (0202.239.951)</strong>")

	// Query parameters on the portal's pages choose nothing.
	_, body = c.get("/mijn-dossiers?kbo=" + partyHallKBO + "&vo_orgcode=" + partyHallKBO)
	assert.NotContains(t, body, "Feestzaal")
	assert.Contains(t, body, "Café De Hoek (0202.239.951)")
}
