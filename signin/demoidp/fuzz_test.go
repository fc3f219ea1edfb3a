package demoidp_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/lokaalbestuur/bouwstenen/signin/demoidp"
)

// FuzzChoose posts arbitrary choices to the sign-in page: a pending
// request is completed only for a configured person, as a citizen or for
// one of that person's own enterprises; everything else is refused.
func FuzzChoose(f *testing.F) {
	const issuer = "http://portal.test/demo-idp"
	redirect := "http://portal.test/aanmelden/terug"
	idp, err := demoidp.New(demoidp.Config{Issuer: issuer, People: people,
		Client: demoidp.Client{ID: "portal", Secret: secret, RedirectURIs: []string{redirect}}})
	require.NoError(f, err)
	cfg := &oauth2.Config{ClientID: "portal", RedirectURL: redirect, Scopes: []string{"openid", "vo"},
		Endpoint: oauth2.Endpoint{AuthURL: issuer + "/authorize"}}
	for _, seed := range [][2]string{{"demo-jan", ""}, {"demo-jan", "0403170701"}, {"demo-an", "0403170701"},
		{"demo-jan", "0403170701 "}, {"", ""}, {"demo-jan\x00", "0202239951"}} {
		f.Add(seed[0], seed[1])
	}
	allowed := func(sub, kbo string) bool {
		i := slices.IndexFunc(people, func(p demoidp.Person) bool { return p.Subject == sub })
		if i < 0 {
			return false
		}
		return kbo == "" || slices.ContainsFunc(people[i].Enterprises, func(e demoidp.Enterprise) bool { return e.KBO == kbo })
	}
	f.Fuzz(func(t *testing.T, sub, kbo string) {
		rec := httptest.NewRecorder()
		idp.ServeHTTP(rec, httptest.NewRequest("GET", cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())), nil))
		require.Equal(t, http.StatusFound, rec.Code)
		login, err := url.Parse(rec.Header().Get("Location"))
		require.NoError(t, err)
		id := login.Query().Get("id")

		form := url.Values{"id": {id}, "sub": {sub}, "kbo": {kbo}}
		req := httptest.NewRequest("POST", issuer+"/aanmelden", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec = httptest.NewRecorder()
		idp.ServeHTTP(rec, req)
		if allowed(sub, kbo) {
			require.Equal(t, http.StatusFound, rec.Code, "sub %q kbo %q", sub, kbo)
			return
		}
		require.GreaterOrEqual(t, rec.Code, 400, "sub %q kbo %q must be refused", sub, kbo)
		// The request stays pending: its callback issues no code.
		rec = httptest.NewRecorder()
		idp.ServeHTTP(rec, httptest.NewRequest("GET", issuer+"/authorize/callback?id="+id, nil))
		require.NotContains(t, rec.Header().Get("Location"), "code=")
	})
}
