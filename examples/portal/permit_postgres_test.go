package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
)

// TestPermitsAndPaymentsOnPostgres walks apply → grant → pay with the
// permit, payment and portal stores in PostgreSQL, the events going
// through the outbox, and checks that a restart does not seed again.
func TestPermitsAndPaymentsOnPostgres(t *testing.T) {
	ctx, pool, log := postgresTest(t, 8)
	a, err := newApp(ctx, log, demo.Town(), wiring.NewBackend(log, pool), false)
	require.NoError(t, err)
	an := serve(t, a)
	body := an.signIn("an")
	assert.Contains(t, body, "Vergund, retributie te betalen", "the seeded grant was invoiced through the outbox")
	require.Len(t, invoiceLinkRE.FindAllString(body, -1), 1)

	_, form := an.get("/vergunningen/aanvragen")
	link, preview := an.apply(applyForm(csrf(t, form), startFor(t, a, "container")))
	assert.Contains(t, preview, "Rioleringswerken Kerkstraat")
	_, page := an.post(link+"/indienen", url.Values{"csrf": {csrf(t, preview)}})
	require.Contains(t, page, "is ingediend")

	clerk := an.other("balie")
	path := "/balie" + link
	_, page = clerk.get(path)
	token := csrf(t, page)
	for _, action := range []string{"complete", "grant"} {
		status, _ := clerk.post(path, url.Values{"csrf": {token}, "action": {action}})
		require.Equal(t, http.StatusOK, status, action)
	}
	settle(t, a)
	_, page = an.get(link)
	m := invoiceLinkRE.FindStringSubmatch(page)
	require.NotNil(t, m, "the grant made an invoice")
	_, page = an.get(m[1])
	resp, err := an.c.PostForm(an.srv.URL+m[1]+"/betalen", url.Values{"csrf": {csrf(t, page)}})
	require.NoError(t, err)
	bank, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.True(t, strings.HasPrefix(resp.Request.URL.Path, "/betaalprovider/checkout/"))
	status, page := an.post(resp.Request.URL.Path, url.Values{"csrf": {csrf(t, string(bank))}, "action": {"pay"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, `<dd id="invoice-status">Betaald</dd>`)
	settle(t, a)
	_, page = an.get(link)
	assert.Contains(t, page, "Vergund, retributie betaald")

	// A second start on the same database seeds nothing and finds it all.
	a2, err := newApp(ctx, log, demo.Town(), wiring.NewBackend(log, pool), false)
	require.NoError(t, err)
	var n int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM portal_permit_records").Scan(&n))
	assert.Equal(t, 5, n, "four seeded permits and An's new one")
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM permit_works").Scan(&n))
	assert.Equal(t, 1, n, "the works are not loaded twice")
	srv2 := httptest.NewServer(a2.handler)
	t.Cleanup(srv2.Close)
	again := &client{t: t, srv: srv2, c: &http.Client{Jar: newJar(t)}}
	body = again.signIn("an")
	assert.Contains(t, body, "Vergund, retributie betaald")
}
