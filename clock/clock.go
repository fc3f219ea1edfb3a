// Package clock gives services the current time through an interface, so
// tests can set it, and names the zone every municipality works in.
package clock

import (
	"sync"
	"time"
	_ "time/tzdata" // Europe/Brussels must load on machines without a zoneinfo database.
)

// Brussels is Europe/Brussels, daylight saving included.
var Brussels = mustLoad("Europe/Brussels")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// Real is the system clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// Settable is a clock for tests: it stands still until set or advanced.
// It is safe for concurrent use.
type Settable struct {
	mu  sync.Mutex
	now time.Time
}

// NewSettable returns a clock that shows t.
func NewSettable(t time.Time) *Settable { return &Settable{now: t} }

// Now returns the time last set.
func (c *Settable) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Settable) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// Advance moves the clock forward by d.
func (c *Settable) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
