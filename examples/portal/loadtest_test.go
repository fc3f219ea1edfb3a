package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
	"github.com/lokaalbestuur/bouwstenen/outbox"
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
// (keep-alive connections; 16 concurrent clients sharing her session, and
// one client alone for the latency of a request on an idle portal) on a
// portal with no and with 10,000 extra demo reports, 20 of them hers, in
// memory and in PostgreSQL, side by side in one run. It reports the
// throughput, the 50th and 99th percentile latency, and for PostgreSQL
// its throughput as a fraction of memory's in the same run ("x-memory").
//
//	BOUWSTENEN_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	  go test ./examples/portal -run '^$' -bench DossierOverview -benchtime 4000x
//
// Without BOUWSTENEN_TEST_POSTGRES the PostgreSQL runs are skipped. They
// keep their data in a schema of their own, portal_loadtest_<n>, which is
// not dropped: filing 10,000 reports one by one through the service takes
// a minute or two, and a later run finds them there. Drop the schema to
// start again.
func BenchmarkDossierOverview(b *testing.B) {
	memoryRate := map[string]float64{}
	for _, n := range []int{0, 10_000} {
		for _, store := range []string{"memory", "postgres"} {
			for _, clients := range []int{16, 1} {
				name := fmt.Sprintf("dossiers=%d/clients=%d", n, clients)
				b.Run("store="+store+"/"+name, func(b *testing.B) {
					var a *app
					if store == "memory" {
						a = newLoadApp(b, n)
					} else {
						a = newLoadAppOnPostgres(b, n)
					}
					rate := benchOverview(b, a, n, clients)
					if store == "memory" {
						memoryRate[name] = rate
					} else if m := memoryRate[name]; m > 0 {
						b.ReportMetric(rate/m, "x-memory")
					}
				})
			}
		}
	}
}

// newLoadAppOnPostgres composes the portal in PostgreSQL, in the kept
// schema portal_loadtest_<n>, with n extra demo reports (filed only when
// the schema has none), and fresh planner statistics.
func newLoadAppOnPostgres(b *testing.B, n int) *app {
	b.Helper()
	url := os.Getenv(pgEnv)
	if url == "" {
		b.Skipf("skipping PostgreSQL: %s is not set", pgEnv)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	schema := fmt.Sprintf("portal_loadtest_%d", n)
	admin, err := pgx.Connect(ctx, url)
	require.NoError(b, err)
	_, err = admin.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema)
	require.NoError(b, admin.Close(ctx))
	require.NoError(b, err)
	cfg, err := pgxpool.ParseConfig(url)
	require.NoError(b, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns = wiring.DefaultMaxConns // as wiring.PoolConfig makes it
	cfg.MinConns = cfg.MaxConns
	cfg.ConnConfig.RuntimeParams["application_name"] = loadtestApp
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(b, err)
	b.Cleanup(pool.Close)
	require.NoError(b, outbox.Migrate(ctx, pool))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	be := wiring.NewBackend(log, pool)
	a, err := newApp(ctx, log, demo.Town(), be, false)
	require.NoError(b, err)
	start := time.Now()
	require.NoError(b, demo.SeedLoad(ctx, a.cases, a.town, n))
	require.NoError(b, be.Settle(ctx))
	_, err = pool.Exec(ctx, "ANALYZE")
	require.NoError(b, err)
	b.Logf("schema %s ready in %s", schema, time.Since(start).Round(time.Millisecond))
	return a
}

// benchOverview sends b.N requests for An's overview from workers
// concurrent clients, reports req/s, p50-ms and p99-ms, and returns the
// requests per second. It reports too the CPU time per request of this
// process (portal and clients: cpu-ms/op) and, in PostgreSQL mode, of the
// database's server processes for the portal's connections (db-cpu-ms/op)
// when it can read them: on a busy machine a request's CPU time says more
// than its wall time.
func benchOverview(b *testing.B, a *app, dossiers, workers int) float64 {
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
	ctx := context.Background()
	var dbBefore map[int]time.Duration
	if a.be.Pool != nil {
		dbBefore = backendCPU(ctx, a.be.Pool)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpuBefore := processCPU()
	start := time.Now()
	for range b.N {
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	cpu := processCPU() - cpuBefore
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
	if cpuBefore >= 0 {
		b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
	if dbBefore != nil {
		if dbAfter := backendCPU(ctx, a.be.Pool); dbAfter != nil {
			b.ReportMetric(float64(cpuSince(dbBefore, dbAfter))/float64(time.Millisecond)/float64(b.N), "db-cpu-ms/op")
		}
	}
	return float64(len(all)) / elapsed.Seconds()
}
