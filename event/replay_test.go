package event_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
)

// Replay of a parked event while a pass of the same consumer is running is
// not undone by the pass: the event is tried again.
func TestLogReplayDuringPassHolds(t *testing.T) {
	ctx := context.Background()
	l := event.NewLog(clock.Real{}, event.RetryPolicy{MaxAttempts: 1})
	inSlow := make(chan struct{})
	release := make(chan struct{})
	var handled []string
	require.NoError(t, l.Subscribe(ctx, event.Consumer{Name: "c", Handle: func(_ context.Context, e event.Event) error {
		switch e.Type {
		case "bad-once":
			if len(handled) == 0 {
				handled = append(handled, "failed")
				return errors.New("down")
			}
		case "slow":
			close(inSlow)
			<-release
		}
		handled = append(handled, e.Type)
		return nil
	}}))
	bad := event.Event{ID: uuid.New(), Type: "bad-once", AggregateID: uuid.New(), Time: time.Now()}
	require.NoError(t, l.Publish(ctx, bad))
	require.NoError(t, l.Settle(ctx))
	f, _ := l.Failures(ctx, "c")
	require.Len(t, f, 1)
	require.True(t, f[0].Parked)

	require.NoError(t, l.Publish(ctx, event.Event{ID: uuid.New(), Type: "slow", AggregateID: uuid.New(), Time: time.Now()}))
	done := make(chan struct{})
	go func() { l.Step(ctx); close(done) }()
	<-inSlow
	require.NoError(t, l.Replay(ctx, "c", f[0].Seq)) // operator clicks "replay"
	close(release)
	<-done
	require.NoError(t, l.Settle(ctx))
	f, _ = l.Failures(ctx, "c")
	t.Logf("handled %v, failures after replay+settle: %+v", handled, f)
	require.Empty(t, f, "replayed event is still parked")
}
