package main

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
)

// TestAppointmentsAndPostOnPostgres books, confirms through the outbox and
// the delivery queue in PostgreSQL, and starts a second portal on the same
// database, which seeds nothing again.
func TestAppointmentsAndPostOnPostgres(t *testing.T) {
	ctx, pool, log := postgresTest(t, 8)
	be := wiring.NewBackend(log, pool)
	a, err := newApp(ctx, log, demo.Town(), be, false)
	require.NoError(t, err)
	c := serve(t, a)

	list := c.signIn("an")
	assert.Regexp(t, `Identiteitskaart, \w+ \d+ \w+ \d{4} om \d\d:\d\d`, list, "the seeded booking is in PostgreSQL")
	assert.Contains(t, list, "is afgehandeld", "the seeded case's notices were delivered")

	page := openBooking(c, "reispas")
	status, body, path := c.send("/afspraak-maken", bookingValues(t, page, "reispas", slots(t, page)[0]))
	require.Equal(t, http.StatusOK, status)
	ref := regexp.MustCompile(`<h1>Afspraak ([0-9A-Z]{4}-[0-9A-Z]{4})</h1>`).FindStringSubmatch(body)
	require.NotNil(t, ref)
	status, _, ics := c.fetch(path + "/afspraak.ics")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, ics, "BEGIN:VCALENDAR")

	require.NoError(t, be.Settle(ctx))
	subject := "Bevestiging van uw afspraak " + ref[1]
	_, list = c.get("/mijn-dossiers")
	assert.Contains(t, list, subject)

	clerk := c.another()
	clerk.signIn("balie")
	_, queue := clerk.get("/balie/post")
	_, queue = clerk.post("/balie/post/verzendronde", url.Values{"csrf": {csrf(t, queue)}})
	assert.Contains(t, queueRow(t, queue, subject), "Afgeleverd via Mijn Burgerprofiel")

	count := func(table string) int {
		var n int
		require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n))
		return n
	}
	bookings, posts, prefs := count("appointment_bookings"), count("delivery_deliveries"), count("delivery_preferences")
	assert.Equal(t, 4, count("appointment_services"))
	assert.Equal(t, 4, bookings, "three seeded, one booked")

	// A second start on the same database seeds nothing again.
	be2 := wiring.NewBackend(log, pool)
	_, err = newApp(ctx, log, demo.Town(), be2, false)
	require.NoError(t, err)
	require.NoError(t, be2.Settle(ctx))
	require.NoError(t, be.Settle(ctx))
	assert.Equal(t, bookings, count("appointment_bookings"))
	assert.Equal(t, posts, count("delivery_deliveries"))
	assert.Equal(t, prefs, count("delivery_preferences"))
}
