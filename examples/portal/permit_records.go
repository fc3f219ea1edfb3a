package main

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/permit"
)

//go:embed migrations
var portalMigrations embed.FS

// errNoRecord reports that the portal keeps nothing about a permit or an
// invoice (it was made outside the portal, or the ID is made up).
var errNoRecord = errors.New("portal: no record")

// permitRecord is what the portal keeps about a permit besides the permit
// itself: its short number, and what the wiring did: the invoice of the
// fee, the signage schedule made on the grant, and when the fee was paid
// (the permit package has no notion of payment). Whose permit it is the
// permit package knows (permit.Applicant.ID); "Mijn dossiers" asks it.
type permitRecord struct {
	PermitID uuid.UUID `json:"permit_id"`
	Seq      int64     `json:"seq"`
	// CompleteAt is when the clerk declared the application complete; it
	// counts only when later than the last submission.
	CompleteAt time.Time `json:"complete_at,omitzero"`
	// InvoiceID is the payment request of the fee, uuid.Nil before the grant
	// or when no fee is due.
	InvoiceID  uuid.UUID `json:"invoice_id,omitzero"`
	InvoicedAt time.Time `json:"invoiced_at,omitzero"`
	// NoFee is set on a grant when the fee is zero (an exemption), so no
	// invoice is made.
	NoFee     bool                 `json:"no_fee,omitempty"`
	GrantedAt time.Time            `json:"granted_at,omitzero"` // when the wiring handled the grant
	Signage   []permit.SignageTask `json:"signage,omitempty"`
	FeePaidAt time.Time            `json:"fee_paid_at,omitzero"`
	CreatedAt time.Time            `json:"created_at"`
}

// Reference is the short number the citizen and the clerk use; a permit
// made outside the portal has none.
func (r permitRecord) Reference() string {
	if r.Seq == 0 {
		return "(zonder nummer)"
	}
	return fmt.Sprintf("IOD-%05d", r.Seq)
}

// permitRecords keeps permit records. add returns the permit's record
// when it has one already (a repeated form), so a permit gets one number.
// update runs fn on fresh data under a lock or row lock, so two handlers
// cannot both win.
type permitRecords interface {
	add(ctx context.Context, r permitRecord) (permitRecord, error)
	get(ctx context.Context, permitID uuid.UUID) (permitRecord, error)
	byInvoice(ctx context.Context, invoiceID uuid.UUID) (permitRecord, error)
	update(ctx context.Context, permitID uuid.UUID, fn func(*permitRecord) error) (permitRecord, error)
	empty(ctx context.Context) (bool, error)
}

// memPermitRecords keeps permit records in memory.
type memPermitRecords struct {
	mu   sync.Mutex
	seq  int64
	byID map[uuid.UUID]permitRecord
}

func newMemPermitRecords() *memPermitRecords {
	return &memPermitRecords{byID: map[uuid.UUID]permitRecord{}}
}

func (m *memPermitRecords) add(_ context.Context, r permitRecord) (permitRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.byID[r.PermitID]; ok {
		return clonePermitRecord(old), nil
	}
	m.seq++
	r.Seq = m.seq
	m.byID[r.PermitID] = r
	return r, nil
}

func (m *memPermitRecords) get(_ context.Context, id uuid.UUID) (permitRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.byID[id]
	if !ok {
		return permitRecord{}, errNoRecord
	}
	return clonePermitRecord(r), nil
}

func (m *memPermitRecords) byInvoice(_ context.Context, id uuid.UUID) (permitRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.byID {
		if r.InvoiceID == id && id != uuid.Nil {
			return clonePermitRecord(r), nil
		}
	}
	return permitRecord{}, errNoRecord
}

func (m *memPermitRecords) update(_ context.Context, id uuid.UUID, fn func(*permitRecord) error) (permitRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.byID[id]
	if !ok {
		return permitRecord{}, errNoRecord
	}
	r = clonePermitRecord(r)
	if err := fn(&r); err != nil {
		return permitRecord{}, err
	}
	m.byID[id] = r
	return clonePermitRecord(r), nil
}

func (m *memPermitRecords) empty(context.Context) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.byID) == 0, nil
}

func clonePermitRecord(r permitRecord) permitRecord {
	r.Signage = slices.Clone(r.Signage)
	return r
}

// pgPermitRecords keeps permit records in PostgreSQL.
type pgPermitRecords struct{ pool *pgxpool.Pool }

func newPgPermitRecords(ctx context.Context, pool *pgxpool.Pool) (*pgPermitRecords, error) {
	if _, err := migrate.Run(ctx, pool, "portal_permit", portalMigrations, "migrations/portal_permit"); err != nil {
		return nil, err
	}
	return &pgPermitRecords{pool: pool}, nil
}

func (s *pgPermitRecords) add(ctx context.Context, r permitRecord) (permitRecord, error) {
	var old bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO portal_permit_records (permit_id, doc) VALUES ($1, '{}')
			ON CONFLICT (permit_id) DO NOTHING RETURNING seq`, r.PermitID).Scan(&r.Seq)
		if errors.Is(err, pgx.ErrNoRows) { // a concurrent or earlier add: keep its record
			old = true
			return nil
		} else if err != nil {
			return err
		}
		doc, err := json.Marshal(r)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE portal_permit_records SET doc = $2 WHERE permit_id = $1`, r.PermitID, doc)
		return err
	})
	if err != nil {
		return permitRecord{}, fmt.Errorf("portal: add permit record: %w", err)
	}
	if old {
		return s.get(ctx, r.PermitID)
	}
	return r, nil
}

func scanPermitRecord(row pgx.Row) (permitRecord, error) {
	var doc []byte
	if err := row.Scan(&doc); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return permitRecord{}, errNoRecord
		}
		return permitRecord{}, err
	}
	var r permitRecord
	if err := json.Unmarshal(doc, &r); err != nil {
		return permitRecord{}, fmt.Errorf("portal: decode permit record: %w", err)
	}
	return r, nil
}

func (s *pgPermitRecords) get(ctx context.Context, id uuid.UUID) (permitRecord, error) {
	return scanPermitRecord(s.pool.QueryRow(ctx, `SELECT doc FROM portal_permit_records WHERE permit_id = $1`, id))
}

func (s *pgPermitRecords) byInvoice(ctx context.Context, id uuid.UUID) (permitRecord, error) {
	return scanPermitRecord(s.pool.QueryRow(ctx, `SELECT doc FROM portal_permit_records WHERE invoice_id = $1`, id))
}

func (s *pgPermitRecords) update(ctx context.Context, id uuid.UUID, fn func(*permitRecord) error) (permitRecord, error) {
	var out permitRecord
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		r, err := scanPermitRecord(tx.QueryRow(ctx, `SELECT doc FROM portal_permit_records WHERE permit_id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
		doc, err := json.Marshal(r)
		if err != nil {
			return err
		}
		var inv *uuid.UUID
		if r.InvoiceID != uuid.Nil {
			inv = &r.InvoiceID
		}
		if _, err := tx.Exec(ctx, `UPDATE portal_permit_records SET doc = $2, invoice_id = $3 WHERE permit_id = $1`, id, doc, inv); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

func (s *pgPermitRecords) empty(ctx context.Context) (bool, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM portal_permit_records LIMIT 1) x`).Scan(&n)
	return n == 0, err
}
