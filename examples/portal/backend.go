package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

// backend is where the building blocks keep their data: embedded in-memory
// stores (pool is nil), or PostgreSQL. Either way every store's events reach
// the bus: in memory the stores publish to it directly; in PostgreSQL they
// write them to the outbox in the same transaction as the change, and a
// relay forwards them after commit.
type backend struct {
	pool *pgxpool.Pool
	bus  *bus
}

// sink is what an in-memory store publishes to.
func (b *backend) sink() event.Sink { return b.bus }

// postgres reports whether the stores live in PostgreSQL.
func (b *backend) postgres() bool { return b.pool != nil }

// connect opens the PostgreSQL pool behind url and prepares the outbox.
func connect(ctx context.Context, url string) (*pgxpool.Pool, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := outbox.Migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// start runs the bus, and in PostgreSQL mode the outbox relay, until ctx is
// done.
func (b *backend) start(ctx context.Context) {
	go b.bus.run(ctx)
	if b.pool != nil {
		relay := &outbox.Relay{Pool: b.pool, Sink: b.bus}
		go func() { _ = relay.Run(ctx, 200*time.Millisecond) }()
	}
}

// settle waits until every event published so far has been handled. In
// PostgreSQL mode it first waits for the relay to empty the outbox.
func (b *backend) settle(ctx context.Context) error {
	if b.pool != nil {
		for {
			var n int
			if err := b.pool.QueryRow(ctx, "SELECT count(*) FROM outbox WHERE published_at IS NULL").Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				break
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	b.bus.settle()
	return nil
}
