package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// benchFlags are the flags of "lightsout bench".
type benchFlags struct {
	quick, json  bool
	config       string
	duration     durationFlag // factory run; default a year, or a week with --quick
	repDuration  durationFlag // each run of the scaling measurement
	replications int
	kernelEvents int
}

// Default budgets of the measurements: full and --quick.
const (
	benchKernelEvents      = 20_000_000
	benchKernelEventsQuick = 2_000_000
	benchKernelPending     = 1000
	benchReplications      = 4
	benchFactoryQuick      = 7 * sim.Day
	benchRepDuration       = 7 * sim.Day
	benchRepDurationQuick  = sim.Day
)

// newBenchCmd builds "lightsout bench": the standard speed measurements.
func newBenchCmd(a *app) *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the simulator's speed on this machine",
		Long: `bench runs the standard speed measurements in-process, one after the other,
and prints them with the machine they ran on:

  kernel        events per second of the bare event kernel: the hold model
                with 1,000 pending events and precomputed exponential delays
  factory       one run of the default factory (phone-factory): events and
                phones simulated per second of wall time, and the wall time
                per simulated year
  memory        the process's peak resident memory after the factory run
                (VmHWM on Linux; elsewhere the Go runtime's total, which is
                not a true peak)
  replications  the speed-up of a batch of 4 replications on 2 workers
                over the same batch on 1, and the cores the 2-worker batch
                kept busy (on Linux): well under 2 means another process held
                a core and the speed-up says little

Without --quick the factory run is a whole simulated year (about half a
minute); with --quick it is 7 simulated days and the figure per year is
extrapolated (and labelled so). The machine must be otherwise idle for the
figures to mean much; run it several times and take the median.

Examples:
  lightsout bench
  lightsout bench --quick --json`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			return runBench(cmd.Context(), a, &f)
		}),
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.quick, "quick", false, "short runs (a few seconds): the year figure is extrapolated from 7 days")
	fl.BoolVar(&f.json, "json", false, "print the figures as one JSON document")
	fl.StringVar(&f.config, "config", configs.Default, "config file, or the name of an embedded config, for the factory and replication runs")
	fl.Var(&f.duration, "duration", "simulated length of the factory run (default 365d, or 7d with --quick)")
	fl.Var(&f.repDuration, "replication-duration", "simulated length of each run of the scaling measurement (default 7d, or 1d with --quick)")
	fl.IntVar(&f.replications, "replications", benchReplications, "replications in the scaling measurement, at least 2")
	fl.IntVar(&f.kernelEvents, "kernel-events", 0, "events of the kernel measurement (default 20,000,000, or 2,000,000 with --quick)")
	return cmd
}

// benchReport is what bench measured. Its JSON form is what --json prints.
type benchReport struct {
	Quick        bool             `json:"quick"`
	Machine      benchMachine     `json:"machine"`
	Kernel       benchKernel      `json:"kernel"`
	Factory      benchFactory     `json:"factory"`
	PeakMemory   benchMemory      `json:"peak_memory"`
	Replications benchReplication `json:"replications"`
}

// benchMachine describes where the figures were measured.
type benchMachine struct {
	CPU        string `json:"cpu"`
	Cores      int    `json:"cores"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Go         string `json:"go"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
}

// benchKernel is the kernel's hold-model measurement.
type benchKernel struct {
	Pending         int     `json:"pending"`
	Events          uint64  `json:"events"`
	WallSeconds     float64 `json:"wall_s"`
	EventsPerSecond float64 `json:"events_per_second"`
}

// benchFactory is the factory run's measurement.
type benchFactory struct {
	Config          string  `json:"config"`
	SimulatedS      float64 `json:"simulated_s"`
	Events          uint64  `json:"events"`
	Shipped         int64   `json:"shipped"`
	WallSeconds     float64 `json:"wall_s"`
	EventsPerSecond float64 `json:"events_per_second"`
	PhonesPerSecond float64 `json:"phones_per_second"`
	// WallSPerSimYear is the wall time one simulated year takes; when
	// Extrapolated, it is scaled from a shorter run.
	WallSPerSimYear float64 `json:"wall_s_per_sim_year"`
	Extrapolated    bool    `json:"extrapolated"`
}

// benchMemory is the process's peak memory and where the figure comes from.
type benchMemory struct {
	Bytes  uint64 `json:"bytes"`
	Source string `json:"source"`
}

// benchReplication is the 1- versus 2-worker scaling measurement. Busy2
// is the process's CPU time over the wall time of the 2-worker batch: the
// cores it kept busy (0 where /proc/self/stat cannot be read). Well under 2
// means another process held a core, and the speed-up says little.
type benchReplication struct {
	Replications int     `json:"replications"`
	SimulatedS   float64 `json:"simulated_s"`
	Wall1        float64 `json:"wall_s_1_worker"`
	Wall2        float64 `json:"wall_s_2_workers"`
	Speedup      float64 `json:"speedup"`
	Busy2        float64 `json:"cores_busy_2_workers"`
}

// runBench checks the flags, runs every measurement and prints the report.
func runBench(ctx context.Context, a *app, f *benchFlags) error {
	spec, err := configs.Resolve(f.config)
	if err != nil {
		return configProblem(err)
	}
	factory, reps, kernelEvents := sim.Year, benchRepDuration, benchKernelEvents
	if f.quick {
		factory, reps, kernelEvents = benchFactoryQuick, benchRepDurationQuick, benchKernelEventsQuick
	}
	if f.duration.set {
		factory = f.duration.t
	}
	if f.repDuration.set {
		reps = f.repDuration.t
	}
	if f.kernelEvents != 0 {
		kernelEvents = f.kernelEvents
	}
	var problems []string
	if factory <= 0 {
		problems = append(problems, fmt.Sprintf("--duration %s: must be positive", formatSpan(factory)))
	}
	if reps <= 0 {
		problems = append(problems, fmt.Sprintf("--replication-duration %s: must be positive", formatSpan(reps)))
	}
	if f.replications < 2 {
		problems = append(problems, fmt.Sprintf("--replications %d: need at least 2 to compare 1 and 2 workers", f.replications))
	}
	if kernelEvents < 0 {
		problems = append(problems, fmt.Sprintf("--kernel-events %d: must be positive", kernelEvents))
	}
	if len(problems) > 0 {
		return badInputs(problems)
	}

	rep := benchReport{Quick: f.quick, Machine: machineInfo()}
	a.log.Info("bench: kernel")
	rep.Kernel = benchKernelRun(kernelEvents)
	if err := ctx.Err(); err != nil {
		return err
	}
	a.log.Info("bench: factory", zap.String("duration", formatSpan(factory)))
	if rep.Factory, err = benchFactoryRun(spec, f.config, factory); err != nil {
		return err
	}
	rep.PeakMemory = peakMemory()
	if err := ctx.Err(); err != nil {
		return err
	}
	a.log.Info("bench: replications on 1 and 2 workers")
	if rep.Replications, err = benchScaling(spec, reps, f.replications); err != nil {
		return err
	}
	bw := bufio.NewWriter(a.stdout)
	if f.json {
		enc := json.NewEncoder(bw)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := writeBenchText(bw, &rep); err != nil {
		return err
	}
	return bw.Flush()
}

// benchHolder is the hold model's handler: every event schedules the next
// one after a delay taken in turn from a table drawn once, so the
// measurement is of the kernel, not of the random numbers.
type benchHolder struct {
	delays []sim.Time // length a power of two
	i      int
}

// Handle schedules the next event of the hold model.
func (h *benchHolder) Handle(e *sim.Engine, _ int64) {
	e.Schedule(h.delays[h.i&(len(h.delays)-1)], h, 0)
	h.i++
}

// benchKernelRun runs the hold model for n events.
func benchKernelRun(n int) benchKernel {
	d := sim.ExpDist(sim.Second)
	rng := sim.NewStream(1, "bench")
	h := &benchHolder{delays: make([]sim.Time, 1<<16)}
	for i := range h.delays {
		h.delays[i] = d.Sample(rng)
	}
	e := sim.NewEngine(benchKernelPending)
	for range benchKernelPending {
		h.Handle(e, 0)
	}
	start := time.Now()
	for range n {
		e.Step()
	}
	wall := time.Since(start).Seconds()
	return benchKernel{Pending: benchKernelPending, Events: uint64(n), WallSeconds: wall, EventsPerSecond: perSecond(float64(n), wall)}
}

// benchFactoryRun runs the line once for d of simulated time, with the
// config's warm-up when it is shorter than d.
func benchFactoryRun(spec *twin.Spec, config string, d sim.Time) (benchFactory, error) {
	opt := twin.Options{Duration: d, Seed: spec.Run.Seed}
	if spec.Run.Warmup < d {
		opt.Warmup = spec.Run.Warmup
	}
	start := time.Now()
	r, err := twin.Run(spec, opt)
	if err != nil {
		return benchFactory{}, err
	}
	wall := time.Since(start).Seconds()
	return benchFactory{
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

// benchScaling times the same batch on 1 worker and on 2.
func benchScaling(spec *twin.Spec, d sim.Time, n int) (benchReplication, error) {
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
			return benchReplication{}, err
		}
		wall[w] = time.Since(start).Seconds()
		if cpu1, ok1 := processCPUSeconds(); ok0 && ok1 {
			cpu[w] = cpu1 - cpu0
		}
	}
	return benchReplication{
		Replications: n, SimulatedS: d.Seconds(), Wall1: wall[0], Wall2: wall[1],
		Speedup: perSecond(wall[0], wall[1]), Busy2: perSecond(cpu[1], wall[1]),
	}, nil
}

// clockTicks is the unit of the CPU times in /proc/self/stat (USER_HZ,
// 100 on every Linux architecture Go supports).
const clockTicks = 100

// processCPUSeconds returns the CPU time (user and system) the process has
// used so far, from /proc/self/stat; false where that cannot be read.
func processCPUSeconds() (float64, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads utime and stime (fields 14 and 15) from the text of
// /proc/PID/stat. The command name (field 2) is in parentheses and may hold
// spaces, so the fields are counted from the last ')'.
func parseStatCPU(stat string) (float64, bool) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseUint(f[11], 10, 64)
	s, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return float64(u+s) / clockTicks, true
}

// perSecond is x/wall, or 0 when no time was measured.
func perSecond(x, wall float64) float64 {
	if wall <= 0 {
		return 0
	}
	return x / wall
}

// machineInfo describes this machine and Go runtime.
func machineInfo() benchMachine {
	return benchMachine{
		CPU: cpuModel(), Cores: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH,
	}
}

// cpuModel returns the CPU's model name from /proc/cpuinfo, or "unknown".
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// peakMemory returns the process's peak resident set (VmHWM) on Linux;
// elsewhere, the memory the Go runtime holds from the system now.
func peakMemory() benchMemory {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		if n, ok := parseVmHWM(string(b)); ok {
			return benchMemory{Bytes: n, Source: "VmHWM"}
		}
	}
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	metrics.Read(s)
	var n uint64
	if s[0].Value.Kind() == metrics.KindUint64 {
		n = s[0].Value.Uint64()
	}
	return benchMemory{Bytes: n, Source: "go-runtime-total"}
}

// parseVmHWM finds the "VmHWM:  1234 kB" line of /proc/self/status.
func parseVmHWM(status string) (uint64, bool) {
	for _, line := range strings.Split(status, "\n") {
		v, ok := strings.CutPrefix(line, "VmHWM:")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return 0, false
		}
		return kb * 1024, true
	}
	return 0, false
}

// busy describes the cores the 2-worker batch kept busy, if known.
func busy(cores float64) string {
	if cores <= 0 {
		return ""
	}
	return fmt.Sprintf("; %s cores busy", grouped(cores, 1))
}

// writeBenchText prints the report for people.
func writeBenchText(w io.Writer, r *benchReport) error {
	m, k, f, p, s := r.Machine, r.Kernel, r.Factory, r.PeakMemory, r.Replications
	year := "measured over a whole simulated year"
	if f.Extrapolated {
		year = fmt.Sprintf("extrapolated from %s", formatSpan(sim.Seconds(f.SimulatedS)))
	}
	rows := [][2]string{
		{"machine", fmt.Sprintf("%s, %d cores, GOMAXPROCS %d, %s %s/%s", m.CPU, m.Cores, m.GOMAXPROCS, m.Go, m.OS, m.Arch)},
		{"kernel", fmt.Sprintf("%s M events/s (hold model, %s pending, %s events)",
			grouped(k.EventsPerSecond/1e6, 1), grouped(float64(k.Pending), 0), grouped(float64(k.Events), 0))},
		{"factory", fmt.Sprintf("%s M events/s, %s phones/s (%s, %s simulated, %s events)",
			grouped(f.EventsPerSecond/1e6, 2), grouped(f.PhonesPerSecond, 0), f.Config,
			formatSpan(sim.Seconds(f.SimulatedS)), grouped(float64(f.Events), 0))},
		{"year", fmt.Sprintf("%s s wall per simulated year (%s)", grouped(f.WallSPerSimYear, 1), year)},
		{"memory", fmt.Sprintf("%s MB peak (%s)", grouped(float64(p.Bytes)/1e6, 1), p.Source)},
		{"replications", fmt.Sprintf("%sx faster on 2 workers than on 1 (%d runs of %s: %s s vs %s s%s)",
			grouped(s.Speedup, 2), s.Replications, formatSpan(sim.Seconds(s.SimulatedS)),
			grouped(s.Wall1, 2), grouped(s.Wall2, 2), busy(s.Busy2))},
	}
	for _, r := range rows {
		if _, err := fmt.Fprintf(w, "%-13s %s\n", r[0], r[1]); err != nil {
			return err
		}
	}
	return nil
}
