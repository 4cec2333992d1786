package twin

import (
	"fmt"
	"io"
	"time"

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
	// SeriesBucket is the bucket width of the run's Series (Result.Series),
	// recorded from time 0, warm-up included. 0 means Duration/500 but at
	// least a minute; a negative value records no series.
	SeriesBucket sim.Time
	// Log receives start-up and end-of-run messages (never per event); nil
	// means no logging.
	Log *zap.Logger
	// Control, when not nil, is called with the new line before it runs,
	// to attach a Controller (an autopilot); the finish it returns, when
	// not nil, is called with the run's Result to add what the controller
	// did. It is called once per replication, so each gets its own.
	Control func(l *Line) (finish func(*Result), err error)
	// CopyWorkers is how many copies of the line (Spec.Lines) run at
	// once, each on its own goroutine and core, when they share nothing:
	// no Control, no Trace and no shared crew (see LineOptions). 0 or 1
	// runs them one after another. It never changes the results.
	CopyWorkers int
}

// ReplicationSeed returns the seed of replication i of a batch with base
// seed seed: the replications' random numbers are independent streams, and
// replication i gets the same seed whatever the worker count.
func ReplicationSeed(seed uint64, i int) uint64 {
	return sim.StreamSeed(seed, fmt.Sprintf("replication/%d", i))
}

// progressSteps is how many times a run reports progress.
const progressSteps = 200

// Run simulates one replication of the line described by spec (which must
// have passed Validate) and returns its KPIs.
func Run(spec *Spec, opt Options) (*Result, error) {
	if opt.Duration <= 0 {
		return nil, fmt.Errorf("duration %v must be positive", opt.Duration)
	}
	if opt.Warmup < 0 || opt.Warmup >= opt.Duration {
		return nil, fmt.Errorf("warm-up %v must be at least 0 and shorter than the duration %v", opt.Warmup, opt.Duration)
	}
	log := opt.Log
	if log == nil {
		log = zap.NewNop()
	}
	// Without a controller the copies may run on their own engines: the
	// same results, and they may run at once.
	l, err := NewLineWith(spec, opt.Seed, LineOptions{Trace: opt.Trace, CopyEngines: opt.Control == nil, Workers: opt.CopyWorkers})
	if err != nil {
		return nil, err
	}
	defer l.stopWorkers()
	if opt.SeriesBucket >= 0 {
		l.RecordSeries(seriesBucket(opt.Duration, opt.SeriesBucket), opt.Duration)
	}
	var finish func(*Result)
	if opt.Control != nil {
		if finish, err = opt.Control(l); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	log.Debug("replication start", zap.Uint64("seed", opt.Seed), zap.Float64("duration_s", opt.Duration.Seconds()))
	step := opt.Duration / progressSteps
	if step <= 0 {
		step = opt.Duration
	}
	warm := opt.Warmup == 0
	if warm {
		l.ResetStats()
	}
	for t := sim.Time(0); t < opt.Duration; {
		next := min(t+step, opt.Duration)
		if !warm && next >= opt.Warmup {
			l.RunUntil(opt.Warmup)
			l.ResetStats()
			warm = true
		}
		l.RunUntil(next)
		t = next
		if opt.Progress != nil {
			opt.Progress(t)
		}
	}
	if err := l.Close(); err != nil {
		return nil, fmt.Errorf("writing trace: %w", err)
	}
	r := l.Result()
	r.Seed = opt.Seed
	r.Series = l.Series()
	if finish != nil {
		finish(r)
	}
	r.WallSeconds = time.Since(start).Seconds()
	log.Debug("replication done", zap.Uint64("seed", opt.Seed), zap.Uint64("events", r.Events),
		zap.Float64("wall_s", r.WallSeconds), zap.Float64("throughput_per_hour", r.ThroughputPerHour))
	return r, nil
}
