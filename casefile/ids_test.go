package casefile

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
)

func TestNewIDIsIncreasingVersion7(t *testing.T) {
	prev := newID()
	seen := map[uuid.UUID]bool{prev: true}
	for range 10000 {
		u := newID()
		assert.Equal(t, uuid.Version(7), u.Version())
		assert.Equal(t, uuid.RFC4122, u.Variant())
		if !uuidLess(prev, u) {
			t.Fatalf("%s does not follow %s", u, prev)
		}
		assert.False(t, seen[u])
		seen[u] = true
		prev = u
	}
	sec, _ := prev.Time().UnixTime()
	assert.InDelta(t, time.Now().Unix(), sec, 5)
}
