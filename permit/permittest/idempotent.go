package permittest

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/permit"
)

// testIdempotentDraft checks Draft under an idempotency key: a repeat
// returns the first application and commits no event, a different input
// under the key is ErrConflict and stores nothing, the key outlives a
// change of the application, and a bad key is refused.
func testIdempotentDraft(t *testing.T, h Harness) {
	ctx := context.Background()
	svc, _ := newService(h.Store)
	in := Input(Square(4.40, 51.21, 5), start, 3)
	in.IdempotencyKey = "portal-form:7c1e"
	first, err := svc.Draft(ctx, in)
	require.NoError(t, err)
	events := len(h.Committed(t))

	again, err := svc.Draft(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID, "the same key and input give the first application")
	assert.Equal(t, 1, again.Version)
	assert.Len(t, h.Committed(t), events, "a repeat commits no event")

	other := in
	other.Description = "Another container"
	_, err = svc.Draft(ctx, other)
	assert.ErrorIs(t, err, permit.ErrConflict, "the same key with another input")
	assert.Len(t, h.Committed(t), events)

	// The key belongs to the create: after a change, a retry of the
	// create still finds the application.
	changed := in
	changed.Description = "Container for renovation, changed"
	_, err = svc.Modify(ctx, first.ID, changed)
	require.NoError(t, err)
	again, err = svc.Draft(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, "Container for renovation, changed", again.Description, "the application as it is now")

	next := in
	next.IdempotencyKey = "portal-form:7c1f"
	second, err := svc.Draft(ctx, next)
	require.NoError(t, err)
	assert.NotEqual(t, first.ID, second.ID, "another key, another application")
	plain, err := svc.Draft(ctx, Input(Square(4.40, 51.21, 5), start, 3))
	require.NoError(t, err)
	plain2, err := svc.Draft(ctx, Input(Square(4.40, 51.21, 5), start, 3))
	require.NoError(t, err)
	assert.NotEqual(t, plain.ID, plain2.ID, "without a key every draft is new")

	for _, key := range []string{strings.Repeat("k", 256), "nul\x00", "bad\xff"} {
		bad := in
		bad.IdempotencyKey = key
		_, err := svc.Draft(ctx, bad)
		requireField(t, err, "idempotency_key")
	}
	n := 0
	for _, err := range h.Store.List(ctx) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 4, n)
}
