// Package memo remembers decoded documents by a key that names one version
// of them, so a store that reads the same unchanged rows again (a front
// office's list, shown on every visit) decodes each version once. A
// version never changes once written: a key (row, version) always maps to
// the same value, so a memo is never stale, needs no invalidation, and is
// safe with any number of processes writing the same database.
package memo

import "sync"

// Memo is a bounded map from keys to values, safe for concurrent use. When
// it is full, a new value replaces an arbitrary one. The zero value is not
// usable; call New.
type Memo[K comparable, V any] struct {
	mu  sync.Mutex
	m   map[K]V
	max int
}

// New returns a memo that holds at most max values.
func New[K comparable, V any](max int) *Memo[K, V] {
	return &Memo[K, V]{m: make(map[K]V, max), max: max}
}

// Get returns the value remembered for k.
func (c *Memo[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	v, ok := c.m[k]
	c.mu.Unlock()
	return v, ok
}

// Put remembers v for k. The memo keeps v itself: a caller that hands out
// the value must hand out copies of what it may change.
func (c *Memo[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; !ok && len(c.m) >= c.max {
		for old := range c.m { // the iteration order is random: evict one
			delete(c.m, old)
			break
		}
	}
	c.m[k] = v
}

// Len returns how many values the memo holds.
func (c *Memo[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
