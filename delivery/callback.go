package delivery

import (
	"context"
	"fmt"
	"time"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// StatusCallback is an event.Sink that passes status changes on to the
// sending application (its webhook, its case file), like GOV.UK Notify's
// delivery receipts. A failing Deliver is retried with backoff; when all
// tries fail, Publish returns the error so the outbox keeps the events and
// the relay offers them again later: nothing is lost.
//
// Wire it as the MemStore's sink, or as the outbox.Relay's sink with the
// PostgreSQL store.
type StatusCallback struct {
	Deliver func(ctx context.Context, s StatusChanged) error
	// Attempts per event, default 5.
	Attempts int
	// Backoff gives the wait after the n-th failure; default 100 ms doubling.
	Backoff func(n int) time.Duration
	// Sleep waits; tests replace it. Default honours ctx.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Publish implements event.Sink.
func (c *StatusCallback) Publish(ctx context.Context, events ...event.Event) error {
	attempts := c.Attempts
	if attempts <= 0 {
		attempts = 5
	}
	backoff := c.Backoff
	if backoff == nil {
		backoff = func(n int) time.Duration { return 100 * time.Millisecond << min(n-1, 16) }
	}
	sleep := c.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	for _, e := range events {
		switch e.Type {
		case EventQueued, EventStatusChanged, EventCompleted, EventFailed, EventNoChannel:
		default:
			continue
		}
		sc, err := event.Decode[StatusChanged](e)
		if err != nil {
			return err
		}
		for n := 1; ; n++ {
			err = c.Deliver(ctx, sc)
			if err == nil {
				break
			}
			if n >= attempts {
				return fmt.Errorf("delivery: status callback for %s failed %d times: %w", sc.DocumentID, n, err)
			}
			if err := sleep(ctx, backoff(n)); err != nil {
				return err
			}
		}
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
