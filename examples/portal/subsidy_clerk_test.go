package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

var versionRE = regexp.MustCompile(`name="version" value="(\d+)"`)

// TestClerkDecidesOnWhatThePageShowed: the decision form carries the
// application's version; a decision posted after the application changed
// (another assessor scored it meanwhile) is refused and decides nothing.
func TestClerkDecidesOnWhatThePageShowed(t *testing.T) {
	a := newTestApp(t, io.Discard)
	clerk := newSubsidyClient(t, a)
	clerk.signIn("balie")
	facades := demoCall(t, a, demo.CallFacades)
	cafe := demoApplication(t, a, facades, "Café De Hoek (0202.239.951)")
	ctx := context.Background()
	_, err := a.subsidies.CheckAdmissibility(ctx, cafe.ID)
	require.NoError(t, err)
	require.NoError(t, a.subsidies.StartAssessment(ctx, cafe.ID))

	path := "/balie/subsidies/aanvragen/" + cafe.ID.String()
	_, page := clerk.get(path)
	m := versionRE.FindStringSubmatch(page)
	require.NotNil(t, m, "the decision form carries the version")
	require.NoError(t, a.subsidies.AddScore(ctx, cafe.ID, subsidy.Score{Assessor: "schepen", Criterion: "uitstraling", Points: 2, Motivation: "Weinig"}))
	form := url.Values{"bevestigd": {"ja"}, "csrf": {csrf(t, page)}, "version": {m[1]}, "action": {"toekennen"}, "amount": {"1000"}, "motivation": {"Collegebesluit"}}
	status, page := clerk.post(path, form)
	assert.Equal(t, http.StatusConflict, status)
	assert.Contains(t, page, "gewijzigd sinds u ze opende")
	got, err := a.subsidies.Application(ctx, cafe.ID)
	require.NoError(t, err)
	assert.Equal(t, subsidy.UnderAssessment, got.Status, "nothing was decided")

	_, page = clerk.get(path)
	form.Set("version", versionRE.FindStringSubmatch(page)[1])
	status, page = clerk.post(path, form)
	require.Equal(t, http.StatusOK, status, page)
	assert.Contains(t, page, "De beslissing is genomen.")
}
