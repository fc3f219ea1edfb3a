// Package pgstore is the PostgreSQL casefile.Store (pgx v5). Every change
// runs in one transaction that locks the case row, checks its version,
// appends the timeline and writes the events to the outbox, so the change,
// its audit trail and its events commit together.
package pgstore

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/outbox"
	"github.com/lokaalbestuur/bouwstenen/pggather"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the PostgreSQL store.
type Store struct {
	pool *pgxpool.Pool
}

var _ casefile.Store = (*Store)(nil)

// New returns a store on pool; call Migrate once before use.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Migrate creates or upgrades the casefile tables and the outbox.
func (s *Store) Migrate(ctx context.Context) error {
	if err := outbox.Migrate(ctx, s.pool); err != nil {
		return err
	}
	_, err := migrate.Run(ctx, s.pool, "casefile", migrations, "migrations")
	return err
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func nullUUID(u uuid.UUID) *uuid.UUID {
	if u == uuid.Nil {
		return nil
	}
	return &u
}

// Create implements casefile.Store.
func (s *Store) Create(ctx context.Context, c *casefile.Case, build casefile.Mutation) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		year := calendar.DateIn(c.CreatedAt).Year
		var n int64
		err := tx.QueryRow(ctx, `INSERT INTO casefile_counters (municipality, year, last) VALUES ($1, $2, 1)
			ON CONFLICT (municipality, year) DO UPDATE SET last = casefile_counters.last + 1 RETURNING last`,
			c.Municipality, year).Scan(&n)
		if err != nil {
			return fmt.Errorf("casefile/pgstore: next reference: %w", err)
		}
		c.Reference = casefile.FormatReference(year, n)
		c.Version = 1
		rec, err := build(c)
		if err != nil {
			return err
		}
		data, err := json.Marshal(c)
		if err != nil {
			return err
		}
		var key *string
		if c.IdempotencyKey != "" {
			key = &c.IdempotencyKey
		}
		// ON CONFLICT DO NOTHING covers the ID and the idempotency key: a
		// concurrent create with the key waits for the first to commit,
		// then inserts nothing.
		tag, err := tx.Exec(ctx, `INSERT INTO casefile_cases (id, municipality, reference, type, category, status, team,
			assignee, requester_id, merged_into, closed, due, suspended_at, version, data, idempotency_key, closed_at, anonymised)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) ON CONFLICT DO NOTHING`,
			c.ID, c.Municipality, c.Reference, c.Type, c.Category, c.Status, c.Team, c.Assignee, c.Requester.ID,
			nullUUID(c.MergedInto), c.Closed, nullTime(c.Due), nullTime(c.SuspendedAt), c.Version, data, key,
			nullTime(c.ClosedAt), !c.AnonymisedAt.IsZero())
		if err != nil {
			return fmt.Errorf("casefile/pgstore: insert case: %w", err)
		}
		if tag.RowsAffected() == 0 && key != nil {
			var held uuid.UUID
			err := tx.QueryRow(ctx, `SELECT id FROM casefile_cases WHERE municipality = $1 AND idempotency_key = $2`,
				c.Municipality, *key).Scan(&held)
			if err == nil {
				return &casefile.DuplicateError{Key: *key, ID: held}
			} else if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("%w: case %s exists", casefile.ErrConflict, c.ID)
		}
		return record(ctx, tx, rec)
	})
}

func record(ctx context.Context, tx pgx.Tx, rec casefile.Change) error {
	for _, e := range rec.Entries {
		data, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO casefile_timeline (id, case_id, data) VALUES ($1, $2, $3)", e.ID, e.CaseID, data); err != nil {
			return fmt.Errorf("casefile/pgstore: append timeline: %w", err)
		}
	}
	return outbox.Write(ctx, tx, rec.Events...)
}

func decode(data []byte) (*casefile.Case, error) {
	var c casefile.Case
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("casefile/pgstore: decode case: %w", err)
	}
	return &c, nil
}

func (s *Store) getWhere(ctx context.Context, where string, args ...any) (*casefile.Case, error) {
	var data []byte
	err := s.pool.QueryRow(ctx, "SELECT data FROM casefile_cases WHERE "+where, args...).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: case %v", casefile.ErrNotFound, args)
	}
	if err != nil {
		return nil, err
	}
	return decode(data)
}

// Get implements casefile.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*casefile.Case, error) {
	return s.getWhere(ctx, "id = $1", id)
}

// GetByReference implements casefile.Store.
func (s *Store) GetByReference(ctx context.Context, municipality, reference string) (*casefile.Case, error) {
	return s.getWhere(ctx, "municipality = $1 AND reference = $2", municipality, reference)
}

// Update implements casefile.Store. The row lock makes a second writer
// wait; it then runs its rule on the first one's result. The transaction
// takes two round trips: BEGIN with the locking read, then the case, its
// timeline entries, its events and COMMIT in one pipeline.
func (s *Store) Update(ctx context.Context, id uuid.UUID, fn casefile.Mutation) (*casefile.Case, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release() // a connection left inside a transaction is closed, not reused
	var data []byte
	read := &pgx.Batch{}
	read.Queue("BEGIN")
	read.Queue("SELECT data FROM casefile_cases WHERE id = $1 FOR UPDATE", id).QueryRow(func(row pgx.Row) error {
		return row.Scan(&data)
	})
	rollback := func(err error) (*casefile.Case, error) {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		return nil, err
	}
	if err := conn.SendBatch(ctx, read).Close(); errors.Is(err, pgx.ErrNoRows) {
		return rollback(fmt.Errorf("%w: case %s", casefile.ErrNotFound, id))
	} else if err != nil {
		return rollback(err)
	}
	old, err := decode(data)
	if err != nil {
		return rollback(err)
	}
	c := old.Clone()
	c.Version = old.Version + 1
	rec, err := fn(c)
	if err != nil {
		return rollback(err)
	}
	c.ID, c.Reference, c.Municipality = old.ID, old.Reference, old.Municipality
	c.IdempotencyKey, c.RequestDigest = old.IdempotencyKey, old.RequestDigest
	if data, err = json.Marshal(c); err != nil {
		return rollback(err)
	}
	write := &pgx.Batch{}
	switch {
	case rec.Delete:
		write.Queue("DELETE FROM casefile_timeline WHERE case_id = $1", c.ID)
		write.Queue("DELETE FROM casefile_cases WHERE id = $1", c.ID)
		rec.Entries = nil // nothing of the case stays
	default:
		if rec.RedactTimeline {
			write.Queue(redactTimeline, c.ID)
		}
		write.Queue(`UPDATE casefile_cases SET type = $2, category = $3, status = $4, team = $5, assignee = $6,
		requester_id = $7, merged_into = $8, closed = $9, due = $10, suspended_at = $11, version = $12, data = $13,
		closed_at = $14, anonymised = $15
		WHERE id = $1`,
			c.ID, c.Type, c.Category, c.Status, c.Team, c.Assignee, c.Requester.ID, nullUUID(c.MergedInto),
			c.Closed, nullTime(c.Due), nullTime(c.SuspendedAt), c.Version, data, nullTime(c.ClosedAt), !c.AnonymisedAt.IsZero())
	}
	for _, e := range rec.Entries {
		entry, err := json.Marshal(e)
		if err != nil {
			return rollback(err)
		}
		write.Queue("INSERT INTO casefile_timeline (id, case_id, data) VALUES ($1, $2, $3)", e.ID, e.CaseID, entry)
	}
	if err := outbox.Queue(write, rec.Events...); err != nil {
		return rollback(err)
	}
	write.Queue("COMMIT")
	if err := conn.SendBatch(ctx, write).Close(); err != nil {
		return rollback(fmt.Errorf("casefile/pgstore: update case: %w", err))
	}
	return c, nil
}

// Timeline implements casefile.Store.
func (s *Store) Timeline(ctx context.Context, id uuid.UUID) ([]casefile.Entry, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, "SELECT data FROM casefile_timeline WHERE case_id = $1 ORDER BY seq", id)
	if err != nil {
		return nil, err
	}
	out := []casefile.Entry{}
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var e casefile.Entry
		if err := json.Unmarshal(data, &e); err != nil {
			return nil, fmt.Errorf("casefile/pgstore: decode entry: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// List implements casefile.Store with keyset pagination on (id) or, for
// deadline listings, (due, id).
func (s *Store) List(ctx context.Context, q casefile.Query) (casefile.Page, error) {
	sql, args, size, err := listSQL(q, "data")
	if err != nil {
		return casefile.Page{}, err
	}
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return casefile.Page{}, err
	}
	defer rows.Close()
	page := casefile.Page{Cases: []*casefile.Case{}}
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return casefile.Page{}, err
		}
		c, err := decode(data)
		if err != nil {
			return casefile.Page{}, err
		}
		page.Cases = append(page.Cases, c)
	}
	if err := rows.Err(); err != nil {
		return casefile.Page{}, err
	}
	if len(page.Cases) > size {
		page.Cases = page.Cases[:size]
		page.Next = casefile.CursorAfter(q, page.Cases[size-1])
	}
	return page, nil
}

// summaryColumns are the columns a casefile.Summary is read from.
const summaryColumns = "id, reference, type, category, COALESCE(subcategory, ''), COALESCE(requester_kind, ''), status, closed, due"

// ListSummaries implements casefile.Store: List's rows, read from the
// columns beside the document (see the migration 0011), not from it.
func (s *Store) ListSummaries(ctx context.Context, q casefile.Query) (casefile.SummaryPage, error) {
	sql, args, size, err := listSQL(q, summaryColumns)
	if err != nil {
		return casefile.SummaryPage{}, err
	}
	rows, err := pggather.Query(ctx, s.pool, sql, args...)
	if err != nil {
		return casefile.SummaryPage{}, err
	}
	defer rows.Close()
	page := casefile.SummaryPage{Summaries: []casefile.Summary{}}
	for rows.Next() {
		var c casefile.Summary
		var due *time.Time
		if err := rows.Scan((*[16]byte)(&c.ID), &c.Reference, &c.Type, &c.Category, &c.Subcategory, &c.RequesterKind, &c.Status, &c.Closed, &due); err != nil {
			return casefile.SummaryPage{}, err
		}
		if due != nil {
			c.Due = *due
		}
		page.Summaries = append(page.Summaries, c)
	}
	if err := rows.Err(); err != nil {
		return casefile.SummaryPage{}, err
	}
	if len(page.Summaries) > size {
		page.Summaries = page.Summaries[:size]
		page.Next = casefile.SummaryCursorAfter(q, page.Summaries[size-1])
	}
	return page, nil
}

// listSQL is the statement of List and ListSummaries reading cols, its
// arguments and the page size: one row more than a page is asked, to know
// whether another follows.
func listSQL(q casefile.Query, cols string) (string, []any, int, error) {
	cur, err := casefile.ParseCursor(q)
	if err != nil {
		return "", nil, 0, err
	}
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	filters := []struct {
		col, val string
	}{{"municipality", q.Municipality}, {"type", q.Type}, {"status", q.Status}, {"team", q.Team},
		{"assignee", q.Assignee}, {"category", q.Category}, {"requester_id", q.RequesterID}}
	for _, f := range filters {
		switch {
		case f.val == "":
		case f.col == "assignee" || f.col == "requester_id":
			// The indexes on these columns leave out the empty value
			// (WHERE col <> ''). Repeating that predicate lets the
			// generic plan of the prepared statement use them, so
			// PostgreSQL plans the statement once instead of on every
			// call (see TestListIsPlannedOnce).
			add(f.col+" = ? AND "+f.col+" <> ''", f.val)
		default:
			add(f.col+" = ?", f.val)
		}
	}
	if q.MergedInto != uuid.Nil {
		add("merged_into = ?", q.MergedInto)
	}
	if q.OpenOnly {
		where = append(where, "NOT closed")
	}
	if !q.PurgeableBefore.IsZero() {
		where = append(where, "closed AND closed_at IS NOT NULL AND NOT anonymised")
		add("closed_at < ?", q.PurgeableBefore)
	}
	order := "id"
	if !q.DueBefore.IsZero() {
		where = append(where, "NOT closed AND due IS NOT NULL AND suspended_at IS NULL AND merged_into IS NULL")
		add("due < ?", q.DueBefore)
		order = "due, id"
		if q.Cursor != "" {
			args = append(args, cur.Due, cur.ID)
			where = append(where, fmt.Sprintf("(due, id) > ($%d, $%d)", len(args)-1, len(args)))
		}
	} else if q.Cursor != "" {
		add("id > ?", cur.ID)
	}
	sql := "SELECT " + cols + " FROM casefile_cases"
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	size := q.PageSize()
	sql += " ORDER BY " + order + " LIMIT " + strconv.Itoa(size+1)
	return sql, args, size, nil
}

// redactTimeline strips a case's stored timeline of free text, attachment
// names and citizens' actor IDs.
const redactTimeline = `UPDATE casefile_timeline SET data = CASE
		WHEN data->'actor'->>'role' = 'citizen' THEN jsonb_set(data - 'text' - 'attachment', '{actor,id}', '""')
		ELSE data - 'text' - 'attachment' END
	WHERE case_id = $1`

// RecordPurge implements casefile.Store: the audit record and its events
// commit together.
func (s *Store) RecordPurge(ctx context.Context, run casefile.PurgeRun, events []event.Event) error {
	data, err := json.Marshal(run)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO casefile_purge_runs (id, municipality, at, data) VALUES ($1, $2, $3, $4)",
			run.ID, run.Municipality, run.At, data); err != nil {
			return fmt.Errorf("casefile/pgstore: record purge run: %w", err)
		}
		return outbox.Write(ctx, tx, events...)
	})
}

// PurgeRuns implements casefile.Store.
func (s *Store) PurgeRuns(ctx context.Context, municipality string) ([]casefile.PurgeRun, error) {
	rows, err := s.pool.Query(ctx, "SELECT data FROM casefile_purge_runs WHERE municipality = $1 ORDER BY at, id", municipality)
	if err != nil {
		return nil, err
	}
	out := []casefile.PurgeRun{}
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var r casefile.PurgeRun
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("casefile/pgstore: decode purge run: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
