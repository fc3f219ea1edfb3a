package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
)

type client struct {
	t   *testing.T
	srv *httptest.Server
	c   *http.Client
}

func newClient(t *testing.T, logs io.Writer) *client {
	t.Helper()
	return serve(t, newTestApp(t, logs))
}

// serve runs a on a test server and returns a browser for it.
func serve(t *testing.T, a *app) *client {
	t.Helper()
	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	return &client{t: t, srv: srv, c: &http.Client{Jar: newJar(t)}}
}

// newTestApp composes the portal on in-memory stores; its bus stops when
// the test ends.
func newTestApp(t *testing.T, logs io.Writer) *app {
	t.Helper()
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, nil))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	a, err := newApp(ctx, log, demo.Town(), wiring.NewBackend(log, nil), false)
	require.NoError(t, err)
	return a
}

// lockedWriter lets the bus goroutine and the handlers log to one buffer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func newJar(t *testing.T) *cookiejar.Jar {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return jar
}

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	resp, err := c.c.Get(c.srv.URL + path)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp.StatusCode, string(b)
}

func (c *client) post(path string, form url.Values) (int, string) {
	c.t.Helper()
	resp, err := c.c.PostForm(c.srv.URL+path, form)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp.StatusCode, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	require.NotNil(t, m, "page has a CSRF token")
	return m[1]
}

func TestHealth(t *testing.T) {
	c := newClient(t, io.Discard)
	status, body := c.get("/healthz")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "ok\n", body)
}

func TestNotFoundAndPanicsShowNoInternals(t *testing.T) {
	var logs bytes.Buffer
	a := newTestApp(t, &logs)

	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/bestaat-niet", nil))
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Contains(t, rec.Body.String(), "Pagina niet gevonden")

}
