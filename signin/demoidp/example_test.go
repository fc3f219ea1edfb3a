package demoidp_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/lokaalbestuur/bouwstenen/signin/demoidp"
)

// Mount the demo provider under /demo-idp/ on a portal's own mux; its
// issuer is the portal's base URL with that path.
func Example() {
	mux := http.NewServeMux()
	idp, err := demoidp.New(demoidp.Config{
		Issuer: "http://localhost:8080/demo-idp",
		People: []demoidp.Person{{
			Subject: "demo-jan", GivenName: "Jan", FamilyName: "Janssens", INSZ: "90022742191",
			Enterprises: []demoidp.Enterprise{{KBO: "0403170701", Name: "Frituur De Hoek"}},
		}},
		Client: demoidp.Client{
			ID: "portal", Secret: "change-me",
			RedirectURIs:           []string{"http://localhost:8080/aanmelden/terug"},
			PostLogoutRedirectURIs: []string{"http://localhost:8080/"},
		},
	})
	if err != nil {
		panic(err)
	}
	mux.Handle("/demo-idp/", idp)

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost:8080/demo-idp/.well-known/openid-configuration", nil))
	var disc struct {
		Issuer        string   `json:"issuer"`
		Authorization string   `json:"authorization_endpoint"`
		EndSession    string   `json:"end_session_endpoint"`
		PKCE          []string `json:"code_challenge_methods_supported"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &disc); err != nil {
		panic(err)
	}
	fmt.Println(disc.Issuer)
	fmt.Println(disc.Authorization)
	fmt.Println(disc.EndSession)
	fmt.Println(disc.PKCE)
	// Output:
	// http://localhost:8080/demo-idp
	// http://localhost:8080/demo-idp/authorize
	// http://localhost:8080/demo-idp/end_session
	// [S256]
}
