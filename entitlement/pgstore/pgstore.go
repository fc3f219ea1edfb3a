// Package pgstore is the PostgreSQL entitlement.Store. It applies the
// package's rules (entitlement.CheckCreate, entitlement.CheckUpdate) in
// its transactions: a transaction advisory lock per subject and benefit
// serialises grant and opt-out, so concurrent batch runs grant nothing
// twice and never past an opt-out, and a partial unique index keeps one
// current grant per subject and benefit, and one grant per idempotency key,
// whatever the application does. Every write locks or writes the grant's
// row before anything else, so a grant's events commit in its order.
package pgstore

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/internal/pgdoc"
	"github.com/lokaalbestuur/bouwstenen/outbox"
	"github.com/lokaalbestuur/bouwstenen/pggather"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the PostgreSQL entitlement.Store.
type Store struct{ pool *pgxpool.Pool }

var _ entitlement.Store = (*Store)(nil)

// New returns a store over pool; call Migrate once before use.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Migrate creates or updates the tables, including the event outbox.
func (s *Store) Migrate(ctx context.Context) error {
	return pgdoc.Migrate(ctx, s.pool, "entitlement", migrations, "migrations")
}

func dateArg(d calendar.Date) any {
	if d.IsZero() {
		return nil
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// lock serialises writers on one subject and benefit for the transaction.
// It writes nothing, so the grant's row is still the first thing written.
func lock(ctx context.Context, tx pgx.Tx, subjectID, benefit string) error {
	_, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", benefit+"/"+subjectID)
	return err
}

func audit(ctx context.Context, tx pgx.Tx, a entitlement.AuditEntry) error {
	var grant any
	if a.GrantID != uuid.Nil {
		grant = a.GrantID
	}
	_, err := tx.Exec(ctx, `INSERT INTO entitlement_audit (id, at, actor, action, subject_id, benefit, grant_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.ID, a.At, a.Actor, a.Action, a.SubjectID, a.Benefit, grant, a.Detail)
	return err
}

// Create implements entitlement.Store.
func (s *Store) Create(ctx context.Context, g *entitlement.Grant, ch entitlement.GrantChange) error {
	reason, err := json.Marshal(g.Reason)
	if err != nil {
		return fmt.Errorf("pgstore: encode reason: %w", err)
	}
	err = pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lock(ctx, tx, g.SubjectID, g.Benefit); err != nil {
			return err
		}
		var e entitlement.Existing
		var holder, current *uuid.UUID
		if err := tx.QueryRow(ctx, `SELECT (SELECT id FROM entitlement_grant WHERE idempotency_key = $1),
			EXISTS (SELECT 1 FROM entitlement_opt_out WHERE subject_id = $2 AND benefit = $3),
			(SELECT id FROM entitlement_grant WHERE subject_id = $2 AND benefit = $3 AND current)`,
			nullText(g.IdempotencyKey), g.SubjectID, g.Benefit).Scan(&holder, &e.OptedOut, &current); err != nil {
			return err
		}
		if holder != nil {
			e.KeyHolder = *holder
		}
		if current != nil {
			e.Current = *current
		}
		if err := entitlement.CheckCreate(g, e); err != nil {
			return err
		}
		// A create with the key of another subject's grant, at the same
		// moment, is caught by the unique index: ErrConflict.
		if _, err := pgdoc.Write(ctx, tx, ch.Events, `INSERT INTO entitlement_grant (id, subject_id, benefit, valid_from, valid_until,
			status, current, decision_ref, decided_by, reason, end_reason, version, created_at, updated_at, idempotency_key, request_digest)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,1,$12,$13,$14,$15)`,
			g.ID, g.SubjectID, g.Benefit, dateArg(g.From), dateArg(g.Until), string(g.Status), g.Status.Current(), g.DecisionRef,
			g.DecidedBy, reason, g.EndReason, g.CreatedAt, g.UpdatedAt, nullText(g.IdempotencyKey), g.RequestDigest); err != nil {
			if pgdoc.IsUnique(err, "entitlement_grant_current") || pgdoc.IsUnique(err, "entitlement_grant_pkey") {
				return entitlement.ErrAlreadyGranted
			}
			return err
		}
		return audit(ctx, tx, ch.Audit)
	})
	if err == nil {
		g.Version = 1
	}
	return err
}

const columns = `id, subject_id, benefit, valid_from, valid_until, status, decision_ref, decided_by, reason, end_reason, version,
	created_at, updated_at, coalesce(idempotency_key, ''), request_digest`

// summaryColumns are columns with NULL for the reason, which scan then
// leaves nil.
const summaryColumns = `id, subject_id, benefit, valid_from, valid_until, status, decision_ref, decided_by, NULL::jsonb, end_reason, version,
	created_at, updated_at, coalesce(idempotency_key, ''), request_digest`

func scan(row pgx.Row) (*entitlement.Grant, error) {
	var g entitlement.Grant
	var from time.Time
	var until *time.Time
	var status string
	var reason []byte
	if err := row.Scan(&g.ID, &g.SubjectID, &g.Benefit, &from, &until, &status, &g.DecisionRef, &g.DecidedBy, &reason, &g.EndReason, &g.Version,
		&g.CreatedAt, &g.UpdatedAt, &g.IdempotencyKey, &g.RequestDigest); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, entitlement.ErrNotFound
		}
		return nil, err
	}
	g.From, g.Status = calendar.DateOf(from), entitlement.GrantStatus(status)
	if until != nil {
		g.Until = calendar.DateOf(*until)
	}
	if len(reason) > 0 && string(reason) != "null" {
		g.Reason = &entitlement.Result{}
		if err := json.Unmarshal(reason, g.Reason); err != nil {
			return nil, fmt.Errorf("pgstore: decode reason of %s: %w", g.ID, err)
		}
	}
	return &g, nil
}

// Update implements entitlement.Store; the row lock, taken before anything
// is written, makes concurrent updates of one grant run one after the other.
func (s *Store) Update(ctx context.Context, id uuid.UUID, fn func(*entitlement.Grant) (entitlement.GrantChange, error)) (*entitlement.Grant, error) {
	var out *entitlement.Grant
	err := pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		g, err := scan(tx.QueryRow(ctx, "SELECT "+columns+" FROM entitlement_grant WHERE id = $1 FOR UPDATE", id))
		if err != nil {
			return err
		}
		out, err = save(ctx, tx, g, fn)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// save runs fn on a copy of g, locked in tx, and writes the result: the
// grant's row, then its events and its audit entry.
func save(ctx context.Context, tx pgx.Tx, g *entitlement.Grant, fn func(*entitlement.Grant) (entitlement.GrantChange, error)) (*entitlement.Grant, error) {
	next := *g
	ch, err := fn(&next)
	if err != nil {
		return nil, err
	}
	if err := entitlement.CheckUpdate(g, &next); err != nil {
		return nil, err
	}
	reason, err := json.Marshal(next.Reason)
	if err != nil {
		return nil, fmt.Errorf("pgstore: encode reason: %w", err)
	}
	tag, err := pgdoc.Write(ctx, tx, ch.Events, `UPDATE entitlement_grant SET valid_from=$2, valid_until=$3, status=$4, current=$5,
		decision_ref=$6, decided_by=$7, reason=$8, end_reason=$9, updated_at=$10, version=version+1 WHERE id=$1 AND version=$11`,
		g.ID, dateArg(next.From), dateArg(next.Until), string(next.Status), next.Status.Current(), next.DecisionRef, next.DecidedBy,
		reason, next.EndReason, next.UpdatedAt, g.Version)
	if err != nil {
		return nil, err
	}
	if tag.RowsAffected() != 1 {
		return nil, entitlement.ErrConflict // the transaction rolls the events back
	}
	next.Version = g.Version + 1
	return &next, audit(ctx, tx, ch.Audit)
}

// Get implements entitlement.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*entitlement.Grant, error) {
	return scan(s.pool.QueryRow(ctx, "SELECT "+columns+" FROM entitlement_grant WHERE id = $1", id))
}

// Current implements entitlement.Store.
func (s *Store) Current(ctx context.Context, subjectID, benefit string) (*entitlement.Grant, error) {
	return scan(s.pool.QueryRow(ctx, "SELECT "+columns+" FROM entitlement_grant WHERE subject_id = $1 AND benefit = $2 AND current", subjectID, benefit))
}

func collect(rows pgx.Rows, err error) ([]entitlement.Grant, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (entitlement.Grant, error) {
		g, err := scan(r)
		if err != nil {
			return entitlement.Grant{}, err
		}
		return *g, nil
	})
}

// Held implements entitlement.Store, reading in pages keyed on subject.
func (s *Store) Held(ctx context.Context, benefit string) iter.Seq2[entitlement.Grant, error] {
	return func(yield func(entitlement.Grant, error) bool) {
		after := ""
		for {
			page, err := collect(s.pool.Query(ctx, "SELECT "+columns+` FROM entitlement_grant WHERE benefit = $1 AND current
				AND subject_id > $2 ORDER BY subject_id LIMIT 1000`, benefit, after))
			if err != nil {
				yield(entitlement.Grant{}, pgdoc.Err(err))
				return
			}
			for _, g := range page {
				if !yield(g, nil) {
					return
				}
			}
			if len(page) < 1000 {
				return
			}
			after = page[len(page)-1].SubjectID
		}
	}
}

// Grants implements entitlement.Store; a subject has few grants, read at once.
func (s *Store) Grants(ctx context.Context, subjectID string) iter.Seq2[entitlement.Grant, error] {
	return s.grants(ctx, columns, subjectID)
}

// GrantSummaries implements entitlement.Store: Grants without the column
// reason.
func (s *Store) GrantSummaries(ctx context.Context, subjectID string) iter.Seq2[entitlement.Grant, error] {
	return s.grants(ctx, summaryColumns, subjectID)
}

// grants streams the subject's grants, reading cols.
func (s *Store) grants(ctx context.Context, cols, subjectID string) iter.Seq2[entitlement.Grant, error] {
	return func(yield func(entitlement.Grant, error) bool) {
		all, err := collect(pggather.Query(ctx, s.pool, "SELECT "+cols+" FROM entitlement_grant WHERE subject_id = $1 ORDER BY created_at, id", subjectID))
		if err != nil {
			yield(entitlement.Grant{}, pgdoc.Err(err))
			return
		}
		for _, g := range all {
			if !yield(g, nil) {
				return
			}
		}
	}
}

// OptOut implements entitlement.Store. The current grant's row is locked
// and written before the refusal, so its events keep their order.
func (s *Store) OptOut(ctx context.Context, o entitlement.OptOut, fn func(*entitlement.Grant) (entitlement.GrantChange, error)) error {
	return pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lock(ctx, tx, o.SubjectID, o.Benefit); err != nil {
			return err
		}
		g, err := scan(tx.QueryRow(ctx, "SELECT "+columns+" FROM entitlement_grant WHERE subject_id = $1 AND benefit = $2 AND current FOR UPDATE", o.SubjectID, o.Benefit))
		switch {
		case err == nil:
			if _, err := save(ctx, tx, g, fn); err != nil {
				return err
			}
		case errors.Is(err, entitlement.ErrNotFound):
			ch, err := fn(nil)
			if err != nil {
				return err
			}
			if err := outbox.Write(ctx, tx, ch.Events...); err != nil {
				return err
			}
			if err := audit(ctx, tx, ch.Audit); err != nil {
				return err
			}
		default:
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO entitlement_opt_out (subject_id, benefit, at, reason, recorded_by) VALUES ($1,$2,$3,$4,$5)
			ON CONFLICT DO NOTHING`, o.SubjectID, o.Benefit, o.At, o.Reason, o.RecordedBy)
		return err
	})
}

// OptOutOf implements entitlement.Store.
func (s *Store) OptOutOf(ctx context.Context, subjectID, benefit string) (*entitlement.OptOut, error) {
	var o entitlement.OptOut
	err := s.pool.QueryRow(ctx, `SELECT subject_id, benefit, at, reason, recorded_by FROM entitlement_opt_out WHERE subject_id = $1 AND benefit = $2`,
		subjectID, benefit).Scan(&o.SubjectID, &o.Benefit, &o.At, &o.Reason, &o.RecordedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, entitlement.ErrNotFound
	}
	if err != nil {
		return nil, pgdoc.Err(err)
	}
	return &o, nil
}

// Audit implements entitlement.Store, reading in pages.
func (s *Store) Audit(ctx context.Context, subjectID string) iter.Seq2[entitlement.AuditEntry, error] {
	return func(yield func(entitlement.AuditEntry, error) bool) {
		var after int64
		for {
			rows, err := s.pool.Query(ctx, `SELECT seq, id, at, actor, action, subject_id, benefit, grant_id, detail FROM entitlement_audit
				WHERE subject_id = $1 AND seq > $2 ORDER BY seq LIMIT 500`, subjectID, after)
			if err != nil {
				yield(entitlement.AuditEntry{}, pgdoc.Err(err))
				return
			}
			type row struct {
				seq int64
				a   entitlement.AuditEntry
			}
			page, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
				var x row
				var grant *uuid.UUID
				err := r.Scan(&x.seq, &x.a.ID, &x.a.At, &x.a.Actor, &x.a.Action, &x.a.SubjectID, &x.a.Benefit, &grant, &x.a.Detail)
				if grant != nil {
					x.a.GrantID = *grant
				}
				return x, err
			})
			if err != nil {
				yield(entitlement.AuditEntry{}, pgdoc.Err(err))
				return
			}
			for _, x := range page {
				if !yield(x.a, nil) {
					return
				}
			}
			if len(page) < 500 {
				return
			}
			after = page[len(page)-1].seq
		}
	}
}
