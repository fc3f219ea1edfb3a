package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
)

// newApptClient composes the portal on in-memory stores and returns it with
// a client on it, so a test can drive the services and the pages.
func newApptClient(t *testing.T, logs io.Writer) (*app, *client) {
	t.Helper()
	a := newTestApp(t, logs)
	return a, serve(t, a)
}

// another is a second browser on the same server.
func (c *client) another() *client {
	return &client{t: c.t, srv: c.srv, c: &http.Client{Jar: newJar(c.t)}}
}

// send posts a form and also returns the path it ended on after redirects.
func (c *client) send(path string, form url.Values) (int, string, string) {
	c.t.Helper()
	resp, err := c.c.PostForm(c.srv.URL+path, form)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp.StatusCode, string(b), resp.Request.URL.Path
}

// fetch gets path and returns the response's status, content type and body.
func (c *client) fetch(path string) (int, string, string) {
	c.t.Helper()
	resp, err := c.c.Get(c.srv.URL + path)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

var (
	slotRE        = regexp.MustCompile(`name="start" value="([^"]+)"`)
	keyRE         = regexp.MustCompile(`name="key" value="([^"]+)"`)
	bookingLinkRE = regexp.MustCompile(`href="(/afspraken/[0-9a-f-]{36})"`)
)

// slots returns the free slots offered on a page, in order.
func slots(t *testing.T, page string) []string {
	t.Helper()
	var out []string
	for _, m := range slotRE.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	require.NotEmpty(t, out, "the page offers free slots")
	return out
}

// bookingForm opens the booking page for a service with slots from two days
// on, so that moving and cancelling stay possible, and returns it.
func openBooking(c *client, service string) string {
	c.t.Helper()
	from := calendar.DateIn(time.Now()).AddDays(2)
	status, page := c.get("/afspraak-maken?dienst=" + service + "&van=" + from.String())
	require.Equal(c.t, http.StatusOK, status)
	return page
}

func bookingValues(t *testing.T, page, service, start string) url.Values {
	t.Helper()
	return url.Values{"csrf": {csrf(t, page)}, "key": {keyRE.FindStringSubmatch(page)[1]}, "service": {service}, "start": {start},
		"given_name": {"An"}, "family_name": {"Peeters"}, "email": {"an.peeters@example.be"}, "phone": {"+32 470 12 34 56"}}
}

func localICS(t *testing.T, rfc3339 string) string {
	t.Helper()
	at, err := time.Parse(time.RFC3339, rfc3339)
	require.NoError(t, err)
	return at.In(clock.Brussels).Format("20060102T150405")
}

func TestAppointmentBookMoveCancelWithICS(t *testing.T) {
	var logs bytes.Buffer
	a, c := newApptClient(t, &logs)
	defer func() {
		assert.NotContains(t, logs.String(), "Peeters", "no personal data in the log")
		assert.NotContains(t, logs.String(), "85073003328")
	}()
	c.signIn("an")

	status, page := c.get("/afspraak-maken")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "<h1>Afspraak maken</h1>")
	for _, s := range []string{"Identiteitskaart", "Reispas", "Rijbewijs", "Afval &amp; milieu"} {
		assert.Contains(t, page, s)
	}
	assert.NotContains(t, page, `name="start"`, "no slots before a service is chosen")

	page = openBooking(c, "reispas")
	assert.Contains(t, page, "Openingsuren")
	assert.Contains(t, page, "woensdag: 09:00–12:00 en 14:00–19:00")
	assert.Contains(t, page, `id="given_name" name="given_name" value="An"`, "pre-filled from the person")
	assert.Contains(t, page, `value="an.peeters@example.be"`)
	assert.Contains(t, page, `value="&#43;32 470 12 34 56"`)
	assert.Contains(t, page, "(Belgische tijd)")
	free := slots(t, page)
	first := free[0]

	status, body, path := c.send("/afspraak-maken", bookingValues(t, page, "reispas", first))
	require.Equal(t, http.StatusOK, status)
	require.Regexp(t, `^/afspraken/[0-9a-f-]{36}$`, path)
	assert.Contains(t, body, "Uw afspraak is bevestigd: Reispas op ")
	assert.Contains(t, body, "Bevestigd")
	ref := regexp.MustCompile(`<h1>Afspraak ([0-9A-Z]{4}-[0-9A-Z]{4})</h1>`).FindStringSubmatch(body)
	require.NotNil(t, ref)

	status, ctype, ics := c.fetch(path + "/afspraak.ics")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "text/calendar; charset=utf-8", ctype)
	assert.True(t, strings.HasPrefix(ics, "BEGIN:VCALENDAR\r\n"))
	assert.Contains(t, ics, "METHOD:REQUEST\r\n")
	assert.Contains(t, ics, "DTSTART;TZID=Europe/Brussels:"+localICS(t, first)+"\r\n")
	assert.Contains(t, ics, "SUMMARY:Reispas ("+ref[1]+")\r\n")
	assert.Contains(t, ics, "SEQUENCE:0\r\n")

	_, list := c.get("/mijn-dossiers")
	assert.Contains(t, list, ref[1])
	startAt, _ := time.Parse(time.RFC3339, first)
	assert.Contains(t, list, "Reispas, "+dutchMoment(startAt), "date and time in Brussels")

	// Move to the last slot offered.
	status, page = c.get(path + "/verplaatsen")
	require.Equal(t, http.StatusOK, status)
	moved := free[len(free)-1]
	require.NotEqual(t, first, moved)
	status, body, path2 := c.send(path+"/verplaatsen", url.Values{"csrf": {csrf(t, page)}, "start": {moved}})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, path, path2, "a moved booking keeps its id")
	assert.Contains(t, body, "is verplaatst naar")
	_, _, ics = c.fetch(path + "/afspraak.ics")
	assert.Contains(t, ics, "DTSTART;TZID=Europe/Brussels:"+localICS(t, moved)+"\r\n")
	assert.Contains(t, ics, "SEQUENCE:1\r\n", "calendar clients update the event")

	// The freed slot is offered again.
	assert.Contains(t, slots(t, openBooking(c, "reispas")), first)

	status, body = c.post(path+"/annuleren", url.Values{"bevestigd": {"ja"}, "csrf": {csrf(t, body)}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "Uw afspraak "+ref[1]+" is geannuleerd.")
	assert.Contains(t, body, "Geannuleerd")
	assert.NotContains(t, body, "Afspraak annuleren", "nothing left to cancel")
	_, _, ics = c.fetch(path + "/afspraak.ics")
	assert.Contains(t, ics, "METHOD:CANCEL\r\n")
	assert.Contains(t, ics, "STATUS:CANCELLED\r\n")

	// The confirmation, the move and the cancellation reach An's post, each
	// with its .ics.
	require.NoError(t, a.be.Settle(context.Background()))
	_, list = c.get("/mijn-dossiers")
	assert.Contains(t, list, "Bevestiging van uw afspraak "+ref[1])
	assert.Contains(t, list, "Uw afspraak "+ref[1]+" is verplaatst")
	assert.Contains(t, list, "Uw afspraak "+ref[1]+" is geannuleerd")
	doc := regexp.MustCompile(`href="(/mijn-post/[0-9a-f-]{36})">Bevestiging van uw afspraak ` + ref[1] + `</a>`).FindStringSubmatch(list)
	require.NotNil(t, doc, "the confirmation links to the document")
	_, letter := c.get(doc[1])
	assert.Contains(t, letter, "Uw afspraak is bevestigd: Reispas op")
	att := regexp.MustCompile(`href="(/mijn-post/[^"]+/bijlagen/1)"`).FindStringSubmatch(letter)
	require.NotNil(t, att)
	status, ctype, ics = c.fetch(att[1])
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "text/calendar; charset=utf-8", ctype)
	assert.Contains(t, ics, "BEGIN:VCALENDAR")
}

func TestAppointmentSlotTakenMeanwhileIsAFriendlyMessage(t *testing.T) {
	_, an := newApptClient(t, io.Discard)
	an.signIn("an")
	mo := an.another()
	mo.signIn("mohamed")

	// Both open the form; the milieuloket is one counter, so one slot takes one visit.
	anPage := openBooking(an, "afval-milieu")
	moPage := openBooking(mo, "afval-milieu")
	slot := slots(t, anPage)[0]
	require.Contains(t, slots(t, moPage), slot)

	form := bookingValues(t, moPage, "afval-milieu", slot)
	form.Set("given_name", "Mohamed")
	form.Set("family_name", "El Amrani")
	status, _ := mo.post("/afspraak-maken", form)
	require.Equal(t, http.StatusOK, status)

	form = bookingValues(t, anPage, "afval-milieu", slot)
	form.Set("phone", "0470 99 88 77")
	status, page := an.post("/afspraak-maken", form)
	assert.Equal(t, http.StatusConflict, status)
	assert.Contains(t, page, "<h1>Afspraak maken</h1>", "the booking page, not an error page")
	assert.Contains(t, page, "Dit tijdstip is intussen door iemand anders geboekt. Kies hieronder een ander vrij tijdstip.")
	assert.Contains(t, page, `value="0470 99 88 77"`, "what An typed is kept")
	assert.NotContains(t, page, `value="`+slot+`"`, "the taken slot is no longer offered")
	assert.NotEmpty(t, slots(t, page), "other slots are")

	// The same form sent twice (a double click) books once.
	page = openBooking(an, "afval-milieu")
	form = bookingValues(t, page, "afval-milieu", slots(t, page)[0])
	status, _, first := an.send("/afspraak-maken", form)
	require.Equal(t, http.StatusOK, status)
	status, _, second := an.send("/afspraak-maken", form)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, first, second)
}

func TestAppointmentValidationCSRFAndLimits(t *testing.T) {
	_, c := newApptClient(t, io.Discard)
	c.signIn("an")
	page := openBooking(c, "identiteitskaart")
	slot := slots(t, page)[0]

	form := bookingValues(t, page, "identiteitskaart", "")
	form.Set("given_name", " ")
	form.Set("email", "an@")
	form.Set("phone", "bel me")
	status, body := c.post("/afspraak-maken", form)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "Kies een vrij tijdstip.")
	assert.Contains(t, body, `aria-describedby="start-error"`)
	assert.Contains(t, body, "Vul uw voornaam in.")
	assert.Contains(t, body, `aria-invalid="true" aria-describedby="given_name-error"`)
	assert.Contains(t, body, "Vul een geldig e-mailadres in")
	assert.Contains(t, body, `value="an@"`, "what was typed is kept")
	assert.Contains(t, body, "Vul een geldig telefoonnummer in")
	assert.Contains(t, body, `value="bel me"`)

	form = bookingValues(t, page, "identiteitskaart", slot)
	form.Set("email", "")
	form.Set("phone", "")
	status, body = c.post("/afspraak-maken", form)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "Geef een e-mailadres of een telefoonnummer op")
	assert.Contains(t, body, `value="`+slot+`" checked`, "the chosen slot stays chosen")

	form = bookingValues(t, page, "paspoort", slot)
	status, body = c.post("/afspraak-maken", form)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "Kies een dienst.")

	// A moment that is not a slot (a field changed by hand).
	form = bookingValues(t, page, "identiteitskaart", time.Now().Add(-time.Hour).UTC().Format(time.RFC3339))
	status, body = c.post("/afspraak-maken", form)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "Dit tijdstip kan niet (meer) geboekt worden. Kies een ander vrij tijdstip.")

	status, _ = c.post("/afspraak-maken", url.Values{"csrf": {"vervalst"}, "service": {"identiteitskaart"}, "start": {slot},
		"given_name": {"An"}, "family_name": {"Peeters"}, "email": {"an.peeters@example.be"}})
	assert.Equal(t, http.StatusForbidden, status)
	_, list := c.get("/mijn-dossiers")
	assert.Len(t, bookingLinkRE.FindAllString(list, -1), 1, "only the seeded booking exists")

	// An has the seeded identity card booking; a second one is allowed, a third not.
	free := slots(t, page)
	status, _ = c.post("/afspraak-maken", bookingValues(t, page, "identiteitskaart", free[0]))
	require.Equal(t, http.StatusOK, status)
	page = openBooking(c, "identiteitskaart")
	status, body = c.post("/afspraak-maken", bookingValues(t, page, "identiteitskaart", slots(t, page)[0]))
	assert.Equal(t, http.StatusConflict, status)
	assert.Contains(t, body, "U hebt al 2 geplande afspraken voor Identiteitskaart.")

	// Forged moves and cancellations.
	link := bookingLinkRE.FindStringSubmatch(list)[1]
	status, _ = c.post(link+"/annuleren", url.Values{"csrf": {"vervalst"}})
	assert.Equal(t, http.StatusForbidden, status)
	status, body = c.post(link+"/verplaatsen", url.Values{"csrf": {csrf(t, page)}, "start": {"gisteren"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "Kies een vrij tijdstip.")
}

func TestAppointmentOfSomeoneElseIsNotFound(t *testing.T) {
	_, an := newApptClient(t, io.Discard)
	list := an.signIn("an")
	m := bookingLinkRE.FindStringSubmatch(list)
	require.NotNil(t, m, "An has a seeded booking")
	link := m[1]
	status, page := an.get(link)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Identiteitskaart")

	mo := an.another()
	body := mo.signIn("mohamed")
	for _, p := range []string{link, link + "/afspraak.ics", link + "/verplaatsen", "/afspraken/geen-id", "/afspraken/00000000-0000-7000-8000-000000000000"} {
		status, page := mo.get(p)
		assert.Equal(t, http.StatusNotFound, status, p)
		assert.NotContains(t, page, "Identiteitskaart", p)
	}
	status, _ = mo.post(link+"/annuleren", url.Values{"bevestigd": {"ja"}, "csrf": {csrf(t, body)}})
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = mo.post(link+"/verplaatsen", url.Values{"csrf": {csrf(t, body)}, "start": {time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)}})
	assert.Equal(t, http.StatusNotFound, status)

	_, page = an.get(link)
	assert.Contains(t, page, "Bevestigd", "An's booking is untouched")

	clerk := an.another()
	clerk.signIn("balie")
	status, _ = clerk.get(link)
	assert.Equal(t, http.StatusNotFound, status, "the clerk has no citizen pages")
	status, _ = clerk.get("/afspraak-maken")
	assert.Equal(t, http.StatusNotFound, status)
}

func TestClerkAppointmentDayOverview(t *testing.T) {
	a, c := newApptClient(t, io.Discard)
	now := time.Now()
	bs, err := a.scheduler.Agenda(context.Background(), demo.LocationID, now, now.AddDate(0, 1, 0))
	require.NoError(t, err)
	require.NotEmpty(t, bs)
	var anBooking = bs[0]
	for _, b := range bs {
		if b.Citizen.INSZ == "85073003328" {
			anBooking = b
		}
	}
	require.Equal(t, "85073003328", string(anBooking.Citizen.INSZ), "An's seeded booking")

	c.signIn("balie")
	status, page := c.get("/balie/afspraken?dag=" + calendar.DateIn(anBooking.Start).String())
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "<h1>Afspraken (balie)</h1>")
	assert.Contains(t, page, "<h3>Identiteitskaart</h3>")
	assert.Contains(t, page, string(anBooking.Reference))
	assert.Contains(t, page, "An Peeters")
	assert.Contains(t, page, anBooking.Start.In(clock.Brussels).Format("15:04"))
	sunday := calendar.DateIn(time.Now())
	for sunday.Weekday() != time.Sunday {
		sunday = sunday.AddDays(1)
	}
	_, page = c.get("/balie/afspraken?dag=" + sunday.String())
	assert.Contains(t, page, "gesloten (geen openingsuren op zondag)")
	status, page = c.get("/balie/afspraken?dag=geen-datum")
	assert.Equal(t, http.StatusOK, status, "an invalid day shows today")
	assert.Contains(t, page, dutchDay(calendar.DateIn(time.Now())))

	citizen := c.another()
	citizen.signIn("an")
	status, _ = citizen.get("/balie/afspraken")
	assert.Equal(t, http.StatusNotFound, status)
}

var (
	weekdaysNL = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
	monthsNL   = [...]string{"", "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
)

// dutchDay writes a date as the pages do: "dinsdag 3 maart 2026".
func dutchDay(d calendar.Date) string {
	return fmt.Sprintf("%s %d %s %d", weekdaysNL[d.Weekday()], d.Day, monthsNL[d.Month], d.Year)
}

// dutchMoment writes an instant in Brussels: "dinsdag 3 maart 2026 om 10:15".
func dutchMoment(t time.Time) string {
	return dutchDay(calendar.DateIn(t)) + " om " + t.In(clock.Brussels).Format("15:04")
}
