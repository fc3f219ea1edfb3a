package signin_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"time"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/signin"
)

// A site with a sign-in and its callback, and a browser that signs in
// "namens een onderneming" at a provider asserting ACM/IDM's claims. The
// provider here is the package's in-test one; in production Issuer is
// https://authenticatie.vlaanderen.be/op.
func Example() {
	op := startTestOP(clock.NewSettable(time.Now()))
	defer op.srv.Close()

	var rp *signin.RP
	mux := http.NewServeMux()
	mux.HandleFunc("GET /aanmelden", func(w http.ResponseWriter, r *http.Request) {
		if err := rp.Start(w, r, r.URL.Query().Get("terug")); err != nil {
			http.Error(w, signin.Message(err), http.StatusBadRequest)
		}
	})
	mux.HandleFunc("GET /aanmelden/terug", func(w http.ResponseWriter, r *http.Request) {
		id, returnTo, err := rp.Callback(w, r)
		if err != nil {
			http.Error(w, signin.Message(err), http.StatusBadRequest)
			return
		}
		// A real site creates its session here and redirects to returnTo.
		kbo, _ := id.Organisation.EnterpriseNumber()
		fmt.Fprintf(w, "%s, %s voor %s (%s), terug naar %s", id.Name(), id.Capacity.Label(), id.Organisation.Name, kbo, returnTo)
	})
	site := httptest.NewServer(mux)
	defer site.Close()

	var err error
	rp, err = signin.New(context.Background(), signin.Config{
		Issuer:       op.URL(),
		ClientID:     "gemeente-portaal",
		ClientSecret: "s3cret",
		RedirectURL:  site.URL + "/aanmelden/terug",
		Scopes:       signin.ACMIDMScopes,
		Claims:       signin.ACMIDM,
		CookieKey:    bytes.Repeat([]byte("k"), 32), // in production: 32 random bytes from a secret store
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	resp, err := browser.Get(site.URL + "/aanmelden?terug=/ondernemers")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(string(body))

	// The browser opens the callback again (back button, a bookmark): its
	// pending sign-in was cleared, so nobody is signed in.
	again, err := browser.Get(resp.Request.URL.String())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer again.Body.Close()
	body, _ = io.ReadAll(again.Body)
	fmt.Print(again.StatusCode, " ", string(body))
	// Output:
	// Jan Peeters, economische actor voor Bakkerij Peeters (0202.239.951), terug naar /ondernemers
	// 400 Er is geen aanmelding bezig in deze browser. Meld u opnieuw aan.
}

func ExampleLocalPath() {
	for _, s := range []string{"/mijn/dossiers?tab=open", "", "https://evil.example/", "//evil.example"} {
		p, err := signin.LocalPath(s)
		fmt.Printf("%q %q %v\n", s, p, err)
	}
	// Output:
	// "/mijn/dossiers?tab=open" "/mijn/dossiers?tab=open" <nil>
	// "" "/" <nil>
	// "https://evil.example/" "" signin: return address is not a local path: not a path starting with /
	// "//evil.example" "" signin: return address is not a local path: starts with // or /\, another host
}

func ExampleMessage() {
	fmt.Println(signin.Message(signin.ErrState))
	fmt.Println(signin.Message(fmt.Errorf("callback: %w", signin.ErrExpired)))
	// Output:
	// Deze aanmelding is ongeldig, verlopen of al gebruikt. Meld u opnieuw aan.
	// Uw aanmelding is verlopen. Meld u opnieuw aan.
}
