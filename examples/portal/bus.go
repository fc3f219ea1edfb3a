package main

import (
	"context"
	"log/slog"
	"sync"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// bus is the portal's in-process event bus: the glue between building blocks.
// Every store publishes its events to the bus (in memory directly, from
// PostgreSQL through the outbox relay); the wiring subscribes handlers by
// event type. Publish only queues, and one goroutine calls the handlers
// afterwards, outside every store's lock, so a handler may call any service,
// including the one whose event it handles.
//
// Delivery is at least once (the outbox relay may repeat an event after a
// crash), so every handler must be idempotent.
type bus struct {
	log *slog.Logger

	mu       sync.Mutex
	handlers map[string][]handler
	queue    []event.Event
	busy     bool // a dispatch is running
	wake     chan struct{}
	idle     *sync.Cond
}

// handler reacts to one event. An error is logged; the event is not retried,
// because the bus keeps nothing across restarts (the outbox does that in
// PostgreSQL mode).
type handler func(ctx context.Context, e event.Event) error

func newBus(log *slog.Logger) *bus {
	b := &bus{log: log, handlers: map[string][]handler{}, wake: make(chan struct{}, 1)}
	b.idle = sync.NewCond(&b.mu)
	return b
}

// subscribe calls h for every event of type typ.
func (b *bus) subscribe(typ string, h handler) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.handlers[typ] = append(b.handlers[typ], h)
}

// Publish queues events for the handlers; it implements event.Sink.
func (b *bus) Publish(_ context.Context, events ...event.Event) error {
	b.mu.Lock()
	b.queue = append(b.queue, events...)
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
	return nil
}

// run dispatches queued events until ctx is done.
func (b *bus) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.wake:
		}
		for {
			b.mu.Lock()
			if len(b.queue) == 0 {
				b.busy = false
				b.idle.Broadcast()
				b.mu.Unlock()
				break
			}
			e := b.queue[0]
			b.queue = b.queue[1:]
			b.busy = true
			hs := b.handlers[e.Type]
			b.mu.Unlock()
			for _, h := range hs {
				if err := h(ctx, e); err != nil {
					b.log.Error("event handler failed", "type", e.Type, "event", e.ID, "err", err)
				}
			}
		}
	}
}

// settle waits until every queued event, and every event its handlers
// published in turn, has been handled. Tests and the demo seeding use it.
func (b *bus) settle() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.queue) > 0 || b.busy {
		b.idle.Wait()
	}
}
