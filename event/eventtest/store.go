package eventtest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// ErrConflict is the kind a stale write must lose with; every package's
// ErrConflict is this value.
var ErrConflict = errs.ErrConflict

// StoreHarness is what a package's conformance suite hands StoreEvents for
// one store, in the manner of Go CDK's drivertest: the store under test
// seen through a few operations of its package, and the events it
// committed (recorded in memory, read from the outbox in PostgreSQL).
type StoreHarness struct {
	// Committed returns every event the store committed so far, in commit
	// order.
	Committed func(t *testing.T) []event.Event
	// Create makes one aggregate through the package's service and returns
	// its ID. With a key it is an idempotent create under that key: a
	// repeat returns the first aggregate's ID and no error.
	Create func(ctx context.Context, key string) (uuid.UUID, error)
	// Change makes one change to the aggregate that emits events.
	Change func(ctx context.Context, id uuid.UUID) error
	// FailingChange runs an update on the aggregate whose function fails,
	// and returns that error.
	FailingChange func(ctx context.Context, id uuid.UUID) error
	// StaleChange writes the aggregate from the version Create left, after
	// the suite made a Change: it must lose with ErrConflict.
	StaleChange func(ctx context.Context, id uuid.UUID) error
}

// StoreEvents runs the subtests every store of every package passes:
// events are stored with the change, none when the update function fails,
// none when a write loses on its version, and one hundred concurrent
// creates with one idempotency key give one aggregate and one set of
// events.
func StoreEvents(t *testing.T, newHarness func(t *testing.T) StoreHarness) {
	t.Run("EventsStoredWithTheChange", func(t *testing.T) {
		h := newHarness(t)
		ctx := context.Background()
		id, err := h.Create(ctx, "")
		require.NoError(t, err)
		created := of(h.Committed(t), id)
		require.NotEmpty(t, created, "a create commits its events")
		require.NoError(t, h.Change(ctx, id))
		changed := of(h.Committed(t), id)
		assert.Greater(t, len(changed), len(created), "a change commits its events")
		assert.Equal(t, created, changed[:len(created)], "in commit order, after the earlier ones")
		seen := map[uuid.UUID]bool{}
		for _, e := range h.Committed(t) {
			assert.False(t, seen[e.ID], "event IDs are unique")
			seen[e.ID] = true
		}
	})
	t.Run("NoEventsWhenTheUpdateFails", func(t *testing.T) {
		h := newHarness(t)
		ctx := context.Background()
		id, err := h.Create(ctx, "")
		require.NoError(t, err)
		before := len(h.Committed(t))
		require.Error(t, h.FailingChange(ctx, id))
		assert.Len(t, h.Committed(t), before)
	})
	t.Run("NoEventsWhenAWriteLosesOnVersion", func(t *testing.T) {
		h := newHarness(t)
		ctx := context.Background()
		id, err := h.Create(ctx, "")
		require.NoError(t, err)
		require.NoError(t, h.Change(ctx, id))
		before := len(h.Committed(t))
		assert.ErrorIs(t, h.StaleChange(ctx, id), ErrConflict)
		assert.Len(t, h.Committed(t), before)
	})
	t.Run("ConcurrentCreatesWithOneKey", func(t *testing.T) {
		h := newHarness(t)
		ctx := context.Background()
		ids := make([]uuid.UUID, 100)
		errs := make([]error, len(ids))
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() { ids[i], errs[i] = h.Create(ctx, "retry-7f3a") })
		}
		wg.Wait()
		require.NoError(t, errors.Join(errs...))
		for _, id := range ids {
			require.Equal(t, ids[0], id, "one aggregate for one key")
		}
		once := of(h.Committed(t), ids[0])
		id, err := h.Create(ctx, "")
		require.NoError(t, err)
		assert.Equal(t, len(of(h.Committed(t), id)), len(once), "the events of one create, not of a hundred")
	})
}

// of returns the events of one aggregate.
func of(events []event.Event, id uuid.UUID) []event.Event {
	var out []event.Event
	for _, e := range events {
		if e.AggregateID == id {
			out = append(out, e)
		}
	}
	return out
}
