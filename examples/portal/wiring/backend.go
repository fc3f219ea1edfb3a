// Package wiring is the glue between the portal's building blocks: the
// event consumers that make a granted permit an invoice, a paid invoice a
// paid fee, a case update or a booking a letter in the citizen's chosen
// channel. Domain packages never import each other; only this package and
// the portal's main know them all.
package wiring

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

// Backend is where the building blocks keep their data: embedded in-memory
// stores (pool is nil), or PostgreSQL. Either way every store's events reach
// the portal's consumers, the glue between building blocks: each consumer
// is a named handler ("invoice granted permits") with its own progress.
//
//   - In memory, the stores publish to an event.Log, which runs the
//     consumers in this process. It loses everything on restart: events not
//     yet handled, retries and parked events.
//   - In PostgreSQL, the stores write their events to the outbox in the same
//     transaction as the change, and outbox.Consumers keeps every
//     consumer's progress, retries and parked events in the database. A
//     crash or a restart loses nothing; two portals on one database share
//     the work, each event handled once per consumer in the normal case.
//
// Either way an event is handled at least once: a handler may see an event
// again (after a crash), so every handler is idempotent. A failing handler
// is retried with backoff and parked after five attempts; the clerk's page
// "Storingen" lists what failed and replays it.
type Backend struct {
	// Pool is the database, nil in memory.
	Pool *pgxpool.Pool
	log  *slog.Logger
	// Events are the consumers.
	Events event.Consumers
	memlog *event.Log // in memory: what the stores publish to
}

// NewBackend returns a backend on pool, or in memory when pool is nil,
// with the default retry policy: five attempts, from one second apart.
func NewBackend(log *slog.Logger, pool *pgxpool.Pool) *Backend {
	return NewBackendWithPolicy(log, pool, nil, event.RetryPolicy{})
}

// NewBackendWithPolicy is NewBackend with the clock retries read and the
// retry policy given; tests use it to park a failing event at once.
func NewBackendWithPolicy(log *slog.Logger, pool *pgxpool.Pool, clk clock.Clock, p event.RetryPolicy) *Backend {
	b := &Backend{Pool: pool, log: log}
	if pool != nil {
		b.Events = outbox.NewConsumers(pool, clk, p)
	} else {
		b.memlog = event.NewLog(clk, p)
		b.Events = b.memlog
	}
	return b
}

// Sink is what an in-memory store publishes to.
func (b *Backend) Sink() event.Sink {
	if b.memlog != nil {
		return b.memlog
	}
	return event.Discard // PostgreSQL stores write to the outbox instead
}

// Postgres reports whether the stores live in PostgreSQL.
func (b *Backend) Postgres() bool { return b.Pool != nil }

// On subscribes the consumer name to events of the given types. A failure
// is logged here; the consumer retries it.
func (b *Backend) On(ctx context.Context, name string, h event.Handler, types ...string) error {
	return b.Events.Subscribe(ctx, event.Consumer{Name: name, Types: types, Handle: func(ctx context.Context, e event.Event) error {
		err := h(ctx, e)
		if err != nil {
			b.log.Warn("event handler failed; it will be retried", "consumer", name, "type", e.Type, "event", e.ID, "err", err)
		}
		return err
	}})
}

// DefaultMaxConns is the size of the pool Connect opens when the URL does
// not say (pool_max_conns=N). pgx's own default, the number of CPUs but at
// least 4, is too small for a portal: with 16 requests in flight, each
// holding a connection for its reads, requests queued for a connection
// more than they waited for the database.
//
// The pool keeps its connections open (pool_min_conns defaults to the
// same number): a new connection costs a server process and, on a busy
// machine, tens of milliseconds, and a request that waits for one waits
// with all its sections (their reads go together, see pggather).
const DefaultMaxConns = 16

// Connect opens the PostgreSQL pool behind url and prepares the outbox.
// The pool holds DefaultMaxConns connections unless the URL sets
// pool_max_conns, and keeps them open unless it sets pool_min_conns.
func Connect(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := PoolConfig(url)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
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

// PoolConfig is the configuration Connect opens its pool with: url's,
// with DefaultMaxConns connections unless url sets pool_max_conns, all
// kept open unless url sets pool_min_conns.
func PoolConfig(url string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	if !strings.Contains(url, "pool_min_conns") {
		cfg.MinConns = cfg.MaxConns
	}
	return cfg, nil
}

// Start runs the consumers until ctx is done: at once on new events in
// memory, every 100 ms in PostgreSQL.
func (b *Backend) Start(ctx context.Context) {
	go func() { _ = b.Events.Run(ctx, 100*time.Millisecond) }()
}

// Settle waits until every event published so far, and every event its
// handlers published in turn, has been handled (or waits for a retry, or
// is parked).
func (b *Backend) Settle(ctx context.Context) error { return b.Events.Settle(ctx) }
