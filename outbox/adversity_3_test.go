package outbox_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

// A slow (or hung) handler of one consumer holds up no other consumer, in
// any process: its pass holds no transaction ID while handlers run, so
// pg_snapshot_xmin is not held back.
func TestConsumersSlowConsumerHoldsUpNoOther(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 8)
	require.NoError(t, outbox.Migrate(ctx, pool))
	publish := func() {
		require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return outbox.Write(ctx, tx, rev("x")) }))
	}
	release := make(chan struct{})
	started := make(chan struct{}, 10)
	slow := outbox.NewConsumers(pool, clock.Real{}, event.RetryPolicy{})
	require.NoError(t, slow.Subscribe(ctx, event.Consumer{Name: "slow mailer", Handle: func(context.Context, event.Event) error {
		started <- struct{}{}
		<-release
		return nil
	}}))
	fast := outbox.NewConsumers(pool, clock.Real{}, event.RetryPolicy{})
	var n atomic.Int32
	require.NoError(t, fast.Subscribe(ctx, event.Consumer{Name: "fast", Handle: func(context.Context, event.Event) error { n.Add(1); return nil }}))

	publish()
	go slow.Step(ctx)
	<-started // the slow consumer is busy with event 1
	publish() // event 2, committed
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) && n.Load() < 2 {
		_, err := fast.Step(ctx)
		require.NoError(t, err)
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("fast consumer handled %d of 2 committed events in 3 s while another consumer's handler ran", n.Load())
	close(release)
	require.EqualValues(t, 2, n.Load())
}
