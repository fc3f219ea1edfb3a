// Package pgdoc is the skeleton every PostgreSQL store of the SDK shares:
// aggregates kept as JSON documents beside the columns queries use,
// migrations applied once, documents read and locked, changes written with
// their events into the outbox in the same transaction, and PostgreSQL's
// errors mapped onto the SDK's error kinds. A store keeps only what is its
// own: its tables, its queries and its indexes.
package pgdoc

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/memo"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/outbox"
	"github.com/lokaalbestuur/bouwstenen/pggather"
)

// Querier is what reads need: a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Migrate applies a component's embedded migrations (files dir/NNNN_*.sql)
// and the outbox's, each once, under an advisory lock.
func Migrate(ctx context.Context, pool *pgxpool.Pool, component string, fsys embed.FS, dir string) error {
	if err := outbox.Migrate(ctx, pool); err != nil {
		return err
	}
	_, err := migrate.Run(ctx, pool, component, fsys, dir)
	return err
}

// Tx runs fn in a transaction, committed when fn returns nil, and maps the
// error as Err does.
func Tx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	return Err(pgx.BeginFunc(ctx, pool, fn))
}

// PostgreSQL's error codes the SDK gives a kind.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
	checkViolation      = "23514"
	untranslatable      = "22P05" // a NUL byte in text
	badEncoding         = "22021" // invalid UTF-8
)

// Err maps an error of PostgreSQL onto the SDK's kinds, keeping the
// original in the chain: no row is ErrNotFound, a unique or check
// violation (a race the database caught) is ErrConflict, a missing
// referenced row is ErrNotFound, text PostgreSQL cannot keep is
// ErrValidation. Other errors, and errors already of a kind, pass
// unchanged.
func Err(err error) error {
	if err == nil {
		return nil
	}
	for _, kind := range []error{errs.ErrNotFound, errs.ErrConflict, errs.ErrValidation, errs.ErrInvalidTransition, errs.ErrForbidden} {
		if errors.Is(err, kind) {
			return err // already of a kind: mapped once, where it arose
		}
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %w", errs.ErrNotFound, err)
	}
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return err
	}
	switch pg.Code {
	case uniqueViolation, checkViolation:
		return fmt.Errorf("%w: %w", errs.ErrConflict, err)
	case foreignKeyViolation:
		return fmt.Errorf("%w: %w", errs.ErrNotFound, err)
	case untranslatable, badEncoding:
		return fmt.Errorf("%w: %w", errs.ErrValidation, err)
	}
	return err
}

// IsUnique reports whether err is a unique violation, optionally of the
// named constraint.
func IsUnique(err error, constraint ...string) bool {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.Code != uniqueViolation {
		return false
	}
	return len(constraint) == 0 || pg.ConstraintName == constraint[0]
}

// Get reads the one JSON document the query selects (add FOR UPDATE to
// lock it in a transaction). No row is ErrNotFound, naming what.
func Get[T any](ctx context.Context, q Querier, what string, sql string, args ...any) (T, error) {
	var doc T
	var raw []byte
	if err := q.QueryRow(ctx, sql, args...).Scan(&raw); errors.Is(err, pgx.ErrNoRows) {
		return doc, errs.Wrap(errs.ErrNotFound, "%s", what)
	} else if err != nil {
		return doc, Err(err)
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return doc, fmt.Errorf("decode %s: %w", what, err)
	}
	return doc, nil
}

// Collect reads every row's single JSON column.
func Collect[T any](rows pgx.Rows) ([]T, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (T, error) {
		var doc T
		var raw []byte
		if err := row.Scan(&raw); err != nil {
			return doc, err
		}
		return Decode[T](raw)
	})
}

// docsPerType bounds the documents Decode remembers of one type.
const docsPerType = 2048

// docs holds a *memo.Docs[T] for each type T Decode decoded.
var docs sync.Map

// Decode decodes a JSON document, remembering it by its bytes: a list read
// again (a person's dossiers, on every visit) decodes each unchanged
// document once. The value is the caller's own (a deep copy).
func Decode[T any](raw []byte) (T, error) {
	t := reflect.TypeFor[T]()
	d, ok := docs.Load(t)
	if !ok {
		d, _ = docs.LoadOrStore(t, memo.NewDocs[T](docsPerType))
	}
	return d.(*memo.Docs[T]).Decode(raw)
}

// All yields the JSON documents a query selects, one row at a time.
func All[T any](ctx context.Context, q Querier, sql string, args ...any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		var rows pgx.Rows
		var err error
		if pool, ok := q.(*pgxpool.Pool); ok {
			rows, err = pggather.Query(ctx, pool, sql, args...) // with the reads of the same page, if gathered
		} else {
			rows, err = q.Query(ctx, sql, args...)
		}
		if err != nil {
			yield(zero, Err(err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var raw []byte
			if err := rows.Scan(&raw); err != nil {
				yield(zero, err)
				return
			}
			doc, err := Decode[T](raw)
			if err != nil {
				yield(zero, err)
				return
			}
			if !yield(doc, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(zero, Err(err))
		}
	}
}

// JSON encodes a document for a jsonb column.
func JSON(doc any) ([]byte, error) { return json.Marshal(doc) }

// Write runs one statement of a change and writes its events into the
// outbox, both in tx.
func Write(ctx context.Context, tx pgx.Tx, events []event.Event, sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := tx.Exec(ctx, sql, args...)
	if err != nil {
		return tag, Err(err)
	}
	return tag, outbox.Write(ctx, tx, events...)
}
