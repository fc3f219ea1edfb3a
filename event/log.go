package event

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/lokaalbestuur/bouwstenen/clock"
)

// Log is the in-memory event log with consumers: a Sink that keeps every
// published event until each consumer has handled it, and runs the
// consumers outside the publisher's locks. It gives in one process what
// outbox.Consumers gives over PostgreSQL, with the same rules (see Pass):
// an event is done for a consumer only when its handler returned nil;
// failures are retried with backoff and parked after the policy's
// attempts, where Failures lists them and Replay tries them again.
//
// What it loses on restart: everything. Events published but not yet
// handled, retries and parked events live only in this process; a crash or
// a shutdown before Settle drops them. Use the PostgreSQL outbox where that
// matters.
//
// A Log is safe for concurrent use.
type Log struct {
	clock  clock.Clock
	policy RetryPolicy

	mu        sync.Mutex
	base      int64   // seq of events[0]
	events    []Event // seq base, base+1, ...
	consumers []*memConsumer
	wake      chan struct{}
}

type memConsumer struct {
	Consumer
	step    sync.Mutex // one pass at a time
	next    int64      // first seq not yet seen
	pending []Delivery // in seq order
}

// NewLog returns an empty log. A nil clock means the real one.
func NewLog(c clock.Clock, p RetryPolicy) *Log {
	if c == nil {
		c = clock.Real{}
	}
	return &Log{clock: c, policy: p, base: 1, wake: make(chan struct{}, 1)}
}

// Subscribe adds a consumer; it sees every event published from now on.
// Names must be unique.
func (l *Log) Subscribe(_ context.Context, c Consumer) error {
	if c.Name == "" || c.Handle == nil {
		return errors.New("event: a consumer needs a name and a handler")
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.consumers {
		if m.Name == c.Name {
			return fmt.Errorf("event: consumer %q subscribed twice", c.Name)
		}
	}
	l.consumers = append(l.consumers, &memConsumer{Consumer: c, next: l.base + int64(len(l.events))})
	return nil
}

// Publish appends events to the log; it implements Sink. It never calls a
// handler, so a store may publish while it holds its lock.
func (l *Log) Publish(_ context.Context, events ...Event) error {
	l.mu.Lock()
	l.events = append(l.events, events...)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return nil
}

// Step runs one pass of every consumer and returns how many events were
// handled or failed in it.
func (l *Log) Step(ctx context.Context) (int, error) {
	l.mu.Lock()
	cs := slices.Clone(l.consumers)
	l.mu.Unlock()
	n := 0
	for _, c := range cs {
		n += l.pass(ctx, c)
	}
	l.compact()
	return n, ctx.Err()
}

const passBatch = 256

func (l *Log) pass(ctx context.Context, c *memConsumer) int {
	c.step.Lock()
	defer c.step.Unlock()
	l.mu.Lock()
	ds := slices.Clone(c.pending)
	from := c.next - l.base
	to := min(int64(len(l.events)), from+passBatch)
	for i := from; i < to; i++ {
		ds = append(ds, Delivery{Seq: l.base + i, Event: l.events[i], New: true})
	}
	l.mu.Unlock()
	now := l.clock.Now()
	seen := make(map[int64]Delivery, len(ds))
	for _, d := range ds {
		if !d.New {
			seen[d.Seq] = d
		}
	}
	out := Pass(ctx, c.Consumer, l.policy, now, ds)

	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	pending := c.pending[:0:0]
	handled := map[int64]Outcome{}
	for _, o := range out {
		if o.Changed {
			n++
		}
		handled[o.Seq] = o
		if o.New && o.Seq >= c.next {
			c.next = o.Seq + 1
		}
	}
	for _, d := range c.pending {
		o, ok := handled[d.Seq]
		// A waiting event takes the pass's outcome only if it changed and
		// nobody replayed it meanwhile; otherwise it stays as it is now.
		if ok && o.Changed && d.Attempts == seen[d.Seq].Attempts && d.Parked == seen[d.Seq].Parked {
			if !o.Done {
				pending = append(pending, o.Delivery)
			}
			continue
		}
		pending = append(pending, d)
	}
	for _, o := range out {
		if o.New && !o.Done {
			o.New = false
			pending = append(pending, o.Delivery)
		}
	}
	c.pending = pending
	return n
}

// compact drops the events every consumer is past.
func (l *Log) compact() {
	l.mu.Lock()
	defer l.mu.Unlock()
	low := l.base + int64(len(l.events))
	for _, c := range l.consumers {
		low = min(low, c.next)
		if len(c.pending) > 0 {
			low = min(low, c.pending[0].Seq)
		}
	}
	if drop := low - l.base; drop > 0 {
		l.events = slices.Delete(l.events, 0, int(drop))
		l.base = low
	}
}

// Run steps until ctx is done: at once when events are published, and
// every interval for retries. It returns ctx's error.
func (l *Log) Run(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for {
			n, err := l.Step(ctx)
			if err != nil {
				return err
			}
			if n == 0 {
				break
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-l.wake:
		case <-t.C:
		}
	}
}

// Settle steps until no consumer has an event left that is due now: every
// published event, and every event its handlers published in turn, has been
// handled, or waits for a later retry, or is parked. Tests and demo seeding
// use it. It returns ctx's error.
func (l *Log) Settle(ctx context.Context) error {
	for {
		n, err := l.Step(ctx)
		if err != nil {
			return err
		}
		if n == 0 && !l.hasNew() {
			return nil
		}
	}
}

func (l *Log) hasNew() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	end := l.base + int64(len(l.events))
	for _, c := range l.consumers {
		if c.next < end {
			return true
		}
	}
	return false
}

// Failures lists the events that failed for a consumer and wait for a
// retry or are parked, oldest first. An empty name lists every consumer's.
func (l *Log) Failures(_ context.Context, consumer string) ([]Failure, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Failure
	for _, c := range l.consumers {
		if consumer != "" && c.Name != consumer {
			continue
		}
		for _, d := range c.pending {
			if d.Attempts == 0 && !d.Parked {
				continue // held behind an earlier event, not failed itself
			}
			out = append(out, Failure{Consumer: c.Name, Seq: d.Seq, Event: d.Event, Attempts: d.Attempts,
				LastError: d.LastError, NextAttempt: d.NextAttempt, Parked: d.Parked})
		}
	}
	return out, nil
}

// ErrNoFailure is returned by Replay when the consumer has no failed event
// at that position.
var ErrNoFailure = errors.New("event: no failed event at that position for that consumer")

// Replay makes a failed or parked event due at once, with its attempts
// counted from zero again.
func (l *Log) Replay(_ context.Context, consumer string, seq int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.consumers {
		if c.Name != consumer {
			continue
		}
		for i := range c.pending {
			if c.pending[i].Seq == seq {
				c.pending[i].Parked, c.pending[i].Attempts, c.pending[i].NextAttempt = false, 0, time.Time{}
				select {
				case l.wake <- struct{}{}:
				default:
				}
				return nil
			}
		}
	}
	return ErrNoFailure
}
