package pgstore_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/signin"
	"github.com/lokaalbestuur/bouwstenen/signin/pgstore"
)

func TestReplayGuard(t *testing.T) {
	pool := pgtest.Pool(t, 8)
	ctx := context.Background()
	c := clock.NewSettable(time.Date(2026, 12, 2, 9, 0, 0, 0, clock.Brussels))
	// Two guards on one database stand for two instances of a site.
	a, err := pgstore.New(ctx, pool, c.Now)
	require.NoError(t, err)
	b, err := pgstore.New(ctx, pool, c.Now)
	require.NoError(t, err)
	until := c.Now().Add(signin.PendingTTL)

	ok, err := a.Use(ctx, "state-1", until)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = b.Use(ctx, "state-1", until)
	require.NoError(t, err)
	assert.False(t, ok, "used on instance A, refused on B")

	// Twenty concurrent uses of one state over both guards: one wins.
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		g := a
		if i%2 == 1 {
			g = b
		}
		wg.Go(func() {
			ok, err := g.Use(ctx, "state-2", until)
			assert.NoError(t, err)
			if ok {
				wins.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), wins.Load())

	// After its time a state's row is reusable and, a minute on, removed.
	c.Advance(signin.PendingTTL + time.Minute)
	ok, err = a.Use(ctx, "state-1", c.Now().Add(signin.PendingTTL))
	require.NoError(t, err)
	assert.True(t, ok)
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM signin_used_states`).Scan(&n))
	assert.Equal(t, 1, n, "state-2 expired and was removed; state-1 is held again")
}
