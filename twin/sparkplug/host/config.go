package host

import (
	"errors"
	"fmt"
	"math"
)

// Defaults of [Config]: what a host session accepts when the caller
// sets no limit of its own.
const (
	// DefaultRebirthInterval is the minimum time, in ms, between two
	// rebirth requests a [Session] sends to the same edge node while
	// it waits for the NBIRTH.
	DefaultRebirthInterval = 5000
	// DefaultRebirthBurst and DefaultRebirthRate bound the rebirth
	// requests of a whole session: 100 at once, then 10 a second.
	DefaultRebirthBurst = 100
	DefaultRebirthRate  = 10.0
	// DefaultMaxPayload is the largest payload decoded, in bytes (1 MiB).
	DefaultMaxPayload = 1 << 20
	// DefaultMaxNodes is the most edge nodes mirrored at once.
	DefaultMaxNodes = 1000
	// DefaultMaxDevices is the most devices mirrored per edge node.
	DefaultMaxDevices = 1000
	// DefaultMaxMetrics is the most metrics in one message (a birth
	// defines at most this many).
	DefaultMaxMetrics = 10_000
	// DefaultMaxBytes is the most memory, in bytes as the session
	// estimates it, that what it mirrors may take (256 MiB).
	DefaultMaxBytes = 256 << 20
)

// Config tunes a [Session]: its pace of rebirth requests and the
// limits on what it mirrors, so that nothing an MQTT peer sends can make
// it grow without bound. Zero fields take the defaults above.
//
// A message over a limit is refused, counted in [Stats] and returned
// as a [*LimitError] (matching [ErrLimit]); it never stops the session. A
// birth (NBIRTH or DBIRTH) over a limit leaves its edge node refused: the
// node is offline and stale, and its messages are dropped without a
// rebirth request (which would bring the same birth back) until its next
// NBIRTH, which is checked again.
type Config struct {
	// RebirthInterval is the minimum time in ms between two rebirth
	// requests to one edge node.
	RebirthInterval uint64
	// RebirthBurst and RebirthRate bound the rebirth requests of the whole
	// session, whatever the number of nodes asking: a bucket of
	// RebirthBurst requests, refilled at RebirthRate a second of host
	// time. A request the bucket cannot pay for is not sent (counted in
	// [Stats.RebirthsSuppressed]); the node keeps dropping data, and
	// its next message asks again.
	RebirthBurst int
	RebirthRate  float64
	// MaxPayload is the largest payload, in bytes, that Receive decodes.
	MaxPayload int
	// MaxNodes is the most edge nodes mirrored at once. A node that holds
	// nothing (never born, only asked for a rebirth) gives its place to a
	// new one; otherwise a new node is refused.
	MaxNodes int
	// MaxDevices is the most devices mirrored per edge node.
	MaxDevices int
	// MaxMetrics is the most metrics a message may carry.
	MaxMetrics int
	// MaxBytes bounds the memory that the mirrored nodes, devices and
	// metrics take, as the session estimates it (see [Size]); a birth
	// or data that would take it over is refused.
	MaxBytes int64
}

// Validate reports the fields of c that are negative, or a rate that is
// not a finite number, all at once.
func (c Config) Validate() error {
	var errs []error
	neg := func(name string, v int64) {
		if v < 0 {
			errs = append(errs, fmt.Errorf("%s %d is negative", name, v))
		}
	}
	neg("rebirth burst", int64(c.RebirthBurst))
	neg("max payload", int64(c.MaxPayload))
	neg("max nodes", int64(c.MaxNodes))
	neg("max devices", int64(c.MaxDevices))
	neg("max metrics", int64(c.MaxMetrics))
	neg("max bytes", c.MaxBytes)
	if math.IsNaN(c.RebirthRate) || math.IsInf(c.RebirthRate, 0) || c.RebirthRate < 0 {
		errs = append(errs, fmt.Errorf("rebirth rate %v: want a finite number, 0 or more", c.RebirthRate))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sparkplug: host config: %w", err)
	}
	return nil
}

// WithDefaults returns c with its zero fields set to the defaults.
func (c Config) WithDefaults() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if c.RebirthInterval == 0 {
		c.RebirthInterval = DefaultRebirthInterval
	}
	def(&c.RebirthBurst, DefaultRebirthBurst)
	if c.RebirthRate == 0 {
		c.RebirthRate = DefaultRebirthRate
	}
	def(&c.MaxPayload, DefaultMaxPayload)
	def(&c.MaxNodes, DefaultMaxNodes)
	def(&c.MaxDevices, DefaultMaxDevices)
	def(&c.MaxMetrics, DefaultMaxMetrics)
	if c.MaxBytes == 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	return c
}

// A Limit names one of the limits of [Config].
type Limit uint8

// The limits, from LimitPayload to LimitMemory.
const (
	// LimitPayload is MaxPayload: a payload too large to decode.
	LimitPayload Limit = iota + 1
	// LimitNodes is MaxNodes: one edge node too many.
	LimitNodes
	// LimitDevices is MaxDevices: one device too many on an edge node.
	LimitDevices
	// LimitMetrics is MaxMetrics: too many metrics in one message.
	LimitMetrics
	// LimitMemory is MaxBytes: more memory than the mirror may take.
	LimitMemory
)

// String returns "payload", "nodes", "devices", "metrics" or "memory".
func (l Limit) String() string {
	switch l {
	case LimitPayload:
		return "payload"
	case LimitNodes:
		return "nodes"
	case LimitDevices:
		return "devices"
	case LimitMetrics:
		return "metrics"
	case LimitMemory:
		return "memory"
	}
	return fmt.Sprintf("Limit(%d)", uint8(l))
}

// A Size is how much a [Session] mirrors now. Bytes is an
// estimate of the memory it takes (fixed costs per node, device and
// metric, plus the bytes of their ids, names and string values): the
// figure [Config.MaxBytes] bounds.
type Size struct {
	Nodes, Devices, Metrics int
	Bytes                   int64
}
