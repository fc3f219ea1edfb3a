// Package pgstore keeps sessions in PostgreSQL (pgx), so they survive a
// restart and every instance of a front office sees the same ones. Its
// table, sessions, is created by Migrate.
package pgstore

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/session"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the PostgreSQL session store.
type Store struct {
	pool *pgxpool.Pool
}

var _ session.Store = (*Store)(nil)

// New returns a store on pool; call Migrate once before use.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Migrate creates or upgrades the sessions table.
func (s *Store) Migrate(ctx context.Context) error {
	_, err := migrate.Run(ctx, s.pool, "session", migrations, "migrations")
	return err
}

const uniqueViolation = "23505"

func mapErr(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == uniqueViolation {
		return session.ErrConflict
	}
	return fmt.Errorf("session/pgstore: %w", err)
}

// querier is a pool or a transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func insert(ctx context.Context, q querier, s session.Session) error {
	data, err := json.Marshal(s.Data)
	if err != nil {
		return fmt.Errorf("session/pgstore: encode data: %w", err)
	}
	_, err = q.Exec(ctx, `INSERT INTO sessions (token_hash, subject, data, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, s.Hash[:], s.Subject, data, s.Created, s.LastSeen, s.IdleExpiry, s.AbsoluteExpiry)
	if err != nil {
		return mapErr(err)
	}
	return nil
}

// Create stores s; ErrConflict if its hash is taken.
func (s *Store) Create(ctx context.Context, sess session.Session) error {
	return insert(ctx, s.pool, sess)
}

// Get returns the session with hash h, or ErrNotFound.
func (s *Store) Get(ctx context.Context, h session.Hash) (*session.Session, error) {
	out := session.Session{Hash: h}
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT subject, data, created_at, last_seen_at, idle_expires_at, absolute_expires_at
		FROM sessions WHERE token_hash = $1`, h[:]).Scan(&out.Subject, &data, &out.Created, &out.LastSeen, &out.IdleExpiry, &out.AbsoluteExpiry)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, session.ErrNotFound
	}
	if err != nil {
		return nil, mapErr(err)
	}
	if err := json.Unmarshal(data, &out.Data); err != nil {
		return nil, fmt.Errorf("session/pgstore: decode data: %w", err)
	}
	return &out, nil
}

// Touch sets the last-seen time and the idle deadline.
func (s *Store) Touch(ctx context.Context, h session.Hash, lastSeen, idleExpiry time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE sessions SET last_seen_at = $2, idle_expires_at = $3 WHERE token_hash = $1`, h[:], lastSeen, idleExpiry)
	if err != nil {
		return mapErr(err)
	}
	if tag.RowsAffected() == 0 {
		return session.ErrNotFound
	}
	return nil
}

// Replace deletes old and inserts next in one transaction. The DELETE
// takes old's row lock, so of two concurrent replacements the second finds
// no row and gets ErrNotFound.
func (s *Store) Replace(ctx context.Context, old session.Hash, next session.Session) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, old[:])
		if err != nil {
			return mapErr(err)
		}
		if tag.RowsAffected() == 0 {
			return session.ErrNotFound
		}
		return insert(ctx, tx, next)
	})
}

// Delete removes the session.
func (s *Store) Delete(ctx context.Context, h session.Hash) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, h[:]); err != nil {
		return mapErr(err)
	}
	return nil
}

// DeleteSubject removes every session of subject.
func (s *Store) DeleteSubject(ctx context.Context, subject string) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE subject = $1`, subject)
	if err != nil {
		return 0, mapErr(err)
	}
	return int(tag.RowsAffected()), nil
}

// Purge removes the sessions expired at now.
func (s *Store) Purge(ctx context.Context, now time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE idle_expires_at <= $1 OR absolute_expires_at <= $1`, now)
	if err != nil {
		return 0, mapErr(err)
	}
	return int(tag.RowsAffected()), nil
}
