package experiment

import (
	"fmt"
	"unsafe"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// Memory is an estimate of the most memory a batch or a sweep holds at
// once, made before anything runs: Workers runs under way, each as
// twin.Spec.RunMemory estimates it, and what is kept of every run until
// the end.
type Memory struct {
	// What is the thing estimated, for messages: "a batch", "the warm-up
	// pilots", "the sweep".
	What string
	// Run is the estimate of one run (of the largest point, in a sweep).
	Run twin.Memory
	// Workers is the number of runs at once.
	Workers int
	// Runs is the number of runs whose results are kept, and PerRun the
	// bytes kept of each.
	Runs   int
	PerRun float64
	// runsAre names the runs in messages: "replications" or "runs".
	runsAre string
}

// Total returns the estimate in bytes.
func (m Memory) Total() float64 {
	return float64(m.Workers)*m.Run.Total() + float64(m.Runs)*m.PerRun
}

// keptPerRun is what the pool keeps of every run whatever it returns: its
// progress and its error.
const keptPerRun = float64(unsafe.Sizeof(int64(0)) + unsafe.Sizeof(error(nil)))

// BatchMemory estimates the memory of Batch, or of BatchToPrecision when
// replications is its MaxReplications, or of DetectWarmup when it is the
// number of pilots, for the line in spec (which must have passed
// Validate) with opt. Every replication's Result is kept, and copied into
// the report.
func BatchMemory(what string, spec *twin.Spec, opt BatchOptions, replications int) Memory {
	result := spec.ResultBytes(opt.Options)
	series := spec.ResultBytes(twin.Options{SeriesBucket: -1})
	return Memory{
		What:    what,
		runsAre: "replications",
		Run:     spec.RunMemory(opt.Options),
		Workers: max(1, min(opt.workers(), replications)),
		Runs:    replications,
		PerRun:  result + series + keptPerRun, // the result, and the report's copy without the series
	}
}

// SweepMemory estimates the memory of Execute for plan with workers runs
// at once (0: GOMAXPROCS), every point's spec having passed Validate.
func SweepMemory(plan *Plan, workers int) Memory {
	opt := BatchOptions{Options: twin.Options{Duration: plan.Duration, Warmup: plan.Warmup}, Workers: workers}
	m := Memory{What: "the sweep", runsAre: "runs", Runs: len(plan.Points) * plan.Replications,
		PerRun: float64(unsafe.Sizeof(RunResult{})+2*unsafe.Sizeof(0)+unsafe.Sizeof(uint64(0))) + keptPerRun}
	for i := range plan.Points {
		if spec := plan.Points[i].Spec; spec != nil {
			if r := spec.RunMemory(opt.Options); r.Total() > m.Run.Total() {
				m.Run = r
			}
		}
	}
	m.Workers = max(1, min(opt.workers(), m.Runs))
	return m
}

// Check returns nil when the estimate is at most budget bytes, and else an
// error that says how much would be needed and what for, in one line:
// "a batch would need about 1.2 TB of memory, more than the 8.0 GB
// allowed: most of it for 2 runs at once, each with 10,000,000 servers in
// 1,000 lines".
func (m Memory) Check(budget float64) error {
	total := m.Total()
	if total <= budget {
		return nil
	}
	return fmt.Errorf("%s would need about %s of memory, more than the %s allowed: most of it for %s",
		m.What, textfmt.Bytes(total), textfmt.Bytes(budget), m.largest())
}

// largest says what takes the largest share of the estimate.
func (m Memory) largest() string {
	w := float64(m.Workers)
	runs, each := "one run", "one run"
	if m.Workers > 1 {
		runs = textfmt.Grouped(w, 0) + " runs at once"
		each = runs + ", each"
	}
	r := m.Run
	parts := []struct {
		bytes float64
		say   string
	}{
		{w * twin.RunOverhead, runs},
		{w * r.Machines, fmt.Sprintf("%s with %s servers in %s lines", each,
			textfmt.Grouped(float64(r.Servers), 0), textfmt.Grouped(float64(r.Lines), 0))},
		{w * r.Units, fmt.Sprintf("%s with room for %s units in process (its finite buffers, machines and conveyors full)",
			each, textfmt.Grouped(float64(r.MaxUnits), 0))},
		{w * r.Series, fmt.Sprintf("%s with an output series of %s buckets", each, textfmt.Grouped(float64(r.Buckets), 0))},
		{float64(m.Runs) * m.PerRun, fmt.Sprintf("the results of %s %s", textfmt.Grouped(float64(m.Runs), 0), m.runsAre)},
	}
	best := parts[0]
	for _, p := range parts[1:] {
		if p.bytes > best.bytes {
			best = p
		}
	}
	return best.say
}
