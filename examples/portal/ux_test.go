package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/permit"
)

// summaryLinkRE finds the links of the error summary.
var summaryLinkRE = regexp.MustCompile(`<li><a href="#([^"]+)">([^<]+)</a></li>`)

// assertErrorSummary checks the error summary of a form page: at the top
// of the content, role="alert", the title prefixed "Fout: ", and every link
// leading to an element of the page.
func assertErrorSummary(t *testing.T, page string, wantLinks ...string) {
	t.Helper()
	assert.Regexp(t, `<title>Fout: `, page)
	i := strings.Index(page, `class="error-summary" role="alert"`)
	require.GreaterOrEqual(t, i, 0, "the page has an error summary")
	assert.Less(t, i, strings.Index(page, "<h1"), "the summary comes before the heading")
	summary := page[i : i+strings.Index(page[i:], "</div>")]
	var links []string
	for _, m := range summaryLinkRE.FindAllStringSubmatch(summary, -1) {
		links = append(links, m[1])
		assert.Contains(t, page, `id="`+m[1]+`"`, "the summary's link #%s leads to a field", m[1])
	}
	for _, want := range wantLinks {
		assert.Contains(t, links, want)
	}
}

// englishRE finds the words of the SDK's English messages.
var englishRE = regexp.MustCompile(`(?i)\b(must|characters|required|invalid|should|the field|is not|at most)\b`)

func clerkPermitReadyToDecide(t *testing.T) (an, clerk *client, path, token string) {
	t.Helper()
	an, a := newAppClient(t, io.Discard)
	an.signIn("an")
	_, form := an.get("/vergunningen/aanvragen")
	link, preview := an.apply(applyForm(csrf(t, form), startFor(t, a, "container")))
	status, _ := an.post(link+"/indienen", url.Values{"csrf": {csrf(t, preview)}})
	require.Equal(t, http.StatusOK, status)
	clerk = an.other("balie")
	path = "/balie" + link
	_, page := clerk.get(path)
	token = csrf(t, page)
	status, _ = clerk.post(path, url.Values{"csrf": {token}, "action": {"complete"}})
	require.Equal(t, http.StatusOK, status)
	return an, clerk, path, token
}

// The clerks saw the validator's English on the decision page; now every
// message is Dutch, names the field and its limit, and the summary links
// to the field.
func TestClerkDecisionErrorsAreDutchWithASummary(t *testing.T) {
	_, clerk, path, token := clerkPermitReadyToDecide(t)
	long := strings.Repeat("x", 70_000) // more than the 64 KiB a text may hold
	status, page := clerk.post(path, url.Values{"csrf": {token}, "action": {"grant"}, "bevestigd": {"ja"},
		"conditions": {"Afdekken met een net\n" + long}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	assertErrorSummary(t, page, "conditions")
	summary := page[strings.Index(page, "error-summary"):]
	summary = summary[:strings.Index(summary, "</div>")]
	assert.Contains(t, summary, "Voorwaarde (nr. 2)", "which field")
	assert.Regexp(t, `65\.?536|64 KiB|64 kB`, summary, "what limit")
	assert.NotRegexp(t, englishRE, summary)
	assert.NotContains(t, page, "conditions[1]")
	assert.True(t, strings.Contains(page, `aria-describedby="conditions-error"`), "the message is beside the field too")
}

// Every irreversible step asks first: a POST without bevestigd=ja shows
// the question and does nothing; the confirmation page's form does it.
func TestIrreversibleStepsAskForConfirmation(t *testing.T) {
	_, clerk, path, token := clerkPermitReadyToDecide(t)

	status, page := clerk.post(path, url.Values{"csrf": {token}, "action": {"grant"}, "conditions": {"Afdekken met een net"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "<h1>Vergunning verlenen?</h1>")
	assert.Contains(t, page, `name="conditions" value="Afdekken met een net"`, "the same form is sent again")
	assert.Contains(t, page, `name="bevestigd" value="ja"`)
	assert.Contains(t, page, `href="`+path+`">Nee, terug</a>`)
	_, detail := clerk.get(path)
	assert.Contains(t, detail, `<span id="stage">Klaar voor beslissing</span>`, "nothing was decided")

	// The confirmation page's form, as a browser sends it.
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(page, -1) {
		form.Add(m[1], m[2])
	}
	status, detail = clerk.post(path, form)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, detail, "De vergunning is verleend.")
	assert.Contains(t, detail, "Afdekken met een net")

}

func TestWithdrawAsksForConfirmation(t *testing.T) {
	an, a := newAppClient(t, io.Discard)
	an.signIn("an")
	_, form := an.get("/vergunningen/aanvragen")
	link, preview := an.apply(applyForm(csrf(t, form), startFor(t, a, "container")))
	status, page := an.post(link+"/intrekken", url.Values{"csrf": {csrf(t, preview)}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "<h1>Aanvraag intrekken?</h1>")
	id := strings.TrimPrefix(link, "/vergunningen/")
	ap, err := a.permits.Get(t.Context(), uuid.MustParse(id))
	require.NoError(t, err)
	assert.Equal(t, permit.StatusDraft, ap.Status, "not withdrawn without confirmation")
	status, page = an.post(link+"/intrekken", url.Values{"csrf": {csrf(t, page)}, "bevestigd": {"ja"}})
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "is ingetrokken")
}

// uniqueMatches is every match of re in page, once: "Mijn dossiers" links
// a dossier that needs the person both under "Te doen" and in its section.
func uniqueMatches(re *regexp.Regexp, page string) []string {
	var out []string
	for _, m := range re.FindAllString(page, -1) {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// uniqueSubmatches is uniqueMatches with the submatches.
func uniqueSubmatches(re *regexp.Regexp, page string) [][]string {
	var out [][]string
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		if !slices.ContainsFunc(out, func(o []string) bool { return o[0] == m[0] }) {
			out = append(out, m)
		}
	}
	return out
}

// Each form page lists its errors at the top, whether its page data keeps
// them as frontoffice.FormErrors or by field (frontoffice.FormErrorsOf):
// the layout finds them only through the page's FormErrors method. Every
// link of the summary leads to an element of the form (the report's place
// fields and the appointment's slots did not).
func TestFormErrorsAreSummarisedOnEveryForm(t *testing.T) {
	t.Run("report", func(t *testing.T) {
		c := newClient(t, io.Discard)
		c.signIn("mohamed")
		_, form := c.get("/melding-maken")
		status, page := c.post("/melding-maken", url.Values{"csrf": {csrf(t, form)}, "description": {"Kapotte bank in het park"},
			"street": {"Parklaan"}, "number": {"7"}, "postal_code": {"12"}, "municipality": {"Demogem"}})
		require.Equal(t, http.StatusUnprocessableEntity, status)
		assertErrorSummary(t, page, "category", "postal_code", "street")
	})
	t.Run("question", func(t *testing.T) {
		c := newClient(t, io.Discard)
		c.signIn("an")
		_, form := c.get("/vraag-stellen")
		status, page := c.post("/vraag-stellen", url.Values{"csrf": {csrf(t, form)}, "for": {"self"}, "category": {""}, "question": {"  "}})
		require.Equal(t, http.StatusUnprocessableEntity, status)
		assertErrorSummary(t, page, "category", "question")
	})
	t.Run("post preference", func(t *testing.T) {
		c := newClient(t, io.Discard)
		c.signIn("an")
		_, form := c.get("/mijn-post")
		status, page := c.post("/mijn-post/voorkeur", url.Values{"csrf": {csrf(t, form)}, "channel": {"email"}, "email": {""}})
		require.Equal(t, http.StatusUnprocessableEntity, status)
		assertErrorSummary(t, page, "email")
	})
	t.Run("appointment", func(t *testing.T) {
		_, c := newApptClient(t, io.Discard)
		c.signIn("an")
		form := bookingValues(t, openBooking(c, "identiteitskaart"), "identiteitskaart", "")
		form.Set("email", "an@")
		status, page := c.post("/afspraak-maken", form)
		require.Equal(t, http.StatusUnprocessableEntity, status)
		assertErrorSummary(t, page, "email", "start")
	})
	t.Run("permit", func(t *testing.T) {
		c, a := newAppClient(t, io.Discard)
		c.signIn("an")
		_, form := c.get("/vergunningen/aanvragen")
		f := applyForm(csrf(t, form), startFor(t, a, "container"))
		f.Set("postal_code", "12")
		status, page := c.post("/vergunningen/aanvragen", f)
		require.Equal(t, http.StatusUnprocessableEntity, status)
		assertErrorSummary(t, page, "postal_code")
	})
}
