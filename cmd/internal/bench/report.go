package bench

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// Report is what Run measured. Its JSON form is what `lightsout bench
// --json` prints.
type Report struct {
	Quick        bool    `json:"quick"`
	Machine      Machine `json:"machine"`
	Kernel       Kernel  `json:"kernel"`
	Factory      Factory `json:"factory"`
	Copies       Copies  `json:"factory_copies"`
	PeakMemory   Memory  `json:"peak_memory"`
	Ceiling      Ceiling `json:"ceiling"`
	Replications Scaling `json:"replications"`
}

// Machine describes where the figures were measured.
type Machine struct {
	CPU        string `json:"cpu"`
	Cores      int    `json:"cores"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Go         string `json:"go"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
}

// Kernel is the kernel's hold-model measurement.
type Kernel struct {
	Pending         int     `json:"pending"`
	Events          uint64  `json:"events"`
	WallSeconds     float64 `json:"wall_s"`
	EventsPerSecond float64 `json:"events_per_second"`
}

// Factory is the factory run's measurement.
type Factory struct {
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

// Copies is the factory run again with the copies of its line (lines: 2
// or more) on Workers cores at once, each on its own engine; Workers is 0,
// and nothing measured, for a line of one copy. Speedup is the factory
// run's wall time over this one's, and Busy the process's CPU time over
// this run's wall time: the cores it kept busy (0 where unknown).
type Copies struct {
	Lines           int     `json:"lines"`
	Workers         int     `json:"workers"`
	WallSeconds     float64 `json:"wall_s"`
	WallSPerSimYear float64 `json:"wall_s_per_sim_year"`
	Speedup         float64 `json:"speedup"`
	Busy            float64 `json:"cores_busy"`
}

// Ceiling compares the engine with the hand-written loop of package
// ceiling on the same line, in parts shipped per second of wall time: the
// medians over Pairs interleaved pairs of runs of SimulatedS each, and Ratio,
// the median of the pairs' engine/ceiling ratios (RatioLow and RatioHigh
// their range).
type Ceiling struct {
	Config                string  `json:"config"`
	SimulatedS            float64 `json:"simulated_s"`
	Pairs                 int     `json:"pairs"`
	EnginePartsPerSecond  float64 `json:"engine_parts_per_second"`
	CeilingPartsPerSecond float64 `json:"ceiling_parts_per_second"`
	Ratio                 float64 `json:"ratio"`
	RatioLow              float64 `json:"ratio_low"`
	RatioHigh             float64 `json:"ratio_high"`
}

// Memory is the process's peak memory and where the figure comes from:
// "VmHWM" (Linux's peak resident set) or "go-runtime-total" (the memory the
// Go runtime holds now, which is not a true peak).
type Memory struct {
	Bytes  uint64 `json:"bytes"`
	Source string `json:"source"`
}

// Scaling is the 1- versus 2-worker measurement. Busy2 is the process's
// CPU time over the wall time of the 2-worker batch: the cores it kept busy
// (0 where /proc/self/stat cannot be read). Well under 2 means another
// process held a core, and the speed-up says little.
type Scaling struct {
	Replications int     `json:"replications"`
	SimulatedS   float64 `json:"simulated_s"`
	Wall1        float64 `json:"wall_s_1_worker"`
	Wall2        float64 `json:"wall_s_2_workers"`
	Speedup      float64 `json:"speedup"`
	Busy2        float64 `json:"cores_busy_2_workers"`
}

// WriteJSON writes r as one indented JSON document.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes r for people, one labelled line per measurement.
func WriteText(w io.Writer, r *Report) error {
	m, k, f, p, c, s := r.Machine, r.Kernel, r.Factory, r.PeakMemory, r.Ceiling, r.Replications
	year := "measured over a whole simulated year"
	if f.Extrapolated {
		year = fmt.Sprintf("extrapolated from %s", textfmt.Span(sim.Seconds(f.SimulatedS)))
	}
	copies := fmt.Sprintf("not measured: %s has one line", f.Config)
	if cp := r.Copies; cp.Workers > 0 {
		copies = fmt.Sprintf("%s s wall per simulated year with its %d lines on %d cores at once (%s the speed on one core%s)",
			textfmt.Grouped(cp.WallSPerSimYear, 1), cp.Lines, cp.Workers, textfmt.Grouped(cp.Speedup, 2)+"x", busy(cp.Busy))
	}
	rows := [][2]string{
		{"machine", fmt.Sprintf("%s, %d cores, GOMAXPROCS %d, %s %s/%s", m.CPU, m.Cores, m.GOMAXPROCS, m.Go, m.OS, m.Arch)},
		{"kernel", fmt.Sprintf("%s M events/s (hold model, %s pending, %s events)",
			textfmt.Grouped(k.EventsPerSecond/1e6, 1), textfmt.Grouped(float64(k.Pending), 0), textfmt.Grouped(float64(k.Events), 0))},
		{"factory", fmt.Sprintf("%s M events/s, %s phones/s (%s, %s simulated, %s events)",
			textfmt.Grouped(f.EventsPerSecond/1e6, 2), textfmt.Grouped(f.PhonesPerSecond, 0), f.Config,
			textfmt.Span(sim.Seconds(f.SimulatedS)), textfmt.Grouped(float64(f.Events), 0))},
		{"year", fmt.Sprintf("%s s wall per simulated year on one core (%s)", textfmt.Grouped(f.WallSPerSimYear, 1), year)},
		{"year, copies", copies},
		{"memory", fmt.Sprintf("%s MB peak (%s)", textfmt.Grouped(float64(p.Bytes)/1e6, 1), p.Source)},
		{"ceiling", fmt.Sprintf("%s of a hand-written loop of %s (%s against %s parts/s, median of %d interleaved pairs of %s; pairs %s to %s)",
			textfmt.Grouped(c.Ratio, 2), c.Config, textfmt.Grouped(c.EnginePartsPerSecond, 0), textfmt.Grouped(c.CeilingPartsPerSecond, 0),
			c.Pairs, textfmt.Span(sim.Seconds(c.SimulatedS)), textfmt.Grouped(c.RatioLow, 2), textfmt.Grouped(c.RatioHigh, 2))},
		{"replications", fmt.Sprintf("%s on 2 workers than on 1 (%d runs of %s: %s s vs %s s%s)",
			speedup(s.Speedup), s.Replications, textfmt.Span(sim.Seconds(s.SimulatedS)),
			textfmt.Grouped(s.Wall1, 2), textfmt.Grouped(s.Wall2, 2), busy(s.Busy2))},
	}
	for _, r := range rows {
		if _, err := fmt.Fprintf(w, "%-13s %s\n", r[0], r[1]); err != nil {
			return err
		}
	}
	return nil
}

// busy describes the cores a run kept busy, if known.
func busy(cores float64) string {
	if cores <= 0 {
		return ""
	}
	return fmt.Sprintf("; %s cores busy", textfmt.Grouped(cores, 1))
}

// speedup words a ratio of speeds: "1.93x faster", or "0.89x as fast
// (slower)" when 2 workers were slower.
func speedup(x float64) string {
	if x < 1 {
		return textfmt.Grouped(x, 2) + "x as fast (slower)"
	}
	return textfmt.Grouped(x, 2) + "x faster"
}
