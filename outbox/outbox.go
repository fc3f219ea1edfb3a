// Package outbox is the transactional outbox of the PostgreSQL stores: a
// store writes a state change's events into the table outbox in the same
// transaction as the change, and a Relay hands them to an event.Sink after
// commit. An event is never lost when a process dies after commit, and is
// delivered at least once, in commit order.
package outbox

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrate creates the outbox table when it does not exist yet.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	_, err := migrate.Run(ctx, pool, "outbox", migrations, "migrations")
	return err
}

// Execer is what Write needs: a pgx.Tx, or a connection inside one.
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Write inserts events into the outbox as part of tx.
func Write(ctx context.Context, tx Execer, events ...event.Event) error {
	for _, e := range events {
		payload, err := json.Marshal(e.Payload)
		if err != nil {
			return fmt.Errorf("outbox: encode payload of %s: %w", e.Type, err)
		}
		if _, err := tx.Exec(ctx,
			"INSERT INTO outbox (id, type, aggregate_id, occurred_at, payload) VALUES ($1, $2, $3, $4, $5)",
			e.ID, e.Type, e.AggregateID, e.Time, payload); err != nil {
			return fmt.Errorf("outbox: write %s: %w", e.Type, err)
		}
	}
	return nil
}

// Queue adds the inserts of events to b, for a store that sends a whole
// transaction's statements in one batch.
func Queue(b *pgx.Batch, events ...event.Event) error {
	for _, e := range events {
		payload, err := json.Marshal(e.Payload)
		if err != nil {
			return fmt.Errorf("outbox: encode payload of %s: %w", e.Type, err)
		}
		b.Queue("INSERT INTO outbox (id, type, aggregate_id, occurred_at, payload) VALUES ($1, $2, $3, $4, $5)",
			e.ID, e.Type, e.AggregateID, e.Time, payload)
	}
	return nil
}

// QueueAll adds to b one statement that inserts all events, in order: a
// store writing a large batch sends one statement instead of one per event.
func QueueAll(b *pgx.Batch, events []event.Event) error {
	if len(events) == 0 {
		return nil
	}
	// UUIDs as [16]byte, which pgx encodes directly (uuid.UUID goes
	// through its text form).
	ids := make([][16]byte, len(events))
	types := make([]string, len(events))
	aggs := make([][16]byte, len(events))
	times := make([]time.Time, len(events))
	payloads := make([]string, len(events))
	for i, e := range events {
		payload, err := json.Marshal(e.Payload)
		if err != nil {
			return fmt.Errorf("outbox: encode payload of %s: %w", e.Type, err)
		}
		ids[i], types[i], aggs[i], times[i], payloads[i] = e.ID, e.Type, e.AggregateID, e.Time, string(payload)
	}
	b.Queue(`INSERT INTO outbox (id, type, aggregate_id, occurred_at, payload)
		SELECT id, type, aggregate_id, occurred_at, payload
		FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::jsonb[]) WITH ORDINALITY AS e(id, type, aggregate_id, occurred_at, payload, n)
		ORDER BY n`, ids, types, aggs, times, payloads)
	return nil
}

// Relay forwards unpublished outbox events to a sink.
type Relay struct {
	Pool *pgxpool.Pool
	Sink event.Sink
	// Batch is how many events one step forwards at most; 0 means 100.
	Batch int
}

// Step forwards one batch of unpublished events, in commit order, and marks
// them published in the same transaction. It returns how many it forwarded.
// Rows are locked with SKIP LOCKED, so several relays can run at once.
func (r *Relay) Step(ctx context.Context) (int, error) {
	batch := r.Batch
	if batch <= 0 {
		batch = 100
	}
	n := 0
	err := pgx.BeginFunc(ctx, r.Pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT seq, id, type, aggregate_id, occurred_at, payload FROM outbox
			WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`, batch)
		if err != nil {
			return err
		}
		var seqs []int64
		var events []event.Event
		for rows.Next() {
			var seq int64
			var e event.Event
			var payload []byte
			if err := rows.Scan(&seq, &e.ID, &e.Type, &e.AggregateID, &e.Time, &payload); err != nil {
				return err
			}
			if payload != nil {
				e.Payload = json.RawMessage(payload)
			}
			seqs = append(seqs, seq)
			events = append(events, e)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(events) == 0 {
			return nil
		}
		if err := r.Sink.Publish(ctx, events...); err != nil {
			return fmt.Errorf("outbox: publish: %w", err)
		}
		if _, err := tx.Exec(ctx, "UPDATE outbox SET published_at = now() WHERE seq = ANY($1)", seqs); err != nil {
			return err
		}
		n = len(events)
		return nil
	})
	return n, err
}

// Run calls Step until ctx is done, waiting interval whenever the outbox is
// empty or a step fails. It returns ctx's error.
func (r *Relay) Run(ctx context.Context, interval time.Duration) error {
	for {
		n, err := r.Step(ctx)
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}
