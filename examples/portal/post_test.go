package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/post"
)

var (
	anParty = delivery.Party{Kind: delivery.Person, ID: "85073003328"}
	moParty = delivery.Party{Kind: delivery.Person, ID: "17073003384"}
)

// openCase returns the person's first case in status.
func openCase(t *testing.T, a *app, insz, status string) *casefile.Case {
	t.Helper()
	for c, err := range a.cases.All(context.Background(), casefile.Query{RequesterID: insz}) {
		require.NoError(t, err)
		if c.Status == status {
			return c
		}
	}
	t.Fatalf("no case in status %s", status)
	return nil
}

// queueRow returns the clerk queue's table row of the document with subject.
func queueRow(t *testing.T, page, subject string) string {
	t.Helper()
	m := regexp.MustCompile(`<tr><td>[^<]*</td><td>[^<]*</td><td>` + regexp.QuoteMeta(subject) + `</td>.*?</tr>`).FindString(page)
	require.NotEmpty(t, m, "the queue lists %q", subject)
	return m
}

func TestCaseTransitionIsDeliveredToTheRequester(t *testing.T) {
	var logs bytes.Buffer
	a, c := newApptClient(t, &logs)
	ctx := context.Background()
	cs := openCase(t, a, "85073003328", "reported")
	cs, err := a.cases.Transition(ctx, casefile.TransitionRequest{CaseID: cs.ID, Version: cs.Version, Transition: "accept", Actor: casefile.Actor{ID: "balie", Role: casefile.RoleClerk}})
	require.NoError(t, err)
	_, err = a.cases.Transition(ctx, casefile.TransitionRequest{CaseID: cs.ID, Version: cs.Version, Transition: "resolve", Result: "repaired",
		Actor: casefile.Actor{ID: "demo-behandelaar", Role: casefile.RoleHandler}})
	require.NoError(t, err)
	require.NoError(t, a.be.Settle(ctx))

	accepted := "Uw melding " + cs.Reference + " is in behandeling"
	resolved := "Uw melding " + cs.Reference + " is afgehandeld"
	list := c.signIn("an")
	assert.Contains(t, list, accepted)
	assert.Contains(t, list, resolved)
	assert.Contains(t, list, "Klaar om te verzenden via Mijn Burgerprofiel", "An reads her post in Mijn Burgerprofiel")

	clerk := c.another()
	clerk.signIn("balie")
	status, queue := clerk.get("/balie/post")
	require.Equal(t, http.StatusOK, status)
	row := queueRow(t, queue, resolved)
	assert.Contains(t, row, "An Peeters")
	assert.Contains(t, row, "Te verzenden")
	assert.Contains(t, row, cs.Reference)

	status, queue = clerk.post("/balie/post/verzendronde", url.Values{"csrf": {csrf(t, queue)}})
	require.Equal(t, http.StatusOK, status)
	assert.Regexp(t, `Verzendronde uitgevoerd: \d+ zending\(en\) verwerkt.`, queue)
	row = queueRow(t, queue, resolved)
	assert.Contains(t, row, "Afgeleverd via Mijn Burgerprofiel")
	assert.Contains(t, row, "Afgerond")

	// An opens the letter in the portal: that is the read signal.
	_, list = c.get("/mijn-dossiers")
	doc := regexp.MustCompile(`href="(/mijn-post/[0-9a-f-]{36})">` + resolved + `</a>`).FindStringSubmatch(list)
	require.NotNil(t, doc)
	status, letter := c.get(doc[1])
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, letter, "<h1>"+resolved+"</h1>")
	assert.Contains(t, letter, "Uw melding "+cs.Reference+" heeft een nieuwe status: Afgehandeld.")
	assert.Contains(t, letter, "Gelezen via Mijn Burgerprofiel")
	_, queue = clerk.get("/balie/post")
	assert.Contains(t, queueRow(t, queue, resolved), "Gelezen via Mijn Burgerprofiel")

	// The letter is An's: Mohamed does not find it.
	mo := c.another()
	mo.signIn("mohamed")
	status, page := mo.get(doc[1])
	assert.Equal(t, http.StatusNotFound, status)
	assert.NotContains(t, page, resolved)
	status, _ = mo.get(doc[1] + "/bijlagen/1")
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = mo.get("/balie/post")
	assert.Equal(t, http.StatusNotFound, status, "the queue is for clerks")
	status, _ = clerk.post("/balie/post/verzendronde", url.Values{"csrf": {"vervalst"}})
	assert.Equal(t, http.StatusForbidden, status)

	assert.NotContains(t, logs.String(), "Peeters", "no personal data in the log")
	assert.NotContains(t, logs.String(), "85073003328")
}

func TestCaseNoticeIsDeliveredOnce(t *testing.T) {
	a := newTestApp(t, io.Discard)
	ctx := context.Background()
	e := event.Event{ID: uuid.New(), Type: casefile.EventRequesterNotice, AggregateID: uuid.New(), Payload: casefile.RequesterNotice{
		Reference: "2026-000999", Reason: casefile.EntryTransitioned, Status: "resolved", StatusLabel: casefile.Label{NL: "Afgehandeld"},
		Requester: casefile.Requester{Kind: casefile.PartyPerson, ID: moParty.ID, Email: "mohamed@example.be"},
	}}
	for range 3 { // events arrive at least once
		require.NoError(t, a.be.Sink().Publish(ctx, e))
	}
	require.NoError(t, a.be.Settle(ctx))
	page, err := a.delivery.Documents(ctx, delivery.Query{Parties: []delivery.Party{moParty}, Limit: 100})
	require.NoError(t, err)
	n := 0
	for _, d := range page.Deliveries {
		if d.ID == e.ID {
			n++
			assert.Equal(t, "2026-000999", d.Document.Metadata["reference"], "the dossier it is about")
			assert.Equal(t, "/mijn-dossiers/"+e.AggregateID.String(), d.Document.Metadata["link"])
		}
	}
	assert.Equal(t, 1, n)
	d, err := a.delivery.Delivery(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, "Uw melding 2026-000999 is afgehandeld", d.Document.Subject)
	assert.Equal(t, delivery.ChannelPaper, d.Decision.Channel, "Mohamed chose paper")

	// An anonymous requester (no national register number) is not a party.
	e.ID = uuid.New()
	e.Payload = casefile.RequesterNotice{Reference: "2026-000998", Status: "resolved", Requester: casefile.Requester{Email: "x@example.be"}}
	require.NoError(t, a.be.Sink().Publish(ctx, e))
	require.NoError(t, a.be.Settle(ctx))
	_, err = a.delivery.Delivery(ctx, e.ID)
	assert.ErrorIs(t, err, delivery.ErrNotFound)
}

func TestBouncedEmailFallsBackToPaper(t *testing.T) {
	a, c := newApptClient(t, io.Discard)
	ctx := context.Background()
	c.signIn("mohamed")
	_, page := c.get("/mijn-post")
	status, _ := c.post("/mijn-post/voorkeur", url.Values{"csrf": {csrf(t, page)}, "channel": {"email"}, "email": {"mohamed@bounce.invalid"}, "consent": {"ja"}})
	require.Equal(t, http.StatusOK, status)

	cs := openCase(t, a, moParty.ID, "in_progress")
	_, err := a.cases.Transition(ctx, casefile.TransitionRequest{CaseID: cs.ID, Version: cs.Version, Transition: "ask_citizen", Actor: casefile.Actor{ID: "balie", Role: casefile.RoleClerk}})
	require.NoError(t, err)
	require.NoError(t, a.be.Settle(ctx))
	subject := "We hebben een vraag over uw melding " + cs.Reference

	clerk := c.another()
	clerk.signIn("balie")
	_, queue := clerk.get("/balie/post")
	assert.Contains(t, queueRow(t, queue, subject), "Klaar om te verzenden per e-mail")
	_, queue = clerk.post("/balie/post/verzendronde", url.Values{"csrf": {csrf(t, queue)}})
	row := queueRow(t, queue, subject)
	assert.Contains(t, row, "Klaar om te verzenden per post – teruggevallen op papier na e-mail")
	assert.Contains(t, row, "mailbox does not exist")
	_, queue = clerk.post("/balie/post/verzendronde", url.Values{"csrf": {csrf(t, queue)}})
	row = queueRow(t, queue, subject)
	assert.Contains(t, row, "Verzonden per post – teruggevallen op papier na e-mail")
	assert.Contains(t, row, "(teruggevallen)")
	_, filtered := clerk.get("/balie/post?toestand=teruggevallen")
	assert.Contains(t, filtered, subject)
	assert.NotContains(t, filtered, "An Peeters", "An's post did not fall back")

	_, post := c.get("/mijn-post")
	assert.Contains(t, post, subject)
	assert.Contains(t, post, "Verzonden per post – teruggevallen op papier na e-mail")
}

func TestPostPreferenceChangeWithHistory(t *testing.T) {
	a, c := newApptClient(t, io.Discard)
	ctx := context.Background()
	c.signIn("an")
	status, page := c.get("/mijn-post")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "<h2>Hoe wil ik mijn post ontvangen?</h2>")
	assert.Regexp(t, `id="channel-burgerprofiel" name="channel" value="burgerprofiel"[^>]* checked`, page, "pre-filled with the current preference")
	assert.Regexp(t, `id="consent" name="consent" value="ja" checked`, page)
	assert.Contains(t, page, `value="an.peeters@example.be"`)
	assert.Contains(t, page, "Kerkstraat 12, 9999 DEMOGEM")
	assert.Contains(t, page, "<td>1</td>", "the seeded version is in the history")

	// Errors: e-mail chosen without an address and without consent.
	status, page = c.post("/mijn-post/voorkeur", url.Values{"csrf": {csrf(t, page)}, "channel": {"email"}, "email": {""}, "override_afspraak": {"paper"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "Vul uw e-mailadres in om uw post per e-mail te ontvangen.")
	assert.Contains(t, page, `aria-invalid="true" aria-describedby="email-error"`)
	assert.Contains(t, page, "Geef uw toestemming om uw post digitaal te ontvangen, of kies voor papier.")
	assert.Contains(t, page, `aria-describedby="consent-error"`)
	assert.Regexp(t, `id="channel-email" name="channel" value="email"[^>]* checked`, page, "the choice is kept")
	assert.Contains(t, page, `<option value="paper" selected>`)

	status, page = c.post("/mijn-post/voorkeur", url.Values{"csrf": {csrf(t, page)}, "channel": {"fax"}, "email": {"an@"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "Kies hoe u uw post wilt ontvangen.")
	assert.Contains(t, page, "Vul een geldig e-mailadres in")
	assert.Contains(t, page, `value="an@"`)

	status, _ = c.post("/mijn-post/voorkeur", url.Values{"csrf": {"vervalst"}, "channel": {"paper"}})
	assert.Equal(t, http.StatusForbidden, status)
	hist, err := a.delivery.PreferenceHistory(ctx, anParty)
	require.NoError(t, err)
	require.Len(t, hist, 1, "refused forms change nothing")

	status, page = c.post("/mijn-post/voorkeur", url.Values{"csrf": {csrf(t, page)}, "channel": {"email"}, "email": {"an@example.be"},
		"consent": {"ja"}, "override_afspraak": {"paper"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Uw voorkeur is bewaard: u ontvangt uw post per e-mail.")
	assert.Regexp(t, `id="channel-email" name="channel" value="email"[^>]* checked`, page)
	assert.Contains(t, page, `value="an@example.be"`)
	assert.Contains(t, page, "<td>2</td><td>")
	assert.Contains(t, page, "digitaal loket")
	assert.Contains(t, page, "Bevestigingen van afspraken: papier")
	assert.Contains(t, page, "Mijn Burgerprofiel: ingetrokken; e-mail: gegeven")

	pref, err := a.delivery.Preference(ctx, anParty)
	require.NoError(t, err)
	assert.Equal(t, 2, pref.Version)
	assert.Equal(t, delivery.ChannelEmail, pref.Preferred)
	assert.Equal(t, delivery.ChannelPaper, pref.ChannelFor(post.CategoryAppointment))
	consent, ok := pref.ConsentFor(delivery.ChannelEmail)
	assert.True(t, ok && consent.Given && consent.Source == "digitaal loket")
	consent, _ = pref.ConsentFor(delivery.ChannelBurgerprofiel)
	assert.False(t, consent.Given, "consent follows the choice")

	// Paper needs no consent.
	status, page = c.post("/mijn-post/voorkeur", url.Values{"csrf": {csrf(t, page)}, "channel": {"paper"}, "email": {"an@example.be"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "u ontvangt uw post per post.")
	hist, err = a.delivery.PreferenceHistory(ctx, anParty)
	require.NoError(t, err)
	assert.Len(t, hist, 3)
}

func TestPostPreferenceForTheEnterprise(t *testing.T) {
	a, c := newApptClient(t, io.Discard)
	c.signInFor("lotte", cafeKBO)
	status, page := c.get("/mijn-post?voor=onderneming")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "Post voor Café De Hoek")
	assert.NotContains(t, page, `value="burgerprofiel"`, "Mijn Burgerprofiel is for persons")
	status, page = c.post("/mijn-post/voorkeur", url.Values{"csrf": {csrf(t, page)}, "for": {"onderneming"}, "channel": {"burgerprofiel"}, "consent": {"ja"}})
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, page, "Kies hoe u uw post wilt ontvangen.")
	status, page = c.post("/mijn-post/voorkeur", url.Values{"csrf": {csrf(t, page)}, "for": {"onderneming"}, "channel": {"ebox"}, "consent": {"ja"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "u ontvangt uw post via eBox")
	pref, err := a.delivery.Preference(context.Background(), delivery.Party{Kind: delivery.Enterprise, ID: "0202239951"})
	require.NoError(t, err)
	assert.Equal(t, delivery.ChannelEBox, pref.Preferred)

	mo := c.another()
	mo.signIn("mohamed")
	status, _ = mo.get("/mijn-post?voor=onderneming")
	assert.Equal(t, http.StatusNotFound, status, "Mohamed acts for no enterprise")
}
