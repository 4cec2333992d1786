package stations_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Add sums every statistic and keeps its own Since.
func TestStatsAdd(t *testing.T) {
	a := stations.Stats{Since: 5, Servers: 1, Processed: 10, Out: 9, Defects: 2, Caught: 1,
		Reworked: 1, Bad: 2, Failures: 3, CycleTotal: 100 * sim.Second, BufferArea: 1.5}
	a.PhaseTime[stations.Working] = 7
	b := stations.Stats{Since: 6, Servers: 2, Processed: 20, Out: 18, Defects: 4, Caught: 3,
		Scrapped: 2, Bad: 5, Failures: 1, CycleTotal: 50 * sim.Second, BufferArea: 2.25}
	b.PhaseTime[stations.Working], b.PhaseTime[stations.Blocked] = 1, 4
	a.Add(&b)
	want := stations.Stats{Since: 5, Servers: 3, Processed: 30, Out: 27, Defects: 6, Caught: 4,
		Reworked: 1, Scrapped: 2, Bad: 7, Failures: 4, CycleTotal: 150 * sim.Second, BufferArea: 3.75}
	want.PhaseTime[stations.Working], want.PhaseTime[stations.Blocked] = 8, 4
	if a != want {
		t.Errorf("sum\n got %+v\nwant %+v", a, want)
	}
}
