package experiment

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin"
)

// KPIs are the main figures of one run (see twin.Result for their meaning).
// The last five are the upkeep KPIs, written out only for a sweep whose
// line has wear or a crew (Plan.Upkeep); they are 0 for a run without them.
type KPIs struct {
	ThroughputPerHour float64 `json:"throughput_per_hour"`
	GoodPerHour       float64 `json:"good_per_hour"`
	OEE               float64 `json:"oee"`
	Yield             float64 `json:"yield"`
	MeanWIP           float64 `json:"mean_wip"`
	MeanFlowTimeS     float64 `json:"mean_flow_time_s"`

	// UnplannedDownH is the server-hours down unplanned (failures,
	// wear-outs, waiting for the crew to repair); MaintenanceActions and
	// WearOuts count the maintenances and the servers worn out (see
	// twin.UpkeepResult).
	UnplannedDownH     float64 `json:"unplanned_down_h"`
	MaintenanceActions float64 `json:"maintenance_actions"`
	WearOuts           float64 `json:"wear_outs"`
	// CrewUtilization is the crew's share of time on a job (0 without a
	// crew); AutopilotActions the actions the autopilot applied (0 without
	// one).
	CrewUtilization  float64 `json:"crew_utilization"`
	AutopilotActions float64 `json:"autopilot_actions"`
}

// numKPIs is the number of fields of KPIs; the first numLineKPIs are
// written for every sweep, the others only for a sweep with upkeep.
const (
	numKPIs     = 11
	numLineKPIs = 6
)

// kpiNames returns the KPIs' column names, in the order of KPIs.values.
func kpiNames() [numKPIs]string {
	return [...]string{"throughput_per_hour", "good_per_hour", "oee", "yield", "mean_wip", "mean_flow_time_s",
		"unplanned_down_h", "maintenance_actions", "wear_outs", "crew_utilization", "autopilot_actions"}
}

// kpiCount returns the number of KPIs a sweep writes: all of them with
// upkeep, else the line KPIs only.
func kpiCount(upkeep bool) int {
	if upkeep {
		return numKPIs
	}
	return numLineKPIs
}

// values returns the KPIs in the order of kpiNames.
func (k *KPIs) values() [numKPIs]*float64 {
	return [...]*float64{&k.ThroughputPerHour, &k.GoodPerHour, &k.OEE, &k.Yield, &k.MeanWIP, &k.MeanFlowTimeS,
		&k.UnplannedDownH, &k.MaintenanceActions, &k.WearOuts, &k.CrewUtilization, &k.AutopilotActions}
}

// kpisOf returns the KPIs of a run's result.
func kpisOf(res *twin.Result) KPIs {
	k := KPIs{ThroughputPerHour: res.ThroughputPerHour, GoodPerHour: res.GoodPerHour, OEE: res.OEE,
		Yield: res.Yield, MeanWIP: res.MeanWIP, MeanFlowTimeS: res.MeanFlowTimeS}
	if u := res.Upkeep; u != nil {
		k.UnplannedDownH = u.UnplannedDownH
		k.MaintenanceActions = float64(u.MaintenanceActions)
		k.WearOuts = float64(u.WearOuts)
		if u.Crew != nil {
			k.CrewUtilization = u.Crew.Utilization
		}
	}
	if a := res.Autopilot; a != nil {
		k.AutopilotActions = float64(a.Applied)
	}
	return k
}

// RunResult is one row of runs.csv: one replication of one point. Point
// and Replication count from 0 here; runs.csv numbers them from 1.
type RunResult struct {
	Point       int
	Replication int
	Seed        uint64
	KPIs
	// Bottleneck is the station active for the largest share of time.
	Bottleneck string
}

// Options control Execute.
type Options struct {
	// Shard selects the points to run; the zero Shard runs them all.
	Shard Shard
	// Workers is the number of runs at once; 0 means runtime.GOMAXPROCS(0).
	// It never changes the results.
	Workers int
	// Progress, when not nil, is called now and then with the share of the
	// shard's simulated time done, in [0, 1], never decreasing. Calls never
	// overlap and must not block for long.
	Progress func(fraction float64)
	// Log receives one line at the start and one at the end; nil means none.
	Log *zap.Logger
}

// Timing is how long Execute took: for logs and timing.json only, never
// for the result files (it differs between two runs of the same plan).
type Timing struct {
	WallSeconds     float64 `json:"wall_s"`
	Events          uint64  `json:"events"`
	EventsPerSecond float64 `json:"events_per_second"`
	Runs            int     `json:"runs"`
	Workers         int     `json:"workers"`
}

// Execute runs every replication of the points opt.Shard owns, on
// opt.Workers goroutines, and returns one RunResult per run ordered by
// point and replication, whatever the worker count. Replication i of every
// point runs with seed twin.ReplicationSeed(plan.Seed, i) (common random
// numbers).
//
// When ctx is cancelled no further run starts and Execute returns ctx's
// error once the runs under way end. If a run fails, Execute starts no
// further run and returns the error of the first failed run in order.
func Execute(ctx context.Context, plan *Plan, opt Options) ([]RunResult, Timing, error) {
	if err := plan.Validate(); err != nil {
		return nil, Timing{}, err
	}
	log := opt.Log
	if log == nil {
		log = zap.NewNop()
	}
	type job struct{ point, rep int }
	var jobs []job
	for _, p := range opt.Shard.Points(len(plan.Points)) {
		if plan.Points[p].Spec == nil {
			return nil, Timing{}, fmt.Errorf("experiment: point %d (%s) has no spec", p+1, plan.Points[p].Name)
		}
		for r := range plan.Replications {
			jobs = append(jobs, job{p, r})
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(jobs)))
	log.Info("sweep start", zap.String("sweep", plan.Sweep), zap.Stringer("shard", opt.Shard),
		zap.Int("runs", len(jobs)), zap.Int("workers", workers))

	results := make([]RunResult, len(jobs))
	events := make([]uint64, len(jobs))
	prog := newProgress(opt.Progress, len(jobs), plan.Duration)

	start := time.Now()
	err := runPool(ctx, len(jobs), workers, func(slot int) error {
		j := jobs[slot]
		ropt := twin.Options{Duration: plan.Duration, Warmup: plan.Warmup, Seed: uint64(plan.Seed), Progress: prog.reporter(slot)}
		res, err := runReplication(plan.Points[j.point].Spec, ropt, j.rep)
		if err != nil {
			return fmt.Errorf("point %d (%s), replication %d: %w", j.point+1, plan.Points[j.point].Name, j.rep+1, err)
		}
		prog.finish(slot)
		events[slot] = res.Events
		results[slot] = RunResult{Point: j.point, Replication: j.rep, Seed: res.Seed,
			KPIs: kpisOf(res), Bottleneck: res.Bottleneck}
		return nil
	})
	if err != nil {
		return nil, Timing{}, err
	}
	t := Timing{WallSeconds: time.Since(start).Seconds(), Runs: len(jobs), Workers: workers}
	for _, e := range events {
		t.Events += e
	}
	if t.WallSeconds > 0 {
		t.EventsPerSecond = float64(t.Events) / t.WallSeconds
	}
	log.Info("sweep done", zap.Int("runs", t.Runs), zap.Float64("wall_s", t.WallSeconds),
		zap.Float64("events_per_second", t.EventsPerSecond))
	return results, t, nil
}
