package twinmode

import (
	"math"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Chart leaves out of m, the throughput chart of the snapshot at time
// now, the buckets of the history that were over before the view
// attached to the twin: their output is not known, not zero. m.Last
// becomes the last value left.
func (t *Link) Chart(m *scene.ChartModel, now sim.Time) { leaveOutUnseen(m, now, t.good.first()) }

// leaveOutUnseen sets to NaN the values of m whose bucket (absolute index,
// counted from simulated time 0 in twin.HistoryBucket) is before from,
// the first the view saw whole.
func leaveOutUnseen(m *scene.ChartModel, now sim.Time, from int64) {
	cur := int64(now / twin.HistoryBucket)
	m.Last = math.NaN()
	for k := range m.Values {
		if cur-int64(len(m.Values)-1-k) < from {
			m.Values[k] = math.NaN()
		}
		if !math.IsNaN(m.Values[k]) {
			m.Last = m.Values[k]
		}
	}
}
