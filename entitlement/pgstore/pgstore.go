// Package pgstore is the PostgreSQL entitlement.Store. A partial unique
// index keeps one current grant per subject and benefit, and a transaction
// advisory lock per subject and benefit serialises grant and opt-out, so
// concurrent batch runs grant nothing twice and never past an opt-out.
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
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/outbox"
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
	if err := outbox.Migrate(ctx, s.pool); err != nil {
		return err
	}
	_, err := migrate.Run(ctx, s.pool, "entitlement", migrations, "migrations")
	return err
}

func dateArg(d calendar.Date) any {
	if d.IsZero() {
		return nil
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// lock serialises writers on one subject and benefit for the transaction.
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
func (s *Store) Create(ctx context.Context, g entitlement.Grant, a entitlement.AuditEntry, events []event.Event) error {
	reason, err := json.Marshal(g.Reason)
	if err != nil {
		return fmt.Errorf("pgstore: encode reason: %w", err)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lock(ctx, tx, g.SubjectID, g.Benefit); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM entitlement_opt_out WHERE subject_id = $1 AND benefit = $2", g.SubjectID, g.Benefit).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return entitlement.ErrOptedOut
		}
		_, err := tx.Exec(ctx, `INSERT INTO entitlement_grant (id, subject_id, benefit, valid_from, valid_until, status, decision_ref,
			decided_by, reason, end_reason, version, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,1,$11,$12)`,
			g.ID, g.SubjectID, g.Benefit, dateArg(g.From), dateArg(g.Until), string(g.Status), g.DecisionRef, g.DecidedBy, reason, g.EndReason, g.CreatedAt, g.UpdatedAt)
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return entitlement.ErrAlreadyGranted
		}
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, a); err != nil {
			return err
		}
		return outbox.Write(ctx, tx, events...)
	})
}

const columns = `id, subject_id, benefit, valid_from, valid_until, status, decision_ref, decided_by, reason, end_reason, version, created_at, updated_at`

func scan(row pgx.Row) (entitlement.Grant, error) {
	var g entitlement.Grant
	var from time.Time
	var until *time.Time
	var status string
	var reason []byte
	if err := row.Scan(&g.ID, &g.SubjectID, &g.Benefit, &from, &until, &status, &g.DecisionRef, &g.DecidedBy, &reason, &g.EndReason, &g.Version, &g.CreatedAt, &g.UpdatedAt); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return g, entitlement.ErrNotFound
		}
		return g, err
	}
	g.From, g.Status = calendar.DateOf(from), entitlement.GrantStatus(status)
	if until != nil {
		g.Until = calendar.DateOf(*until)
	}
	if len(reason) > 0 && string(reason) != "null" {
		g.Reason = &entitlement.Result{}
		if err := json.Unmarshal(reason, g.Reason); err != nil {
			return g, fmt.Errorf("pgstore: decode reason of %s: %w", g.ID, err)
		}
	}
	return g, nil
}

// Update implements entitlement.Store; the row lock and the version check
// make concurrent updates of one grant run one after the other.
func (s *Store) Update(ctx context.Context, id uuid.UUID, fn func(*entitlement.Grant) (entitlement.AuditEntry, []event.Event, error)) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		g, err := scan(tx.QueryRow(ctx, "SELECT "+columns+" FROM entitlement_grant WHERE id = $1 FOR UPDATE", id))
		if err != nil {
			return err
		}
		return s.save(ctx, tx, g, fn)
	})
}

func (s *Store) save(ctx context.Context, tx pgx.Tx, g entitlement.Grant, fn func(*entitlement.Grant) (entitlement.AuditEntry, []event.Event, error)) error {
	next := g
	a, events, err := fn(&next)
	if err != nil {
		return err
	}
	reason, err := json.Marshal(next.Reason)
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `UPDATE entitlement_grant SET valid_from=$2, valid_until=$3, status=$4, decision_ref=$5, decided_by=$6,
		reason=$7, end_reason=$8, updated_at=$9, version=version+1 WHERE id=$1 AND version=$10`,
		g.ID, dateArg(next.From), dateArg(next.Until), string(next.Status), next.DecisionRef, next.DecidedBy, reason, next.EndReason, next.UpdatedAt, g.Version)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return entitlement.ErrConflict
	}
	if err := audit(ctx, tx, a); err != nil {
		return err
	}
	return outbox.Write(ctx, tx, events...)
}

// Get implements entitlement.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (entitlement.Grant, error) {
	return scan(s.pool.QueryRow(ctx, "SELECT "+columns+" FROM entitlement_grant WHERE id = $1", id))
}

// Current implements entitlement.Store.
func (s *Store) Current(ctx context.Context, subjectID, benefit string) (entitlement.Grant, error) {
	return scan(s.pool.QueryRow(ctx, "SELECT "+columns+" FROM entitlement_grant WHERE subject_id = $1 AND benefit = $2 AND status IN ('active','ending')", subjectID, benefit))
}

// Held implements entitlement.Store, reading in pages keyed on subject.
func (s *Store) Held(ctx context.Context, benefit string) iter.Seq2[entitlement.Grant, error] {
	return func(yield func(entitlement.Grant, error) bool) {
		after := ""
		for {
			rows, err := s.pool.Query(ctx, "SELECT "+columns+` FROM entitlement_grant WHERE benefit = $1 AND status IN ('active','ending')
				AND subject_id > $2 ORDER BY subject_id LIMIT 1000`, benefit, after)
			if err != nil {
				yield(entitlement.Grant{}, err)
				return
			}
			page, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (entitlement.Grant, error) { return scan(r) })
			if err != nil {
				yield(entitlement.Grant{}, err)
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

// OptOut implements entitlement.Store.
func (s *Store) OptOut(ctx context.Context, o entitlement.OptOut, end func(*entitlement.Grant), a entitlement.AuditEntry, events []event.Event) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lock(ctx, tx, o.SubjectID, o.Benefit); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO entitlement_opt_out (subject_id, benefit, at, reason, recorded_by) VALUES ($1,$2,$3,$4,$5)
			ON CONFLICT DO NOTHING`, o.SubjectID, o.Benefit, o.At, o.Reason, o.RecordedBy); err != nil {
			return err
		}
		g, err := scan(tx.QueryRow(ctx, "SELECT "+columns+" FROM entitlement_grant WHERE subject_id = $1 AND benefit = $2 AND status IN ('active','ending') FOR UPDATE", o.SubjectID, o.Benefit))
		if errors.Is(err, entitlement.ErrNotFound) {
			if err := audit(ctx, tx, a); err != nil {
				return err
			}
			return outbox.Write(ctx, tx, events...)
		}
		if err != nil {
			return err
		}
		return s.save(ctx, tx, g, func(g *entitlement.Grant) (entitlement.AuditEntry, []event.Event, error) {
			end(g)
			return a, events, nil
		})
	})
}

// OptedOut implements entitlement.Store.
func (s *Store) OptedOut(ctx context.Context, subjectID, benefit string) (bool, error) {
	var n int
	err := s.pool.QueryRow(ctx, "SELECT count(*) FROM entitlement_opt_out WHERE subject_id = $1 AND benefit = $2", subjectID, benefit).Scan(&n)
	return n > 0, err
}

// Audit implements entitlement.Store, reading in pages.
func (s *Store) Audit(ctx context.Context, subjectID string) iter.Seq2[entitlement.AuditEntry, error] {
	return func(yield func(entitlement.AuditEntry, error) bool) {
		var after int64
		for {
			rows, err := s.pool.Query(ctx, `SELECT seq, id, at, actor, action, subject_id, benefit, grant_id, detail FROM entitlement_audit
				WHERE subject_id = $1 AND seq > $2 ORDER BY seq LIMIT 500`, subjectID, after)
			if err != nil {
				yield(entitlement.AuditEntry{}, err)
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
				yield(entitlement.AuditEntry{}, err)
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
