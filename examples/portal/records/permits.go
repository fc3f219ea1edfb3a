package records

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/pggather"
)

// ErrNoRecord reports that the portal keeps nothing about a permit or an
// invoice (it was made outside the portal, or the ID is made up).
var ErrNoRecord = errors.New("portal: no record")

// Permit is what the portal keeps about a permit besides the permit
// itself: its short number, and what the wiring did: the invoice of the
// fee, the signage schedule made on the grant, and when the fee was paid
// (the permit package has no notion of payment). Whose permit it is the
// permit package knows (permit.Applicant.ID); the record keeps a copy
// (Applicant), so that "Mijn dossiers" reads a person's permits and their
// records at the same time, not one after the other.
type Permit struct {
	PermitID uuid.UUID `json:"permit_id"`
	Seq      int64     `json:"seq"`
	// Applicant is the permit's permit.Applicant.ID, set when the record
	// is added; empty on records of earlier versions of the portal that
	// the migration could not complete.
	Applicant string `json:"applicant,omitempty"`
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
func (r Permit) Reference() string {
	if r.Seq == 0 {
		return "(zonder nummer)"
	}
	return fmt.Sprintf("IOD-%05d", r.Seq)
}

// Permits keeps permit records. Add returns the permit's record
// when it has one already (a repeated form), so a permit gets one number.
// Update runs fn on fresh data under a lock or row lock, so two handlers
// cannot both win. GetMany reads the records of many permits at once (one
// query, for a list such as "Mijn dossiers"); a permit without a record is
// left out of the map. ByApplicant reads the records of the applicants'
// permits (by Permit.Applicant), by permit.
type Permits interface {
	Add(ctx context.Context, r Permit) (Permit, error)
	Get(ctx context.Context, permitID uuid.UUID) (Permit, error)
	GetMany(ctx context.Context, permitIDs ...uuid.UUID) (map[uuid.UUID]Permit, error)
	ByApplicant(ctx context.Context, applicants ...string) (map[uuid.UUID]Permit, error)
	ByInvoice(ctx context.Context, invoiceID uuid.UUID) (Permit, error)
	Update(ctx context.Context, permitID uuid.UUID, fn func(*Permit) error) (Permit, error)
	Empty(ctx context.Context) (bool, error)
}

// MemPermits keeps permit records in memory.
type MemPermits struct {
	mu   sync.Mutex
	seq  int64
	byID map[uuid.UUID]Permit
}

func NewMemPermits() *MemPermits {
	return &MemPermits{byID: map[uuid.UUID]Permit{}}
}

func (m *MemPermits) Add(_ context.Context, r Permit) (Permit, error) {
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

func (m *MemPermits) Get(_ context.Context, id uuid.UUID) (Permit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.byID[id]
	if !ok {
		return Permit{}, ErrNoRecord
	}
	return clonePermitRecord(r), nil
}

func (m *MemPermits) GetMany(_ context.Context, ids ...uuid.UUID) (map[uuid.UUID]Permit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[uuid.UUID]Permit, len(ids))
	for _, id := range ids {
		if r, ok := m.byID[id]; ok {
			out[id] = clonePermitRecord(r)
		}
	}
	return out, nil
}

func (m *MemPermits) ByApplicant(_ context.Context, applicants ...string) (map[uuid.UUID]Permit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[uuid.UUID]Permit{}
	for id, r := range m.byID {
		if r.Applicant != "" && slices.Contains(applicants, r.Applicant) {
			out[id] = clonePermitRecord(r)
		}
	}
	return out, nil
}

func (m *MemPermits) ByInvoice(_ context.Context, id uuid.UUID) (Permit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.byID {
		if r.InvoiceID == id && id != uuid.Nil {
			return clonePermitRecord(r), nil
		}
	}
	return Permit{}, ErrNoRecord
}

func (m *MemPermits) Update(_ context.Context, id uuid.UUID, fn func(*Permit) error) (Permit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.byID[id]
	if !ok {
		return Permit{}, ErrNoRecord
	}
	r = clonePermitRecord(r)
	if err := fn(&r); err != nil {
		return Permit{}, err
	}
	m.byID[id] = r
	return clonePermitRecord(r), nil
}

func (m *MemPermits) Empty(context.Context) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.byID) == 0, nil
}

func clonePermitRecord(r Permit) Permit {
	r.Signage = slices.Clone(r.Signage)
	return r
}

// PgPermits keeps permit records in PostgreSQL.
type PgPermits struct{ pool *pgxpool.Pool }

func NewPgPermits(ctx context.Context, pool *pgxpool.Pool) (*PgPermits, error) {
	if err := Migrate(ctx, pool); err != nil {
		return nil, err
	}
	return &PgPermits{pool: pool}, nil
}

func (s *PgPermits) Add(ctx context.Context, r Permit) (Permit, error) {
	var old bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO portal_permit_records (permit_id, applicant, doc) VALUES ($1, NULLIF($2, ''), '{}')
			ON CONFLICT (permit_id) DO NOTHING RETURNING seq`, r.PermitID, r.Applicant).Scan(&r.Seq)
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
		return Permit{}, fmt.Errorf("portal: add permit record: %w", err)
	}
	if old {
		return s.Get(ctx, r.PermitID)
	}
	return r, nil
}

func scanPermitRecord(row pgx.Row) (Permit, error) {
	var doc []byte
	if err := row.Scan(&doc); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return Permit{}, ErrNoRecord
		}
		return Permit{}, err
	}
	var r Permit
	if err := json.Unmarshal(doc, &r); err != nil {
		return Permit{}, fmt.Errorf("portal: decode permit record: %w", err)
	}
	return r, nil
}

func (s *PgPermits) Get(ctx context.Context, id uuid.UUID) (Permit, error) {
	return scanPermitRecord(s.pool.QueryRow(ctx, `SELECT doc FROM portal_permit_records WHERE permit_id = $1`, id))
}

func (s *PgPermits) GetMany(ctx context.Context, ids ...uuid.UUID) (map[uuid.UUID]Permit, error) {
	if len(ids) == 0 {
		return map[uuid.UUID]Permit{}, nil
	}
	return s.many(ctx, `SELECT doc FROM portal_permit_records WHERE permit_id = ANY($1)`, ids)
}

// many reads the records sql selects, by permit; with the reads of the
// same page, if gathered (pggather).
func (s *PgPermits) many(ctx context.Context, sql string, arg any) (map[uuid.UUID]Permit, error) {
	out := map[uuid.UUID]Permit{}
	rows, err := pggather.Query(ctx, s.pool, sql, arg)
	if err != nil {
		return nil, fmt.Errorf("portal: read permit records: %w", err)
	}
	recs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Permit, error) { return scanPermitRecord(row) })
	if err != nil {
		return nil, fmt.Errorf("portal: read permit records: %w", err)
	}
	for _, r := range recs {
		out[r.PermitID] = r
	}
	return out, nil
}

func (s *PgPermits) ByApplicant(ctx context.Context, applicants ...string) (map[uuid.UUID]Permit, error) {
	return s.many(ctx, `SELECT doc FROM portal_permit_records WHERE applicant = ANY($1)`, applicants)
}

func (s *PgPermits) ByInvoice(ctx context.Context, id uuid.UUID) (Permit, error) {
	return scanPermitRecord(s.pool.QueryRow(ctx, `SELECT doc FROM portal_permit_records WHERE invoice_id = $1`, id))
}

func (s *PgPermits) Update(ctx context.Context, id uuid.UUID, fn func(*Permit) error) (Permit, error) {
	var out Permit
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

func (s *PgPermits) Empty(ctx context.Context) (bool, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM portal_permit_records LIMIT 1) x`).Scan(&n)
	return n == 0, err
}
