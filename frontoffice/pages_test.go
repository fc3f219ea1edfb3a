package frontoffice

import (
	"bytes"
	"html/template"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
)

var pageFS = fstest.MapFS{
	"templates/a.html":    {Data: []byte(`{{define "content"}}A {{template "part" .}} {{euro .}}{{end}}`)},
	"templates/b.html":    {Data: []byte(`{{define "content"}}B {{template "part" .}} {{shout "x"}}{{end}}`)},
	"templates/part.tmpl": {Data: []byte(`{{define "part"}}[{{.}}]{{end}}`)},
	"templates/notes.txt": {Data: []byte(`not a page`)},
}

// pageFuncs are the portal's helpers and one of a block's own.
func pageFuncs() template.FuncMap {
	funcs := TemplateFuncs()
	funcs["shout"] = func(s string) string { return s + "!" }
	return funcs
}

func TestParsePages(t *testing.T) {
	funcs := pageFuncs()
	pages, err := ParsePages(pageFS, "templates/*.html", funcs, "templates/part.tmpl")
	require.NoError(t, err)
	require.Len(t, pages, 2, "the pages, without the partial or other files")
	var buf bytes.Buffer
	require.NoError(t, pages["a.html"].ExecuteTemplate(&buf, "content", decimal.RequireFromString("1234.5")))
	assert.Equal(t, "A [1234.5] € 1.234,50", buf.String())
	buf.Reset()
	require.NoError(t, pages["b.html"].ExecuteTemplate(&buf, "content", "y"))
	assert.Equal(t, "B [y] x!", buf.String())

	alone, err := ParsePages(pageFS, "templates/*.html", funcs)
	require.NoError(t, err)
	assert.Error(t, alone["a.html"].ExecuteTemplate(&buf, "content", 1), "without the partial a page does not run")
	_, err = ParsePages(pageFS, "templates/*.html", TemplateFuncs(), "templates/part.tmpl")
	assert.Error(t, err, "without the block's own helper the pages do not parse")
	_, err = ParsePages(pageFS, "pages/*.html", funcs)
	assert.Error(t, err, "a pattern that matches nothing is a mistake")
	_, err = ParsePages(pageFS, "templates/[", funcs)
	assert.Error(t, err)
}

func TestTemplateFuncs(t *testing.T) {
	funcs := TemplateFuncs()
	funcs["extra"] = 1
	assert.NotContains(t, TemplateFuncs(), "extra", "each call returns a new map")
	// 30 March 2026 22:30 UTC is already 31 March in Brussels (summer time).
	ts := time.Date(2026, 3, 30, 22, 30, 0, 0, time.UTC)
	assert.Equal(t, "31/03/2026", funcs["date"].(func(time.Time) string)(ts))
	assert.Equal(t, "31/03/2026 00:30", funcs["datetime"].(func(time.Time) string)(ts))
	assert.Equal(t, "–", funcs["date"].(func(time.Time) string)(time.Time{}))
	assert.Equal(t, "–", funcs["datetime"].(func(time.Time) string)(time.Time{}))
	assert.Equal(t, clock.Brussels, funcs["local"].(func(time.Time) time.Time)(ts).Location())
}

// renderer is a Renderer that records what it was asked.
type renderer struct {
	page   *template.Template
	title  string
	data   any
	status int
	failed error
}

func (s *renderer) Render(w http.ResponseWriter, r *http.Request, status int, page *template.Template, title string, data any) {
	s.status, s.page, s.title, s.data = status, page, title, data
}

func (s *renderer) Fail(w http.ResponseWriter, r *http.Request, err error) { s.failed = err }

func TestPagesShow(t *testing.T) {
	pages, err := ParsePages(pageFS, "templates/*.html", pageFuncs(), "templates/part.tmpl")
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodGet, "/", nil)

	site := &renderer{}
	pages.Show(site, httptest.NewRecorder(), r, http.StatusTeapot, "b.html", "Titel", 42)
	assert.Same(t, pages["b.html"], site.page)
	assert.Equal(t, http.StatusTeapot, site.status)
	assert.Equal(t, "Titel", site.title)
	assert.Equal(t, 42, site.data)
	assert.NoError(t, site.failed)

	site = &renderer{}
	pages.Show(site, httptest.NewRecorder(), r, http.StatusOK, "c.html", "Titel", nil)
	assert.Nil(t, site.page, "nothing rendered")
	require.Error(t, site.failed)
	assert.Contains(t, site.failed.Error(), "c.html")
	code, _ := Status(site.failed)
	assert.Equal(t, http.StatusInternalServerError, code, "a missing page is a server error, not a 404")
}

func TestFormErrorsOf(t *testing.T) {
	assert.Nil(t, FormErrorsOf(nil))
	assert.Nil(t, FormErrorsOf(map[string]string{}))
	got := FormErrorsOf(map[string]string{"street": "Vul de straat in.", "form": "Het formulier is verlopen.", "email": "Geen e-mailadres."})
	assert.Equal(t, FormErrors{
		{Field: "email", Message: "Geen e-mailadres."},
		{Message: "Het formulier is verlopen."},
		{Field: "street", Message: "Vul de straat in."},
	}, got)
}
