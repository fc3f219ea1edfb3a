package main

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
)

// TestAssistantOnPostgres keeps the catalogue and the conversations in
// PostgreSQL, as -postgres does: an answer, the conversation found again,
// and a handover that reaches the clerk's worklist.
func TestAssistantOnPostgres(t *testing.T) {
	ctx, pool, log := postgresTest(t, 8)
	a, err := newApp(ctx, log, demo.Town(), wiring.NewBackend(log, pool), false)
	require.NoError(t, err)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	c := &client{t: t, srv: srv, c: &http.Client{Jar: newJar(t)}}

	var entries, conversations int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM assistant_entries").Scan(&entries))
	assert.GreaterOrEqual(t, entries, 150, "the demo catalogue is in PostgreSQL")

	c.signIn("an")
	_, body := c.ask("wat kost een reispas")
	assert.Contains(t, body, `<a class="bron" href="https://www.demogem.be/reispas">`)
	_, body = c.ask("wie wint de tour de france dit jaar")
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM assistant_conversations").Scan(&conversations))
	assert.Equal(t, 1, conversations, "one conversation, kept in PostgreSQL")

	status, body := c.post("/assistent/medewerker", url.Values{"csrf": {csrf(t, body)}})
	require.Equal(t, http.StatusOK, status)
	m := replyRefRE.FindStringSubmatch(html.UnescapeString(body))
	require.NotNil(t, m)

	clerk := c.another()
	clerk.signIn("balie")
	_, body = clerk.get("/balie/meldingen")
	assert.Contains(t, body, m[1], "the handover is in the clerk's worklist")

	// A second start imports the catalogue again without duplicates.
	_, err = newApp(ctx, log, demo.Town(), wiring.NewBackend(log, pool), false)
	require.NoError(t, err)
	var again int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM assistant_entries").Scan(&again))
	assert.Equal(t, entries, again)
}
