package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
)

// invoiceRecord ties a payment request to its owner and to the dossier it
// belongs to. The payment package knows the debtor by name only, so the
// portal remembers whose invoice it is, as it does for permits.
type invoiceRecord struct {
	RequestID uuid.UUID
	Seq       int64
	Owner     string // see ownerKeys
	Subject   string // what the invoice is for, in Dutch
	Link      string // the page of the dossier it belongs to
	CreatedAt time.Time
}

// invoiceRecords keeps invoice records and the statement lines a clerk
// confirmed by hand.
type invoiceRecords interface {
	add(ctx context.Context, r invoiceRecord) error
	get(ctx context.Context, requestID uuid.UUID) (invoiceRecord, error)
	// byOwners returns the invoices of these owners, newest first.
	byOwners(ctx context.Context, owners []string) ([]invoiceRecord, error)
	// confirm records that a clerk booked the statement line key on a
	// request; it reports false when the line was confirmed before.
	confirm(ctx context.Context, key string, requestID uuid.UUID, at time.Time) (bool, error)
	// unconfirm takes back a confirmation whose booking failed, so the
	// clerk can try again.
	unconfirm(ctx context.Context, key string) error
	// confirmed reports which of keys a clerk has confirmed.
	confirmed(ctx context.Context, keys []string) (map[string]bool, error)
}

type memInvoiceRecords struct {
	mu    sync.Mutex
	seq   int64
	byID  map[uuid.UUID]invoiceRecord
	lines map[string]uuid.UUID
}

func newMemInvoiceRecords() *memInvoiceRecords {
	return &memInvoiceRecords{byID: map[uuid.UUID]invoiceRecord{}, lines: map[string]uuid.UUID{}}
}

func (m *memInvoiceRecords) add(_ context.Context, r invoiceRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.byID[r.RequestID]; ok {
		return fmt.Errorf("portal: invoice %s has a record already", r.RequestID)
	}
	m.seq++
	r.Seq = m.seq
	m.byID[r.RequestID] = r
	return nil
}

func (m *memInvoiceRecords) get(_ context.Context, id uuid.UUID) (invoiceRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.byID[id]
	if !ok {
		return invoiceRecord{}, errNoRecord
	}
	return r, nil
}

func (m *memInvoiceRecords) byOwners(_ context.Context, owners []string) ([]invoiceRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []invoiceRecord
	for _, r := range m.byID {
		if slices.Contains(owners, r.Owner) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b invoiceRecord) int { return cmp.Compare(b.Seq, a.Seq) })
	return out, nil
}

func (m *memInvoiceRecords) confirm(_ context.Context, key string, id uuid.UUID, _ time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.lines[key]; ok {
		return false, nil
	}
	m.lines[key] = id
	return true, nil
}

func (m *memInvoiceRecords) unconfirm(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.lines, key)
	return nil
}

func (m *memInvoiceRecords) confirmed(_ context.Context, keys []string) (map[string]bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]bool{}
	for _, k := range keys {
		if _, ok := m.lines[k]; ok {
			out[k] = true
		}
	}
	return out, nil
}

type pgInvoiceRecords struct{ pool *pgxpool.Pool }

func newPgInvoiceRecords(ctx context.Context, pool *pgxpool.Pool) (*pgInvoiceRecords, error) {
	if _, err := migrate.Run(ctx, pool, "portal_payment", portalMigrations, "migrations/portal_payment"); err != nil {
		return nil, err
	}
	return &pgInvoiceRecords{pool: pool}, nil
}

func (s *pgInvoiceRecords) add(ctx context.Context, r invoiceRecord) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO portal_invoices (request_id, owner, subject, link, created_at) VALUES ($1, $2, $3, $4, $5)`,
		r.RequestID, r.Owner, r.Subject, r.Link, r.CreatedAt)
	if err != nil {
		return fmt.Errorf("portal: add invoice record: %w", err)
	}
	return nil
}

const invoiceColumns = `request_id, seq, owner, subject, link, created_at`

func scanInvoiceRecord(row pgx.Row) (invoiceRecord, error) {
	var r invoiceRecord
	err := row.Scan(&r.RequestID, &r.Seq, &r.Owner, &r.Subject, &r.Link, &r.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return invoiceRecord{}, errNoRecord
	}
	return r, err
}

func (s *pgInvoiceRecords) get(ctx context.Context, id uuid.UUID) (invoiceRecord, error) {
	return scanInvoiceRecord(s.pool.QueryRow(ctx, `SELECT `+invoiceColumns+` FROM portal_invoices WHERE request_id = $1`, id))
}

func (s *pgInvoiceRecords) byOwners(ctx context.Context, owners []string) ([]invoiceRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+invoiceColumns+` FROM portal_invoices WHERE owner = ANY($1) ORDER BY seq DESC`, owners)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (invoiceRecord, error) { return scanInvoiceRecord(row) })
}

func (s *pgInvoiceRecords) confirm(ctx context.Context, key string, id uuid.UUID, at time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO portal_statement_confirmations (line_key, request_id, confirmed_at) VALUES ($1, $2, $3)
		ON CONFLICT (line_key) DO NOTHING`, key, id, at)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

func (s *pgInvoiceRecords) unconfirm(ctx context.Context, key string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM portal_statement_confirmations WHERE line_key = $1`, key)
	return err
}

func (s *pgInvoiceRecords) confirmed(ctx context.Context, keys []string) (map[string]bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT line_key FROM portal_statement_confirmations WHERE line_key = ANY($1)`, keys)
	if err != nil {
		return nil, err
	}
	ks, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(ks))
	for _, k := range ks {
		out[k] = true
	}
	return out, nil
}
