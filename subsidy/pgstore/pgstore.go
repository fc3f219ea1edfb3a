// Package pgstore is the PostgreSQL subsidy.Store (pgx v5) on the SDK's
// shared skeleton (internal/pgdoc). Each aggregate is a JSON document
// beside the columns that need indexes or constraints; Update locks the
// call's row FOR UPDATE before anything else, so decisions on one budget
// are serialised, and a CHECK constraint keeps reserved + paid within the
// budget. Events go to the outbox in the same transaction.
package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"iter"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/pgdoc"
	"github.com/lokaalbestuur/bouwstenen/outbox"
	"github.com/lokaalbestuur/bouwstenen/pggather"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrate creates or updates the tables, the outbox's included.
func (s *Store) Migrate(ctx context.Context) error {
	return pgdoc.Migrate(ctx, s.pool, "subsidy", migrations, "migrations")
}

// Store is the PostgreSQL subsidy.Store.
type Store struct {
	pool *pgxpool.Pool
	// PageSize is how many calls or applications Calls, Applications and
	// ApplicationsOf read per query.
	PageSize int
}

var _ subsidy.Store = (*Store)(nil)

// New returns a store over a migrated pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool, PageSize: 200} }

// budgetErr says which rule a write broke when the database's CHECK on
// the ledger caught it; other errors pass, for pgdoc.Tx to map.
func budgetErr(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.ConstraintName == "subsidy_call_within_budget" {
		return fmt.Errorf("%w: %s", subsidy.ErrBudgetExceeded, pe.Message)
	}
	return err
}

// insert stores one new row and its events in one transaction. pgdoc.Write
// maps the statement's error; pgx.BeginFunc, not pgdoc.Tx, so it is
// mapped once.
func (s *Store) insert(ctx context.Context, events []event.Event, sql string, args ...any) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := pgdoc.Write(ctx, tx, events, sql, args...)
		return err
	})
}

// CreateScheme implements subsidy.Store.
func (s *Store) CreateScheme(ctx context.Context, sc subsidy.Scheme, events []event.Event) error {
	return s.insert(ctx, events, "INSERT INTO subsidy_scheme (id, doc) VALUES ($1, $2)", sc.ID, sc)
}

// Scheme implements subsidy.Store.
func (s *Store) Scheme(ctx context.Context, id uuid.UUID) (subsidy.Scheme, error) {
	return pgdoc.Get[subsidy.Scheme](ctx, s.pool, "scheme "+id.String(), "SELECT doc FROM subsidy_scheme WHERE id = $1", id)
}

// CreateCall implements subsidy.Store.
func (s *Store) CreateCall(ctx context.Context, c subsidy.Call, events []event.Event) error {
	return s.insert(ctx, events, `INSERT INTO subsidy_call (id, scheme_id, version, budget, reserved, paid, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, c.SchemeID, c.Version, c.Budget, c.Ledger.Reserved, c.Ledger.Paid, c)
}

// Call implements subsidy.Store.
func (s *Store) Call(ctx context.Context, id uuid.UUID) (subsidy.Call, error) {
	return pgdoc.Get[subsidy.Call](ctx, s.pool, "call "+id.String(), "SELECT doc FROM subsidy_call WHERE id = $1", id)
}

// Calls implements subsidy.Store in keyset pages by ID: IDs are UUID v7,
// ordered by creation time.
func (s *Store) Calls(ctx context.Context) iter.Seq2[subsidy.Call, error] {
	return keyset[subsidy.Call](ctx, s.pool, s.PageSize, uuid.Nil,
		`SELECT id, doc FROM subsidy_call WHERE id > $1 ORDER BY id LIMIT $2`)
}

// keyset yields the JSON documents of query in keyset pages, so no
// connection is held while the caller handles one (the service writes
// between steps). query selects (key, doc) rows; its parameters are args,
// then the key to start after (first the zero key), then the page size.
func keyset[T, K any](ctx context.Context, pool *pgxpool.Pool, pageSize int, after K, query string, args ...any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		key := after // each range over the sequence starts from the beginning
		for {
			rows, err := pggather.Query(ctx, pool, query, append(args[:len(args):len(args)], key, pageSize)...)
			if err != nil {
				yield(zero, pgdoc.Err(err))
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
				yield(zero, pgdoc.Err(err))
				return
			}
			for _, doc := range page {
				v, err := pgdoc.Decode[T](doc)
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

// CreateApplication implements subsidy.Store. ON CONFLICT DO NOTHING
// covers the ID and the idempotency key: a concurrent create with the key
// waits for the first to commit, then inserts nothing and finds it.
func (s *Store) CreateApplication(ctx context.Context, a subsidy.Application, events []event.Event) error {
	var key *string
	if a.IdempotencyKey != "" {
		key = &a.IdempotencyKey
	}
	return pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO subsidy_application (id, call_id, status, version, applicant_ref, idempotency_key, doc)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`, a.ID, a.CallID, a.Status, a.Version, a.ApplicantRef, key, a)
		if err != nil {
			return err // pgdoc.Tx maps it
		}
		if tag.RowsAffected() == 0 && key != nil {
			var held uuid.UUID
			err := tx.QueryRow(ctx, `SELECT id FROM subsidy_application WHERE idempotency_key = $1`, *key).Scan(&held)
			if err == nil {
				return &subsidy.DuplicateError{Key: *key, ID: held}
			} else if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("%w: application %s exists", subsidy.ErrConflict, a.ID)
		}
		return outbox.Write(ctx, tx, events...)
	})
}

// Application implements subsidy.Store.
func (s *Store) Application(ctx context.Context, id uuid.UUID) (subsidy.Application, error) {
	return pgdoc.Get[subsidy.Application](ctx, s.pool, "application "+id.String(), "SELECT doc FROM subsidy_application WHERE id = $1", id)
}

// Applications implements subsidy.Store with keyset pages, so no
// connection is held while the caller handles an application.
func (s *Store) Applications(ctx context.Context, callID uuid.UUID) iter.Seq2[subsidy.Application, error] {
	return keyset[subsidy.Application](ctx, s.pool, s.PageSize, int64(0),
		`SELECT seq, doc FROM subsidy_application WHERE call_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, callID)
}

// ApplicationsOf implements subsidy.Store from the index on
// (applicant_ref, seq), in keyset pages.
func (s *Store) ApplicationsOf(ctx context.Context, refs []string) iter.Seq2[subsidy.Application, error] {
	return keyset[subsidy.Application](ctx, s.pool, s.PageSize, int64(0),
		`SELECT seq, doc FROM subsidy_application WHERE applicant_ref = ANY($1) AND seq > $2 ORDER BY seq LIMIT $3`, refs)
}

// Update implements subsidy.Store. The call's row is locked first, before
// the transaction writes anything, then the applications' rows in id
// order, so concurrent updates cannot deadlock and the events of one
// aggregate reach the outbox in the order of their changes.
func (s *Store) Update(ctx context.Context, callID uuid.UUID, appIDs []uuid.UUID, fn subsidy.ChangeFunc) error {
	return pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		call, err := pgdoc.Get[subsidy.Call](ctx, tx, "call "+callID.String(), "SELECT doc FROM subsidy_call WHERE id = $1 FOR UPDATE", callID)
		if err != nil {
			return err
		}
		apps := make([]*subsidy.Application, len(appIDs))
		if len(appIDs) > 0 {
			rows, err := tx.Query(ctx, "SELECT doc FROM subsidy_application WHERE id = ANY($1) AND call_id = $2 ORDER BY id FOR UPDATE", appIDs, callID)
			if err != nil {
				return err
			}
			locked, err := pgdoc.Collect[subsidy.Application](rows)
			if err != nil {
				return err
			}
			found := make(map[uuid.UUID]*subsidy.Application, len(locked))
			for i := range locked {
				found[locked[i].ID] = &locked[i]
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
			return budgetErr(err)
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
