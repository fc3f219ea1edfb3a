package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPhoneLayout looks at the pages a citizen uses most on a phone of
// 390 × 844 CSS pixels: Mijn dossiers shows every dossier as a card whose
// status and date are on screen without scrolling sideways; the slot
// picker groups the free slots of a day by day part, with targets of at
// least 44 × 44 px; a form with errors starts with the error summary,
// whose links lead to the fields.
func TestPhoneLayout(t *testing.T) {
	needChrome(t)
	dir := artifactsDir(t)
	a := newTestApp(t, &lockedBuffer{})
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	an := openTab(t, srv.URL, "telefoon", dir)
	require.Equal(t, http.StatusOK, an.visit("/"))
	require.Equal(t, http.StatusOK, an.signIn("an"))

	// Mijn dossiers: cards, with what needs An first.
	require.Equal(t, http.StatusOK, an.visit("/mijn-dossiers"))
	an.phone()
	scroll, viewport, wide := an.overflow()
	assert.LessOrEqual(t, scroll, viewport, "Mijn dossiers scrolls sideways on a phone: %v", wide)
	cells := runStep(an, "measure the status cells", chromedp.Evaluate[[][4]float64](`Array.from(document.querySelectorAll("table.dossiers td.status"), td => {
	  const r = td.getBoundingClientRect(); return [r.left, r.right, r.width, document.documentElement.clientWidth]; })`))
	require.NotEmpty(t, cells)
	for i, c := range cells {
		assert.True(t, c[0] >= 0 && c[1] <= c[3]+0.5 && c[2] > 0, "status cell %d is on screen: left %.0f, right %.0f of %.0f px", i, c[0], c[1], c[3])
	}
	assert.Equal(t, "Te doen", an.text("#te-doen"), "what needs the person comes first")
	assert.Equal(t, "block", runStep(an, "row display", chromedp.Evaluate[string](`getComputedStyle(document.querySelector("table.dossiers tr")).display`)), "a row is a card")
	an.screenshot("mijn-dossiers-telefoon")
	an.desktop()

	// The slot picker.
	require.Equal(t, http.StatusOK, an.visit("/afspraak-maken?dienst=reispas"))
	an.phone()
	scroll, viewport, wide = an.overflow()
	assert.LessOrEqual(t, scroll, viewport, "the slot picker scrolls sideways on a phone: %v", wide)
	targets := runStep(an, "measure the slots", chromedp.Evaluate[[][2]float64](`Array.from(document.querySelectorAll(".slots details[open] label.slot"), l => {
	  const r = l.getBoundingClientRect(); return [r.width, r.height]; })`))
	require.NotEmpty(t, targets, "the first day is open")
	for i, s := range targets {
		assert.True(t, s[0] >= 44 && s[1] >= 44, "slot %d is %.0f × %.0f px", i, s[0], s[1])
	}
	parts := an.texts(".slots details[open] legend")
	assert.Subset(t, []string{"voormiddag", "namiddag", "avond"}, parts)
	days := an.count(".slots details.day")
	assert.Greater(t, days, 1)
	assert.Equal(t, 1, an.count(".slots details.day[open]"), "one day open at a time")
	height := runStep(an, "page height", chromedp.Evaluate[int](`document.documentElement.scrollHeight`))
	t.Logf("slot picker on a phone: %d days, %d slots on the open day, page %d px tall", days, len(targets), height)
	an.screenshot("afspraak-telefoon")

	// A slot on another day: open the day, choose a time.
	an.click(".slots details.day:nth-of-type(2) > summary")
	second := runStep(an, "second day's first slot", chromedp.Evaluate[string](`document.querySelector(".slots details.day:nth-of-type(2) label.slot").getAttribute("for")`))
	an.click(fmt.Sprintf(`label[for=%q]`, second))
	assert.True(t, runStep(an, "checked", chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById(%q).checked`, second))))
	an.desktop()

	// A form with errors, on the phone: the summary first, its links to the fields.
	require.Equal(t, http.StatusOK, an.visit("/vergunningen/aanvragen"))
	an.phone()
	an.fill("description", "")
	require.Equal(t, http.StatusUnprocessableEntity, an.submit(`form[action="/vergunningen/aanvragen"]`))
	title := runStep(an, "title", chromedp.Evaluate[string](`document.title`))
	assert.Regexp(t, `^Fout: `, title)
	assert.Equal(t, "alert", an.attr("fouten", "role"))
	top := runStep(an, "summary position", chromedp.Evaluate[[2]float64](`[document.getElementById("fouten").getBoundingClientRect().top, document.querySelector("h1").getBoundingClientRect().top]`))
	assert.Less(t, top[0], top[1], "the summary is above the heading")
	an.screenshot("formulier-fout-telefoon")
	link := runStep(an, "first summary link", chromedp.Evaluate[string](`document.querySelector("#fouten a").getAttribute("href")`))
	require.NotEmpty(t, link)
	an.click("#fouten a")
	focused := runStep(an, "focused", chromedp.Evaluate[string](`location.hash + " " + (document.activeElement.id || document.activeElement.tagName)`))
	assert.Contains(t, focused, link, "the link leads to the field")
	an.desktop()
}
