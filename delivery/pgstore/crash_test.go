package pgstore_test

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
	"github.com/lokaalbestuur/bouwstenen/delivery/pgstore"
	"github.com/lokaalbestuur/bouwstenen/internal/crashtest"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

// The paper crash test runs a dispatcher in a child process (this test
// binary again) and kills it with SIGKILL after its step marked the
// letters sent and before any print batch was written.
const (
	paperChildEnv  = "BOUWSTENEN_PAPER_CRASH_CHILD"
	paperSchemaEnv = "BOUWSTENEN_PAPER_CRASH_SCHEMA"
	paperSpoolEnv  = "BOUWSTENEN_PAPER_CRASH_SPOOL"
)

// TestPaperCrashChild is the child's body; it does nothing in a normal run.
// Mode "step" dispatches and then waits to be killed; mode "flush" writes
// the print batch to spool/batch.zip.
func TestPaperCrashChild(t *testing.T) {
	mode := os.Getenv(paperChildEnv)
	if mode == "" {
		t.Skip("runs only as the child of the paper crash test")
	}
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(pgtest.URL(t))
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = os.Getenv(paperSchemaEnv)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	defer pool.Close()
	dir := os.Getenv(paperSpoolEnv)
	paper, err := delivery.OpenPrintSpool(dir, clock.Real{})
	require.NoError(t, err)
	switch mode {
	case "step":
		d := &delivery.Dispatcher{Store: pgstore.New(pool), Channels: map[delivery.ChannelKind]delivery.Channel{delivery.ChannelPaper: paper}}
		n, err := d.Step(ctx)
		require.NoError(t, err)
		fmt.Printf("stepped %d\n", n)
		time.Sleep(time.Minute) // the parent kills us here, before any WriteZip
	case "flush":
		m, err := paper.WriteZipFile(dir + "/batch.zip")
		require.NoError(t, err)
		fmt.Printf("flushed %d\n", m.Count)
	}
}

func TestPaperLettersSurviveAKilledDispatcher(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 4)
	s := pgstore.New(pool)
	require.NoError(t, s.Migrate(ctx))
	svc := delivery.NewService(s, clock.Real{}, nil)
	_, err := svc.PutRule(ctx, deliverytest.TaxRule())
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "loket", func(p *delivery.Preference) error {
		p.Preferred, p.Address = delivery.ChannelPaper, &deliverytest.Address
		return nil
	})
	require.NoError(t, err)
	const letters = 5
	want := map[string]bool{}
	for range letters {
		d, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
		require.NoError(t, err)
		want[d.ID.String()] = true
	}
	schema, dir := pgtest.Schema(t, pool), t.TempDir()

	cmd, out := crashtest.Start(t, "TestPaperCrashChild", paperChildEnv+"=step", paperSchemaEnv+"="+schema, paperSpoolEnv+"="+dir)
	assert.Equal(t, fmt.Sprintf("stepped %d", letters), crashtest.Line(t, out, "stepped "))
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	for id := range want {
		d, err := s.Get(ctx, mustUUID(t, id))
		require.NoError(t, err)
		require.Equal(t, delivery.StatusSent, d.Current().Status, "the store says sent: only the spool can still have the letter")
	}

	cmd, out = crashtest.Start(t, "TestPaperCrashChild", paperChildEnv+"=flush", paperSchemaEnv+"="+schema, paperSpoolEnv+"="+dir)
	assert.Equal(t, fmt.Sprintf("flushed %d", letters), crashtest.Line(t, out, "flushed "))
	require.NoError(t, cmd.Wait())

	zr, err := zip.OpenReader(dir + "/batch.zip")
	require.NoError(t, err)
	defer zr.Close()
	var man delivery.PrintManifest
	for _, f := range zr.File {
		if f.Name == "manifest.json" {
			rc, err := f.Open()
			require.NoError(t, err)
			require.NoError(t, json.NewDecoder(rc).Decode(&man))
			rc.Close()
		}
	}
	got := map[string]bool{}
	for _, it := range man.Items {
		got[it.DocumentID.String()] = true
	}
	assert.Equal(t, want, got, "every letter the killed dispatcher marked sent is in the batch")
}

func mustUUID(t *testing.T, s string) uuid.UUID {
	t.Helper()
	u, err := uuid.Parse(s)
	require.NoError(t, err)
	return u
}
