package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
)

// tileServer serves one grey map tile for every tile URL, so the map works
// in the test without the network.
func tileServer(t *testing.T) *httptest.Server {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for y := range 256 {
		for x := range 256 {
			img.Set(x, y, color.RGBA{220, 225, 215, 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(buf.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestBrowserMeldingen runs the loop of issue 19 in a browser: a report
// with a photo and a point picked on the map → the clerk opens it and sees
// photo, description and place → asks the reporter a question → the
// reporter answers → the clerk resolves with a written message → the
// reporter says "niet opgelost" → reopened. The stored photo carries no
// EXIF.
func TestBrowserMeldingen(t *testing.T) {
	needChrome(t)
	dir := artifactsDir(t)
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tiles := tileServer(t)
	a, err := newApp(withCaseOpts(ctx, caseOptions{TileURL: tiles.URL + "/{z}/{x}/{y}.png"}), log, demo.Town(), wiring.NewBackend(log, nil), false)
	require.NoError(t, err)
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("portal log:\n%s", logs.String())
		}
	})
	photoFile := filepath.Join(t.TempDir(), "IMG_0001.jpg")
	require.NoError(t, os.WriteFile(photoFile, exifJPEG(t), 0o600))

	tb := openTab(t, srv.URL, "meldingen", dir)
	require.Equal(t, http.StatusOK, tb.visit("/"))
	require.Equal(t, http.StatusOK, tb.signIn("an"))
	require.Equal(t, http.StatusOK, tb.follow(`nav a[href="/melding-maken"]`))
	tb.choose("category", "Sluikstort")
	tb.fill("description", "Matras en zakken naast de glasbol.")
	tb.do("attach the photo", chromedp.SetUploadFiles(`#photos`, []string{photoFile}))
	// The map: a click picks the place and writes it with a decimal comma.
	tb.do("wait for the map", chromedp.WaitVisible(`#kaart.leaflet-container`))
	tb.click(`#kaart`)
	lat, lon := tb.value("lat"), tb.value("lon")
	require.Regexp(t, `^50,8\d{4}$`, lat, "the map wrote the latitude")
	require.Regexp(t, `^3,8\d{4}$`, lon)
	assert.Equal(t, 1, tb.count(`#kaart .leaflet-marker-icon`), "a marker where the citizen clicked")
	tb.screenshot("formulier-kaart")
	require.Equal(t, http.StatusOK, tb.submit(`form[action="/melding-maken"]`))
	if tb.path() == "/melding-maken" { // "Is dit uw probleem?": no, another one
		assert.Equal(t, "Is dit uw probleem?", tb.text("#nearby-title"))
		require.Equal(t, http.StatusOK, tb.submit(`form[action="/melding-maken"]`))
	}
	dossier := tb.path()
	require.Regexp(t, dossierPathRE, dossier)
	ref, ok := strings.CutPrefix(tb.text("h1"), "Melding ")
	require.True(t, ok)
	assert.True(t, tb.imageLoaded("foto-0"), "the reporter sees the photo")
	id := strings.TrimPrefix(dossier, "/mijn-dossiers/")
	tb.signOut()

	// The clerk opens it from the list and sees photo, description and place.
	require.Equal(t, http.StatusOK, tb.signIn("balie"))
	require.Equal(t, http.StatusOK, tb.visit("/balie/meldingen"))
	require.Equal(t, http.StatusOK, tb.follow(`a[aria-label="Openen: `+ref+`"]`))
	detail := "/balie/meldingen/" + id
	require.Equal(t, detail, tb.path())
	assert.Equal(t, "Matras en zakken naast de glasbol.", tb.fact("Omschrijving"))
	assert.Contains(t, tb.fact("Plaats"), lat+" N, "+lon+" O")
	assert.True(t, tb.imageLoaded("foto-0"), "the clerk sees the photo")
	tb.do("wait for the map", chromedp.WaitVisible(`#kaart .leaflet-marker-icon`))
	tb.screenshot("balie-melding")

	// Accept, and ask the reporter a question.
	require.Equal(t, http.StatusOK, tb.submit(`form.action:has(input[value="accept"])`))
	tb.fill("ask-text", "Ligt er ook asbest bij de matras?")
	require.Equal(t, http.StatusOK, tb.submit(`form[action="`+detail+`/vraag"]`))
	assert.Equal(t, "Wacht op uw antwoord", tb.fact("Status"))
	tb.signOut()

	// The reporter answers in Mijn dossiers.
	require.Equal(t, http.StatusOK, tb.signIn("an"))
	require.Equal(t, http.StatusOK, tb.visit(dossier))
	assert.Equal(t, "Ligt er ook asbest bij de matras?", tb.text("blockquote.question"))
	tb.fill("answer", "Nee, alleen een matras en twee zakken.")
	require.Equal(t, http.StatusOK, tb.submit(`form[action="`+dossier+`/antwoord"]`))
	assert.Equal(t, "In behandeling", tb.fact("Status"))
	tb.signOut()

	// The clerk reads the answer and resolves with a written message.
	require.Equal(t, http.StatusOK, tb.signIn("balie"))
	require.Equal(t, http.StatusOK, tb.visit(detail))
	assert.Contains(t, strings.Join(tb.texts(".timeline.public li"), "\n"), "Nee, alleen een matras en twee zakken.")
	assert.Equal(t, "Uw melding "+ref+" is afgehandeld.", tb.value("text-resolve"), "the message starts from the template")
	tb.choose("result-resolve", "Opgeruimd")
	tb.fill("text-resolve", "De ploeg heeft de matras en de zakken vanmorgen opgehaald.")
	require.Equal(t, http.StatusOK, tb.submit(`form.action:has(input[value="resolve"])`))
	assert.Equal(t, "Afgehandeld (Opgeruimd)", tb.fact("Status"))
	tb.signOut()

	// The reporter reads it, and says it is not solved: reopened.
	require.Equal(t, http.StatusOK, tb.signIn("an"))
	require.Equal(t, http.StatusOK, tb.visit(dossier))
	assert.Contains(t, strings.Join(tb.texts(".timeline li"), "\n"), "De ploeg heeft de matras en de zakken vanmorgen opgehaald.")
	tb.fill("reopen", "Er liggen nog twee zakken.")
	require.Equal(t, http.StatusOK, tb.submit(`form[action="`+dossier+`/niet-opgelost"]`))
	assert.Equal(t, "Uw melding is heropend. De gemeente bekijkt ze opnieuw.", tb.text(".flash"))
	assert.Equal(t, "In behandeling", tb.fact("Status"))
	tb.screenshot("heropend")

	// The stored photo carries no EXIF.
	c, err := a.cases.Get(ctx, mustUUID(t, id))
	require.NoError(t, err)
	require.Len(t, c.Attachments, 1)
	stored, err := a.photos.Get(ctx, strings.TrimPrefix(c.Attachments[0].URI, "blob:"))
	require.NoError(t, err)
	assert.NotContains(t, string(stored), "Exif")
	assert.NotContains(t, string(stored), "GEHEIM")
	assert.Equal(t, 1, c.Reopened)
	assert.NotContains(t, logs.String(), "Peeters", "no personal data in the portal's log")
}
