package records

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Confirmations keeps the statement lines a clerk confirmed by hand, so a
// line is booked on one invoice only. Whose invoice is whose is no longer
// the portal's to keep: the payment service lists a payer's invoices.
// (PostgreSQL still holds the table portal_invoices of earlier versions;
// Migrate filed its persons' invoices under their INSZ, and nothing
// reads it since.)
type Confirmations interface {
	// Confirm records that a clerk booked the statement line key on a
	// request; it reports false when the line was confirmed before.
	Confirm(ctx context.Context, key string, requestID uuid.UUID, at time.Time) (bool, error)
	// Unconfirm takes back a confirmation whose booking failed, so the
	// clerk can try again.
	Unconfirm(ctx context.Context, key string) error
	// Confirmed reports which of keys a clerk has confirmed.
	Confirmed(ctx context.Context, keys []string) (map[string]bool, error)
}

type MemConfirmations struct {
	mu    sync.Mutex
	lines map[string]uuid.UUID
}

func NewMemConfirmations() *MemConfirmations {
	return &MemConfirmations{lines: map[string]uuid.UUID{}}
}

func (m *MemConfirmations) Confirm(_ context.Context, key string, id uuid.UUID, _ time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.lines[key]; ok {
		return false, nil
	}
	m.lines[key] = id
	return true, nil
}

func (m *MemConfirmations) Unconfirm(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.lines, key)
	return nil
}

func (m *MemConfirmations) Confirmed(_ context.Context, keys []string) (map[string]bool, error) {
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

type PgConfirmations struct{ pool *pgxpool.Pool }

func NewPgConfirmations(ctx context.Context, pool *pgxpool.Pool) (*PgConfirmations, error) {
	if err := Migrate(ctx, pool); err != nil {
		return nil, err
	}
	return &PgConfirmations{pool: pool}, nil
}

func (s *PgConfirmations) Confirm(ctx context.Context, key string, id uuid.UUID, at time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO portal_statement_confirmations (line_key, request_id, confirmed_at) VALUES ($1, $2, $3)
		ON CONFLICT (line_key) DO NOTHING`, key, id, at)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

func (s *PgConfirmations) Unconfirm(ctx context.Context, key string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM portal_statement_confirmations WHERE line_key = $1`, key)
	return err
}

func (s *PgConfirmations) Confirmed(ctx context.Context, keys []string) (map[string]bool, error) {
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
