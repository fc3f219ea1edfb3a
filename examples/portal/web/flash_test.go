package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlashIsSealed(t *testing.T) {
	f := flashes{key: bytes.Repeat([]byte("k"), 32)}
	rec := httptest.NewRecorder()
	f.add(rec, httptest.NewRequest(http.MethodPost, "/", nil), "U bent afgemeld.")
	cookies := rec.Result().Cookies()
	require.Len(t, cookies, 1)

	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(cookies[0])
	rec = httptest.NewRecorder()
	assert.Equal(t, "U bent afgemeld.", f.take(rec, req))
	assert.Equal(t, -1, rec.Result().Cookies()[0].MaxAge, "taken once")

	other := flashes{key: bytes.Repeat([]byte("x"), 32)}
	_, err := other.open(cookies[0].Value)
	assert.Error(t, err, "another key does not open it")
	forged := httptest.NewRequest(http.MethodGet, "/", nil)
	forged.AddCookie(&http.Cookie{Name: flashCookie, Value: "VmVydmFsc3Q.abc"})
	assert.Empty(t, f.take(httptest.NewRecorder(), forged), "no one puts words on our pages")
}

func FuzzFlashOpen(f *testing.F) {
	fl := flashes{key: bytes.Repeat([]byte("k"), 32)}
	rec := httptest.NewRecorder()
	fl.add(rec, httptest.NewRequest(http.MethodPost, "/", nil), "U bent aangemeld als An Peeters.")
	f.Add(rec.Result().Cookies()[0].Value)
	f.Add("")
	f.Add(".")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, v string) {
		msg, err := fl.open(v)
		if err == nil {
			// Only what add made opens: sealing msg again gives the same MAC.
			assert.Equal(t, fl.mac(msg), v[len(v)-len(fl.mac(msg)):])
		}
	})
}
