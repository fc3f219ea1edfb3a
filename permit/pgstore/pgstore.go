// Package pgstore is the PostgreSQL implementation of permit.Store (pgx
// v5). Conflict candidates are found with GiST indexes over bounding boxes
// (the built-in box type, in Lambert 72 metres) and time ranges
// (tstzrange); the exact geometric and per-occurrence check stays in Go.
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
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/outbox"
	"github.com/lokaalbestuur/bouwstenen/permit"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a permit.Store on PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

var _ permit.Store = (*Store)(nil)

// New returns a store on the pool; call Migrate once first.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Migrate creates or upgrades the tables, the outbox included.
func (s *Store) Migrate(ctx context.Context) error {
	if err := outbox.Migrate(ctx, s.pool); err != nil {
		return err
	}
	_, err := migrate.Run(ctx, s.pool, "permit", migrations, "migrations")
	return err
}

// keys derives the indexed columns from an application.
func keys(a *permit.Application) (pgtype.Box, pgtype.Range[pgtype.Timestamptz]) {
	return lambertBox(a.Location), tsrange(a.Span())
}

func lambertBox(g permit.Geometry) pgtype.Box {
	b := permit.LambertBounds(g)
	return pgtype.Box{P: [2]pgtype.Vec2{{X: b.MaxX, Y: b.MaxY}, {X: b.MinX, Y: b.MinY}}, Valid: true}
}

func tsrange(p permit.Period) pgtype.Range[pgtype.Timestamptz] {
	return pgtype.Range[pgtype.Timestamptz]{
		Lower: pgtype.Timestamptz{Time: p.Start, Valid: true}, Upper: pgtype.Timestamptz{Time: p.End, Valid: true},
		LowerType: pgtype.Inclusive, UpperType: pgtype.Exclusive, Valid: true,
	}
}

// Create implements permit.Store.
func (s *Store) Create(ctx context.Context, a *permit.Application, events []event.Event) error {
	c := a.Clone()
	c.Version = 1
	doc, err := json.Marshal(c)
	if err != nil {
		return err
	}
	box, span := keys(c)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO permit_applications (id, version, status, doc, bbox, span)
			VALUES ($1, 1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`, c.ID, c.Status, doc, box, span)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errs.Wrap(permit.ErrConflict, "application %s already exists", c.ID)
		}
		if err := outbox.Write(ctx, tx, events...); err != nil {
			return err
		}
		a.Version = 1
		return nil
	})
}

// Get implements permit.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*permit.Application, error) {
	var doc []byte
	var version int
	err := s.pool.QueryRow(ctx, `SELECT doc, version FROM permit_applications WHERE id = $1`, id).Scan(&doc, &version)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.Wrap(permit.ErrNotFound, "application %s", id)
	}
	if err != nil {
		return nil, err
	}
	var a permit.Application
	if err := json.Unmarshal(doc, &a); err != nil {
		return nil, fmt.Errorf("pgstore: decode application %s: %w", id, err)
	}
	a.Version = version
	return &a, nil
}

// Update implements permit.Store with optimistic concurrency: fn runs on
// the version read, and the save only succeeds if it is still current.
func (s *Store) Update(ctx context.Context, id uuid.UUID, fn func(*permit.Application) ([]event.Event, error)) error {
	a, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	seen := a.Version
	events, err := fn(a)
	if err != nil {
		return err
	}
	a.ID, a.Version = id, seen+1
	doc, err := json.Marshal(a)
	if err != nil {
		return err
	}
	box, span := keys(a)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE permit_applications SET version = $3, status = $4, doc = $5, bbox = $6, span = $7
			WHERE id = $1 AND version = $2`, id, seen, seen+1, a.Status, doc, box, span)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errs.Wrap(permit.ErrConflict, "application %s changed meanwhile (expected version %d)", id, seen)
		}
		return outbox.Write(ctx, tx, events...)
	})
}

// pageSize bounds each round trip of List.
const pageSize = 100

// List implements permit.Store with keyset pages on the primary key.
func (s *Store) List(ctx context.Context, statuses ...permit.Status) iter.Seq2[*permit.Application, error] {
	sts := make([]string, len(statuses))
	for i, st := range statuses {
		sts[i] = string(st)
	}
	return func(yield func(*permit.Application, error) bool) {
		var after uuid.UUID
		for {
			rows, err := s.pool.Query(ctx, `SELECT id, doc, version FROM permit_applications
				WHERE id > $1 AND (cardinality($2::text[]) = 0 OR status = ANY($2))
				ORDER BY id LIMIT $3`, after, sts, pageSize)
			if err != nil {
				yield(nil, err)
				return
			}
			var page []*permit.Application
			for rows.Next() {
				var doc []byte
				var a permit.Application
				var version int
				if err := rows.Scan(&after, &doc, &version); err != nil {
					rows.Close()
					yield(nil, err)
					return
				}
				if err := json.Unmarshal(doc, &a); err != nil {
					rows.Close()
					yield(nil, fmt.Errorf("pgstore: decode application %s: %w", after, err))
					return
				}
				a.Version = version
				page = append(page, &a)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				yield(nil, err)
				return
			}
			for _, a := range page {
				if !yield(a, nil) {
					return
				}
			}
			if len(page) < pageSize {
				return
			}
		}
	}
}

// PutWorks implements permit.Store.
func (s *Store) PutWorks(ctx context.Context, w permit.PlannedWorks) error {
	doc, err := json.Marshal(w)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO permit_works (id, doc, bbox, span) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, bbox = EXCLUDED.bbox, span = EXCLUDED.span`,
		w.ID, doc, lambertBox(w.Location), tsrange(permit.Span(w.Periods)))
	return err
}

// Works implements permit.Store.
func (s *Store) Works(ctx context.Context, id uuid.UUID) (permit.PlannedWorks, error) {
	var doc []byte
	err := s.pool.QueryRow(ctx, `SELECT doc FROM permit_works WHERE id = $1`, id).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return permit.PlannedWorks{}, errs.Wrap(permit.ErrNotFound, "planned works %s", id)
	}
	if err != nil {
		return permit.PlannedWorks{}, err
	}
	var w permit.PlannedWorks
	if err := json.Unmarshal(doc, &w); err != nil {
		return permit.PlannedWorks{}, fmt.Errorf("pgstore: decode works %s: %w", id, err)
	}
	return w, nil
}

// Candidates implements permit.Store: the GiST indexes answer the box and
// range overlap (&&), and the service does the exact check.
func (s *Store) Candidates(ctx context.Context, g permit.Geometry, buffer float64, window permit.Period) ([]permit.Occupation, error) {
	q := permit.LambertBounds(g)
	box := pgtype.Box{P: [2]pgtype.Vec2{{X: q.MaxX + buffer, Y: q.MaxY + buffer}, {X: q.MinX - buffer, Y: q.MinY - buffer}}, Valid: true}
	rows, err := s.pool.Query(ctx, `
		SELECT 'permit', doc FROM permit_applications
		 WHERE status IN ('granted', 'active') AND bbox && $1 AND span && $2
		UNION ALL
		SELECT 'works', doc FROM permit_works WHERE bbox && $1 AND span && $2`, box, tsrange(window))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []permit.Occupation
	for rows.Next() {
		var kind string
		var doc []byte
		if err := rows.Scan(&kind, &doc); err != nil {
			return nil, err
		}
		if kind == "works" {
			var w permit.PlannedWorks
			if err := json.Unmarshal(doc, &w); err != nil {
				return nil, err
			}
			out = append(out, w.Occupation())
			continue
		}
		var a permit.Application
		if err := json.Unmarshal(doc, &a); err != nil {
			return nil, err
		}
		out = append(out, a.Occupation())
	}
	return out, rows.Err()
}

// SaveRating implements permit.Store.
func (s *Store) SaveRating(ctx context.Context, r permit.Rating, events []event.Event) error {
	a, b := r.A, r.B
	if a.String() > b.String() {
		a, b = b, a
		r.ARevision, r.BRevision = r.BRevision, r.ARevision
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO permit_ratings (a, b, party, value, a_revision, b_revision, rated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (a, b, party) DO UPDATE SET value = EXCLUDED.value, a_revision = EXCLUDED.a_revision,
				b_revision = EXCLUDED.b_revision, rated_at = EXCLUDED.rated_at`,
			a, b, r.Party, r.Value, r.ARevision, r.BRevision, r.At)
		if err != nil {
			return err
		}
		return outbox.Write(ctx, tx, events...)
	})
}

// Ratings implements permit.Store.
func (s *Store) Ratings(ctx context.Context, a, b uuid.UUID) ([]permit.Rating, error) {
	if a.String() > b.String() {
		a, b = b, a
	}
	rows, err := s.pool.Query(ctx, `SELECT a, b, party, value, a_revision, b_revision, rated_at
		FROM permit_ratings WHERE a = $1 AND b = $2 ORDER BY party`, a, b)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []permit.Rating
	for rows.Next() {
		var r permit.Rating
		if err := rows.Scan(&r.A, &r.B, &r.Party, &r.Value, &r.ARevision, &r.BRevision, &r.At); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
