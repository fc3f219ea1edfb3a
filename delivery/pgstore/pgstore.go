// Package pgstore is the PostgreSQL delivery.Store (pgx v5). The queue is
// the deliveries table itself: Claim takes due rows with SELECT ... FOR
// UPDATE SKIP LOCKED so concurrent dispatchers never share a row, and every
// change writes its evidence and its events (to the outbox) in the same
// transaction.
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

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the PostgreSQL delivery.Store.
type Store struct {
	pool *pgxpool.Pool
}

var _ delivery.Store = (*Store)(nil)

// New returns a store over pool; call Migrate once before use.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Migrate creates or upgrades the tables, the outbox included.
func (s *Store) Migrate(ctx context.Context) error {
	if err := outbox.Migrate(ctx, s.pool); err != nil {
		return err
	}
	_, err := migrate.Run(ctx, s.pool, "delivery", migrations, "migrations")
	return err
}

func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// UpdatePreference implements delivery.Store.
func (s *Store) UpdatePreference(ctx context.Context, party delivery.Party, fn func(*delivery.Preference, bool) ([]event.Event, error)) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var p delivery.Preference
		var raw []byte
		exists := true
		err := tx.QueryRow(ctx, `SELECT data FROM delivery_preferences WHERE party = $1 ORDER BY version DESC LIMIT 1 FOR UPDATE`, party.String()).Scan(&raw)
		if errors.Is(err, pgx.ErrNoRows) {
			exists = false
		} else if err != nil {
			return err
		} else if err := json.Unmarshal(raw, &p); err != nil {
			return err
		}
		prev := p.Version
		evs, err := fn(&p, exists)
		if err != nil {
			return err
		}
		if p.Version != prev+1 || p.Party != party {
			return errs.Wrap(delivery.ErrConflict, "preference version %d does not follow %d", p.Version, prev)
		}
		data, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO delivery_preferences (party, version, data) VALUES ($1, $2, $3)`, party.String(), p.Version, data); err != nil {
			return err
		}
		return outbox.Write(ctx, tx, evs...)
	})
	if isUnique(err) {
		return errs.Wrap(delivery.ErrConflict, "preference changed concurrently")
	}
	return err
}

// Preference implements delivery.Store.
func (s *Store) Preference(ctx context.Context, party delivery.Party) (delivery.Preference, error) {
	var p delivery.Preference
	var raw []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM delivery_preferences WHERE party = $1 ORDER BY version DESC LIMIT 1`, party.String()).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, errs.Wrap(delivery.ErrNotFound, "no preference for party")
	} else if err != nil {
		return p, err
	}
	return p, json.Unmarshal(raw, &p)
}

// PreferenceHistory implements delivery.Store.
func (s *Store) PreferenceHistory(ctx context.Context, party delivery.Party) ([]delivery.Preference, error) {
	rows, err := s.pool.Query(ctx, `SELECT data FROM delivery_preferences WHERE party = $1 ORDER BY version`, party.String())
	if err != nil {
		return nil, err
	}
	return collectJSON[delivery.Preference](rows)
}

func collectJSON[T any](rows pgx.Rows) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// PutRule implements delivery.Store.
func (s *Store) PutRule(ctx context.Context, r delivery.Rule) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO delivery_rules (category, version, data)
		SELECT $1, $2, $3 WHERE $2 = (SELECT COALESCE(max(version), 0) + 1 FROM delivery_rules WHERE category = $1)`,
		string(r.Category), r.Version, data)
	if isUnique(err) || err == nil && tag.RowsAffected() == 0 {
		return errs.Wrap(delivery.ErrConflict, "rule version %d is not the next one", r.Version)
	}
	return err
}

// Rule implements delivery.Store.
func (s *Store) Rule(ctx context.Context, c delivery.Category) (delivery.Rule, error) {
	var r delivery.Rule
	var raw []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM delivery_rules WHERE category = $1 ORDER BY version DESC LIMIT 1`, string(c)).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, errs.Wrap(delivery.ErrNotFound, "no rule for category %q", c)
	} else if err != nil {
		return r, err
	}
	return r, json.Unmarshal(raw, &r)
}

func dueArg(d *delivery.Delivery) any {
	if due := d.DueAt(); !due.IsZero() {
		return due
	}
	return nil
}

func writeEvidence(ctx context.Context, tx pgx.Tx, ev []delivery.Evidence) error {
	if len(ev) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, e := range ev {
		data, err := json.Marshal(e)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO delivery_evidence (document_id, seq, data) VALUES ($1, $2, $3)`, e.DocumentID, e.Seq, data)
	}
	return tx.SendBatch(ctx, b).Close()
}

// Enqueue implements delivery.Store.
func (s *Store) Enqueue(ctx context.Context, d delivery.Delivery, c delivery.Change) error {
	d.Version = 1
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO delivery_deliveries (id, version, due_at, data) VALUES ($1, 1, $2, $3) ON CONFLICT (id) DO NOTHING`,
			d.ID, dueArg(&d), data)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errs.Wrap(delivery.ErrConflict, "delivery %s already exists", d.ID)
		}
		if err := writeEvidence(ctx, tx, c.Evidence); err != nil {
			return err
		}
		return outbox.Write(ctx, tx, c.Events...)
	})
}

// Delivery implements delivery.Store.
func (s *Store) Delivery(ctx context.Context, id uuid.UUID) (delivery.Delivery, error) {
	var d delivery.Delivery
	var raw []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM delivery_deliveries WHERE id = $1`, id).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, errs.Wrap(delivery.ErrNotFound, "delivery %s", id)
	} else if err != nil {
		return d, err
	}
	return d, json.Unmarshal(raw, &d)
}

// Claim implements delivery.Store.
func (s *Store) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]delivery.Delivery, error) {
	if lease <= 0 {
		return nil, errs.Invalid("lease", "min", "lease must be positive")
	}
	var out []delivery.Delivery
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		out = out[:0]
		rows, err := tx.Query(ctx, `SELECT data FROM delivery_deliveries WHERE due_at <= $1
			ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`, now, limit)
		if err != nil {
			return err
		}
		got, err := collectJSON[delivery.Delivery](rows)
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		for i := range got {
			d := &got[i]
			d.LeaseID = id.New()
			d.LeaseUntil = now.Add(lease)
			d.Version++
			data, err := json.Marshal(d)
			if err != nil {
				return err
			}
			b.Queue(`UPDATE delivery_deliveries SET version = $2, due_at = $3, data = $4 WHERE id = $1`, d.ID, d.Version, dueArg(d), data)
		}
		if len(got) > 0 {
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return err
			}
		}
		out = got
		return nil
	})
	return out, err
}

// Update implements delivery.Store.
func (s *Store) Update(ctx context.Context, id uuid.UUID, fn func(*delivery.Delivery) (delivery.Change, error)) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var raw []byte
		err := tx.QueryRow(ctx, `SELECT data FROM delivery_deliveries WHERE id = $1 FOR UPDATE`, id).Scan(&raw)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.Wrap(delivery.ErrNotFound, "delivery %s", id)
		} else if err != nil {
			return err
		}
		var d delivery.Delivery
		if err := json.Unmarshal(raw, &d); err != nil {
			return err
		}
		version := d.Version
		c, err := fn(&d)
		if err != nil {
			return err
		}
		if d.ID != id || d.Version != version {
			return errs.Wrap(delivery.ErrConflict, "delivery %s changed identity or version", id)
		}
		d.Version++
		data, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE delivery_deliveries SET version = $2, due_at = $3, data = $4 WHERE id = $1`,
			id, d.Version, dueArg(&d), data); err != nil {
			return err
		}
		if err := writeEvidence(ctx, tx, c.Evidence); err != nil {
			if isUnique(err) {
				return errs.Wrap(delivery.ErrConflict, "evidence sequence taken")
			}
			return err
		}
		return outbox.Write(ctx, tx, c.Events...)
	})
}

// UpdateMany implements delivery.Store: one transaction locks every
// delivery, and one batch writes them, their evidence and their events.
func (s *Store) UpdateMany(ctx context.Context, ids []uuid.UUID, fn func(int, *delivery.Delivery) (delivery.Change, error)) ([]error, error) {
	failed := make([]error, len(ids))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		clear(failed)
		rows, err := tx.Query(ctx, `SELECT data FROM delivery_deliveries WHERE id = ANY($1) ORDER BY id FOR UPDATE`, ids)
		if err != nil {
			return err
		}
		got, err := collectJSON[delivery.Delivery](rows)
		if err != nil {
			return err
		}
		byID := make(map[uuid.UUID]*delivery.Delivery, len(got))
		for i := range got {
			byID[got[i].ID] = &got[i]
		}
		b := &pgx.Batch{}
		for i, id := range ids {
			cur := byID[id]
			if cur == nil {
				failed[i] = errs.Wrap(delivery.ErrNotFound, "delivery %s", id)
				continue
			}
			delete(byID, id) // an ID listed twice is found once
			d := *cur
			c, err := fn(i, &d)
			if err != nil {
				failed[i] = err
				continue
			}
			if d.ID != id || d.Version != cur.Version {
				failed[i] = errs.Wrap(delivery.ErrConflict, "delivery %s changed identity or version", id)
				continue
			}
			d.Version++
			data, err := json.Marshal(d)
			if err != nil {
				return err
			}
			b.Queue(`UPDATE delivery_deliveries SET version = $2, due_at = $3, data = $4 WHERE id = $1`, id, d.Version, dueArg(&d), data)
			for _, e := range c.Evidence {
				ev, err := json.Marshal(e)
				if err != nil {
					return err
				}
				b.Queue(`INSERT INTO delivery_evidence (document_id, seq, data) VALUES ($1, $2, $3)`, e.DocumentID, e.Seq, ev)
			}
			if err := outbox.Queue(b, c.Events...); err != nil {
				return err
			}
		}
		if b.Len() == 0 {
			return nil
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			if isUnique(err) {
				return errs.Wrap(delivery.ErrConflict, "evidence sequence taken")
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return failed, nil
}

// Evidence implements delivery.Store.
func (s *Store) Evidence(ctx context.Context, id uuid.UUID) ([]delivery.Evidence, error) {
	rows, err := s.pool.Query(ctx, `SELECT data FROM delivery_evidence WHERE document_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	ev, err := collectJSON[delivery.Evidence](rows)
	if err == nil && len(ev) == 0 {
		return nil, errs.Wrap(delivery.ErrNotFound, "no evidence for %s", id)
	}
	return ev, err
}

// ReservePaper implements delivery.Store.
func (s *Store) ReservePaper(ctx context.Context, day calendar.Date, limit int) (bool, error) {
	var used int
	err := s.pool.QueryRow(ctx, `INSERT INTO delivery_paper_quota AS q (day, used) SELECT $1, 1 WHERE $2 > 0
		ON CONFLICT (day) DO UPDATE SET used = q.used + 1 WHERE q.used < $2 RETURNING used`, day.String(), limit).Scan(&used)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reserve paper: %w", err)
	}
	return true, nil
}
