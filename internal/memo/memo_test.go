package memo_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/internal/memo"
)

func TestMemoIsBounded(t *testing.T) {
	m := memo.New[int, string](3)
	for i := range 10 {
		m.Put(i, "v")
		assert.LessOrEqual(t, m.Len(), 3)
	}
	m.Put(42, "answer")
	v, ok := m.Get(42)
	assert.True(t, ok, "the value just put is there")
	assert.Equal(t, "answer", v)
	m.Put(42, "again")
	assert.Equal(t, 3, m.Len(), "putting a key it holds evicts nothing")
	_, ok = m.Get(-1)
	assert.False(t, ok)
}

func TestMemoConcurrent(t *testing.T) {
	m := memo.New[int, int](64)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				m.Put(i%100, i%100)
				if v, ok := m.Get((i + w) % 100); ok {
					assert.Equal(t, (i+w)%100, v)
				}
			}
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, m.Len(), 64)
}
