package twin

import (
	"io"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Options control one replication.
type Options struct {
	// Duration is the simulated length of the run, warm-up included.
	Duration sim.Time
	// Warmup is discarded from every statistic.
	Warmup sim.Time
	// Seed derives every random stream of the run.
	Seed uint64
	// Trace, when not nil, receives the sensor readings as JSON lines.
	Trace io.Writer
	// Progress, when not nil, is called now and then with the simulated time
	// reached, from the goroutine running the simulation.
	Progress func(now sim.Time)
	// Log receives start-up and end-of-run messages (never per event); nil
	// means no logging.
	Log *zap.Logger
}

// Run simulates one replication of the line described by spec (which must
// have passed Validate) and returns its KPIs.
func Run(spec *Spec, opt Options) (*Result, error) {
	panic("twin.Run: not yet implemented")
}
