// Package pgstore is the PostgreSQL implementation of permit.Store (pgx
// v5) on the SDK's shared skeleton (internal/pgdoc). Conflict candidates
// are found with GiST indexes over bounding boxes (the built-in box type,
// in Lambert 72 metres) and time ranges (tstzrange); the exact geometric
// and per-occurrence check stays in Go. Every write that carries events
// writes or locks the application's row first, then the outbox, so an
// application's events leave in the order they were stored.
package pgstore

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"iter"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/pgdoc"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/pggather"
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
	return pgdoc.Migrate(ctx, s.pool, "permit", migrations, "migrations")
}

// columns are what the queries of an application use besides its
// document, each taken from the package's rules.
type columns struct {
	box       pgtype.Box
	span      pgtype.Range[pgtype.Timestamptz]
	occupies  bool
	applicant permit.ApplicantID
}

func columnsOf(a *permit.Application) columns {
	return columns{box: lambertBox(a.Location), span: tsrange(a.Span()), occupies: a.Occupies(), applicant: a.Applicant.ID()}
}

func lambertBox(g permit.Geometry) pgtype.Box { return box(permit.LambertBounds(g)) }

func box(b permit.BBox) pgtype.Box {
	return pgtype.Box{P: [2]pgtype.Vec2{{X: b.MaxX, Y: b.MaxY}, {X: b.MinX, Y: b.MinY}}, Valid: true}
}

func tsrange(p permit.Period) pgtype.Range[pgtype.Timestamptz] {
	return pgtype.Range[pgtype.Timestamptz]{
		Lower: pgtype.Timestamptz{Time: p.Start, Valid: true}, Upper: pgtype.Timestamptz{Time: p.End, Valid: true},
		LowerType: pgtype.Inclusive, UpperType: pgtype.Exclusive, Valid: true,
	}
}

// Create implements permit.Store. ON CONFLICT DO NOTHING covers the ID and
// the idempotency key: a concurrent create with the key waits for the
// first to commit, then inserts nothing and names the first.
func (s *Store) Create(ctx context.Context, a *permit.Application, events []event.Event) error {
	c := a.Clone()
	c.Version = 1
	doc, err := pgdoc.JSON(c)
	if err != nil {
		return err
	}
	var key *string
	if c.IdempotencyKey != "" {
		key = &c.IdempotencyKey
	}
	col := columnsOf(c)
	err = pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := pgdoc.Write(ctx, tx, events, `INSERT INTO permit_applications
			(id, version, status, doc, bbox, span, occupies, applicant, idempotency_key)
			VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
			c.ID, c.Status, doc, col.box, col.span, col.occupies, col.applicant, key)
		if err != nil || tag.RowsAffected() == 1 {
			return err
		}
		if key != nil {
			var held uuid.UUID
			err := tx.QueryRow(ctx, `SELECT id FROM permit_applications WHERE idempotency_key = $1`, *key).Scan(&held)
			if err == nil {
				return &permit.DuplicateError{Key: *key, ID: held}
			} else if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		return errs.Wrap(permit.ErrConflict, "application %s already exists", c.ID)
	})
	if err != nil {
		return err
	}
	a.Version = 1
	return nil
}

// Get implements permit.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*permit.Application, error) {
	a, err := pgdoc.Get[permit.Application](ctx, s.pool, "application "+id.String(),
		`SELECT doc FROM permit_applications WHERE id = $1`, id)
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// Update implements permit.Store with optimistic concurrency: fn runs on
// the version read (outside the transaction: it may read the store, as a
// grant does for conflicts), and the save only succeeds if that version is
// still current. The row is written before the outbox.
func (s *Store) Update(ctx context.Context, id uuid.UUID, fn func(*permit.Application) (permit.Change, error)) (*permit.Application, error) {
	a, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	seen := a.Version
	ch, err := fn(a)
	if err != nil {
		return nil, err
	}
	a.ID, a.Version = id, seen+1
	doc, err := pgdoc.JSON(a)
	if err != nil {
		return nil, err
	}
	col := columnsOf(a)
	err = pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := pgdoc.Write(ctx, tx, ch.Events, `UPDATE permit_applications
			SET version = $3, status = $4, doc = $5, bbox = $6, span = $7, occupies = $8, applicant = $9
			WHERE id = $1 AND version = $2`, id, seen, seen+1, a.Status, doc, col.box, col.span, col.occupies, col.applicant)
		if err == nil && tag.RowsAffected() == 0 {
			return errs.Wrap(permit.ErrConflict, "application %s changed meanwhile (expected version %d)", id, seen)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	var saved permit.Application
	if err := json.Unmarshal(doc, &saved); err != nil {
		return nil, err
	}
	return &saved, nil
}

// pageSize bounds each round trip of List and ByApplicant.
const pageSize = 100

// List implements permit.Store with keyset pages on the primary key.
func (s *Store) List(ctx context.Context, statuses ...permit.Status) iter.Seq2[*permit.Application, error] {
	sts := make([]string, len(statuses))
	for i, st := range statuses {
		sts[i] = string(st)
	}
	return s.pages(ctx, uuid.Nil, `SELECT doc FROM permit_applications
		WHERE id > $1 AND (cardinality($3::text[]) = 0 OR status = ANY($3))
		ORDER BY id LIMIT $2`, sts)
}

// ByApplicant implements permit.Store with keyset pages, descending, on
// the index over (applicant, id).
func (s *Store) ByApplicant(ctx context.Context, ids []permit.ApplicantID) iter.Seq2[*permit.Application, error] {
	who := make([]string, len(ids))
	for i, id := range ids {
		who[i] = string(id)
	}
	// uuid.Max is no UUID v7 (its version nibble is f): it is above every ID.
	return s.pages(ctx, uuid.Max, `SELECT doc FROM permit_applications
		WHERE applicant = ANY($3) AND applicant <> '' AND id < $1
		ORDER BY id DESC LIMIT $2`, who)
}

// SummariesByApplicant implements permit.Store: ByApplicant's rows, the
// document without what permit.Application.Summary leaves out, which
// PostgreSQL drops from the jsonb before sending it.
func (s *Store) SummariesByApplicant(ctx context.Context, ids []permit.ApplicantID) iter.Seq2[*permit.Application, error] {
	who := make([]string, len(ids))
	for i, id := range ids {
		who[i] = string(id)
	}
	return s.pages(ctx, uuid.Max, `SELECT doc - 'location' - 'description' - 'attachments' - 'advice' FROM permit_applications
		WHERE applicant = ANY($3) AND applicant <> '' AND id < $1
		ORDER BY id DESC LIMIT $2`, who)
}

// pages runs a keyset query page by page: $1 is the last ID seen (from
// first on), $2 the page size, $3 on the caller's arguments.
func (s *Store) pages(ctx context.Context, first uuid.UUID, sql string, args ...any) iter.Seq2[*permit.Application, error] {
	return func(yield func(*permit.Application, error) bool) {
		after := first
		for {
			rows, err := pggather.Query(ctx, s.pool, sql, append([]any{after, pageSize}, args...)...)
			if err != nil {
				yield(nil, pgdoc.Err(err))
				return
			}
			page, err := pgdoc.Collect[permit.Application](rows)
			if err != nil {
				yield(nil, pgdoc.Err(err))
				return
			}
			for i := range page {
				if !yield(&page[i], nil) {
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

// PutWorks implements permit.Store.
func (s *Store) PutWorks(ctx context.Context, w permit.PlannedWorks) error {
	doc, err := pgdoc.JSON(w)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO permit_works (id, doc, bbox, span) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, bbox = EXCLUDED.bbox, span = EXCLUDED.span`,
		w.ID, doc, lambertBox(w.Location), tsrange(permit.Span(w.Periods)))
	return pgdoc.Err(err)
}

// Works implements permit.Store.
func (s *Store) Works(ctx context.Context, id uuid.UUID) (permit.PlannedWorks, error) {
	return pgdoc.Get[permit.PlannedWorks](ctx, s.pool, "planned works "+id.String(), `SELECT doc FROM permit_works WHERE id = $1`, id)
}

// Candidates implements permit.Store: the GiST indexes answer the box and
// range overlap (&&), and the service does the exact check.
func (s *Store) Candidates(ctx context.Context, g permit.Geometry, buffer float64, window permit.Period) ([]permit.Occupation, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT 'permit', doc FROM permit_applications WHERE occupies AND bbox && $1 AND span && $2
		UNION ALL
		SELECT 'works', doc FROM permit_works WHERE bbox && $1 AND span && $2`, box(permit.LambertBounds(g).Grow(buffer)), tsrange(window))
	if err != nil {
		return nil, pgdoc.Err(err)
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
	return out, pgdoc.Err(rows.Err())
}

// SaveRating implements permit.Store. Its events are the rating party's,
// an application, so it locks that row first.
func (s *Store) SaveRating(ctx context.Context, r permit.Rating, events []event.Event) error {
	r = r.Ordered()
	return pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM permit_applications WHERE id = $1 FOR UPDATE`, r.Party).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.Wrap(permit.ErrNotFound, "application %s", r.Party)
		} else if err != nil {
			return err
		}
		_, err = pgdoc.Write(ctx, tx, events, `INSERT INTO permit_ratings (a, b, party, value, a_revision, b_revision, rated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (a, b, party) DO UPDATE SET value = EXCLUDED.value, a_revision = EXCLUDED.a_revision,
				b_revision = EXCLUDED.b_revision, rated_at = EXCLUDED.rated_at`,
			r.A, r.B, r.Party, r.Value, r.ARevision, r.BRevision, r.At)
		return err
	})
}

// Ratings implements permit.Store.
func (s *Store) Ratings(ctx context.Context, a, b uuid.UUID) ([]permit.Rating, error) {
	a, b = permit.Pair(a, b)
	rows, err := s.pool.Query(ctx, `SELECT a, b, party, value, a_revision, b_revision, rated_at
		FROM permit_ratings WHERE a = $1 AND b = $2 ORDER BY party`, a, b)
	if err != nil {
		return nil, pgdoc.Err(err)
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
	return out, pgdoc.Err(rows.Err())
}
