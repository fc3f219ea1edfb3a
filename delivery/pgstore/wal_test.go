package pgstore_test

import (
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
	"github.com/lokaalbestuur/bouwstenen/delivery/pgstore"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

// walMeter sums the WAL that its pool's statements wrote, as PostgreSQL's
// auto_explain reports it for each statement (EXPLAIN's WAL figures): the
// bytes of this pool's sessions only, whatever else the server runs, and
// however loaded the machine is. Commit records are not counted.
type walMeter struct{ bytes atomic.Int64 }

var (
	walLine = regexp.MustCompile(`WAL: records=\d+ bytes=(\d+)`)
	cteHead = regexp.MustCompile(`^\s*CTE (\w+)$`)
	cteScan = regexp.MustCompile(`CTE Scan on (\w+)`)
)

// planWAL is the WAL a statement wrote, from its plan as auto_explain logs
// it: the first WAL line is the top node's, which includes the nodes below
// it and the CTEs they read; a data-modifying CTE that nothing reads runs
// after the main plan, and its WAL is added from its own section.
func planWAL(plan string) int64 {
	var total int64
	top := true
	var cte string
	ctes := map[string]int64{}
	for _, line := range strings.Split(plan, "\n") {
		if m := cteHead.FindStringSubmatch(line); m != nil {
			cte = m[1]
			continue
		}
		m := walLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		b, _ := strconv.ParseInt(m[1], 10, 64)
		switch {
		case top:
			total, top = b, false
		case cte != "":
			ctes[cte] = b
			cte = ""
		}
	}
	read := map[string]bool{}
	for _, m := range cteScan.FindAllStringSubmatch(plan, -1) {
		read[m[1]] = true
	}
	for name, b := range ctes {
		if !read[name] {
			total += b
		}
	}
	return total
}

// pool returns a one-connection pool over the schema of base whose
// statements the meter counts; it skips t when auto_explain cannot be
// loaded (it needs a superuser and PostgreSQL's contrib modules).
func (m *walMeter) pool(t *testing.T, base *pgxpool.Pool) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(os.Getenv(pgtest.EnvVar))
	require.NoError(t, err)
	cfg.MaxConns = 1
	cfg.ConnConfig.RuntimeParams["search_path"] = pgtest.Schema(t, base)
	cfg.ConnConfig.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		m.bytes.Add(planWAL(n.Message))
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, `LOAD 'auto_explain';
			SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on;
			SET auto_explain.log_timing = off; SET auto_explain.log_wal = on;
			SET client_min_messages = log`)
		return err
	}
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	if err := p.Ping(context.Background()); err != nil {
		t.Skipf("auto_explain unavailable, no WAL to measure: %v", err)
	}
	return p
}

// walStore attributes the WAL of a dispatcher's claims and of its
// completions (UpdateMany) to each.
type walStore struct {
	delivery.Store
	meter                 *walMeter
	claimed, completed    int64
	claimWAL, completeWAL int64
}

func (s *walStore) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]delivery.Delivery, error) {
	before := s.meter.bytes.Load()
	ds, err := s.Store.Claim(ctx, now, lease, limit)
	s.claimWAL += s.meter.bytes.Load() - before
	s.claimed += int64(len(ds))
	return ds, err
}

func (s *walStore) UpdateMany(ctx context.Context, ds []delivery.Delivery, fn func(int, *delivery.Delivery) (delivery.Change, error)) ([]error, error) {
	before := s.meter.bytes.Load()
	failed, err := s.Store.UpdateMany(ctx, ds, fn)
	s.completeWAL += s.meter.bytes.Load() - before
	s.completed += int64(len(ds))
	return failed, err
}

// The dispatcher's WAL per paper letter, a figure the machine's load does
// not change: a claim leases its queue rows in place (a heap-only update
// logged as the row's changed stretch, migration 0007), about 170 bytes a
// delivery where rewriting the row and its four index entries took 2,000;
// a completion writes the queue row (a new version of a few hundred bytes
// and its primary-key entry), two evidence entries and two events, about
// 2,800, where writing the progress into the document's row (and its
// entries in three indexes) took 3,000 and the whole document 4,100. The
// bounds leave room for PostgreSQL's versions, not for a claim or a
// completion that rewrites documents.
func TestDispatchWALPerDelivery(t *testing.T) {
	ctx := context.Background()
	base := pgtest.Pool(t, 2)
	var meter walMeter
	s := &walStore{Store: pgstore.New(meter.pool(t, base)), meter: &meter}
	require.NoError(t, pgstore.New(base).Migrate(ctx))
	clk := clock.NewSettable(deliverytest.Start)
	svc := delivery.NewService(s, clk, nil)
	_, err := svc.PutRule(ctx, deliverytest.TaxRule())
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "loket", func(p *delivery.Preference) error {
		p.Preferred, p.Address = delivery.ChannelPaper, &deliverytest.Address
		return nil
	})
	require.NoError(t, err)
	const n = 400
	doc := deliverytest.Doc(deliverytest.Person)
	for range n {
		doc.ID = uuid.New()
		_, err := svc.Submit(ctx, doc)
		require.NoError(t, err)
	}
	// No claim ahead: the store's calls must not overlap for their WAL to
	// be told apart.
	disp := &delivery.Dispatcher{Store: s, Clock: clk, Batch: 100, NoPrefetch: true,
		Channels: map[delivery.ChannelKind]delivery.Channel{delivery.ChannelPaper: deliverytest.InstantChannel{Channel: delivery.ChannelPaper}}}
	for {
		k, err := disp.Step(ctx)
		require.NoError(t, err)
		if k == 0 {
			break
		}
	}
	require.EqualValues(t, n, s.claimed)
	require.EqualValues(t, n, s.completed)
	claim, complete := s.claimWAL/n, s.completeWAL/n
	t.Logf("WAL per delivery: claim %d bytes, completion %d bytes", claim, complete)
	assert.Less(t, claim, int64(400), "claim WAL per delivery")
	assert.Less(t, complete, int64(3400), "completion WAL per delivery")
}
