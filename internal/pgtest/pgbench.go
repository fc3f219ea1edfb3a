package pgtest

import (
	"context"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PgbenchDatabase is the database Pgbench initialises and runs in, so its
// tables never meet a test's.
const PgbenchDatabase = "bouwstenen_pgbench"

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// Pgbench runs pgbench's built-in tpcb-like transaction with the given
// clients for d against the test server and returns its transactions per
// second: the machine's limit for one-transaction-per-change work, which
// commit fsync bounds. It returns 0 and logs why when pgbench is not
// installed or the test database is not set.
func Pgbench(tb testing.TB, clients int, d time.Duration) float64 {
	tb.Helper()
	bin, err := exec.LookPath("pgbench")
	if err != nil {
		tb.Logf("pgbench not installed: no machine limit to compare with")
		return 0
	}
	url := URL(tb)
	ctx := context.Background()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		tb.Fatalf("pgtest: parse %s: %v", EnvVar, err)
	}
	admin, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		tb.Fatalf("pgtest: connect: %v", err)
	}
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", PgbenchDatabase).Scan(&exists); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	if !exists {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+PgbenchDatabase); err != nil {
			tb.Fatalf("pgtest: create %s: %v", PgbenchDatabase, err)
		}
	}
	admin.Close(ctx)
	conn := []string{"-h", cfg.Host, "-p", strconv.Itoa(int(cfg.Port)), "-U", cfg.User}
	// Scale as many branches as clients, as pgbench's documentation advises:
	// with fewer, its clients queue on one branch row, not on the machine.
	scale := strconv.Itoa(max(clients, 1))
	if out, err := exec.Command(bin, append(conn, "-i", "-q", "-s", scale, PgbenchDatabase)...).CombinedOutput(); err != nil {
		tb.Fatalf("pgbench -i: %v\n%s", err, out)
	}
	// pgbench -i leaves hundreds of megabytes of dirty pages and WAL: a
	// checkpoint before the timed run and after it, so that neither
	// pgbench nor the benchmark measured next pays for the other's writes.
	checkpoint(tb, cfg)
	defer checkpoint(tb, cfg)
	args := append(conn, "-n", "-c", strconv.Itoa(clients), "-j", strconv.Itoa(min(clients, 2)),
		"-T", strconv.Itoa(max(1, int(d.Seconds()))), PgbenchDatabase)
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("pgbench: %v\n%s", err, out)
	}
	m := tpsLine.FindSubmatch(out)
	if m == nil {
		tb.Fatalf("pgbench printed no tps line:\n%s", out)
	}
	tps, _ := strconv.ParseFloat(string(m[1]), 64)
	tb.Logf("pgbench tpcb-like, %d clients, %s: %.0f tps", clients, d, tps)
	return tps
}

// ReportVsPgbench adds the metric "x_pgbench": perSecond divided by
// pgbench's tps with the same clients, measured now. It reports nothing
// when pgbench is missing, or for runs under 100 iterations (CI's smoke
// run of every benchmark), which measure nothing worth comparing.
func ReportVsPgbench(b *testing.B, perSecond float64, clients int) {
	b.Helper()
	if b.N < 100 {
		return
	}
	if tps := Pgbench(b, clients, 5*time.Second); tps > 0 {
		b.ReportMetric(perSecond/tps, "x_pgbench")
		b.ReportMetric(tps, "pgbench_tps")
	}
}

// checkpoint runs CHECKPOINT on the test server.
func checkpoint(tb testing.TB, cfg *pgx.ConnConfig) {
	tb.Helper()
	ctx := context.Background()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		tb.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CHECKPOINT"); err != nil {
		tb.Fatalf("pgtest: checkpoint: %v", err)
	}
}
