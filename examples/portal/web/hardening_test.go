package web

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
)

// uploadBlock is a block with one upload route of 4 MiB, and one form.
type uploadBlock struct{}

func (uploadBlock) Register(mux *http.ServeMux) {
	ok := func(w http.ResponseWriter, r *http.Request) {
		f, _, err := r.FormFile("bestand")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		n, _ := io.Copy(io.Discard, f)
		fmt.Fprintf(w, "%d", n)
	}
	mux.HandleFunc("POST /opladen", ok)
	mux.HandleFunc("POST /formulier", ok)
}

func (uploadBlock) BodyLimits() map[string]int64 { return map[string]int64{"POST /opladen": 4 << 20} }

func newTestServer(t *testing.T, d Deps) *Server {
	t.Helper()
	d.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	d.Town = demo.Town()
	s, err := New(d)
	require.NoError(t, err)
	s.Add(uploadBlock{})
	return s
}

// browser is a cookie-keeping client that does not follow redirects.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var tokenRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get returns the status, the body and the form token of path.
func get(t *testing.T, c *http.Client, url string) (int, string, string) {
	t.Helper()
	resp, err := c.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	token := ""
	if m := tokenRE.FindSubmatch(b); m != nil {
		token = string(m[1])
	}
	return resp.StatusCode, string(b), token
}

func post(t *testing.T, c *http.Client, url string, form url.Values, header http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

func TestAnonymousVisitorsCostTheServerNothing(t *testing.T) {
	s := newTestServer(t, Deps{})
	h := s.Handler()
	for i := range 200 {
		path := []string{"/", "/aanmelden", "/bestaat-niet", "/static/style.css", "/mijn-dossiers"}[i%5]
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		for _, c := range rec.Result().Cookies() {
			assert.NotEqual(t, sessionCookie, c.Name, "%s starts a session", path)
		}
	}
	assert.Zero(t, s.sessions.len(), "no session for anyone who did not sign in")

	// Signing in starts one; signing out ends it.
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := browser(t)
	_, _, token := get(t, c, srv.URL+"/aanmelden")
	resp := post(t, c, srv.URL+"/aanmelden", url.Values{"csrf": {token}, "person": {"an"}}, nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, 1, s.sessions.len())
	_, page, token := get(t, c, srv.URL+"/")
	assert.Contains(t, page, "U bent aangemeld als An Peeters.")
	resp = post(t, c, srv.URL+"/afmelden", url.Values{"csrf": {token}}, nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Zero(t, s.sessions.len())
	_, page, _ = get(t, c, srv.URL+"/")
	assert.Contains(t, page, "U bent afgemeld.", "an anonymous visitor's message travels in a cookie")
	_, page, _ = get(t, c, srv.URL+"/")
	assert.NotContains(t, page, "U bent afgemeld.", "once")
}

func TestFormsFromOtherSitesAreRefused(t *testing.T) {
	s := newTestServer(t, Deps{})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := browser(t)
	_, _, token := get(t, c, srv.URL+"/aanmelden")
	require.NotEmpty(t, token)
	form := url.Values{"csrf": {token}, "person": {"an"}}

	for name, h := range map[string]http.Header{
		"foreign Origin":            {"Origin": {"https://aanvaller.example"}},
		"Sec-Fetch-Site cross-site": {"Sec-Fetch-Site": {"cross-site"}},
	} {
		resp := post(t, c, srv.URL+"/aanmelden", form, h)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, name)
		assert.Contains(t, body(t, resp), "Formulier verlopen", name)
	}
	resp := post(t, c, srv.URL+"/aanmelden", url.Values{"person": {"an"}}, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "no token (an old browser that sends no Origin)")
	resp = post(t, c, srv.URL+"/aanmelden", url.Values{"csrf": {"vervalst"}, "person": {"an"}}, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a forged token")
	other := browser(t)
	resp = post(t, other, srv.URL+"/aanmelden", form, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "someone else's token, without their cookie")
	assert.Zero(t, s.sessions.len())

	resp = post(t, c, srv.URL+"/aanmelden", form, http.Header{"Origin": {srv.URL}, "Sec-Fetch-Site": {"same-origin"}})
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode, "our own form")
}

// countingReader is an endless body that counts what the server read.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	c.n += int64(len(p))
	return len(p), nil
}

func TestBodiesAreLimited(t *testing.T) {
	s := newTestServer(t, Deps{})
	h := s.Handler()

	// 100 MB of multipart to the sign-in: refused after the first MiB,
	// nothing of it kept.
	const hundredMB = 100 << 20
	head := "--grens\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"groot.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
	src := &countingReader{}
	req := httptest.NewRequest(http.MethodPost, "/aanmelden", io.MultiReader(strings.NewReader(head), io.LimitReader(src, hundredMB)))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=grens")
	req.ContentLength = hundredMB
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	assert.Contains(t, rec.Body.String(), "te groot")
	assert.Contains(t, rec.Body.String(), `<html lang="nl">`, "the Dutch page")
	assert.LessOrEqual(t, src.n, int64(maxForm+64<<10), "the server stopped reading at the limit")

	// An ordinary form route takes no file beyond its limit; the upload
	// route takes its own, larger one.
	upload := func(path string, size int) *httptest.ResponseRecorder {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, err := mw.CreateFormFile("bestand", "plan.pdf")
		require.NoError(t, err)
		_, err = fw.Write(bytes.Repeat([]byte{'p'}, size))
		require.NoError(t, err)
		require.NoError(t, mw.Close())
		req := httptest.NewRequest(http.MethodPost, path, &b)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	assert.Equal(t, http.StatusRequestEntityTooLarge, upload("/formulier", 2<<20).Code)
	assert.Equal(t, http.StatusForbidden, upload("/opladen", 2<<20).Code, "within the upload's limit: read, then refused for want of a token")
	assert.Equal(t, http.StatusRequestEntityTooLarge, upload("/opladen", 5<<20).Code)
}

func TestPersonalPagesAreNeverStored(t *testing.T) {
	s := newTestServer(t, Deps{})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := browser(t)
	resp, err := c.Get(srv.URL + "/")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Empty(t, resp.Header.Get("Cache-Control"), "the public home page may be cached")

	_, _, token := get(t, c, srv.URL+"/aanmelden")
	post(t, c, srv.URL+"/aanmelden", url.Values{"csrf": {token}, "person": {"an"}}, nil)
	for _, path := range []string{"/mijn-dossiers", "/", "/bestaat-niet"} {
		resp, err := c.Get(srv.URL + path)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"), path)
		if path == "/mijn-dossiers" {
			assert.Contains(t, string(b), "85.07.30-033.28", "the page shows the national register number")
		}
	}
}

func TestSecureCookieAndHSTSBehindATrustedProxyOrTLS(t *testing.T) {
	signIn := func(t *testing.T, srv *httptest.Server, c *http.Client, header http.Header) *http.Response {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/aanmelden", nil)
		require.NoError(t, err)
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := c.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		m := tokenRE.FindSubmatch(b)
		require.NotNil(t, m)
		// The jar keeps a Secure cookie for https only: send it by hand.
		var csrf *http.Cookie
		for _, ck := range resp.Cookies() {
			if ck.Name == csrfCookie {
				csrf = ck
			}
		}
		require.NotNil(t, csrf)
		req, err = http.NewRequest(http.MethodPost, srv.URL+"/aanmelden", strings.NewReader(url.Values{"csrf": {string(m[1])}, "person": {"an"}}.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: csrf.Name, Value: csrf.Value})
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err = c.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		return resp
	}
	sessionCookieOf := func(resp *http.Response) *http.Cookie {
		for _, c := range resp.Cookies() {
			if c.Name == sessionCookie {
				return c
			}
		}
		return nil
	}
	https := http.Header{"X-Forwarded-Proto": {"https"}}

	t.Run("TrustedProxy", func(t *testing.T) {
		srv := httptest.NewServer(newTestServer(t, Deps{TrustProxy: true}).Handler())
		t.Cleanup(srv.Close)
		resp := signIn(t, srv, browser(t), https)
		require.NotNil(t, sessionCookieOf(resp))
		assert.True(t, sessionCookieOf(resp).Secure)
		assert.Contains(t, resp.Header.Get("Strict-Transport-Security"), "max-age=")
	})
	t.Run("UntrustedHeaderIsIgnored", func(t *testing.T) {
		srv := httptest.NewServer(newTestServer(t, Deps{}).Handler())
		t.Cleanup(srv.Close)
		resp := signIn(t, srv, browser(t), https)
		require.NotNil(t, sessionCookieOf(resp))
		assert.False(t, sessionCookieOf(resp).Secure)
		assert.Empty(t, resp.Header.Get("Strict-Transport-Security"))
	})
	t.Run("TLS", func(t *testing.T) {
		srv := httptest.NewTLSServer(newTestServer(t, Deps{}).Handler())
		t.Cleanup(srv.Close)
		c := srv.Client()
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp := signIn(t, srv, c, nil)
		require.NotNil(t, sessionCookieOf(resp))
		assert.True(t, sessionCookieOf(resp).Secure)
		assert.Contains(t, resp.Header.Get("Strict-Transport-Security"), "max-age=")
	})
}

func TestStaticFilesListNoFolderAndAnswerInDutch(t *testing.T) {
	h := newTestServer(t, Deps{}).Handler()
	for _, path := range []string{"/static/", "/static/bestaat-niet.css", "/bestaat-niet"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		assert.Equal(t, http.StatusNotFound, rec.Code, path)
		assert.Contains(t, rec.Body.String(), "Pagina niet gevonden", path)
		assert.NotContains(t, rec.Body.String(), `<a href="style.css">`, path+": no listing")
		assert.NotContains(t, rec.Body.String(), "404 page not found", path)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/static/style.css", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, rec.Header().Get("Content-Type"), "text/css")
}
