// Package eventtest is the conformance suite every event.Consumers passes:
// event.Log in memory and outbox.Consumers over PostgreSQL run the very same
// tests of per-consumer progress, retries, parking, replay and order.
package eventtest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
)

var t0 = time.Date(2026, 12, 2, 9, 0, 0, 0, clock.Brussels)

// Harness is one log under test: its consumers, and a way to publish
// events into it as a store would (committed).
type Harness struct {
	Consumers event.Consumers
	Publish   func(ctx context.Context, events ...event.Event) error
	// Another, when set, returns a second runner over the same log, as a
	// second process would have.
	Another func() event.Consumers
}

// Run runs the suite; newHarness makes an empty log whose retries read
// the given clock and whose policy is p.
func Run(t *testing.T, newHarness func(t *testing.T, clk clock.Clock, p event.RetryPolicy) Harness) {
	t.Run("EachConsumerHasItsOwnProgress", func(t *testing.T) { testProgress(t, newHarness) })
	t.Run("FailsThreeTimesThenDoesItsWorkOnce", func(t *testing.T) { testFailThrice(t, newHarness) })
	t.Run("OrderedConsumerKeepsOrderPerAggregate", func(t *testing.T) { testOrdered(t, newHarness) })
	t.Run("PanickingHandlerIsAFailure", func(t *testing.T) { testPanic(t, newHarness) })
	t.Run("HandlersMayPublish", func(t *testing.T) { testHandlersPublish(t, newHarness) })
	t.Run("ConcurrentPublishersAndRunners", func(t *testing.T) { testConcurrent(t, newHarness) })
}

type newHarnessFunc = func(t *testing.T, clk clock.Clock, p event.RetryPolicy) Harness

func ev(typ string, agg uuid.UUID) event.Event {
	return event.Event{ID: uuid.Must(uuid.NewV7()), Type: typ, AggregateID: agg, Time: t0}
}

// seen records what a handler handled, in order.
type seen struct {
	mu  sync.Mutex
	ids []uuid.UUID
}

func (s *seen) add(e event.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids = append(s.ids, e.ID)
}

func (s *seen) list() []uuid.UUID {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]uuid.UUID(nil), s.ids...)
}

func testProgress(t *testing.T, newHarness newHarnessFunc) {
	ctx := context.Background()
	clk := clock.NewSettable(t0)
	h := newHarness(t, clk, event.RetryPolicy{MaxAttempts: 3})
	l := h.Consumers
	var ok, flaky seen
	var failing atomic.Bool
	failing.Store(true)
	require.NoError(t, l.Subscribe(ctx, event.Consumer{Name: "ok", Handle: func(_ context.Context, e event.Event) error { ok.add(e); return nil }}))
	require.NoError(t, l.Subscribe(ctx, event.Consumer{Name: "flaky", Types: []string{"permit.granted"}, Handle: func(_ context.Context, e event.Event) error {
		if failing.Load() {
			return errors.New("payment service down")
		}
		flaky.add(e)
		return nil
	}}))
	assert.Error(t, l.Subscribe(ctx, event.Consumer{Name: "ok", Handle: func(context.Context, event.Event) error { return nil }}), "names are unique")

	a, b := ev("permit.granted", uuid.New()), ev("case.updated", uuid.New())
	require.NoError(t, h.Publish(ctx, a, b))
	require.NoError(t, l.Settle(ctx))
	assert.Equal(t, []uuid.UUID{a.ID, b.ID}, ok.list(), "one consumer's failure holds up no other")
	assert.Empty(t, flaky.list())

	f, err := l.Failures(ctx, "flaky")
	require.NoError(t, err)
	require.Len(t, f, 1, "only the permit event is of the flaky consumer's types")
	assert.Equal(t, a.ID, f[0].Event.ID)
	assert.Equal(t, 1, f[0].Attempts)
	assert.Equal(t, "payment service down", f[0].LastError)
	assert.WithinDuration(t, t0.Add(time.Second), f[0].NextAttempt, 0, "first backoff is a second")
	assert.False(t, f[0].Parked)

	// Not due yet: a step does nothing.
	require.NoError(t, l.Settle(ctx))
	f, _ = l.Failures(ctx, "flaky")
	assert.Equal(t, 1, f[0].Attempts)

	clk.Advance(time.Second)
	require.NoError(t, l.Settle(ctx))
	f, _ = l.Failures(ctx, "flaky")
	assert.Equal(t, 2, f[0].Attempts)
	assert.WithinDuration(t, clk.Now().Add(2*time.Second), f[0].NextAttempt, 0, "backoff doubles")

	clk.Advance(time.Minute)
	require.NoError(t, l.Settle(ctx))
	f, _ = l.Failures(ctx, "")
	require.Len(t, f, 1)
	assert.True(t, f[0].Parked, "parked after three attempts")
	clk.Advance(time.Hour)
	require.NoError(t, l.Settle(ctx))
	f, _ = l.Failures(ctx, "")
	assert.Equal(t, 3, f[0].Attempts, "a parked event is not retried by itself")

	failing.Store(false)
	assert.ErrorIs(t, l.Replay(ctx, "flaky", 999), event.ErrNoFailure)
	require.NoError(t, l.Replay(ctx, "flaky", f[0].Seq))
	require.NoError(t, l.Settle(ctx))
	assert.Equal(t, []uuid.UUID{a.ID}, flaky.list(), "replayed and done once")
	f, _ = l.Failures(ctx, "")
	assert.Empty(t, f)
	assert.Len(t, ok.list(), 2, "the healthy consumer did not see anything twice")
}

func testFailThrice(t *testing.T, newHarness newHarnessFunc) {
	ctx := context.Background()
	clk := clock.NewSettable(t0)
	h := newHarness(t, clk, event.RetryPolicy{})
	l := h.Consumers
	var calls, done atomic.Int32
	require.NoError(t, l.Subscribe(ctx, event.Consumer{Name: "invoice", Handle: func(context.Context, event.Event) error {
		if calls.Add(1) <= 3 {
			return errors.New("transient")
		}
		done.Add(1)
		return nil
	}}))
	require.NoError(t, h.Publish(ctx, ev("permit.granted", uuid.New())))
	for range 10 {
		require.NoError(t, l.Settle(ctx))
		clk.Advance(time.Minute)
	}
	assert.EqualValues(t, 4, calls.Load())
	assert.EqualValues(t, 1, done.Load())
}

func testOrdered(t *testing.T, newHarness newHarnessFunc) {
	ctx := context.Background()
	clk := clock.NewSettable(t0)
	h := newHarness(t, clk, event.RetryPolicy{})
	l := h.Consumers
	x, y := uuid.New(), uuid.New()
	var got seen
	var failX atomic.Bool
	failX.Store(true)
	require.NoError(t, l.Subscribe(ctx, event.Consumer{Name: "ordered", Ordered: true, Handle: func(_ context.Context, e event.Event) error {
		if e.AggregateID == x && failX.Load() {
			return errors.New("not yet")
		}
		got.add(e)
		return nil
	}}))
	x1, y1, x2, y2, x3 := ev("a", x), ev("a", y), ev("b", x), ev("b", y), ev("c", x)
	require.NoError(t, h.Publish(ctx, x1, y1, x2, y2, x3))
	require.NoError(t, l.Settle(ctx))
	assert.Equal(t, []uuid.UUID{y1.ID, y2.ID}, got.list(), "y goes on while x waits")
	f, _ := l.Failures(ctx, "")
	require.Len(t, f, 1, "x2 and x3 are held, not failed")

	failX.Store(false)
	clk.Advance(time.Minute)
	require.NoError(t, l.Settle(ctx))
	assert.Equal(t, []uuid.UUID{y1.ID, y2.ID, x1.ID, x2.ID, x3.ID}, got.list())
}

func testPanic(t *testing.T, newHarness newHarnessFunc) {
	ctx := context.Background()
	h := newHarness(t, clock.NewSettable(t0), event.RetryPolicy{MaxAttempts: 1})
	l := h.Consumers
	require.NoError(t, l.Subscribe(ctx, event.Consumer{Name: "p", Handle: func(context.Context, event.Event) error { panic("boom") }}))
	require.NoError(t, h.Publish(ctx, ev("a", uuid.New())))
	require.NoError(t, l.Settle(ctx))
	f, _ := l.Failures(ctx, "p")
	require.Len(t, f, 1)
	assert.True(t, f[0].Parked)
	assert.Contains(t, f[0].LastError, "boom")
}

func testHandlersPublish(t *testing.T, newHarness newHarnessFunc) {
	ctx := context.Background()
	h := newHarness(t, clock.Real{}, event.RetryPolicy{})
	l := h.Consumers
	var second seen
	require.NoError(t, l.Subscribe(ctx, event.Consumer{Name: "granted→invoice", Types: []string{"granted"}, Handle: func(ctx context.Context, e event.Event) error {
		return h.Publish(ctx, ev("invoiced", e.AggregateID))
	}}))
	require.NoError(t, l.Subscribe(ctx, event.Consumer{Name: "invoice→mail", Types: []string{"invoiced"}, Handle: func(_ context.Context, e event.Event) error {
		second.add(e)
		return nil
	}}))
	for range 100 {
		require.NoError(t, h.Publish(ctx, ev("granted", uuid.New())))
	}
	require.NoError(t, l.Settle(ctx))
	assert.Len(t, second.list(), 100, "Settle waits for the events handlers publish too")
}

func testConcurrent(t *testing.T, newHarness newHarnessFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := newHarness(t, clock.Real{}, event.RetryPolicy{})
	l := h.Consumers
	var n atomic.Int64
	ids := sync.Map{}
	count := event.Consumer{Name: "count", Handle: func(_ context.Context, e event.Event) error {
		if _, dup := ids.LoadOrStore(e.ID, true); dup {
			return errors.New("handled twice")
		}
		n.Add(1)
		return nil
	}}
	require.NoError(t, l.Subscribe(ctx, count))
	runners := []event.Consumers{l, l}
	if h.Another != nil {
		runners[1] = h.Another()
		require.NoError(t, runners[1].Subscribe(ctx, count))
	}
	var wg sync.WaitGroup
	for _, r := range runners {
		wg.Add(1)
		go func() { defer wg.Done(); _ = r.Run(ctx, time.Millisecond) }()
	}
	var pub sync.WaitGroup
	for range 8 {
		pub.Add(1)
		go func() {
			defer pub.Done()
			for range 250 {
				assert.NoError(t, h.Publish(ctx, ev("x", uuid.New())))
			}
		}()
	}
	pub.Wait()
	require.NoError(t, l.Settle(ctx))
	cancel()
	wg.Wait()
	assert.EqualValues(t, 2000, n.Load(), "every event once, with two runners at once")
	f, _ := l.Failures(context.Background(), "")
	assert.Empty(t, f)
}
