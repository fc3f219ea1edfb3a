package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
	"github.com/lokaalbestuur/bouwstenen/delivery/pgstore"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

func TestPGStore(t *testing.T) {
	deliverytest.Run(t, func(t *testing.T) deliverytest.Harness {
		pool := pgtest.Pool(t, 8)
		s := pgstore.New(pool)
		require.NoError(t, s.Migrate(context.Background()))
		return deliverytest.Harness{Store: s, Committed: func(t *testing.T) []event.Event { return pgtest.OutboxEvents(t, pool) }}
	})
}

// BenchmarkDispatchInstantPG is the dispatcher throughput on PostgreSQL with
// an instant channel; it skips without BOUWSTENEN_TEST_POSTGRES.
func BenchmarkDispatchInstantPG(b *testing.B) {
	for _, workers := range []int{1, 8} {
		if workers == 8 {
			b.Run("dispatchers=3", func(b *testing.B) {
				s := pgstore.New(pgtest.Pool(b, 12))
				require.NoError(b, s.Migrate(context.Background()))
				deliverytest.BenchDispatchers(b, s, 4, 3)
				pgtest.ReportVsPgbench(b, deliverytest.DocsPerSecond(b), 16)
			})
		}
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			s := pgstore.New(pgtest.Pool(b, 8))
			require.NoError(b, s.Migrate(context.Background()))
			deliverytest.BenchDispatch(b, s, workers)
			pgtest.ReportVsPgbench(b, deliverytest.DocsPerSecond(b), 16)
		})
	}
}

func TestOutboxInSameTransaction(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 4)
	s := pgstore.New(pool)
	require.NoError(t, s.Migrate(ctx))
	svc := delivery.NewService(s, clock.NewSettable(deliverytest.Start), nil)
	_, err := svc.PutRule(ctx, deliverytest.TaxRule())
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "loket", func(p *delivery.Preference) error {
		p.Preferred, p.Address = delivery.ChannelPaper, &deliverytest.Address
		return nil
	})
	require.NoError(t, err)
	d, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
	require.NoError(t, err)
	count := func() (n int) {
		require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE aggregate_id = $1`, d.ID).Scan(&n))
		return n
	}
	assert.Equal(t, 1, count(), "queued event written with the delivery")
	_, err = s.Update(ctx, d.ID, func(x *delivery.Delivery) (delivery.Change, error) {
		return delivery.Change{Events: []event.Event{{ID: uuid.New(), Type: "x", AggregateID: d.ID}}}, errors.New("rule refused")
	})
	require.Error(t, err)
	assert.Equal(t, 1, count(), "a refused change writes no event")

	var payload []byte
	require.NoError(t, pool.QueryRow(ctx, `SELECT payload FROM outbox WHERE aggregate_id = $1`, d.ID).Scan(&payload))
	assert.NotContains(t, string(payload), deliverytest.Person.ID, "events carry no personal data")
}

// A claim leases in columns and leaves the stored document as it was; the
// lease and version read back come from the columns.
func TestClaimRewritesNoDocument(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 4)
	s := pgstore.New(pool)
	require.NoError(t, s.Migrate(ctx))
	svc := delivery.NewService(s, clock.NewSettable(deliverytest.Start), nil)
	_, err := svc.PutRule(ctx, deliverytest.TaxRule())
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "loket", func(p *delivery.Preference) error {
		p.Preferred, p.Address = delivery.ChannelPaper, &deliverytest.Address
		return nil
	})
	require.NoError(t, err)
	d, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
	require.NoError(t, err)
	doc := func() (text string) {
		require.NoError(t, pool.QueryRow(ctx, `SELECT data::text FROM delivery_deliveries WHERE id = $1`, d.ID).Scan(&text))
		return text
	}
	before := doc()

	got, err := s.Claim(ctx, deliverytest.Start.Add(time.Hour), time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, before, doc(), "the claim rewrote the document")
	stored, err := s.Get(ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, got[0].LeaseID, stored.LeaseID)
	assert.True(t, got[0].LeaseUntil.Equal(stored.LeaseUntil))
	assert.Equal(t, d.Version+1, stored.Version)
}

// A claim changes no indexed column, so PostgreSQL updates the queue row in
// place (HOT, heap-only tuple: no new index entries) and writes nothing in
// delivery_deliveries; and it leaves a delivery whose lease still runs
// alone, even though its due_at has passed.
func TestClaimIsHeapOnlyUpdate(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 1) // one connection: the statistics read are the claim's backend's
	s := pgstore.New(pool)
	require.NoError(t, s.Migrate(ctx))
	svc := delivery.NewService(s, clock.NewSettable(deliverytest.Start), nil)
	_, err := svc.PutRule(ctx, deliverytest.TaxRule())
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "loket", func(p *delivery.Preference) error {
		p.Preferred, p.Address = delivery.ChannelPaper, &deliverytest.Address
		return nil
	})
	require.NoError(t, err)
	d, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
	require.NoError(t, err)
	updates := func() (all, hot, docs int) {
		_, err := pool.Exec(ctx, `SELECT pg_stat_force_next_flush()`)
		require.NoError(t, err)
		require.NoError(t, pool.QueryRow(ctx, `SELECT q.n_tup_upd, q.n_tup_hot_upd, d.n_tup_upd
			FROM pg_stat_user_tables q, pg_stat_user_tables d
			WHERE q.relid = 'delivery_queue'::regclass AND d.relid = 'delivery_deliveries'::regclass`).Scan(&all, &hot, &docs))
		return all, hot, docs
	}
	all0, hot0, docs0 := updates()

	now := deliverytest.Start.Add(time.Hour)
	got, err := s.Claim(ctx, now, time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, got, 1)
	all, hot, docs := updates()
	assert.Equal(t, 1, all-all0, "the claim updated one queue row")
	assert.Equal(t, 1, hot-hot0, "the claim was not a heap-only update")
	assert.Equal(t, 0, docs-docs0, "the claim updated a document's row")

	again, err := s.Claim(ctx, now.Add(59*time.Second), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, again, "a delivery whose lease runs was claimed")
	after, err := s.Claim(ctx, now.Add(time.Minute), time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, after, 1, "the lease ended, the delivery is due")
	assert.Equal(t, d.ID, after[0].ID)
	assert.NotEqual(t, got[0].LeaseID, after[0].LeaseID)
}
