// Package pgstore is the PostgreSQL payment.Store (pgx v5). Requests are
// kept as JSON documents with the columns queries need beside them; every
// change runs in a transaction that first locks (or inserts) the request's
// row and then writes its events to the outbox. The skeleton is
// internal/pgdoc's.
package pgstore

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/pgdoc"
	"github.com/lokaalbestuur/bouwstenen/outbox"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/pggather"
)

//go:embed migrations/*.sql
var migrations embed.FS

// pageSize is how many rows List fetches per query.
const pageSize = 100

// Store is a payment.Store in PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

var _ payment.Store = (*Store)(nil)

// New returns a Store on pool; call Migrate once before use.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Migrate creates or updates the tables, including the outbox.
func (s *Store) Migrate(ctx context.Context) error {
	return pgdoc.Migrate(ctx, s.pool, "payment", migrations, "migrations")
}

// NextSequence draws from a PostgreSQL sequence, which never repeats.
func (s *Store) NextSequence(ctx context.Context) (uint64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, "SELECT nextval('payment_reference_seq')").Scan(&n); err != nil {
		return 0, fmt.Errorf("payment: next sequence: %w", pgdoc.Err(err))
	}
	return uint64(n), nil
}

// nullable maps "" to NULL, so partial unique indexes skip it.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Create inserts r and its events in one transaction. ON CONFLICT DO
// NOTHING covers the ID, the reference and the idempotency key: a
// concurrent create with the key waits for the first to commit, then
// inserts nothing and is told which request holds the key.
func (s *Store) Create(ctx context.Context, r *payment.Request, events ...event.Event) error {
	doc, err := pgdoc.JSON(r)
	if err != nil {
		return err
	}
	key := nullable(r.IdempotencyKey)
	return pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		// The row comes first, then the events; when nothing is inserted
		// the error returned rolls the events back.
		tag, err := pgdoc.Write(ctx, tx, events, `INSERT INTO payment_requests (id, reference_key, status, due_date, version, doc, idempotency_key, payer)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
			r.ID, r.Reference.Key(), string(r.Status), r.DueDate.Start(), r.Version, doc, key, nullable(r.Debtor.PayerKey()))
		if err != nil {
			return fmt.Errorf("payment: create: %w", err)
		}
		if tag.RowsAffected() == 0 && key != nil {
			var held uuid.UUID
			err := tx.QueryRow(ctx, `SELECT id FROM payment_requests WHERE idempotency_key = $1`, *key).Scan(&held)
			if err == nil {
				return &payment.DuplicateError{Key: *key, ID: held}
			} else if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		if tag.RowsAffected() == 0 {
			return errs.Wrap(payment.ErrConflict, "payment request %s or reference %s exists", r.ID, r.Reference.Key())
		}
		return nil
	})
}

func (s *Store) get(ctx context.Context, q pgdoc.Querier, what, sql string, arg any) (*payment.Request, error) {
	r, err := pgdoc.Get[payment.Request](ctx, q, "payment request "+what, sql, arg)
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// Get loads one request.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*payment.Request, error) {
	return s.get(ctx, s.pool, id.String(), "SELECT doc FROM payment_requests WHERE id = $1", id)
}

// GetByReference loads the request with reference key.
func (s *Store) GetByReference(ctx context.Context, key string) (*payment.Request, error) {
	return s.get(ctx, s.pool, "with reference "+key, "SELECT doc FROM payment_requests WHERE reference_key = $1", key)
}

// GetByIdempotencyKey loads the request created with key.
func (s *Store) GetByIdempotencyKey(ctx context.Context, key string) (*payment.Request, error) {
	return s.get(ctx, s.pool, fmt.Sprintf("with idempotency key %q", key), "SELECT doc FROM payment_requests WHERE idempotency_key = $1", key)
}

// Update locks the row first, runs payment.ApplyChange, and saves the
// result with its events.
func (s *Store) Update(ctx context.Context, id uuid.UUID, fn func(*payment.Request) (payment.Change, error)) (*payment.Request, error) {
	var out *payment.Request
	err := pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		r, err := s.get(ctx, tx, id.String(), "SELECT doc FROM payment_requests WHERE id = $1 FOR UPDATE", id)
		if err != nil {
			return err
		}
		ch, err := payment.ApplyChange(r, fn)
		if err != nil {
			return err
		}
		doc, err := pgdoc.JSON(r)
		if err != nil {
			return err
		}
		if _, err := pgdoc.Write(ctx, tx, ch.Events, "UPDATE payment_requests SET status = $2, version = $3, doc = $4 WHERE id = $1",
			id, string(r.Status), r.Version, doc); err != nil {
			return fmt.Errorf("payment: update %s: %w", id, err)
		}
		out = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// listSQL is List's query; arguments: after, limit, then statuses and
// payers when set. By payer it walks the index (payer, id) once per payer,
// each in ID order up to the limit, and merges: the plan cannot fall back
// to reading all requests in ID order and filtering, whatever the
// statistics say.
func listSQL(q payment.Query) string {
	status := ""
	if len(q.Statuses) > 0 {
		status = " AND status = ANY($3)"
	}
	if len(q.Payers) == 0 {
		return "SELECT doc FROM payment_requests WHERE id > $1" + status + " ORDER BY id LIMIT $2"
	}
	payers := "$3"
	if status != "" {
		payers = "$4"
	}
	return `SELECT r.doc FROM unnest(` + payers + `::text[]) AS p(payer) CROSS JOIN LATERAL (
		SELECT doc, id FROM payment_requests WHERE payer = p.payer AND id > $1` + status + ` ORDER BY id LIMIT $2) AS r
		ORDER BY r.id LIMIT $2`
}

// List pages through the matching requests by id (UUID v7, so oldest
// first); by payer through the payer index.
func (s *Store) List(ctx context.Context, q payment.Query) iter.Seq2[*payment.Request, error] {
	return func(yield func(*payment.Request, error) bool) {
		sql := listSQL(q)
		var filters []any
		if len(q.Statuses) > 0 {
			statuses := make([]string, len(q.Statuses))
			for i, st := range q.Statuses {
				statuses[i] = string(st)
			}
			filters = append(filters, statuses)
		}
		if len(q.Payers) > 0 {
			filters = append(filters, slices.Compact(slices.Sorted(slices.Values(q.Payers)))) // once each
		}
		var after uuid.UUID
		for {
			rows, err := pggather.Query(ctx, s.pool, sql, append([]any{after, pageSize}, filters...)...)
			var page []payment.Request
			if err == nil {
				page, err = pgdoc.Collect[payment.Request](rows)
			}
			if err != nil {
				yield(nil, fmt.Errorf("payment: list: %w", pgdoc.Err(err)))
				return
			}
			for i := range page {
				if q.Matches(&page[i]) && !yield(&page[i], nil) {
					return
				}
			}
			if len(page) < pageSize {
				return
			}
			after = page[len(page)-1].ID
		}
	}
}

// RecordUnmatched inserts u unless its key is there already.
func (s *Store) RecordUnmatched(ctx context.Context, u payment.Unmatched, events ...event.Event) (bool, error) {
	doc, err := pgdoc.JSON(u)
	if err != nil {
		return false, err
	}
	first := false
	err = pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO payment_unmatched (key, recorded_at, doc) VALUES ($1, $2, $3)
			ON CONFLICT (key) DO NOTHING`, u.Key, u.RecordedAt, doc)
		if err != nil {
			return fmt.Errorf("payment: record unmatched: %w", err)
		}
		if first = tag.RowsAffected() == 1; !first {
			return nil
		}
		return outbox.Write(ctx, tx, events...)
	})
	return first, err
}

// Unmatched pages through the recorded lines in the order they came.
func (s *Store) Unmatched(ctx context.Context) iter.Seq2[payment.Unmatched, error] {
	return func(yield func(payment.Unmatched, error) bool) {
		var after int64
		for {
			rows, err := s.pool.Query(ctx, "SELECT doc, ord FROM payment_unmatched WHERE ord > $1 ORDER BY ord LIMIT $2", after, pageSize)
			if err != nil {
				yield(payment.Unmatched{}, fmt.Errorf("payment: unmatched: %w", pgdoc.Err(err)))
				return
			}
			page, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (payment.Unmatched, error) {
				var u payment.Unmatched
				var doc []byte
				if err := row.Scan(&doc, &after); err != nil {
					return u, err
				}
				return u, json.Unmarshal(doc, &u)
			})
			if err != nil {
				yield(payment.Unmatched{}, err)
				return
			}
			for _, u := range page {
				if !yield(u, nil) {
					return
				}
			}
			if len(page) < pageSize {
				return
			}
		}
	}
}

// GetUnmatched loads the line recorded under key.
func (s *Store) GetUnmatched(ctx context.Context, key string) (payment.Unmatched, error) {
	return pgdoc.Get[payment.Unmatched](ctx, s.pool, fmt.Sprintf("unmatched statement line %q", key), "SELECT doc FROM payment_unmatched WHERE key = $1", key)
}
