package robots_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/robots"
)

// Add sums every statistic and keeps its own Since.
func TestStatsAdd(t *testing.T) {
	a := robots.Stats{Since: 5, Moves: 10, Failures: 1, QueueArea: 0.5}
	a.PhaseTime[robots.Moving] = 3
	b := robots.Stats{Since: 6, Moves: 4, Failures: 2, QueueArea: 1.25}
	b.PhaseTime[robots.Moving], b.PhaseTime[robots.Down] = 2, 9
	a.Add(&b)
	want := robots.Stats{Since: 5, Moves: 14, Failures: 3, QueueArea: 1.75}
	want.PhaseTime[robots.Moving], want.PhaseTime[robots.Down] = 5, 9
	if a != want {
		t.Errorf("sum\n got %+v\nwant %+v", a, want)
	}
}
