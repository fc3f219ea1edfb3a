// Package pgstore is the PostgreSQL subsidy.Store (pgx v5). Each aggregate
// is a JSON document beside the columns that need indexes or constraints;
// Update locks the call's row FOR UPDATE, so decisions on one budget are
// serialised, and a CHECK constraint keeps reserved + paid within the
// budget. Events go to the outbox in the same transaction.
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
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/outbox"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrate creates or updates the tables, the outbox's included.
func (s *Store) Migrate(ctx context.Context) error {
	if err := outbox.Migrate(ctx, s.pool); err != nil {
		return err
	}
	_, err := migrate.Run(ctx, s.pool, "subsidy", migrations, "migrations")
	return err
}

// Store is the PostgreSQL subsidy.Store.
type Store struct {
	pool *pgxpool.Pool
	// PageSize is how many calls or applications Calls and Applications
	// read per query.
	PageSize int
}

var _ subsidy.Store = (*Store)(nil)

// New returns a store over a migrated pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool, PageSize: 200} }

func mapErr(err error, what string) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23503":
			return fmt.Errorf("%w: %s refers to something that does not exist", subsidy.ErrNotFound, what)
		case "23505":
			return fmt.Errorf("%w: %s exists", subsidy.ErrConflict, what)
		case "23514":
			return fmt.Errorf("%w: %s", subsidy.ErrBudgetExceeded, pe.Message)
		}
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %s", subsidy.ErrNotFound, what)
	}
	return err
}

func (s *Store) insert(ctx context.Context, what, sql string, events []event.Event, args ...any) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sql, args...); err != nil {
			return err
		}
		return outbox.Write(ctx, tx, events...)
	})
	return mapErr(err, what)
}

func get[T any](ctx context.Context, pool *pgxpool.Pool, what, sql string, id uuid.UUID) (T, error) {
	var v T
	var doc []byte
	if err := pool.QueryRow(ctx, sql, id).Scan(&doc); err != nil {
		return v, mapErr(err, fmt.Sprintf("%s %s", what, id))
	}
	err := json.Unmarshal(doc, &v)
	return v, err
}

// CreateScheme implements subsidy.Store.
func (s *Store) CreateScheme(ctx context.Context, sc subsidy.Scheme, events []event.Event) error {
	return s.insert(ctx, "scheme "+sc.ID.String(), "INSERT INTO subsidy_scheme (id, doc) VALUES ($1, $2)", events, sc.ID, sc)
}

// Scheme implements subsidy.Store.
func (s *Store) Scheme(ctx context.Context, id uuid.UUID) (subsidy.Scheme, error) {
	return get[subsidy.Scheme](ctx, s.pool, "scheme", "SELECT doc FROM subsidy_scheme WHERE id = $1", id)
}

// CreateCall implements subsidy.Store.
func (s *Store) CreateCall(ctx context.Context, c subsidy.Call, events []event.Event) error {
	return s.insert(ctx, "call "+c.ID.String(), `INSERT INTO subsidy_call (id, scheme_id, version, budget, reserved, paid, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, events, c.ID, c.SchemeID, c.Version, c.Budget, c.Ledger.Reserved, c.Ledger.Paid, c)
}

// Call implements subsidy.Store.
func (s *Store) Call(ctx context.Context, id uuid.UUID) (subsidy.Call, error) {
	return get[subsidy.Call](ctx, s.pool, "call", "SELECT doc FROM subsidy_call WHERE id = $1", id)
}

// Calls implements subsidy.Store in keyset pages by ID: IDs are UUID v7,
// ordered by creation time.
func (s *Store) Calls(ctx context.Context) iter.Seq2[subsidy.Call, error] {
	return keyset[subsidy.Call](ctx, s.pool, s.PageSize, uuid.Nil,
		`SELECT id, doc FROM subsidy_call WHERE id > $1 ORDER BY id LIMIT $2`)
}

// keyset yields the JSON documents of query in keyset pages, so no
// connection is held while the caller handles one. query selects (key, doc)
// rows; its parameters are args, then the key to start after (first the
// zero key), then the page size.
func keyset[T, K any](ctx context.Context, pool *pgxpool.Pool, pageSize int, after K, query string, args ...any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		key := after // each range over the sequence starts from the beginning
		for {
			rows, err := pool.Query(ctx, query, append(args[:len(args):len(args)], key, pageSize)...)
			if err != nil {
				yield(zero, err)
				return
			}
			var page [][]byte
			for rows.Next() {
				var doc []byte
				if err := rows.Scan(&key, &doc); err != nil {
					rows.Close()
					yield(zero, err)
					return
				}
				page = append(page, doc)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				yield(zero, err)
				return
			}
			for _, doc := range page {
				var v T
				err := json.Unmarshal(doc, &v)
				if !yield(v, err) || err != nil {
					return
				}
			}
			if len(page) < pageSize {
				return
			}
		}
	}
}

// CreateApplication implements subsidy.Store.
func (s *Store) CreateApplication(ctx context.Context, a subsidy.Application, events []event.Event) error {
	return s.insert(ctx, "application "+a.ID.String(), `INSERT INTO subsidy_application (id, call_id, status, version, doc)
		VALUES ($1, $2, $3, $4, $5)`, events, a.ID, a.CallID, a.Status, a.Version, a)
}

// Application implements subsidy.Store.
func (s *Store) Application(ctx context.Context, id uuid.UUID) (subsidy.Application, error) {
	return get[subsidy.Application](ctx, s.pool, "application", "SELECT doc FROM subsidy_application WHERE id = $1", id)
}

// Applications implements subsidy.Store with keyset pages, so no
// connection is held while the caller handles an application.
func (s *Store) Applications(ctx context.Context, callID uuid.UUID) iter.Seq2[subsidy.Application, error] {
	return keyset[subsidy.Application](ctx, s.pool, s.PageSize, int64(0),
		`SELECT seq, doc FROM subsidy_application WHERE call_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, callID)
}

// Update implements subsidy.Store: the call's row is locked first, then the
// applications' rows in id order, so concurrent updates cannot deadlock.
func (s *Store) Update(ctx context.Context, callID uuid.UUID, appIDs []uuid.UUID, fn subsidy.ChangeFunc) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var doc []byte
		if err := tx.QueryRow(ctx, "SELECT doc FROM subsidy_call WHERE id = $1 FOR UPDATE", callID).Scan(&doc); err != nil {
			return mapErr(err, "call "+callID.String())
		}
		var call subsidy.Call
		if err := json.Unmarshal(doc, &call); err != nil {
			return err
		}
		apps := make([]*subsidy.Application, len(appIDs))
		if len(appIDs) > 0 {
			rows, err := tx.Query(ctx, "SELECT id, doc FROM subsidy_application WHERE id = ANY($1) AND call_id = $2 ORDER BY id FOR UPDATE", appIDs, callID)
			if err != nil {
				return err
			}
			found := map[uuid.UUID]*subsidy.Application{}
			for rows.Next() {
				var id uuid.UUID
				var doc []byte
				if err := rows.Scan(&id, &doc); err != nil {
					rows.Close()
					return err
				}
				var a subsidy.Application
				if err := json.Unmarshal(doc, &a); err != nil {
					rows.Close()
					return err
				}
				found[id] = &a
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for i, id := range appIDs {
				a, ok := found[id]
				if !ok {
					return fmt.Errorf("%w: application %s in call %s", subsidy.ErrNotFound, id, callID)
				}
				apps[i] = a
			}
		}
		events, err := fn(&call, apps)
		if err != nil {
			return err
		}
		call.Version++
		if _, err := tx.Exec(ctx, `UPDATE subsidy_call SET version = $2, budget = $3, reserved = $4, paid = $5, doc = $6 WHERE id = $1`,
			call.ID, call.Version, call.Budget, call.Ledger.Reserved, call.Ledger.Paid, call); err != nil {
			return mapErr(err, "call "+call.ID.String())
		}
		for _, a := range apps {
			a.Version++
			if _, err := tx.Exec(ctx, `UPDATE subsidy_application SET version = $2, status = $3, doc = $4 WHERE id = $1`,
				a.ID, a.Version, a.Status, a); err != nil {
				return err
			}
		}
		return outbox.Write(ctx, tx, events...)
	})
}
