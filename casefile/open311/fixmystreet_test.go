package open311_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/open311"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
)

// TestFixMyStreetClient runs FixMyStreet's own Open311 client against the
// handler: it lists the services, reads a service definition, files a
// report with extra questions and a photo URL, reads it back, is refused
// an unknown service with a 404 it understands, and, after the clerk
// resolves the report, syncs the updates back (see VALIDATION.md). It
// needs perl with FixMyStreet's dependencies and FMS_PERLLIB, the perllib
// folder of a mysociety/fixmystreet checkout; without them it skips.
func TestFixMyStreetClient(t *testing.T) {
	lib := os.Getenv("FMS_PERLLIB")
	if lib == "" {
		t.Skip("FMS_PERLLIB is not set: no FixMyStreet client to run (see VALIDATION.md)")
	}
	if _, err := os.Stat(filepath.Join(lib, "Open311.pm")); err != nil {
		t.Skipf("FMS_PERLLIB=%s holds no Open311.pm", lib)
	}
	perl, err := exec.LookPath("perl")
	if err != nil {
		t.Skip("perl is not installed")
	}
	if out, err := exec.Command(perl, "-MMoo", "-MMooX::Types::MooseLike::Base", "-MXML::Simple", "-MLWP::UserAgent",
		"-MDateTime::Format::W3CDTF", "-MPath::Tiny", "-MTry::Tiny", "-e1").CombinedOutput(); err != nil {
		t.Skipf("perl lacks FixMyStreet's client modules (apt-get install libmoo-perl libmoox-types-mooselike-perl libxml-simple-perl libwww-perl libdatetime-format-w3cdtf-perl libpath-tiny-perl libtry-tiny-perl): %s", out)
	}

	clk := clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels))
	svc, err := casefile.NewService(casefile.Config{
		Municipality: "44021", Store: casefile.NewMemStore(event.Discard), Clock: clk,
		Types: []*casefile.CaseType{casefile.PublicSpaceReports()},
	})
	require.NoError(t, err)
	h := &open311.Handler{Service: svc, Type: "meldingen", Lang: "nl", Agency: "Stad Gent", Clock: clk,
		Public: map[string]open311.Disclosure{"waste": open311.Summary},
		Keys: func(_ context.Context, key string) (open311.Access, error) {
			return open311.Access{Post: key == "fms-secret", Private: key == "fms-secret"}, nil
		}}
	mux := http.NewServeMux()
	mux.Handle("/open311/v2/", http.StripPrefix("/open311/v2", h))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	endpoint := srv.URL + "/open311/v2/"

	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(perl, append([]string{"-I" + lib, "testdata/fixmystreet_client.pl"}, args...)...)
		out, err := cmd.CombinedOutput()
		t.Logf("perl fixmystreet_client.pl %s\n%s", strings.Join(args, " "), out)
		require.NoError(t, err, "the client's tests failed")
		assert.NotContains(t, string(out), "not ok")
		return string(out)
	}
	out := run("file", endpoint, "fms-secret")
	m := regexp.MustCompile(`# reference=(\S+)`).FindStringSubmatch(out)
	require.NotNil(t, m)
	ref := m[1]

	c, err := svc.GetByReference(t.Context(), ref)
	require.NoError(t, err)
	assert.Equal(t, []casefile.AttributeValue{{Code: "amount", Values: []string{"car"}}, {Code: "hazardous", Values: []string{"false"}},
		{Code: "weight_kg", Values: []string{"12.5"}}}, c.Attributes, "FixMyStreet's attribute[...] reached the case")
	assert.Equal(t, "https://fixmystreet.example/photo/42.jpeg", c.MediaURL)
	assert.Contains(t, c.Description, "Sluikstort aan de kerk\r\n\r\nZakken en een matras naast de glasbol.", "form encoding makes line ends CRLF")
	assert.InDelta(t, 51.054512, c.Location.Point.Lat, 1e-9, "the client's six decimals")
	clerk := casefile.Actor{ID: "clerk", Role: casefile.RoleHandler}
	clk.Advance(time.Hour)
	c, err = svc.Transition(t.Context(), casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "accept", Actor: clerk})
	require.NoError(t, err)
	clk.Advance(time.Hour)
	_, err = svc.Transition(t.Context(), casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "resolve", Result: "cleaned",
		Text: "De zakken zijn opgehaald.", Actor: clerk})
	require.NoError(t, err)
	run("updates", endpoint, "fms-secret", "2026-03-02T08:00:00Z", "2026-03-02T12:00:00Z", ref)
}
