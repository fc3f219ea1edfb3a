package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/wiring"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/permit"
)

// The portal's crash test runs the portal in a child process (this test
// binary, started again with portalCrashEnv set) on one PostgreSQL schema,
// grants a permit and is killed with SIGKILL before any consumer handled
// the grant; a restarted portal must invoice the permit exactly once.
const (
	portalCrashEnv    = "BOUWSTENEN_PORTAL_CRASH"
	portalCrashSchema = "BOUWSTENEN_PORTAL_CRASH_SCHEMA"
)

// An's container permit is seeded submitted and not granted.
const crashApplicant = "85073003328"

// TestPortalCrashChild is the child's body; it does nothing in a normal run.
// Mode "grant": start the portal (seeding an empty database), stop its
// consumers, declare An's container permit complete and grant it, then wait
// to be killed. Mode "settle": start the portal, let its consumers catch
// up, and print the fee invoices of that permit.
func TestPortalCrashChild(t *testing.T) {
	mode := os.Getenv(portalCrashEnv)
	if mode == "" {
		t.Skip("runs only as the child of the portal crash test")
	}
	cfg, err := pgxpool.ParseConfig(os.Getenv("BOUWSTENEN_TEST_POSTGRES"))
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = os.Getenv(portalCrashSchema)
	ctx := context.Background()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	defer pool.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	consumers, stop := context.WithCancel(ctx)
	defer stop()
	a, err := newApp(consumers, log, demo.Town(), wiring.NewBackend(log, pool), false)
	require.NoError(t, err)
	ap := containerPermit(t, a)

	switch mode {
	case "grant":
		stop() // the consumers end; nothing handles the grant below
		time.Sleep(300 * time.Millisecond)
		_, err = a.permitRecords.Update(ctx, ap.ID, func(r *records.Permit) error { r.CompleteAt = time.Now(); return nil })
		require.NoError(t, err)
		_, err = a.permits.Grant(ctx, ap.ID, []string{"Laat een doorgang van 1,5 m vrij."})
		require.NoError(t, err)
		fmt.Printf("granted %s\n", ap.ID)
		time.Sleep(time.Minute) // the parent kills us here
	case "settle":
		require.NoError(t, a.be.Settle(ctx))
		var fees []string
		for r, err := range a.payments.List(ctx, payment.Query{Payers: []string{"insz:" + crashApplicant}}) {
			require.NoError(t, err)
			if r.Metadata["permit_id"] == ap.ID.String() {
				fees = append(fees, r.ID.String())
			}
		}
		rec, err := a.permitRecords.Get(ctx, ap.ID)
		require.NoError(t, err)
		fmt.Printf("fees %s recorded %s\n", strings.Join(fees, ","), rec.InvoiceID)
	}
}

// containerPermit finds An's container permit among her applications.
func containerPermit(t *testing.T, a *app) *permit.Application {
	t.Helper()
	for ap, err := range a.permits.ByApplicant(context.Background(), permit.PersonApplicant(crashApplicant)) {
		require.NoError(t, err)
		if ap.Type == "container" {
			return ap
		}
	}
	t.Fatal("An's container permit was not seeded")
	return nil
}

func TestGrantedPermitIsInvoicedOnceAcrossAKill(t *testing.T) {
	_, pool, _ := postgresTest(t, 4)
	schema := currentSchema(t, pool)
	// The child is this test binary again; the portal copies no internal
	// helper for it, so a copied portal's tests still compile.
	run := func(mode string) (*exec.Cmd, *bufio.Scanner) {
		exe, err := os.Executable()
		require.NoError(t, err)
		cmd := exec.Command(exe, "-test.run=^TestPortalCrashChild$", "-test.v")
		cmd.Env = append(os.Environ(), portalCrashEnv+"="+mode, portalCrashSchema+"="+schema)
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		cmd.Stderr = os.Stderr
		require.NoError(t, cmd.Start())
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		return cmd, bufio.NewScanner(out)
	}
	line := func(sc *bufio.Scanner, prefix string) string {
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), prefix) {
				return sc.Text()
			}
		}
		t.Fatalf("the portal ended without printing %q", prefix)
		return ""
	}

	cmd, out := run("grant")
	granted := strings.TrimPrefix(line(out, "granted "), "granted ")
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()

	var fees, recorded []string
	for range 2 { // restarted, and restarted once more: still one invoice
		cmd, out = run("settle")
		f := strings.Fields(line(out, "fees "))
		require.Len(t, f, 4, "fees <ids> recorded <id>")
		fees, recorded = append(fees, f[1]), append(recorded, f[3])
		require.NoError(t, cmd.Wait())
	}
	assert.NotEmpty(t, granted)
	assert.Len(t, strings.Split(fees[0], ","), 1, "one fee invoice for the granted permit")
	assert.Equal(t, fees[0], fees[1], "a second restart invoices nothing more")
	assert.Equal(t, fees[0], recorded[0], "the permit records its invoice")
	assert.NotEqual(t, uuid.Nil.String(), recorded[0])
}
