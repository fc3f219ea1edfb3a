package open311_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/open311"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
)

// An endpoint at /open311/v2/ where partners with an API key may file
// reports, the public sees waste reports in summary only, and every
// client gets at most 5 requests a second after a burst of 20.
func Example() {
	svc, _ := casefile.NewService(casefile.Config{
		Municipality: "44021", Store: casefile.NewMemStore(event.Discard),
		Clock: clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)),
		Types: []*casefile.CaseType{casefile.PublicSpaceReports()},
	})
	partners := map[string]open311.Access{"fixmystreet-key": {Post: true, Private: true}}
	h := &open311.Handler{Service: svc, Type: "meldingen", Agency: "Stad Gent",
		Public: map[string]open311.Disclosure{"waste": open311.Summary},
		Keys: func(_ context.Context, key string) (open311.Access, error) {
			return partners[key], nil // an unknown key may do nothing
		}}
	mux := http.NewServeMux()
	mux.Handle("/open311/v2/", open311.RateLimit(http.StripPrefix("/open311/v2", h), 5, 20, open311.ClientKey, nil))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	form := url.Values{"service_code": {"waste.illegal_dump"}, "lat": {"51.0545"}, "long": {"3.7215"},
		"description": {"Matras naast de glasbol"}, "attribute[amount]": {"car"}}
	for _, key := range []string{"", "fixmystreet-key"} {
		form.Set("api_key", key)
		resp, err := http.PostForm(srv.URL+"/open311/v2/requests.json", form)
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, strings.TrimSpace(string(body)))
	}
	// Output:
	// 403 [{"code":403,"description":"api_key: a valid API key is required to file a request"}]
	// 201 [{"service_request_id":"2026-000001"}]
}
