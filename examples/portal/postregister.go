package main

import (
	"context"
	"embed"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
)

//go:embed migrations/post/*.sql
var postMigrations embed.FS

// postEntry is one document the portal sent: to whom, and about which
// dossier. Its subject, content and status stay in the delivery package.
type postEntry struct {
	Document uuid.UUID
	Party    delivery.Party
	// Reference and Link name the dossier the document is about (a case or
	// an appointment), for the lists.
	Reference, Link string
	SentAt          time.Time
}

// postRegister remembers which documents the portal sent to whom. The
// delivery package finds a delivery by document ID but does not list them
// by party or state, so the portal, which is the sending application, keeps
// this register for the citizen's post and the clerk's queue. Lists are
// newest first.
type postRegister interface {
	// add records e; recording the same document again changes nothing, so
	// a repeated event is harmless.
	add(ctx context.Context, e postEntry) error
	// forParties returns the latest documents sent to any of parties.
	forParties(ctx context.Context, parties []delivery.Party, limit int) ([]postEntry, error)
	// recent returns the latest documents sent to anyone.
	recent(ctx context.Context, limit int) ([]postEntry, error)
}

// memPostRegister is the in-memory postRegister.
type memPostRegister struct {
	mu      sync.Mutex
	entries []postEntry // in order of adding
	seen    map[uuid.UUID]bool
}

func newMemPostRegister() *memPostRegister {
	return &memPostRegister{seen: map[uuid.UUID]bool{}}
}

func (m *memPostRegister) add(_ context.Context, e postEntry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.seen[e.Document] {
		m.seen[e.Document] = true
		m.entries = append(m.entries, e)
	}
	return nil
}

func (m *memPostRegister) forParties(_ context.Context, parties []delivery.Party, limit int) ([]postEntry, error) {
	return m.latest(limit, func(e *postEntry) bool { return slices.Contains(parties, e.Party) }), nil
}

func (m *memPostRegister) recent(_ context.Context, limit int) ([]postEntry, error) {
	return m.latest(limit, func(*postEntry) bool { return true }), nil
}

func (m *memPostRegister) latest(limit int, keep func(*postEntry) bool) []postEntry {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []postEntry
	for i := len(m.entries) - 1; i >= 0 && len(out) < limit; i-- {
		if keep(&m.entries[i]) {
			out = append(out, m.entries[i])
		}
	}
	slices.SortStableFunc(out, func(a, b postEntry) int { return b.SentAt.Compare(a.SentAt) })
	return out
}

// pgPostRegister is the postRegister in PostgreSQL.
type pgPostRegister struct{ pool *pgxpool.Pool }

func newPGPostRegister(ctx context.Context, pool *pgxpool.Pool) (*pgPostRegister, error) {
	if _, err := migrate.Run(ctx, pool, "portal_post", postMigrations, "migrations/post"); err != nil {
		return nil, err
	}
	return &pgPostRegister{pool: pool}, nil
}

func (p *pgPostRegister) add(ctx context.Context, e postEntry) error {
	_, err := p.pool.Exec(ctx, `INSERT INTO portal_post_register (document_id, party, reference, link, sent_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (document_id) DO NOTHING`,
		e.Document, e.Party.String(), e.Reference, e.Link, e.SentAt)
	return err
}

func (p *pgPostRegister) forParties(ctx context.Context, parties []delivery.Party, limit int) ([]postEntry, error) {
	keys := make([]string, len(parties))
	for i, party := range parties {
		keys[i] = party.String()
	}
	return p.query(ctx, `SELECT document_id, party, reference, link, sent_at FROM portal_post_register
		WHERE party = ANY($1) ORDER BY sent_at DESC, document_id DESC LIMIT $2`, keys, limit)
}

func (p *pgPostRegister) recent(ctx context.Context, limit int) ([]postEntry, error) {
	return p.query(ctx, `SELECT document_id, party, reference, link, sent_at FROM portal_post_register
		ORDER BY sent_at DESC, document_id DESC LIMIT $1`, limit)
}

func (p *pgPostRegister) query(ctx context.Context, sql string, args ...any) ([]postEntry, error) {
	rows, err := p.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (postEntry, error) {
		var e postEntry
		var party string
		if err := row.Scan(&e.Document, &party, &e.Reference, &e.Link, &e.SentAt); err != nil {
			return e, err
		}
		e.Party = parseParty(party)
		return e, nil
	})
}

// parseParty reads the "kind:id" form of Party.String.
func parseParty(s string) delivery.Party {
	kind, id, _ := strings.Cut(s, ":")
	return delivery.Party{Kind: delivery.PartyKind(kind), ID: id}
}
