package event

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Handler handles one event for one consumer. It returns nil only when the
// event's work is done; any error (or panic) makes the event due again
// later. A handler may see the same event more than once (after a crash, or
// when two processes race for one consumer), so it must be idempotent:
// create things under a key derived from the event, check before acting.
type Handler func(ctx context.Context, e Event) error

// Consumer is a named handler with its own progress through the events:
// "invoice granted permits", "notify case updates". An event is done for a
// consumer only when its Handle returned nil; one consumer's failures never
// hold up another.
type Consumer struct {
	// Name identifies the consumer's progress; keep it stable across
	// releases. Renaming a consumer starts it again from the first event.
	Name string
	// Types lists the event types the consumer handles; other events pass
	// it by. Empty means every type.
	Types []string
	// Ordered makes the consumer see the events of one aggregate in the
	// order they were stored: while one of an aggregate's events waits for
	// a retry or is parked, its later events wait too. Events of other
	// aggregates go on.
	Ordered bool
	// Handle does the work.
	Handle Handler
}

// Consumers runs consumers over a log of events: Log in memory,
// outbox.Consumers over PostgreSQL. Both follow Pass, and the suite in
// package eventtest holds them to it.
type Consumers interface {
	// Subscribe adds a consumer; names are unique.
	Subscribe(ctx context.Context, c Consumer) error
	// Step runs one pass of every consumer and returns how many events
	// changed state.
	Step(ctx context.Context) (int, error)
	// Run steps until ctx is done.
	Run(ctx context.Context, interval time.Duration) error
	// Settle steps until no consumer has an event that is due now.
	Settle(ctx context.Context) error
	// Failures lists failed and parked events, of one consumer or (with
	// "") of all.
	Failures(ctx context.Context, consumer string) ([]Failure, error)
	// Replay makes a failed or parked event due at once.
	Replay(ctx context.Context, consumer string, seq int64) error
}

// RetryPolicy says how often and how soon a failed event is tried again.
type RetryPolicy struct {
	// MaxAttempts is how many failed attempts park an event (a dead letter)
	// for the consumer; 0 means 5.
	MaxAttempts int
	// Backoff gives the wait after the n-th failed attempt (n ≥ 1); nil
	// means 1 s doubling per attempt, at most 5 minutes.
	Backoff func(n int) time.Duration
}

func (p RetryPolicy) maxAttempts() int {
	if p.MaxAttempts <= 0 {
		return 5
	}
	return p.MaxAttempts
}

func (p RetryPolicy) backoff(n int) time.Duration {
	if p.Backoff != nil {
		return p.Backoff(n)
	}
	d := time.Second << min(n-1, 20)
	return min(d, 5*time.Minute)
}

// Delivery is one event in a consumer's pass, with what happened to it so
// far. Seq is the event's position in the log.
type Delivery struct {
	Seq   int64
	Event Event
	// Attempts counts the failed attempts so far.
	Attempts int
	// NextAttempt is when a failed event is due again.
	NextAttempt time.Time
	// Parked reports whether the event gave up after the policy's attempts.
	Parked bool
	// LastError is the last attempt's error text.
	LastError string
	// New reports an event the consumer has not seen before.
	New bool
}

// Failure is an event that failed for a consumer: waiting for its next
// attempt, or parked for an operator to replay.
type Failure struct {
	Consumer    string    `json:"consumer"`
	Seq         int64     `json:"seq"`
	Event       Event     `json:"event"`
	Attempts    int       `json:"attempts"`
	LastError   string    `json:"last_error"`
	NextAttempt time.Time `json:"next_attempt"`
	Parked      bool      `json:"parked"`
}

// Pass runs one pass of consumer c over ds, which must be in Seq order:
// first the events that wait from earlier passes, then new ones. It calls
// c.Handle for every event that is due and returns each event's new state:
// Done when handled (or not of the consumer's types), otherwise its
// attempts, next attempt and parked flag. It stops early when ctx is done;
// events after that are left out of the result and must be offered again.
//
// Pass is the one rule every log (in memory, PostgreSQL) follows, so their
// retry, parking and ordering behave the same.
func Pass(ctx context.Context, c Consumer, p RetryPolicy, now time.Time, ds []Delivery) []Outcome {
	return PassHeld(ctx, c, p, now, ds, nil)
}

// PassHeld is Pass for a log that does not offer every waiting event: held
// names the aggregates that have an earlier event waiting (parked, or not
// yet due) among those left out, so an ordered consumer holds their events
// in ds too.
func PassHeld(ctx context.Context, c Consumer, p RetryPolicy, now time.Time, ds []Delivery, held map[uuid.UUID]bool) []Outcome {
	out := make([]Outcome, 0, len(ds))
	blocked := map[uuid.UUID]bool{}
	if c.Ordered {
		for agg := range held {
			blocked[agg] = true
		}
	}
	block := func(agg uuid.UUID) {
		if c.Ordered {
			blocked[agg] = true
		}
	}
	for _, d := range ds {
		if ctx.Err() != nil {
			break
		}
		o := Outcome{Delivery: d}
		switch {
		case d.New && len(c.Types) > 0 && !slices.Contains(c.Types, d.Event.Type):
			o.Done = true
		case c.Ordered && blocked[d.Event.AggregateID]:
			// Held behind an earlier event of the same aggregate.
			if d.New {
				o.NextAttempt = now
			}
		case d.Parked || (!d.New && d.NextAttempt.After(now)):
			block(d.Event.AggregateID)
		default:
			err := call(ctx, c.Handle, d.Event)
			if err == nil {
				o.Done = true
				break
			}
			if ctx.Err() != nil && !d.New {
				// Cancelled: not the handler's fault; leave it as it was.
				block(d.Event.AggregateID)
				break
			} else if ctx.Err() != nil {
				return out
			}
			o.Attempts++
			o.LastError = truncate(err.Error(), 1000)
			if o.Attempts >= p.maxAttempts() {
				o.Parked = true
			} else {
				o.NextAttempt = now.Add(p.backoff(o.Attempts))
			}
			block(d.Event.AggregateID)
		}
		o.Changed = o.Done || o.Attempts != d.Attempts || o.Parked != d.Parked || !o.NextAttempt.Equal(d.NextAttempt)
		out = append(out, o)
	}
	return out
}

// Outcome is an event's state after a pass.
type Outcome struct {
	Delivery
	// Done reports that the event needs nothing more from this consumer.
	Done bool
	// Changed reports that the state differs from before the pass.
	Changed bool
}

func call(ctx context.Context, h Handler, e Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("handler panicked: %v", r)
		}
	}()
	return h(ctx, e)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
