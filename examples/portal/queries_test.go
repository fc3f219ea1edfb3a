package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/web/payments"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

// countedKey marks the context of a request whose SQL statements a
// statementCounter counts.
type countedKey struct{}

// statementCounter is a pgx tracer that keeps the SQL of every statement
// (a query, an exec, each query of a batch) sent on a context marked with
// countedKey, and counts the round trips they took (a query alone is one,
// a batch is one). The event consumers share the pool; their statements
// are not counted.
type statementCounter struct {
	mu    sync.Mutex
	sql   []string
	trips int
}

func (c *statementCounter) add(ctx context.Context, sql string, trip bool) {
	if ctx.Value(countedKey{}) == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if sql != "" {
		c.sql = append(c.sql, strings.Join(strings.Fields(sql), " "))
	}
	if trip {
		c.trips++
	}
}

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.add(ctx, d.SQL, true)
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c *statementCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.add(ctx, "", true)
	return ctx
}

func (c *statementCounter) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	c.add(ctx, d.SQL, false)
}

func (c *statementCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// take returns the statements counted so far and starts again.
func (c *statementCounter) take() []string {
	out, _ := c.takeTrips()
	return out
}

// takeTrips returns the statements and round trips counted so far and
// starts again.
func (c *statementCounter) takeTrips() ([]string, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out, trips := c.sql, c.trips
	c.sql, c.trips = nil, 0
	return out, trips
}

// dossierLinks counts, per section of "Mijn dossiers", the links to a
// dossier in page.
var dossierLinks = map[string]*regexp.Regexp{
	"cases":     regexp.MustCompile(`href="/mijn-dossiers/[0-9a-f-]{36}"`),
	"permits":   regexp.MustCompile(`href="/vergunningen/[0-9a-f-]{36}"`),
	"invoices":  regexp.MustCompile(`href="/facturen/[0-9a-f-]{36}"`),
	"subsidies": regexp.MustCompile(`href="/subsidies/aanvragen/[0-9a-f-]{36}"`),
	"post":      regexp.MustCompile(`href="/mijn-post/[0-9a-f-]{36}"`),
}

func countLinks(page string) map[string]int {
	n := map[string]int{}
	for name, re := range dossierLinks {
		n[name] = len(re.FindAllString(page, -1))
	}
	return n
}

// TestDossierOverviewStatementsDoNotGrow counts the SQL statements one
// request of "Mijn dossiers" sends in PostgreSQL mode, then files more of
// An's dossiers in every block that has them (reports, permits with their
// records and invoices, subsidy applications in new calls, the letters
// that go with them) and counts again: the number stays the same (no
// query per item, "N+1"), and stays at about one per section.
func TestDossierOverviewStatementsDoNotGrow(t *testing.T) {
	counter := &statementCounter{}
	pool := testPoolWith(t, 0, func(c *pgxpool.Config) { c.ConnConfig.Tracer = counter })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	require.NoError(t, outbox.Migrate(ctx, pool))
	be := wiring.NewBackend(log, pool)
	a, err := newApp(ctx, log, demo.Town(), be, false)
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/mijn-dossiers" {
			r = r.WithContext(context.WithValue(r.Context(), countedKey{}, true))
		}
		a.handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c := &client{t: t, srv: srv, c: &http.Client{Jar: newJar(t)}}
	c.signIn("an")
	var trips int
	overview := func() (statements []string, links map[string]int) {
		t.Helper()
		counter.take()
		status, page := c.get("/mijn-dossiers")
		require.Equal(t, http.StatusOK, status)
		statements, trips = counter.takeTrips()
		return statements, countLinks(page)
	}

	_, _ = overview() // the first view may read what later views remember (a subsidy call's title)
	before, linksBefore := overview()

	// More of An's dossiers in every block: reports (and the letters about
	// them), permit applications (each with its record), invoices,
	// applications in two new subsidy calls.
	require.NoError(t, demo.SeedCases(ctx, a.cases, a.town))
	require.NoError(t, demo.SeedCases(ctx, a.cases, a.town))
	for range 2 {
		_, form := c.get("/vergunningen/aanvragen")
		c.apply(applyForm(csrf(t, form), startFor(t, a, "container")))
	}
	an, _ := a.town.Person("an")
	for i := range 3 {
		_, err := a.paymentPages.Invoice(ctx, payments.NewInvoice{Key: fmt.Sprintf("queries-test-%d", i), Subject: "Kopie van een akte",
			Name: an.Name, INSZ: an.INSZ, Email: an.Email, Address: an.Address,
			Amount: decimal.RequireFromString("7.50"), Due: calendar.DateIn(time.Now()).AddDays(30)})
		require.NoError(t, err)
	}
	require.NoError(t, demo.SeedSubsidies(ctx, a.subsidies, a.town, time.Now()))
	require.NoError(t, be.Settle(ctx))

	first, _ := overview()
	after, linksAfter := overview()
	for _, section := range []string{"cases", "permits", "invoices", "subsidies", "post"} {
		require.Greater(t, linksAfter[section], linksBefore[section], "An has more %s now", section)
	}
	t.Logf("dossiers before %v, after %v; statements per view %d, after %d", linksBefore, linksAfter, len(before), len(after))
	for _, sql := range after {
		t.Logf("statement: %s", sql)
	}
	assert.Equal(t, len(before), len(after), "statements per view grew with the dossiers:\nbefore:\n%s\nafter:\n%s",
		strings.Join(before, "\n"), strings.Join(after, "\n"))
	// Seven sections; the permits read their records in a second query;
	// and the session, which lives in PostgreSQL, is looked up once.
	assert.LessOrEqual(t, len(after), 9, "statements:\n%s", strings.Join(after, "\n"))
	// They take two round trips: the session, then the reads of every
	// section, the permits' records included, gathered in one batch
	// (pggather).
	assert.Equal(t, 2, trips, "round trips of one view:\n%s", strings.Join(after, "\n"))
	// Only the new subsidy calls' titles are read once, on the first view
	// after they appear.
	assert.LessOrEqual(t, len(first), len(after)+2, "first view after the two new calls:\n%s", strings.Join(first, "\n"))
}
