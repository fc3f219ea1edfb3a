// Package pgstore keeps the states of handled sign-in callbacks in
// PostgreSQL: a signin.ReplayGuard that several instances of a site share,
// so a callback replayed on another instance than the one that handled it
// is refused too.
package pgstore

import (
	"context"
	"embed"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/signin"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ReplayGuard is a signin.ReplayGuard in the table signin_used_states.
// It is safe for concurrent use, by any number of processes.
type ReplayGuard struct {
	pool   *pgxpool.Pool
	now    func() time.Time
	pruned atomic.Int64 // Unix seconds of the last removal of expired rows
}

var _ signin.ReplayGuard = (*ReplayGuard)(nil)

// New applies the package's migrations and returns a guard that tells
// time by now (nil: time.Now). Give it the clock the relying party uses.
func New(ctx context.Context, pool *pgxpool.Pool, now func() time.Time) (*ReplayGuard, error) {
	if _, err := migrate.Run(ctx, pool, "signin", migrations, "migrations"); err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &ReplayGuard{pool: pool, now: now}, nil
}

// Use records state as used until the given time and reports whether it
// was unused (or its earlier use has expired). One statement decides, so
// of two concurrent calls with one state exactly one reports true. Once a
// minute it also removes expired rows.
func (g *ReplayGuard) Use(ctx context.Context, state string, until time.Time) (bool, error) {
	now := g.now()
	if last := g.pruned.Load(); now.Unix()-last >= 60 && g.pruned.CompareAndSwap(last, now.Unix()) {
		if _, err := g.pool.Exec(ctx, `DELETE FROM signin_used_states WHERE until <= $1`, now); err != nil {
			return false, fmt.Errorf("signin/pgstore: prune: %w", err)
		}
	}
	tag, err := g.pool.Exec(ctx, `
		INSERT INTO signin_used_states (state, until) VALUES ($1, $2)
		ON CONFLICT (state) DO UPDATE SET until = EXCLUDED.until
		WHERE signin_used_states.until <= $3`, state, until, now)
	if err != nil {
		return false, fmt.Errorf("signin/pgstore: use: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}
