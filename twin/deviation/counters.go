package deviation

import (
	"math"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// CounterNoise is the relative measurement error a Counters feed assumes on
// the cycle times it derives from published counters (whole milliseconds on
// the wire); it also lets a constant cycle time be watched.
const CounterNoise = 0.01

// MaxCounterFeed bounds the cycles one observation may feed a Counters'
// detector; a larger jump of the count restarts the baseline instead.
const MaxCounterFeed = 100000

// Counters feeds a Drift detector from a device's published counters
// rather than from individual cycles: the number of units it processed and
// the sum of their cycle times, as an edge node publishes them.
//
// Between two observations the count moved by dn and the total by dt.
// Feeding the detector dn cycles of dt/dn each adds the same total to its
// running sums as the dn individual cycles would, so the CUSUM's drift
// term, sum(cycle − mean), agrees with the cycle-by-cycle one at every
// observation; only the noise within an interval is averaged away (which
// can only delay a false alarm, not cause one). The model expects
// mean/speed at a commanded speed, so the cycles are scaled by the speed
// to compare them with the nominal mean.
//
// The zero value is not usable: create one with NewCounters. Not safe for
// concurrent use.
type Counters struct {
	drift        *Drift
	count, total int64 // at the last observation; total in sim.Time units
	based        bool
}

// NewCounters returns a feed for device against model m, its detector
// configured with the defaults and CounterNoise.
func NewCounters(device string, m Model) (*Counters, error) {
	d, err := NewDrift(device, m, DriftConfig{Noise: CounterNoise})
	if err != nil {
		return nil, err
	}
	return &Counters{drift: d}, nil
}

// Drift returns the detector the feed drives.
func (c *Counters) Drift() *Drift { return c.drift }

// Observe takes the counters published at time at: count units processed
// so far, total their summed cycle time, at relative speed speed (values
// not positive and finite count as 1). It appends to dst the events the
// detector raised. The first observation, and one whose counters went back
// (a statistics reset, a restarted edge) or jumped by more than
// MaxCounterFeed units, only sets the baseline. It allocates only when an
// event is raised (or dst must grow).
func (c *Counters) Observe(at sim.Time, count int64, total sim.Time, speed float64, dst []Event) []Event {
	t := int64(total)
	if !c.based || count < c.count || t < c.total || count-c.count > MaxCounterFeed {
		c.count, c.total, c.based = count, t, true
		return dst
	}
	dn, dt := count-c.count, t-c.total
	if dn == 0 {
		return dst // the time may move ahead of the count; keep the baseline
	}
	c.count, c.total = count, t
	if !(speed > 0) || math.IsInf(speed, 0) {
		speed = 1
	}
	cycle := sim.Time(float64(dt) * speed / float64(dn))
	for range dn {
		if ev, ok := c.drift.Observe(at, cycle); ok {
			dst = append(dst, ev)
		}
	}
	return dst
}
