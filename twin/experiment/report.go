package experiment

import (
	"math"
	"reflect"
	"slices"

	"github.com/lightsout-sim/lightsout/twin"
)

// Report summarises a batch of replications. Its JSON form is what
// `lightsout batch --json` prints, and its field names are a public contract.
//
// Every figure is a mean over replications with the half-width of its 95%
// confidence interval (an Estimate), except the header, the bottleneck and
// the per-run results. All numbers are finite: a NaN or infinity coming from
// a run is reported as 0 (and left out of the estimates). Only the timing
// fields (wall_s, events_per_second and each run's wall_s) differ between
// two batches with the same spec and options.
type Report struct {
	// Config is the display name of the configuration.
	Config string `json:"config"`
	// Seed is the base seed; replication i used
	// twin.ReplicationSeed(Seed, i).
	Seed uint64 `json:"seed,string"`
	// DurationS and WarmupS are the simulated length of each run and its
	// discarded warm-up, in seconds.
	DurationS float64 `json:"duration_s"`
	WarmupS   float64 `json:"warmup_s"`
	// WarmupAuto, set only when the warm-up was chosen by MSER-5 (see
	// DetectWarmup), tells how; WarmupS is then its result.
	WarmupAuto   *WarmupEstimate `json:"warmup_auto,omitempty"`
	Replications int             `json:"replications"`
	// Precision, set only by BatchToPrecision, tells whether the good
	// output's confidence interval reached its target.
	Precision *Precision `json:"precision,omitempty"`
	// TargetPerHour is the line's planned good output per hour (0: none).
	TargetPerHour float64 `json:"target_per_hour"`
	// Events is the number of simulation events, summed over runs.
	Events uint64 `json:"events"`
	// EventsPerSecond is Events over the batch's wall-clock time.
	EventsPerSecond float64 `json:"events_per_second"`
	// WallSeconds is the wall-clock time of the whole batch.
	WallSeconds float64 `json:"wall_s"`

	Summary LineSummary `json:"summary"`

	// Bottleneck is the station most often named bottleneck over runs (ties
	// go to the earliest station in flow order); BottleneckRuns is the number
	// of runs that named it.
	Bottleneck     string `json:"bottleneck"`
	BottleneckRuns int    `json:"bottleneck_runs"`

	// Stations in flow order, and Arms in config order.
	Stations []StationSummary `json:"stations"`
	Arms     []ArmSummary     `json:"arms"`

	// Runs holds each replication's twin.Result, by replication index.
	Runs []twin.Result `json:"runs"`
}

// LineSummary holds the line KPIs over replications; see twin.Result for
// what each one means.
type LineSummary struct {
	ThroughputPerHour Estimate `json:"throughput_per_hour"`
	GoodPerHour       Estimate `json:"good_per_hour"`
	// GoodPerYear is GoodPerHour x 8760 (a 24/7 year).
	GoodPerYear    Estimate `json:"good_per_year"`
	MeanFlowTimeS  Estimate `json:"mean_flow_time_s"`
	MeanWIP        Estimate `json:"mean_wip"`
	Started        Estimate `json:"started"`
	Shipped        Estimate `json:"shipped"`
	Good           Estimate `json:"good"`
	Scrapped       Estimate `json:"scrapped"`
	EscapedDefects Estimate `json:"escaped_defects"`
	Reworked       Estimate `json:"reworked"`
	Yield          Estimate `json:"yield"`
	FirstPassYield Estimate `json:"first_pass_yield"`
	OEE            Estimate `json:"oee"`
	Availability   Estimate `json:"availability"`
	Performance    Estimate `json:"performance"`
	Quality        Estimate `json:"quality"`
	// LittlesLawRelErr is the relative gap |L - lambda W| / L of each run.
	LittlesLawRelErr Estimate `json:"littles_law_rel_err"`
	// Upkeep holds the wear, maintenance and crew KPIs of a line with wear
	// or a crew (absent otherwise).
	Upkeep *UpkeepSummary `json:"upkeep,omitempty"`
	// Autopilot counts what the autopilot flying the line did (absent
	// without one).
	Autopilot *AutopilotSummary `json:"autopilot,omitempty"`
}

// StationSummary holds one station's KPIs over replications; see
// twin.StationResult.
type StationSummary struct {
	ID          string   `json:"id"`
	Utilization Estimate `json:"utilization"`
	Handling    Estimate `json:"handling"`
	Blocked     Estimate `json:"blocked"`
	Starved     Estimate `json:"starved"`
	Down        Estimate `json:"down"`
	Maintenance Estimate `json:"maintenance"`
	// Held is the share of time held by command (a planned stop).
	Held              Estimate `json:"held"`
	OEE               Estimate `json:"oee"`
	ThroughputPerHour Estimate `json:"throughput_per_hour"`
	Processed         Estimate `json:"processed"`
	Defects           Estimate `json:"defects"`
	Caught            Estimate `json:"caught"`
	Scrapped          Estimate `json:"scrapped"`
	Reworked          Estimate `json:"reworked"`
	Failures          Estimate `json:"failures"`
	MeanBuffer        Estimate `json:"mean_buffer"`
	// BottleneckShare is the share of time the station was the sole or a
	// shifting bottleneck (the active period method; see
	// twin.StationResult).
	BottleneckShare Estimate `json:"bottleneck_share"`
	// BottleneckRuns is the number of runs that named this station the
	// bottleneck.
	BottleneckRuns int `json:"bottleneck_runs"`
}

// ArmSummary holds one robot arm's KPIs over replications; see
// twin.ArmResult.
type ArmSummary struct {
	ID          string   `json:"id"`
	Utilization Estimate `json:"utilization"`
	Down        Estimate `json:"down"`
	Moves       Estimate `json:"moves"`
	MeanQueue   Estimate `json:"mean_queue"`
}

// HoursPerYear is the number of hours in a year of 24/7 operation.
const HoursPerYear = 8760

// newReport builds the report of a batch from the runs' results, given in
// replication order. It does not fill the timing fields (wall_s,
// events_per_second) nor TargetPerHour. It copies runs; the caller's slices
// are left untouched.
func newReport(config string, opt twin.Options, runs []twin.Result) *Report {
	rep := &Report{
		Config:       config,
		Seed:         opt.Seed,
		DurationS:    opt.Duration.Seconds(),
		WarmupS:      opt.Warmup.Seconds(),
		Replications: len(runs),
		Stations:     []StationSummary{},
		Arms:         []ArmSummary{},
		Runs:         make([]twin.Result, len(runs)),
	}
	var line batchLineStats
	var sts batchKeyed[batchStationStats]
	var arms batchKeyed[batchArmStats]
	for i := range runs {
		r := runs[i]
		r.Stations = append([]twin.StationResult(nil), r.Stations...)
		r.Arms = append([]twin.ArmResult(nil), r.Arms...)
		rep.Runs[i] = r
		rep.Events += r.Events
		line.add(&r)
		for j := range r.Stations {
			sts.get(r.Stations[j].ID).add(&r.Stations[j])
		}
		for j := range r.Arms {
			arms.get(r.Arms[j].ID).add(&r.Arms[j])
		}
	}
	rep.Summary = line.summary()
	counts := bottleneckCounts(runs)
	for i, id := range sts.ids {
		s := sts.stats[i].summary(id)
		s.BottleneckRuns = counts[id]
		rep.Stations = append(rep.Stations, s)
	}
	for i, id := range arms.ids {
		rep.Arms = append(rep.Arms, arms.stats[i].summary(id))
	}
	rep.Bottleneck, rep.BottleneckRuns = mostNamed(runs, sts.ids, counts)
	zeroNonFinite(reflect.ValueOf(rep).Elem())
	return rep
}

// bottleneckCounts returns how many runs named each station bottleneck.
func bottleneckCounts(runs []twin.Result) map[string]int {
	counts := map[string]int{}
	for i := range runs {
		if b := runs[i].Bottleneck; b != "" {
			counts[b]++
		}
	}
	return counts
}

// mostNamed returns the most often named bottleneck and its count. Ties go
// to the earliest station in order; a name that is not a station (which Run
// should never produce) ranks after the stations, in order of first
// appearance. It returns "", 0 when no run named one.
func mostNamed(runs []twin.Result, order []string, counts map[string]int) (string, int) {
	candidates := append([]string(nil), order...)
	for i := range runs {
		if b := runs[i].Bottleneck; b != "" && !slices.Contains(candidates, b) {
			candidates = append(candidates, b)
		}
	}
	best, n := "", 0
	for _, id := range candidates {
		if counts[id] > n {
			best, n = id, counts[id]
		}
	}
	return best, n
}

// batchKeyed keeps one accumulator per id, in order of first appearance.
type batchKeyed[T any] struct {
	ids   []string
	stats []*T
	index map[string]int
}

func (k *batchKeyed[T]) get(id string) *T {
	if k.index == nil {
		k.index = map[string]int{}
	}
	i, ok := k.index[id]
	if !ok {
		i = len(k.ids)
		k.index[id] = i
		k.ids = append(k.ids, id)
		k.stats = append(k.stats, new(T))
	}
	return k.stats[i]
}

type batchLineStats struct {
	thr, goodPH, goodPY, flow, wip                          Stat
	started, shipped, good, scrapped, escaped, reworked     Stat
	yield, fpy, oee, availability, performance, quality, ll Stat
	// upkeep and autopilot are nil until a run has upkeep or an autopilot.
	upkeep    *batchUpkeepStats
	autopilot *batchAutopilotStats
}

func (s *batchLineStats) add(r *twin.Result) {
	s.thr.Add(r.ThroughputPerHour)
	s.goodPH.Add(r.GoodPerHour)
	s.goodPY.Add(r.GoodPerHour * HoursPerYear)
	s.flow.Add(r.MeanFlowTimeS)
	s.wip.Add(r.MeanWIP)
	s.started.Add(float64(r.Started))
	s.shipped.Add(float64(r.Shipped))
	s.good.Add(float64(r.Good))
	s.scrapped.Add(float64(r.Scrapped))
	s.escaped.Add(float64(r.EscapedDefects))
	s.reworked.Add(float64(r.Reworked))
	s.yield.Add(r.Yield)
	s.fpy.Add(r.FirstPassYield)
	s.oee.Add(r.OEE)
	s.availability.Add(r.Availability)
	s.performance.Add(r.Performance)
	s.quality.Add(r.Quality)
	s.ll.Add(r.Little.RelErr)
	if r.Upkeep != nil {
		if s.upkeep == nil {
			s.upkeep = &batchUpkeepStats{}
		}
		s.upkeep.add(r.Upkeep)
	}
	if r.Autopilot != nil {
		if s.autopilot == nil {
			s.autopilot = &batchAutopilotStats{}
		}
		s.autopilot.add(r.Autopilot)
	}
}

func (s *batchLineStats) summary() LineSummary {
	l := LineSummary{
		ThroughputPerHour: s.thr.Estimate(),
		GoodPerHour:       s.goodPH.Estimate(),
		GoodPerYear:       s.goodPY.Estimate(),
		MeanFlowTimeS:     s.flow.Estimate(),
		MeanWIP:           s.wip.Estimate(),
		Started:           s.started.Estimate(),
		Shipped:           s.shipped.Estimate(),
		Good:              s.good.Estimate(),
		Scrapped:          s.scrapped.Estimate(),
		EscapedDefects:    s.escaped.Estimate(),
		Reworked:          s.reworked.Estimate(),
		Yield:             s.yield.Estimate(),
		FirstPassYield:    s.fpy.Estimate(),
		OEE:               s.oee.Estimate(),
		Availability:      s.availability.Estimate(),
		Performance:       s.performance.Estimate(),
		Quality:           s.quality.Estimate(),
		LittlesLawRelErr:  s.ll.Estimate(),
	}
	if s.upkeep != nil {
		l.Upkeep = s.upkeep.summary()
	}
	if s.autopilot != nil {
		l.Autopilot = s.autopilot.summary()
	}
	return l
}

type batchStationStats struct {
	util, handling, blocked, starved, down, maint, oee, thr Stat
	processed, defects, caught, scrapped, reworked, fails   Stat
	buffer, held, bottleneck                                Stat
}

func (s *batchStationStats) add(r *twin.StationResult) {
	s.util.Add(r.Utilization)
	s.handling.Add(r.Handling)
	s.blocked.Add(r.Blocked)
	s.starved.Add(r.Starved)
	s.down.Add(r.Down)
	s.maint.Add(r.Maintenance)
	s.oee.Add(r.OEE)
	s.thr.Add(r.ThroughputPerHour)
	s.processed.Add(float64(r.Processed))
	s.defects.Add(float64(r.Defects))
	s.caught.Add(float64(r.Caught))
	s.scrapped.Add(float64(r.Scrapped))
	s.reworked.Add(float64(r.Reworked))
	s.fails.Add(float64(r.Failures))
	s.buffer.Add(r.MeanBuffer)
	s.held.Add(r.Held)
	s.bottleneck.Add(r.BottleneckSole + r.BottleneckShifting)
}

func (s *batchStationStats) summary(id string) StationSummary {
	return StationSummary{
		ID:                id,
		Utilization:       s.util.Estimate(),
		Handling:          s.handling.Estimate(),
		Blocked:           s.blocked.Estimate(),
		Starved:           s.starved.Estimate(),
		Down:              s.down.Estimate(),
		Maintenance:       s.maint.Estimate(),
		OEE:               s.oee.Estimate(),
		ThroughputPerHour: s.thr.Estimate(),
		Processed:         s.processed.Estimate(),
		Defects:           s.defects.Estimate(),
		Caught:            s.caught.Estimate(),
		Scrapped:          s.scrapped.Estimate(),
		Reworked:          s.reworked.Estimate(),
		Failures:          s.fails.Estimate(),
		MeanBuffer:        s.buffer.Estimate(),
		Held:              s.held.Estimate(),
		BottleneckShare:   s.bottleneck.Estimate(),
	}
}

type batchArmStats struct {
	util, down, moves, queue Stat
}

func (s *batchArmStats) add(r *twin.ArmResult) {
	s.util.Add(r.Utilization)
	s.down.Add(r.Down)
	s.moves.Add(float64(r.Moves))
	s.queue.Add(r.MeanQueue)
}

func (s *batchArmStats) summary(id string) ArmSummary {
	return ArmSummary{
		ID:          id,
		Utilization: s.util.Estimate(),
		Down:        s.down.Estimate(),
		Moves:       s.moves.Estimate(),
		MeanQueue:   s.queue.Estimate(),
	}
}

// zeroNonFinite sets every NaN or infinite float reachable from v (through
// structs, slices, arrays and pointers) to 0, so that encoding/json never
// meets one. New fields of twin.Result are covered without change here.
func zeroNonFinite(v reflect.Value) {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); (math.IsNaN(f) || math.IsInf(f, 0)) && v.CanSet() {
			v.SetFloat(0)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			zeroNonFinite(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			zeroNonFinite(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			zeroNonFinite(v.Index(i))
		}
	}
}
