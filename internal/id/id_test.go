package id

import (
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNew(t *testing.T) {
	before := time.Now()
	a := New()
	assert.Equal(t, uuid.Version(7), a.Version())
	assert.Equal(t, uuid.RFC4122, a.Variant())
	sec, nsec := a.Time().UnixTime()
	assert.WithinDuration(t, before, time.Unix(sec, nsec), 2*time.Millisecond, "the timestamp is the time of creation")

	prev := a
	for range 10_000 {
		next := New()
		require.Less(t, prev.String(), next.String(), "strictly increasing within the process")
		prev = next
	}
}

func TestNewIsUniqueUnderConcurrency(t *testing.T) {
	const workers, each = 8, 2000
	seen := make(chan uuid.UUID, workers*each)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				seen <- New()
			}
		}()
	}
	wg.Wait()
	close(seen)
	set := map[uuid.UUID]bool{}
	for u := range seen {
		set[u] = true
	}
	assert.Len(t, set, workers*each)
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = New()
	}
}
