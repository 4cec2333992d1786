package twintest

import (
	"sync"
	"time"
)

// A Clock is a host clock a test sets: give its Now to mirror.Config.Now.
// Made with a tick, it advances by the tick at every reading, so that no
// two readings are equal. It is safe for concurrent use.
type Clock struct {
	mu   sync.Mutex
	t    time.Time
	tick time.Duration
}

// NewClock returns a clock that reads t until it is set or moved.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// NewTickingClock returns a clock at t that advances by tick before every
// reading.
func NewTickingClock(t time.Time, tick time.Duration) *Clock { return &Clock{t: t, tick: tick} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.tick)
	return c.t
}

// Ms reads the clock in ms since the Unix epoch.
func (c *Clock) Ms() uint64 { return uint64(c.Now().UnixMilli()) }

// Set sets the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Add moves the clock by d (back when d is negative).
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
