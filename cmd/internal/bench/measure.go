package bench

import (
	"fmt"
	"time"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// holder is the hold model's handler: every event schedules the next one
// after a delay taken in turn from a table drawn once, so the measurement
// is of the kernel, not of the random numbers.
type holder struct {
	delays []sim.Time // length a power of two
	i      int
}

// Handle schedules the next event of the hold model.
func (h *holder) Handle(e *sim.Engine, _ int64) {
	e.Schedule(h.delays[h.i&(len(h.delays)-1)], h, 0)
	h.i++
}

// measureKernel runs the hold model for n events.
func measureKernel(n int) Kernel {
	d := sim.ExpDist(sim.Second)
	rng := sim.NewStream(1, "bench")
	h := &holder{delays: make([]sim.Time, 1<<16)}
	for i := range h.delays {
		h.delays[i] = d.Sample(rng)
	}
	e := sim.NewEngine(KernelPending)
	for range KernelPending {
		h.Handle(e, 0)
	}
	start := time.Now()
	for range n {
		e.Step()
	}
	wall := time.Since(start).Seconds()
	return Kernel{Pending: KernelPending, Events: uint64(n), WallSeconds: wall, EventsPerSecond: perSecond(float64(n), wall)}
}

// factoryOptions are the options of the factory run: d of simulated time,
// with the config's warm-up when it is shorter than d.
func factoryOptions(spec *twin.Spec, d sim.Time) twin.Options {
	opt := twin.Options{Duration: d, Seed: spec.Run.Seed}
	if spec.Run.Warmup < d {
		opt.Warmup = spec.Run.Warmup
	}
	return opt
}

// measureFactory runs the line once for d of simulated time, its copies
// one after another on one goroutine.
func measureFactory(spec *twin.Spec, config string, d sim.Time) (Factory, error) {
	start := time.Now()
	r, err := twin.Run(spec, factoryOptions(spec, d))
	if err != nil {
		return Factory{}, err
	}
	wall := time.Since(start).Seconds()
	return Factory{
		Config:          config,
		SimulatedS:      d.Seconds(),
		Events:          r.Events,
		Shipped:         r.Shipped,
		WallSeconds:     wall,
		EventsPerSecond: perSecond(float64(r.Events), wall),
		PhonesPerSecond: perSecond(float64(r.Shipped), wall),
		WallSPerSimYear: wall * float64(sim.Year) / float64(d),
		Extrapolated:    d != sim.Year,
	}, nil
}

// measureCopies runs the factory run of f again with the copies of the
// line on workers goroutines at once (none for a line of one copy), and
// checks that it ran the same events.
func measureCopies(spec *twin.Spec, f Factory, workers int) (Copies, error) {
	c := Copies{Lines: spec.Lines}
	if spec.Lines < 2 {
		return c, nil
	}
	c.Workers = min(workers, spec.Lines)
	opt := factoryOptions(spec, sim.Seconds(f.SimulatedS))
	opt.CopyWorkers = c.Workers
	start := time.Now()
	cpu0, ok0 := processCPUSeconds()
	r, err := twin.Run(spec, opt)
	if err != nil {
		return Copies{}, err
	}
	c.WallSeconds = time.Since(start).Seconds()
	if cpu1, ok1 := processCPUSeconds(); ok0 && ok1 {
		c.Busy = perSecond(cpu1-cpu0, c.WallSeconds)
	}
	if r.Events != f.Events || r.Shipped != f.Shipped {
		return Copies{}, fmt.Errorf("bench: the copies at once ran %d events and shipped %d, one after another %d and %d: the results differ",
			r.Events, r.Shipped, f.Events, f.Shipped)
	}
	c.WallSPerSimYear = c.WallSeconds * float64(sim.Year) / float64(opt.Duration)
	c.Speedup = perSecond(f.WallSeconds, c.WallSeconds)
	return c, nil
}

// measureScaling times the same batch of n runs of d on 1 worker and on 2.
func measureScaling(spec *twin.Spec, d sim.Time, n int) (Scaling, error) {
	opt := experiment.BatchOptions{Options: twin.Options{Duration: d, Seed: spec.Run.Seed}, Replications: n}
	if spec.Run.Warmup < d {
		opt.Warmup = spec.Run.Warmup
	}
	var wall, cpu [2]float64
	for w := range wall {
		opt.Workers = w + 1
		start := time.Now()
		cpu0, ok0 := processCPUSeconds()
		if _, err := experiment.Batch(spec, opt); err != nil {
			return Scaling{}, err
		}
		wall[w] = time.Since(start).Seconds()
		if cpu1, ok1 := processCPUSeconds(); ok0 && ok1 {
			cpu[w] = cpu1 - cpu0
		}
	}
	return Scaling{
		Replications: n, SimulatedS: d.Seconds(), Wall1: wall[0], Wall2: wall[1],
		Speedup: perSecond(wall[0], wall[1]), Busy2: perSecond(cpu[1], wall[1]),
	}, nil
}

// perSecond is x/wall, or 0 when no time was measured.
func perSecond(x, wall float64) float64 {
	if wall <= 0 {
		return 0
	}
	return x / wall
}
