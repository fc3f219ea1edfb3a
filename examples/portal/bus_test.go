package main

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/event"
)

func TestBusHandlesChainsOutsideThePublisher(t *testing.T) {
	b := newBus(slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.run(ctx)
	var seen atomic.Int32
	b.subscribe("a", func(ctx context.Context, e event.Event) error {
		seen.Add(1)
		return b.Publish(ctx, event.Event{Type: "b"}) // a handler may publish again
	})
	b.subscribe("b", func(context.Context, event.Event) error { seen.Add(10); return nil })
	for range 5 {
		assert.NoError(t, b.Publish(ctx, event.Event{Type: "a"}, event.Event{Type: "unknown"}))
	}
	b.settle()
	assert.Equal(t, int32(55), seen.Load())
}
