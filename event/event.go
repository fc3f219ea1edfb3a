// Package event is the contract every bouwstenen package uses for domain
// events: a plain struct, and a small Sink a service hands them to.
//
// Stores make events durable with the state change they describe: the
// in-memory stores hand them to the sink while they hold the lock that
// commits the change; the PostgreSQL stores write them into an outbox table
// in the same transaction (see package outbox), and a relay forwards them,
// so no event is lost when a process dies after commit.
package event

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Event is something that happened to one aggregate (a case, a booking, an invoice).
type Event struct {
	// ID identifies the event; consumers use it to drop duplicates.
	ID uuid.UUID `json:"id"`
	// Type names what happened, e.g. "casefile.transitioned".
	Type string `json:"type"`
	// AggregateID identifies the thing it happened to.
	AggregateID uuid.UUID `json:"aggregate_id"`
	// Time is when it happened.
	Time time.Time `json:"time"`
	// Payload carries the details: a Go value from an in-memory store, or
	// json.RawMessage when read back from an outbox. Use Decode to read it.
	Payload any `json:"payload,omitempty"`
}

// Decode returns the payload of e as a T, whether it holds a T, a *T or JSON.
func Decode[T any](e Event) (T, error) {
	var zero T
	switch p := e.Payload.(type) {
	case T:
		return p, nil
	case *T:
		return *p, nil
	case json.RawMessage:
		var v T
		if err := json.Unmarshal(p, &v); err != nil {
			return zero, fmt.Errorf("event %s: decode %s payload: %w", e.ID, e.Type, err)
		}
		return v, nil
	case []byte:
		var v T
		if err := json.Unmarshal(p, &v); err != nil {
			return zero, fmt.Errorf("event %s: decode %s payload: %w", e.ID, e.Type, err)
		}
		return v, nil
	}
	return zero, fmt.Errorf("event %s: payload of %s is %T, not %T", e.ID, e.Type, e.Payload, zero)
}

// Sink receives events after the state change they describe is committed.
// A sink must be idempotent by event ID: an outbox relay delivers at least once.
type Sink interface {
	Publish(ctx context.Context, events ...Event) error
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(ctx context.Context, events ...Event) error

// Publish calls f.
func (f SinkFunc) Publish(ctx context.Context, events ...Event) error { return f(ctx, events...) }

// Discard is a Sink that drops every event.
var Discard Sink = SinkFunc(func(context.Context, ...Event) error { return nil })

// Recorder is a Sink that keeps every event, for tests and examples.
// It is safe for concurrent use.
type Recorder struct {
	mu     sync.Mutex
	events []Event
}

// Publish records events.
func (r *Recorder) Publish(_ context.Context, events ...Event) error {
	r.mu.Lock()
	r.events = append(r.events, events...)
	r.mu.Unlock()
	return nil
}

// Events returns a copy of what was recorded, in order.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// Types returns the type of each recorded event, in order.
func (r *Recorder) Types() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.events))
	for i, e := range r.events {
		out[i] = e.Type
	}
	return out
}

// Reset forgets what was recorded.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.events = nil
	r.mu.Unlock()
}

// Fanout is a Sink that publishes to each of its sinks in turn and stops at
// the first error.
type Fanout []Sink

// Publish hands events to every sink.
func (f Fanout) Publish(ctx context.Context, events ...Event) error {
	for _, s := range f {
		if err := s.Publish(ctx, events...); err != nil {
			return err
		}
	}
	return nil
}
