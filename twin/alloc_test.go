package twin_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Once its queues have grown to their working size, the whole line (kernel,
// stations, arms, statistics) runs without allocating.
func TestLineRunsWithoutAllocating(t *testing.T) {
	for _, name := range configs.Names() {
		t.Run(name, func(t *testing.T) {
			spec, err := configs.Embedded(name)
			if err != nil {
				t.Fatal(err)
			}
			opts := []twin.LineOptions{{}}
			if spec.Lines > 1 { // and with the copies on their own engines, run at once
				opts = append(opts, twin.LineOptions{CopyEngines: true, Workers: 2})
			}
			for _, opt := range opts {
				l, err := twin.NewLineWith(spec, 1, opt)
				if err != nil {
					t.Fatal(err)
				}
				l.RunFor(2 * sim.Day)
				before := l.Events()
				allocs := testing.AllocsPerRun(50, func() { l.RunFor(10 * sim.Minute) })
				if allocs != 0 {
					t.Errorf("%+v: %.2f allocations per 10 simulated minutes (%d events), want 0", opt, allocs, l.Events()-before)
				}
				if err := l.Close(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
