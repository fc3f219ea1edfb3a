package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// newLoadApp composes the portal on in-memory stores with n extra demo
// reports (see seedLoad), for tests and benchmarks.
func newLoadApp(tb testing.TB, n int) *app {
	tb.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	a, err := newApp(ctx, log, demo.Town(), wiring.NewBackend(log, nil), false)
	require.NoError(tb, err)
	require.NoError(tb, demo.SeedLoad(ctx, a.cases, a.town, n))
	require.NoError(tb, a.be.Settle(ctx))
	return a
}

// signedIn returns a keep-alive client for srv with a session of the demo
// person id, signed in through the demo provider.
func signedIn(tb testing.TB, srv *httptest.Server, id string, conns int) *http.Client {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(tb, err)
	c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	tb.Cleanup(c.CloseIdleConnections)
	resp, err := c.Get(srv.URL + "/aanmelden")
	require.NoError(tb, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(tb, err)
	m := demoRequestRE.FindStringSubmatch(string(body))
	require.NotNil(tb, m, "the sign-in leads to the demo provider's page")
	resp, err = c.PostForm(srv.URL+"/demo-idp/aanmelden", url.Values{"id": {m[1]}, "sub": {id}})
	require.NoError(tb, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.Equal(tb, http.StatusOK, resp.StatusCode)
	return c
}

func TestSeedLoad(t *testing.T) {
	a := newLoadApp(t, 400)
	ctx := context.Background()
	count := func(q casefile.Query) int {
		n := 0
		for _, err := range a.cases.All(ctx, q) {
			require.NoError(t, err)
			n++
		}
		return n
	}
	assert.Equal(t, 404, count(casefile.Query{}), "the 4 demo reports and the 400 extra ones")
	an, _ := a.town.Person("an")
	assert.Equal(t, 3+demo.LoadOfAn, count(casefile.Query{RequesterID: string(an.INSZ)}), "20 of the extra reports are An's")
	assert.Equal(t, 2+16, count(casefile.Query{RequesterID: string(an.INSZ), OpenOnly: true}), "most of hers are open")
	assert.Equal(t, 1+11, count(casefile.Query{RequesterID: string(an.INSZ), Status: "reported"}), "many of hers are new")
	assert.Equal(t, 4, count(casefile.Query{RequesterID: string(demo.LoadPerson(7).INSZ)}), "a generated person has a few")
	assert.Less(t, count(casefile.Query{OpenOnly: true}), 404, "some are closed")
	assert.Greater(t, count(casefile.Query{Status: "in_progress"}), 0, "some are taken in")

	// Seeding again (a PostgreSQL database on a later start) adds nothing.
	require.NoError(t, demo.SeedLoad(ctx, a.cases, a.town, 400))
	assert.Equal(t, 404, count(casefile.Query{}))

	srv := httptest.NewServer(a.handler)
	t.Cleanup(srv.Close)
	c := signedIn(t, srv, "an", 1)
	resp, err := c.Get(srv.URL + "/mijn-dossiers")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, 3+demo.LoadOfAn, strings.Count(string(body), `<a href="/mijn-dossiers/`), "An's overview lists all her reports")
}

// TestSeedLoadOnPostgres files the extra reports in PostgreSQL, as
// -postgres -demo-dossiers does, and a second start adds none.
func TestSeedLoadOnPostgres(t *testing.T) {
	ctx, pool, log := postgresTest(t, 4)
	be := wiring.NewBackend(log, pool)
	a, err := newApp(ctx, log, demo.Town(), be, false)
	require.NoError(t, err)
	require.NoError(t, demo.SeedLoad(ctx, a.cases, a.town, 100))
	require.NoError(t, demo.SeedLoad(ctx, a.cases, a.town, 100))
	require.NoError(t, be.Settle(ctx))
	var n int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM casefile_cases").Scan(&n))
	assert.Equal(t, 104, n)
}

func TestLoadPeopleAreValidAndUnique(t *testing.T) {
	seen := map[string]bool{"85073003328": true, "17073003384": true, "90020199704": true} // the demo people
	for i := range 20_000 {
		p := demo.LoadPerson(i)
		_, ok := pii.ParseINSZ(string(p.INSZ))
		require.True(t, ok, "person %d has a valid INSZ %s", i, p.INSZ)
		require.False(t, seen[string(p.INSZ)], "person %d has a unique INSZ", i)
		seen[string(p.INSZ)] = true
	}
}

// BenchmarkDossierOverview drives "Mijn dossiers" of An over real HTTP
// (keep-alive connections, 16 concurrent clients sharing her session) on a
// portal with no and with 10,000 extra demo reports, 20 of them hers, and
// reports the throughput and the 50th and 99th percentile latency.
//
//	go test ./examples/portal -run '^$' -bench DossierOverview -benchtime 20000x
func BenchmarkDossierOverview(b *testing.B) {
	for _, n := range []int{0, 10_000} {
		b.Run("dossiers="+strconv.Itoa(n), func(b *testing.B) { benchOverview(b, n, 16) })
	}
}

func benchOverview(b *testing.B, dossiers, workers int) {
	a := newLoadApp(b, dossiers)
	srv := httptest.NewServer(a.handler)
	b.Cleanup(srv.Close)
	c := signedIn(b, srv, "an", workers)
	target := srv.URL + "/mijn-dossiers"

	// The page is An's overview, with every one of her reports.
	resp, err := c.Get(target)
	require.NoError(b, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(b, err)
	require.Equal(b, http.StatusOK, resp.StatusCode)
	want := 3
	if dossiers > 0 {
		want += min(dossiers, demo.LoadOfAn)
	}
	require.Equal(b, want, strings.Count(string(body), `<a href="/mijn-dossiers/`))

	jobs := make(chan struct{}, workers)
	latencies := make([][]time.Duration, workers)
	var failed atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range jobs {
				start := time.Now()
				resp, err := c.Get(target)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					failed.Add(1)
					continue
				}
				latencies[w] = append(latencies[w], time.Since(start))
			}
		})
	}
	// The timer runs from the first request sent to the last one answered,
	// so ns/op is the inverse of the throughput.
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	require.Zero(b, failed.Load(), "failed requests")

	all := slices.Concat(latencies...)
	slices.Sort(all)
	ms := func(q float64) float64 {
		return float64(all[min(len(all)-1, int(q*float64(len(all))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}
