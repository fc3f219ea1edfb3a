package web

import (
	"bytes"
	"errors"
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
	"github.com/lokaalbestuur/bouwstenen/session"
	"github.com/lokaalbestuur/bouwstenen/signin"
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
	d.Sessions = &session.Manager{Store: session.NewMemStore()}
	d.SignIn = noProvider{}
	d.Secret = bytes.Repeat([]byte("k"), 32)
	s, err := New(d)
	require.NoError(t, err)
	s.Add(uploadBlock{})
	return s
}

// noProvider is a sign-in without a provider: these tests give a browser
// its session through signInAs instead.
type noProvider struct{}

func (noProvider) RP(*http.Request) (*signin.RP, error) {
	return nil, errors.New("no provider in this test")
}

// signInAs is the test seam: it gives browser c a session for the demo
// person id, as the sign-in's callback does after a verified token, and
// returns the session's form token. Production has no such path.
func signInAs(t *testing.T, s *Server, c *http.Client, base, id string) string {
	t.Helper()
	p, ok := s.town.Person(id)
	require.True(t, ok)
	rec := httptest.NewRecorder()
	sess, err := s.sessions.Create(rec, httptest.NewRequest(http.MethodGet, callbackPath, nil),
		session.Data{Subject: p.ID, GivenName: p.Name.Given, FamilyName: p.Name.Family, INSZ: p.INSZ, Clerk: p.Clerk})
	require.NoError(t, err)
	u, err := url.Parse(base)
	require.NoError(t, err)
	c.Jar.SetCookies(u, rec.Result().Cookies())
	return sess.Data.CSRF
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
			assert.NotEqual(t, "sessie", c.Name, "%s starts a session", path)
		}
	}

	// Signed in, then out: the message of the next page travels in a cookie.
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := browser(t)
	token := signInAs(t, s, c, srv.URL, "an")
	_, page, _ := get(t, c, srv.URL+"/")
	assert.Contains(t, page, "U handelt als <strong>burger</strong>")
	resp := post(t, c, srv.URL+"/afmelden", url.Values{"csrf": {token}}, nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	_, page, _ = get(t, c, srv.URL+"/")
	assert.Contains(t, page, "U bent afgemeld.")
	assert.NotContains(t, page, "U handelt")
	_, page, _ = get(t, c, srv.URL+"/")
	assert.NotContains(t, page, "U bent afgemeld.", "once")
}

func TestFormsFromOtherSitesAreRefused(t *testing.T) {
	s := newTestServer(t, Deps{})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := browser(t)
	token := signInAs(t, s, c, srv.URL, "an")
	form := url.Values{"csrf": {token}}

	for name, h := range map[string]http.Header{
		"foreign Origin":            {"Origin": {"https://aanvaller.example"}},
		"Sec-Fetch-Site cross-site": {"Sec-Fetch-Site": {"cross-site"}},
	} {
		resp := post(t, c, srv.URL+"/formulier", form, h)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, name)
		assert.Contains(t, body(t, resp), "Formulier verlopen", name)
	}
	resp := post(t, c, srv.URL+"/formulier", url.Values{}, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "no token (an old browser that sends no Origin)")
	resp = post(t, c, srv.URL+"/formulier", url.Values{"csrf": {"vervalst"}}, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a forged token")
	other := browser(t)
	resp = post(t, other, srv.URL+"/formulier", form, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "someone else's token, without their cookie")

	resp = post(t, c, srv.URL+"/formulier", form, http.Header{"Origin": {srv.URL}, "Sec-Fetch-Site": {"same-origin"}})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "our own form reaches the handler (which wants a file)")
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

	// 100 MB of multipart to a form: refused after the first MiB,
	// nothing of it kept.
	const hundredMB = 100 << 20
	head := "--grens\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"groot.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
	src := &countingReader{}
	req := httptest.NewRequest(http.MethodPost, "/formulier", io.MultiReader(strings.NewReader(head), io.LimitReader(src, hundredMB)))
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

	signInAs(t, s, c, srv.URL, "an")
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

// TestHSTSBehindATrustedProxyOrTLS: HSTS on an answer over HTTPS, directly
// or through a trusted proxy. (The session cookie is Secure when the
// portal's public URL is https: session.Manager.Secure.)
func TestHSTSBehindATrustedProxyOrTLS(t *testing.T) {
	https := http.Header{"X-Forwarded-Proto": {"https"}}
	hsts := func(t *testing.T, srv *httptest.Server, c *http.Client, header http.Header) string {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
		require.NoError(t, err)
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := c.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		return resp.Header.Get("Strict-Transport-Security")
	}
	t.Run("TrustedProxy", func(t *testing.T) {
		srv := httptest.NewServer(newTestServer(t, Deps{TrustProxy: true}).Handler())
		t.Cleanup(srv.Close)
		assert.Contains(t, hsts(t, srv, browser(t), https), "max-age=")
	})
	t.Run("UntrustedHeaderIsIgnored", func(t *testing.T) {
		srv := httptest.NewServer(newTestServer(t, Deps{}).Handler())
		t.Cleanup(srv.Close)
		assert.Empty(t, hsts(t, srv, browser(t), https))
	})
	t.Run("TLS", func(t *testing.T) {
		srv := httptest.NewTLSServer(newTestServer(t, Deps{}).Handler())
		t.Cleanup(srv.Close)
		assert.Contains(t, hsts(t, srv, srv.Client(), nil), "max-age=")
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
