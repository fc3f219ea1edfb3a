package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

var formKeyRE = regexp.MustCompile(`name="form_key" value="([A-Z2-7]+)"`)

// TestSubsidyApplyFormSentTwice: the application form carries an
// idempotency key, so a form sent again (a double click, a retry after a
// timeout), one after the other or at the same moment, is one submitted
// application; the key with other data is refused and stores nothing.
func TestSubsidyApplyFormSentTwice(t *testing.T) {
	a := newTestApp(t, io.Discard)
	c := newSubsidyClient(t, a)
	c.signIn("an")
	green := demoCall(t, a, demo.CallGreenRoofs)
	mine := func() []subsidy.Application {
		var out []subsidy.Application
		for app, err := range a.subsidies.Applications(context.Background(), green.ID) {
			require.NoError(t, err)
			if app.Requested.Equal(decimal.RequireFromString("800.50")) {
				out = append(out, app)
			}
		}
		return out
	}
	open := func() (form, key string) {
		_, form = c.get("/subsidies/oproepen/" + green.ID.String())
		m := formKeyRE.FindStringSubmatch(form)
		require.NotNil(t, m, "the form carries a key")
		return form, m[1]
	}

	form, key := open()
	v := greenRoofForm(csrf(t, form))
	v.Set("form_key", key)
	status, first := c.post("/subsidies/oproepen/"+green.ID.String(), v)
	require.Equal(t, http.StatusOK, status)
	status, again := c.post("/subsidies/oproepen/"+green.ID.String(), v)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, again, "is ingediend.")
	ref := regexp.MustCompile(`SUB-[0-9A-F]{8}`)
	assert.Equal(t, ref.FindString(first), ref.FindString(again), "the same application")
	require.Len(t, mine(), 1)
	assert.Equal(t, subsidy.Submitted, mine()[0].Status)

	changed := greenRoofForm(csrf(t, form))
	changed.Set("form_key", key)
	changed.Set("requested", "700")
	status, page := c.post("/subsidies/oproepen/"+green.ID.String(), changed)
	assert.Equal(t, http.StatusConflict, status)
	assert.Contains(t, page, "al verstuurd met andere gegevens")
	assert.NotContains(t, page, `value="`+key+`"`, "the form shown again has a new key")

	// two posts of one form at the same moment
	form, key = open()
	v = greenRoofForm(csrf(t, form))
	v.Set("form_key", key)
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Go(func() {
			resp, err := c.c.PostForm(c.srv.URL+"/subsidies/oproepen/"+green.ID.String(), v)
			if assert.NoError(t, err) {
				codes[i] = resp.StatusCode
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	assert.Equal(t, []int{http.StatusOK, http.StatusOK}, codes)
	apps := mine()
	require.Len(t, apps, 2, "the first form's and this one's")
	assert.Equal(t, subsidy.Submitted, apps[1].Status, "submitted once, not withdrawn by the repeat")
}
