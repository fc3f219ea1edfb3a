package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
)

// TestSubsidiesAndRightsOnPostgres walks the subsidy and entitlement pages
// with their stores in PostgreSQL, and starts the portal a second time on
// the same database: nothing is seeded or granted twice.
func TestSubsidiesAndRightsOnPostgres(t *testing.T) {
	ctx, pool, log := postgresTest(t, 8)
	be := wiring.NewBackend(log, pool)
	a, err := newApp(ctx, log, demo.Town(), be, false)
	require.NoError(t, err)
	var grants int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM entitlement_grant").Scan(&grants))
	require.Positive(t, grants, "the first run at start granted rights in PostgreSQL")
	assert.Equal(t, a.rights.LastRun().Report.Granted, grants)

	c := newSubsidyClient(t, a)
	body := c.signIn("an")
	assert.Contains(t, body, demo.CallGreenRoofs, "the seeded application is in PostgreSQL")
	assert.Contains(t, body, "UiTPAS aan kansentarief")
	_, page := c.get("/mijn-rechten")
	assert.Contains(t, page, "Belastbaar gezinsinkomen (het gezin): EUR 23800.00 is ten hoogste", "the explanation snapshot survives the JSON column")

	green := demoCall(t, a, demo.CallGreenRoofs)
	_, form := c.get("/subsidies/oproepen/" + green.ID.String())
	status, page := c.post("/subsidies/oproepen/"+green.ID.String(), greenRoofForm(csrf(t, form)))
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "is ingediend.")

	// The budget guard answers the same from PostgreSQL.
	clerk := c.another()
	clerk.signIn("balie")
	facades := demoCall(t, a, demo.CallFacades)
	for _, who := range []string{"Bakkerij Van Damme (0412.345.614)", "Boekhandel Het Blad (0423.456.765)"} {
		app := demoApplication(t, a, facades, who)
		status, _ := clerk.step(app.ID, url.Values{"action": {"toekennen"}, "amount": {app.Requested.String()}, "motivation": {"Collegebesluit"}})
		require.Equal(t, http.StatusOK, status)
	}
	cafe := demoApplication(t, a, facades, "Café De Hoek (0202.239.951)")
	_, _ = clerk.step(cafe.ID, url.Values{"action": {"ontvankelijkheid"}})
	_, _ = clerk.step(cafe.ID, url.Values{"action": {"beoordelen"}})
	status, page = clerk.step(cafe.ID, url.Values{"action": {"toekennen"}, "amount": {"4500"}, "motivation": {"Collegebesluit"}})
	require.Equal(t, http.StatusConflict, status)
	assert.Contains(t, page, "er is nog € 2.500,00 beschikbaar")

	// A clerk's run on PostgreSQL completes and reports.
	a.rights.SetPace(nil)
	_, page = clerk.get("/balie/rechten")
	_, page = clerk.post("/balie/rechten", url.Values{"csrf": {csrf(t, page)}})
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(page, "Verslag van run 2") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		_, page = clerk.get("/balie/rechten")
	}
	require.Contains(t, page, "Verslag van run 2")
	rep := a.rights.LastRun().Report
	require.NoError(t, a.rights.LastRun().Err)
	var after int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM entitlement_grant").Scan(&after))
	assert.Equal(t, grants+rep.Granted, after)
	require.NoError(t, be.Settle(ctx))

	// A second start on the same database seeds nothing and runs no batch.
	a2, err := newApp(ctx, log, demo.Town(), wiring.NewBackend(log, pool), false)
	require.NoError(t, err)
	var calls, apps int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM subsidy_call").Scan(&calls))
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM subsidy_application").Scan(&apps))
	assert.Equal(t, 2, calls)
	assert.Equal(t, 5, apps, "four seeded and one submitted")
	assert.Nil(t, a2.rights.LastRun(), "rights were granted before: no run at start")
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM entitlement_grant").Scan(&after))
	assert.Equal(t, grants+rep.Granted, after)
	_, err = a2.rights.Service().Current(ctx, "85073003328", entitlement.BenefitUiTPASKansentarief)
	assert.NoError(t, err)
}
