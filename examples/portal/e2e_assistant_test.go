package main

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBrowserAssistant runs the assistant's flow in a real browser, with
// its script: answers come in the panel under the page, without leaving
// it.
//
//	go test ./examples/portal -run TestBrowserAssistant -v
func TestBrowserAssistant(t *testing.T) {
	needChrome(t)
	dir := artifactsDir(t)
	logs := &lockedBuffer{}
	a := newTestApp(t, logs)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("portal log:\n%s", logs.String())
		}
	})
	assistantFlow(t, openTab(t, srv.URL, "assistent", dir))
	assert.NotContains(t, logs.String(), "Peeters", "no personal data in the portal's log")
}

// askInPanel types a question in the assistant's form under the page and
// waits for the n-th reply (from 1) in its panel; it returns that reply's
// text.
func (tb *tab) askInPanel(question string, n int) string {
	tb.t.Helper()
	tb.fill("assistent-vraag", question)
	tb.click(`form[data-assistent="assistent-antwoord"] button[type="submit"]`)
	return tb.waitReply(n)
}

// waitReply waits until the assistant's panel shows n replies, and returns
// the text of the last.
func (tb *tab) waitReply(n int) string {
	tb.t.Helper()
	sel := `#assistent-antwoord .antwoord:nth-of-type(` + strconv.Itoa(2*n) + `)`
	tb.do("wait for reply "+strconv.Itoa(n), chromedp.WaitVisible(chromedp.CSS(sel)))
	return tb.text(sel)
}

var refInReplyRE = regexp.MustCompile(`referentie ([0-9A-Za-z-]+)\)`)

// assistantFlow: an anonymous visitor's question is answered in the panel
// with its link; An, signed in, sees where her dossiers stand; her
// question the catalogue cannot answer goes, at her request, to the
// clerk's worklist.
func assistantFlow(t *testing.T, an *tab) {
	require.Equal(t, http.StatusOK, an.visit("/"))
	reply := an.askInPanel("wat kost een reispas", 1)
	assert.Contains(t, reply, "Reispas")
	assert.Contains(t, reply, "€")
	assert.Equal(t, "/", an.path(), "the script answers without leaving the page")
	assert.Equal(t, "https://www.demogem.be/reispas", firstHref(an, `#assistent-antwoord a.bron`), "the answer links to its catalogue entry")
	assert.Equal(t, "polite", an.attr("assistent-antwoord", "aria-live"))
	assert.Empty(t, an.value("assistent-vraag"), "the field is emptied for the next question")
	an.checkPage()
	an.screenshot("antwoord")
	an.onPhone("antwoord")

	// Signed in: where An's dossiers stand, with a link to each.
	require.Equal(t, http.StatusOK, an.signIn("an"))
	reply = an.askInPanel("waar staat mijn dossier?", 1)
	assert.Contains(t, reply, "Dit zijn je dossiers")
	assert.GreaterOrEqual(t, an.count(`#assistent-antwoord ul.dossiers li`), 3, "An's demo dossiers")
	assert.Positive(t, an.count(`#assistent-antwoord ul.dossiers li a[href^="/mijn-dossiers/"]`), "each with its page")
	an.screenshot("dossiers")

	// Out of scope: refused, and a person offered; one click hands over.
	reply = an.askInPanel("wie wint de tour de france dit jaar", 2)
	assert.Contains(t, reply, "Daar kan ik je niet mee helpen")
	an.click(`#assistent-antwoord form[action="/assistent/medewerker"] button`)
	reply = an.waitReply(3)
	m := refInReplyRE.FindStringSubmatch(reply)
	require.NotNil(t, m, "the handover names its reference: %q", reply)
	ref := m[1]
	an.checkPage()
	an.screenshot("overdracht")
	an.signOut()

	// The clerk finds it in the worklist.
	clerk := an
	require.Equal(t, http.StatusOK, clerk.signIn("balie"))
	require.Equal(t, http.StatusOK, clerk.follow(`main a[href="/balie/meldingen"]`))
	row := clerk.row(ref)
	require.NotNil(t, row, "the handed-over question is in the clerk's worklist")
	assert.Contains(t, row[1], "vraag", "as a question to the municipality")
	clerk.screenshot("balie")
}

// firstHref returns the href of the first element sel finds.
func firstHref(tb *tab, sel string) string {
	tb.t.Helper()
	return runStep(tb, "read href of "+sel, chromedp.Evaluate[string](`(document.querySelector(`+"`"+sel+"`"+`) || {}).href || ""`))
}
