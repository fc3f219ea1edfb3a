// Package pgstore is the PostgreSQL payment.Store (pgx v5). Requests are
// kept as JSON documents with the columns queries need beside them; every
// change runs in a transaction that locks the row and writes its events to
// the outbox.
package pgstore

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"iter"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/outbox"
	"github.com/lokaalbestuur/bouwstenen/payment"
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
	if err := outbox.Migrate(ctx, s.pool); err != nil {
		return err
	}
	_, err := migrate.Run(ctx, s.pool, "payment", migrations, "migrations")
	return err
}

// NextSequence draws from a PostgreSQL sequence, which never repeats.
func (s *Store) NextSequence(ctx context.Context) (uint64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, "SELECT nextval('payment_reference_seq')").Scan(&n); err != nil {
		return 0, fmt.Errorf("payment: next sequence: %w", err)
	}
	return uint64(n), nil
}

func isUnique(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "23505"
}

// Create inserts r and its events in one transaction.
func (s *Store) Create(ctx context.Context, r *payment.Request, events ...event.Event) error {
	doc, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO payment_requests (id, reference_key, status, due_date, version, doc)
			VALUES ($1, $2, $3, $4, $5, $6)`, r.ID, r.Reference.Key(), string(r.Status), r.DueDate.Start(), r.Version, doc)
		if isUnique(err) {
			return errs.Wrap(payment.ErrConflict, "payment request %s or reference %s exists", r.ID, r.Reference.Key())
		}
		if err != nil {
			return fmt.Errorf("payment: create: %w", err)
		}
		return outbox.Write(ctx, tx, events...)
	})
}

func scanRequest(row pgx.Row, what string) (*payment.Request, error) {
	var doc []byte
	var version int
	if err := row.Scan(&doc, &version); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, errs.Wrap(payment.ErrNotFound, "payment request %s", what)
		}
		return nil, fmt.Errorf("payment: load %s: %w", what, err)
	}
	var r payment.Request
	if err := json.Unmarshal(doc, &r); err != nil {
		return nil, fmt.Errorf("payment: decode %s: %w", what, err)
	}
	r.Version = version
	return &r, nil
}

// Get loads one request.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*payment.Request, error) {
	return scanRequest(s.pool.QueryRow(ctx, "SELECT doc, version FROM payment_requests WHERE id = $1", id), id.String())
}

// GetByReference loads the request with reference key.
func (s *Store) GetByReference(ctx context.Context, key string) (*payment.Request, error) {
	return scanRequest(s.pool.QueryRow(ctx, "SELECT doc, version FROM payment_requests WHERE reference_key = $1", key), "with reference "+key)
}

// Update locks the row, runs fn, and saves the result with its events.
func (s *Store) Update(ctx context.Context, id uuid.UUID, fn func(*payment.Request) ([]event.Event, error)) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		r, err := scanRequest(tx.QueryRow(ctx, "SELECT doc, version FROM payment_requests WHERE id = $1 FOR UPDATE", id), id.String())
		if err != nil {
			return err
		}
		key := r.Reference.Key()
		events, err := fn(r)
		if err != nil {
			return err
		}
		if r.ID != id || r.Reference.Key() != key {
			return errs.Wrap(payment.ErrConflict, "payment request %s: id and reference cannot change", id)
		}
		r.Version++
		doc, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE payment_requests SET status = $2, version = $3, doc = $4 WHERE id = $1",
			id, string(r.Status), r.Version, doc); err != nil {
			return fmt.Errorf("payment: update %s: %w", id, err)
		}
		return outbox.Write(ctx, tx, events...)
	})
}

// List pages through the matching requests by id (UUID v7, so oldest first).
func (s *Store) List(ctx context.Context, q payment.Query) iter.Seq2[*payment.Request, error] {
	return func(yield func(*payment.Request, error) bool) {
		statuses := make([]string, len(q.Statuses))
		for i, st := range q.Statuses {
			statuses[i] = string(st)
		}
		var after uuid.UUID
		for {
			rows, err := s.pool.Query(ctx, `SELECT doc, version, id FROM payment_requests
				WHERE id > $1 AND (cardinality($2::text[]) = 0 OR status = ANY($2))
				ORDER BY id LIMIT $3`, after, statuses, pageSize)
			if err != nil {
				yield(nil, fmt.Errorf("payment: list: %w", err))
				return
			}
			var page []*payment.Request
			for rows.Next() {
				var doc []byte
				var version int
				if err := rows.Scan(&doc, &version, &after); err != nil {
					rows.Close()
					yield(nil, err)
					return
				}
				var r payment.Request
				if err := json.Unmarshal(doc, &r); err != nil {
					rows.Close()
					yield(nil, err)
					return
				}
				r.Version = version
				page = append(page, &r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				yield(nil, err)
				return
			}
			for _, r := range page {
				if q.Matches(r) && !yield(r, nil) {
					return
				}
			}
			if len(page) < pageSize {
				return
			}
		}
	}
}

// RecordUnmatched inserts u unless its key is there already.
func (s *Store) RecordUnmatched(ctx context.Context, u payment.Unmatched, events ...event.Event) (bool, error) {
	doc, err := json.Marshal(u)
	if err != nil {
		return false, err
	}
	first := false
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
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
				yield(payment.Unmatched{}, fmt.Errorf("payment: unmatched: %w", err))
				return
			}
			var page []payment.Unmatched
			for rows.Next() {
				var doc []byte
				var u payment.Unmatched
				err := rows.Scan(&doc, &after)
				if err == nil {
					err = json.Unmarshal(doc, &u)
				}
				if err != nil {
					rows.Close()
					yield(payment.Unmatched{}, err)
					return
				}
				page = append(page, u)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
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
