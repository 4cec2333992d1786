package bench

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// Defaults of the twin measurement.
const (
	DefaultTwinLines = 100
	MaxTwinLines     = 10_000
)

// TwinOptions say how to drive the twin's host side: Lines copies of a
// line published by as many edge nodes, first as fast as the host takes
// them (the ingest rate), then paced to the wall clock (the lag).
type TwinOptions struct {
	// Config names the line for the report, and Spec is that line; its
	// Lines is replaced by Lines.
	Config string
	Spec   *twin.Spec
	Lines  int
	// Duration is the simulated time of the unpaced run, in steps of Step.
	Duration, Step sim.Time
	// LagFor is the wall time of the paced run, at Speed times the wall
	// clock, one step every Tick.
	LagFor time.Duration
	Speed  float64
	Tick   time.Duration
	// Log, if not nil, gets an info line as each measurement starts.
	Log *zap.Logger
}

// DefaultTwinOptions returns the standard twin measurement, without a
// line: 100 lines, 10 minutes of simulated time in steps of a second,
// then 20 s in real time with a step every 100 ms (as 'lightsout edge'
// runs).
func DefaultTwinOptions() TwinOptions {
	return TwinOptions{Lines: DefaultTwinLines, Duration: 10 * sim.Minute, Step: sim.Second,
		LagFor: 20 * time.Second, Speed: 1, Tick: 100 * time.Millisecond}
}

// check returns what makes opt unusable, all at once.
func (opt *TwinOptions) check() error {
	var errs []error
	if opt.Spec == nil {
		errs = append(errs, errors.New("no line to run"))
	}
	if opt.Lines < 1 || opt.Lines > MaxTwinLines {
		errs = append(errs, fmt.Errorf("%d lines: want 1 to %d", opt.Lines, MaxTwinLines))
	}
	if opt.Duration <= 0 || opt.Step <= 0 {
		errs = append(errs, fmt.Errorf("unpaced run of %s in steps of %s: both must be positive",
			textfmt.Span(opt.Duration), textfmt.Span(opt.Step)))
	}
	if opt.LagFor <= 0 || opt.Tick <= 0 || !(opt.Speed > 0) {
		errs = append(errs, fmt.Errorf("paced run of %v at speed %v, a step every %v: all must be positive", opt.LagFor, opt.Speed, opt.Tick))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("bench twin: %w", err)
	}
	return nil
}

// RunTwin makes the twin measurements and returns the report. The host is
// the twin's (twinwire: the mirror, the monitor and the forecaster
// observing it), fed in-process without MQTT; the edge nodes are
// edge.Runner's, on one line of Lines copies. It returns ctx's error if
// ctx ends first.
func RunTwin(ctx context.Context, opt TwinOptions) (*TwinReport, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	log := opt.Log
	if log == nil {
		log = zap.NewNop()
	}
	rep := &TwinReport{Machine: describeMachine(), Config: opt.Config, Lines: opt.Lines}
	log.Info("bench twin: unpaced", zap.Int("lines", opt.Lines), zap.String("simulated", textfmt.Span(opt.Duration)))
	d, err := drive(ctx, &opt, unpaced(opt.Duration, opt.Step), false)
	if err != nil {
		return nil, err
	}
	rep.Ingest = TwinIngest{Messages: d.messages, SimulatedS: opt.Duration.Seconds(), WallS: d.wall.Seconds(),
		BusyS: d.busy.Seconds(), MessagesPerSecond: perSecond(float64(d.messages), d.busy.Seconds()),
		EndToEndPerSecond: perSecond(float64(d.messages), d.wall.Seconds()), Rebirths: d.rebirths}
	rep.Memory = TwinMemory{MirrorBytes: d.mirrorBytes, HeapInUse: d.heapInUse}
	log.Info("bench twin: paced", zap.Float64("speed", opt.Speed), zap.Float64("for_s", opt.LagFor.Seconds()))
	pctx, cancel := context.WithTimeout(ctx, opt.LagFor)
	defer cancel()
	paced := func(context.Context) <-chan edge.Step { return edge.Paced(pctx, opt.Speed, opt.Tick) }
	d, err = drive(ctx, &opt, paced, true)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	rep.Lag = TwinLag{Speed: opt.Speed, Messages: d.messages, MessagesPerSecond: perSecond(float64(d.messages), d.wall.Seconds()),
		P50Ms: d.lag(0.50), P99Ms: d.lag(0.99), MaxMs: d.lag(1), Rebirths: d.rebirths}
	rep.Memory.Peak = peakMemory()
	return rep, nil
}

// unpaced returns steps of step until d of simulated time; drive takes
// each once the one before is done, so the line runs as fast as the host
// takes its messages. The channel closes after the last.
func unpaced(d, step sim.Time) func(ctx context.Context) <-chan edge.Step {
	return func(ctx context.Context) <-chan edge.Step {
		steps := make(chan edge.Step)
		go func() {
			defer close(steps)
			for t := sim.Time(0); t < d; t += step {
				select {
				case steps <- edge.Step{Span: min(step, d-t)}:
				case <-ctx.Done():
					return
				}
			}
		}()
		return steps
	}
}

// drive runs opt's line through edge nodes into a fresh twin host, one
// step of the line per step of steps (called with the run's context), one
// at a time, until the steps end or ctx does, and measures the host: with lags, how
// long each data message (not the births of the start) took from its
// publication to the end of its Receive.
func drive(ctx context.Context, opt *TwinOptions, steps func(context.Context) <-chan edge.Step, lags bool) (*driven, error) {
	spec := *opt.Spec
	spec.Lines = opt.Lines
	line, err := twin.NewLine(&spec, spec.Run.Seed, nil)
	if err != nil {
		return nil, err
	}
	h, err := twinwire.New(twinwire.Config{
		Mirror: mirror.Config{HostID: "bench", Limits: host.Config{MaxNodes: max(opt.Lines, host.DefaultMaxNodes)}},
		Model:  mirror.Model{Spec: &spec, Prefix: spec.Name},
	})
	if err != nil {
		return nil, err
	}
	r, err := edge.NewRunner(line, edge.RunnerConfig{Group: "bench", Prefix: spec.Name})
	if err != nil {
		return nil, err
	}
	c := newConsumer(h.Mirror, r, lags)
	start := time.Now()
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	relayed, ran := make(chan edge.Step), make(chan struct{})
	go func() {
		defer close(ran)
		r.Run(rctx, relayed)
	}()
	for k := range r.Nodes() { // queued, so before the first step
		if _, err := r.Will(k); err != nil {
			return nil, err
		}
		r.Accepted(k)
		r.Connected(k, c)
	}
	go func() {
		// One step at a time, the runner stopped once the last is done: a
		// publication cut short would be a sequence gap.
		defer stop()
		for st := range steps(rctx) {
			done := make(chan struct{})
			select {
			case relayed <- edge.Step{Span: st.Span, Done: done}:
			case <-rctx.Done():
				return
			}
			select {
			case <-done:
			case <-rctx.Done():
				return
			}
			if st.Done != nil {
				close(st.Done)
			}
		}
	}()
	<-ran
	d := c.close()
	d.wall = time.Since(start)
	d.mirrorBytes = h.Mirror.View().Size.Bytes
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	d.heapInUse = ms.HeapInuse
	runtime.KeepAlive(h)
	return d, nil
}
