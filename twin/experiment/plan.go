package experiment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Format names the layout of the files this package writes; [Merge] refuses
// shards written in another one. Layout 2 numbers points and replications
// from 1 in runs.csv, summary.json and manifest.json (layout 1, from 0).
const Format = "lightsout-sweep/2"

// Param is the value one parameter takes at a point.
type Param struct {
	// Path is the config path varied ("stations[test].buffer").
	Path string `json:"path"`
	// Value is the value as JSON (4, 0.95, "inf", {"dwell":"3m"}).
	Value json.RawMessage `json:"value"`
}

// Text returns the value as written in runs.csv: text as it is, anything
// else as its JSON.
func (p Param) Text() string {
	var s string
	if json.Unmarshal(p.Value, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, p.Value) != nil {
		return string(p.Value)
	}
	return b.String()
}

// Float returns the value as a number, if it is one (for charts).
func (p Param) Float() (float64, bool) {
	f, err := strconv.ParseFloat(string(p.Value), 64)
	return f, err == nil
}

// Point is one scenario of a sweep.
type Point struct {
	// Index is the point's position in the plan, from 0 (manifest.json
	// writes it from 1).
	Index int `json:"index"`
	// Name identifies the point ("buffer=4").
	Name string `json:"name"`
	// Values holds the point's value of each of the plan's Params, in
	// order (the base config's value where the point does not set one;
	// null where the base has none).
	Values []Param `json:"values"`
	// Spec is the validated line the point runs; it is not written out.
	Spec *twin.Spec `json:"-"`
}

// MaxRuns is the most runs a plan may hold, points times replications:
// Execute keeps a result of each.
const MaxRuns = 1_000_000

// Plan is a sweep ready to run: its identity, run settings and points.
type Plan struct {
	// Sweep names the sweep and Base its base config, for people.
	Sweep string `json:"sweep"`
	Base  string `json:"base"`
	// SweepSHA256 identifies the sweep file with its base config; Version,
	// the lightsout build. Shards merge only if both agree.
	SweepSHA256 string `json:"sweep_sha256"`
	Version     string `json:"version"`
	// Duration and Warmup are each run's simulated length and discarded
	// start; replication i of every point uses twin.ReplicationSeed(Seed, i).
	Duration     sim.Time  `json:"duration_s"`
	Warmup       sim.Time  `json:"warmup_s"`
	Seed         twin.Seed `json:"seed"`
	Replications int       `json:"replications"`
	// Params are the paths varied, in column order.
	Params []string `json:"params"`
	// Upkeep says that the line of some point has wear or a crew
	// (twin.Spec.HasUpkeep): runs.csv and the summary then carry the
	// upkeep KPIs too. NewManifest sets it from the points' specs; it is
	// left out of manifest.json when false.
	Upkeep bool `json:"upkeep,omitempty"`
	// Points in order; the first is the base of the paired differences.
	Points []Point `json:"points"`
}

// specsHaveUpkeep reports whether the spec of some point has wear or a
// crew.
func (p *Plan) specsHaveUpkeep() bool {
	for _, pt := range p.Points {
		if pt.Spec != nil && pt.Spec.HasUpkeep() {
			return true
		}
	}
	return false
}

// Validate checks that the plan can run: points with specs, as many values
// as params, replications and times that make sense.
func (p *Plan) Validate() error {
	var errs []string
	if len(p.Points) == 0 {
		errs = append(errs, "no points")
	}
	if p.Replications < 1 || p.Replications > twin.MaxReplications {
		errs = append(errs, fmt.Sprintf("replications %d: want 1 to %d", p.Replications, twin.MaxReplications))
	} else if runs := len(p.Points) * p.Replications; runs > MaxRuns {
		errs = append(errs, fmt.Sprintf("%d points x %d replications = %d runs: at most %d", len(p.Points), p.Replications, runs, MaxRuns))
	}
	if p.Duration <= 0 || p.Warmup < 0 || p.Warmup >= p.Duration || p.Duration > sim.MaxSpan {
		errs = append(errs, fmt.Sprintf("duration %v, warmup %v: want 0 <= warmup < duration <= 100 years", p.Duration, p.Warmup))
	}
	for i, pt := range p.Points {
		if pt.Index != i {
			errs = append(errs, fmt.Sprintf("point %d has index %d", i+1, pt.Index+1))
		}
		if len(pt.Values) != len(p.Params) {
			errs = append(errs, fmt.Sprintf("point %d (%s): %d values for %d params", i+1, pt.Name, len(pt.Values), len(p.Params)))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("experiment: bad plan: %s", strings.Join(errs, "; "))
	}
	return nil
}

// Shard says which points of a plan a run covers: those whose index mod
// Count is Index. Index counts from 0 here; users see shards numbered from
// 1 (Number, String, ShardDirName, manifest.json). The zero Shard covers
// every point.
type Shard struct {
	Index, Count int
}

// Number is the shard's number as users see it, from 1.
func (s Shard) Number() int { return s.Index + 1 }

// Owns reports whether the shard runs point i.
func (s Shard) Owns(i int) bool { return s.Count <= 1 || i%s.Count == s.Index }

// Points returns the indexes of the points, out of n, that the shard runs.
func (s Shard) Points(n int) []int {
	var out []int
	for i := range n {
		if s.Owns(i) {
			out = append(out, i)
		}
	}
	return out
}

// String writes the shard as "i/N", i from 1.
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Number(), max(s.Count, 1)) }

// Environment variables that carry a shard index.
const (
	EnvJobIndex   = "JOB_COMPLETION_INDEX"   // Kubernetes Indexed Jobs
	EnvSlurmID    = "SLURM_ARRAY_TASK_ID"    // Slurm job arrays
	EnvSlurmMin   = "SLURM_ARRAY_TASK_MIN"   // the array's first id
	EnvSlurmCount = "SLURM_ARRAY_TASK_COUNT" // the number of tasks
	EnvSlurmStep  = "SLURM_ARRAY_TASK_STEP"  // the step between ids
)

// ParseShard reads a --shard flag: "i/N" (explicit, shard i of N counting
// from 1), "/N" (the index from the environment) or "auto" (index and count from the environment, Slurm
// only). getenv reads the environment (os.Getenv in production).
//
// The index in the environment is JOB_COMPLETION_INDEX (Kubernetes, from 0:
// index 0 is shard 1) or else SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN
// (Slurm, so --array=1-3 works as well as 0-2); if both are set they must
// agree. The count comes from the
// flag, or else SLURM_ARRAY_TASK_COUNT; if both are given they must agree.
// An explicit index that disagrees with the environment is an error too: it
// would run one shard twice and another never.
func ParseShard(flag string, getenv func(string) string) (Shard, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	idxText, countText, ok := strings.Cut(flag, "/")
	if flag == "auto" {
		idxText, countText, ok = "", "", true
	}
	if !ok {
		return Shard{}, fmt.Errorf("--shard %q: want i/N (shard i of N, from 1), /N or auto", flag)
	}
	envIdx, envName, err := envIndex(getenv)
	if err != nil {
		return Shard{}, err
	}
	count := 0
	if countText != "" {
		if count, err = strconv.Atoi(countText); err != nil || count < 1 {
			return Shard{}, fmt.Errorf("--shard %q: the shard count %q is not a whole number >= 1", flag, countText)
		}
	}
	if c := getenv(EnvSlurmCount); c != "" && envName == EnvSlurmID {
		n, err := strconv.Atoi(c)
		switch {
		case err != nil || n < 1:
			return Shard{}, fmt.Errorf("%s=%q is not a whole number >= 1", EnvSlurmCount, c)
		case count == 0:
			count = n
		case count != n:
			return Shard{}, fmt.Errorf("--shard %q says %d shards but %s=%d: make them agree", flag, count, EnvSlurmCount, n)
		}
	}
	if count == 0 {
		if envName == EnvJobIndex {
			return Shard{}, fmt.Errorf("--shard %q: %s gives the index but not the count: pass --shard /N with N the Job's completions", flag, EnvJobIndex)
		}
		return Shard{}, fmt.Errorf("--shard %q: no shard count: write --shard /N, or run in a Slurm array (%s)", flag, EnvSlurmCount)
	}
	idx := envIdx
	if idxText != "" {
		n, err := strconv.Atoi(idxText)
		switch {
		case err != nil || n < 0:
			return Shard{}, fmt.Errorf("--shard %q: the shard %q is not a whole number from 1 to %d", flag, idxText, count)
		case n == 0:
			return Shard{}, fmt.Errorf("--shard %q: shards count from 1: want 1 to %d", flag, count)
		}
		idx = n - 1
		if envName != "" && idx != envIdx {
			return Shard{}, fmt.Errorf("--shard %q conflicts with %s (shard %d): drop the index (--shard /%d) to take it from the environment, or unset the variable", flag, envName, envIdx+1, count)
		}
	} else if envName == "" {
		return Shard{}, fmt.Errorf("--shard %q takes the index from %s or %s, and neither is set", flag, EnvJobIndex, EnvSlurmID)
	}
	if idx >= count {
		if idxText == "" {
			return Shard{}, fmt.Errorf("%s gives shard %d (index %d) but there are %d shards", envName, idx+1, idx, count)
		}
		return Shard{}, fmt.Errorf("--shard %q: shard %d is out of range for %d shards (1-%d)", flag, idx+1, count, count)
	}
	return Shard{Index: idx, Count: count}, nil
}

// envIndex returns the shard index the environment gives and the variable
// it came from ("" if none).
func envIndex(getenv func(string) string) (int, string, error) {
	k8s, slurm := getenv(EnvJobIndex), getenv(EnvSlurmID)
	var ki, si int
	var err error
	if k8s != "" {
		if ki, err = strconv.Atoi(k8s); err != nil || ki < 0 {
			return 0, "", fmt.Errorf("%s=%q is not a whole number >= 0", EnvJobIndex, k8s)
		}
	}
	if slurm != "" {
		if si, err = strconv.Atoi(slurm); err != nil {
			return 0, "", fmt.Errorf("%s=%q is not a whole number", EnvSlurmID, slurm)
		}
		if m := getenv(EnvSlurmMin); m != "" {
			mn, err := strconv.Atoi(m)
			if err != nil {
				return 0, "", fmt.Errorf("%s=%q is not a whole number", EnvSlurmMin, m)
			}
			si -= mn
		}
		if st := getenv(EnvSlurmStep); st != "" && st != "1" {
			return 0, "", fmt.Errorf("%s=%s: use an array with step 1 (--array=0-N)", EnvSlurmStep, st)
		}
		if si < 0 {
			return 0, "", fmt.Errorf("%s=%s is below %s", EnvSlurmID, slurm, EnvSlurmMin)
		}
	}
	switch {
	case k8s != "" && slurm != "" && ki != si:
		return 0, "", fmt.Errorf("%s=%d and %s gives %d: the shard index is ambiguous; unset one", EnvJobIndex, ki, EnvSlurmID, si)
	case k8s != "":
		return ki, EnvJobIndex, nil
	case slurm != "":
		return si, EnvSlurmID, nil
	}
	return 0, "", nil
}
