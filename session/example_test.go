package session_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/lokaalbestuur/bouwstenen/session"
)

// A session is created at sign-in, loaded on every request, renewed when
// the visitor switches capacity and destroyed at sign-out.
func Example() {
	m := &session.Manager{Store: session.NewMemStore(), Absolute: 8 * time.Hour, Idle: 30 * time.Minute, Secure: true}

	// Sign-in: the callback of the identity provider creates the session.
	rec := httptest.NewRecorder()
	_, err := m.Create(rec, httptest.NewRequest("GET", "/aanmelden/terug", nil), session.Data{
		Subject: "demo-jan", GivenName: "Jan", FamilyName: "Janssens", INSZ: "90022742191",
	})
	if err != nil {
		panic(err)
	}
	cookie := rec.Result().Cookies()[0]
	fmt.Println(cookie.Name, cookie.HttpOnly, cookie.Secure, cookie.SameSite == http.SameSiteLaxMode)

	// A later request.
	req := httptest.NewRequest("GET", "/mijn-dossiers", nil)
	req.AddCookie(cookie)
	s, err := m.Load(req)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Data.GivenName, s.Data.INSZ.Masked())

	// Switching to "namens Frituur De Hoek": a new token, the old one dies.
	d := s.Data
	d.EnterpriseKBO, d.EnterpriseName = "0403170701", "Frituur De Hoek"
	rec = httptest.NewRecorder()
	if _, err := m.Renew(rec, req, d); err != nil {
		panic(err)
	}
	_, err = m.Load(req)
	fmt.Println(err)

	// Sign-out.
	req = httptest.NewRequest("POST", "/afmelden", nil)
	req.AddCookie(rec.Result().Cookies()[0])
	if err := m.Destroy(httptest.NewRecorder(), req); err != nil {
		panic(err)
	}
	_, err = m.Load(req)
	fmt.Println(err)
	// Output:
	// sessie true true true
	// Jan *********91
	// session: no live session: not found
	// session: no live session: not found
}
