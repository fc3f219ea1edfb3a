// Package pgstore is the PostgreSQL assistant.Store (pgx v5). Entries and
// conversations are kept as JSON documents; a conversation's change runs
// in one transaction that locks its row and writes its events to the
// outbox, so the change and its events commit together.
package pgstore

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the PostgreSQL store.
type Store struct {
	pool *pgxpool.Pool
}

var _ assistant.Store = (*Store)(nil)

// New returns a store on pool; call Migrate once before use.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Migrate creates or upgrades the assistant tables and the outbox.
func (s *Store) Migrate(ctx context.Context) error {
	if err := outbox.Migrate(ctx, s.pool); err != nil {
		return err
	}
	_, err := migrate.Run(ctx, s.pool, "assistant", migrations, "migrations")
	return err
}

// PutEntries implements assistant.Store.
func (s *Store) PutEntries(ctx context.Context, entries []assistant.Entry) error {
	if err := assistant.ValidateCatalogue(entries); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, e := range entries {
			doc, err := json.Marshal(e)
			if err != nil {
				return err
			}
			b.Queue(`INSERT INTO assistant_entries (id, entry) VALUES ($1, $2)
				ON CONFLICT (id) DO UPDATE SET entry = EXCLUDED.entry, updated_at = now()`, e.ID, doc)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("assistant/pgstore: put entries: %w", err)
		}
		return nil
	})
}

// DeleteEntries implements assistant.Store.
func (s *Store) DeleteEntries(ctx context.Context, ids []string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM assistant_entries WHERE id = ANY($1)`, ids)
	if err != nil {
		return fmt.Errorf("assistant/pgstore: delete entries: %w", err)
	}
	return nil
}

// GetEntry implements assistant.Store.
func (s *Store) GetEntry(ctx context.Context, id string) (*assistant.Entry, error) {
	var e assistant.Entry
	err := s.pool.QueryRow(ctx, `SELECT entry FROM assistant_entries WHERE id = $1`, id).Scan(&e)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.Wrap(assistant.ErrNotFound, "entry %q", id)
	}
	if err != nil {
		return nil, fmt.Errorf("assistant/pgstore: get entry: %w", err)
	}
	return &e, nil
}

// ListEntries implements assistant.Store.
func (s *Store) ListEntries(ctx context.Context, after string, limit int) ([]assistant.Entry, error) {
	if limit <= 0 || limit > assistant.MaxLimit {
		limit = assistant.MaxLimit
	}
	rows, err := s.pool.Query(ctx, `SELECT entry FROM assistant_entries WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("assistant/pgstore: list entries: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[assistant.Entry])
	if err != nil {
		return nil, fmt.Errorf("assistant/pgstore: list entries: %w", err)
	}
	return out, nil
}

// CreateConversation implements assistant.Store.
func (s *Store) CreateConversation(ctx context.Context, c *assistant.Conversation) error {
	c.Version = 1
	doc, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO assistant_conversations (id, conversation, version, expires_at) VALUES ($1, $2, 1, $3)`,
		c.ID, doc, c.ExpiresAt)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return errs.Wrap(assistant.ErrConflict, "conversation %s exists", c.ID)
	}
	if err != nil {
		return fmt.Errorf("assistant/pgstore: create conversation: %w", err)
	}
	return nil
}

// GetConversation implements assistant.Store.
func (s *Store) GetConversation(ctx context.Context, id uuid.UUID, now time.Time) (*assistant.Conversation, error) {
	return get(ctx, s.pool, id, now, "")
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// get reads a live conversation; lock is "" or " FOR UPDATE".
func get(ctx context.Context, q querier, id uuid.UUID, now time.Time, lock string) (*assistant.Conversation, error) {
	var c assistant.Conversation
	err := q.QueryRow(ctx, `SELECT conversation FROM assistant_conversations WHERE id = $1 AND expires_at >= $2`+lock, id, now).Scan(&c)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.Wrap(assistant.ErrNotFound, "conversation %s", id)
	}
	if err != nil {
		return nil, fmt.Errorf("assistant/pgstore: get conversation: %w", err)
	}
	return &c, nil
}

// UpdateConversation implements assistant.Store.
func (s *Store) UpdateConversation(ctx context.Context, id uuid.UUID, now time.Time, fn assistant.ConversationMutation) (*assistant.Conversation, error) {
	var out *assistant.Conversation
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		c, err := get(ctx, tx, id, now, " FOR UPDATE")
		if err != nil {
			return err
		}
		c.Version++
		events, err := fn(c)
		if err != nil {
			return err
		}
		c.ID = id
		doc, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assistant_conversations SET conversation = $2, version = $3, expires_at = $4 WHERE id = $1`,
			id, doc, c.Version, c.ExpiresAt); err != nil {
			return fmt.Errorf("assistant/pgstore: update conversation: %w", err)
		}
		if err := outbox.Write(ctx, tx, events...); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteExpired implements assistant.Store.
func (s *Store) DeleteExpired(ctx context.Context, now time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM assistant_conversations WHERE expires_at < $1`, now)
	if err != nil {
		return 0, fmt.Errorf("assistant/pgstore: delete expired: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// RecordOutcome implements assistant.Store.
func (s *Store) RecordOutcome(ctx context.Context, o assistant.Outcome) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO assistant_outcomes (day, intent, entry_id, resolved, handed_over, count)
		VALUES ($1, $2, $3, $4, $5, 1)
		ON CONFLICT (day, intent, entry_id, resolved, handed_over) DO UPDATE SET count = assistant_outcomes.count + 1`,
		o.Day.Start(), string(o.Intent), o.EntryID, o.Resolved, o.HandedOver)
	if err != nil {
		return fmt.Errorf("assistant/pgstore: record outcome: %w", err)
	}
	return nil
}

// Outcomes implements assistant.Store.
func (s *Store) Outcomes(ctx context.Context, from, to calendar.Date) ([]assistant.OutcomeCount, error) {
	rows, err := s.pool.Query(ctx, `SELECT to_char(day, 'YYYY-MM-DD'), intent, entry_id, resolved, handed_over, count
		FROM assistant_outcomes WHERE day BETWEEN $1::date AND $2::date
		ORDER BY day, intent, entry_id, resolved, handed_over`, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("assistant/pgstore: outcomes: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (assistant.OutcomeCount, error) {
		var o assistant.OutcomeCount
		var day, intent string
		if err := r.Scan(&day, &intent, &o.EntryID, &o.Resolved, &o.HandedOver, &o.Count); err != nil {
			return o, err
		}
		o.Intent = assistant.Intent(intent)
		d, err := calendar.ParseDate(day)
		o.Day = d
		return o, err
	})
}

// Events returns the outbox events of a conversation, oldest first, for
// the conformance suite and for audits.
func (s *Store) Events(ctx context.Context, conversationID uuid.UUID) ([]event.Event, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, type, aggregate_id, occurred_at, payload FROM outbox WHERE aggregate_id = $1 ORDER BY seq`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("assistant/pgstore: events: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (event.Event, error) {
		var e event.Event
		var payload []byte
		err := r.Scan(&e.ID, &e.Type, &e.AggregateID, &e.Time, &payload)
		e.Payload = json.RawMessage(payload)
		return e, err
	})
}
