package clock

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSettable(t *testing.T) {
	start := time.Date(2026, 3, 29, 1, 30, 0, 0, Brussels)
	c := NewSettable(start)
	assert.Equal(t, start, c.Now())
	c.Advance(time.Hour)
	// 02:00 does not exist on the last Sunday of March: one hour after 01:30 is 03:30 CEST.
	assert.Equal(t, "03:30 CEST", c.Now().In(Brussels).Format("15:04 MST"))
	c.Set(start)
	assert.Equal(t, start, c.Now())
	var _ Clock = Real{}
	assert.WithinDuration(t, time.Now(), Real{}.Now(), time.Second)
}
