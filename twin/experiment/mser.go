package experiment

import (
	"errors"
	"fmt"
	"math"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// MSERBatch is the number of observations MSER-5 averages into one batch.
const MSERBatch = 5

// MSER5 chooses how much of the start of an output series to discard as
// warm-up, by the MSER-5 rule (White 1997; Franklin and White): it averages
// xs into k = len(xs)/5 batches of 5 consecutive observations (a remainder
// of fewer than 5 at the end is left out), and for each truncation of j
// batches, 0 <= j <= k/2, computes the statistic
//
//	MSER(j) = sum over the kept batches of (Z_i - mean of the kept)^2 / (k - j)^2,
//
// the squared standard error of the kept mean, up to a constant. It returns
// d = 5 j* observations to discard, where j* minimises MSER (the smallest
// such j on ties), and MSER(j*). Only the first half is searched because the
// statistic is unreliable when few batches remain; a minimum at j = k/2
// suggests the series is too short to show its steady state.
//
// With fewer than two batches (len(xs) < 10) it returns 0, NaN. xs must be
// finite.
func MSER5(xs []float64) (d int, stat float64) {
	j, stat := mserBatches(xs)
	return j * MSERBatch, stat
}

// mserBatches is MSER5 with the truncation counted in batches.
func mserBatches(xs []float64) (int, float64) {
	k := len(xs) / MSERBatch
	if k < 2 {
		return 0, math.NaN()
	}
	z := make([]float64, k)
	for i := range z {
		var sum float64
		for _, x := range xs[i*MSERBatch : (i+1)*MSERBatch] {
			sum += x
		}
		z[i] = sum / MSERBatch
	}
	// Add the batches from the last one back (Welford), so that after
	// adding z[j] the accumulators describe the batches kept when j are
	// discarded.
	best, bestStat := 0, math.Inf(1)
	var mean, m2 float64
	for j := k - 1; j >= 0; j-- {
		m := float64(k - j)
		delta := z[j] - mean
		mean += delta / m
		m2 += delta * (z[j] - mean)
		if j > k/2 {
			continue
		}
		if s := m2 / (m * m); s <= bestStat {
			best, bestStat = j, s
		}
	}
	return best, bestStat
}

// MeanGoodPerHour returns the across-replication mean of the good output
// rate (units per hour) per bucket of runs' series: the series MSER-5 is
// applied to. Runs without a series are skipped; the series must share
// their bucket width and end (they do when the runs share their options).
// It returns nil when no run has a series.
func MeanGoodPerHour(runs []twin.Result) []float64 {
	var mean []float64
	n := 0
	for i := range runs {
		s := runs[i].Series
		if s == nil || s.Len() == 0 {
			continue
		}
		rate := s.GoodPerHour()
		if mean == nil {
			mean = make([]float64, len(rate))
		}
		n++
		for j := range min(len(mean), len(rate)) {
			mean[j] += (rate[j] - mean[j]) / float64(n)
		}
	}
	return mean
}

// WarmupEstimate is the warm-up MSER-5 chose from pilot runs: what
// `lightsout batch --warmup auto` reports under "warmup_auto".
type WarmupEstimate struct {
	// Pilots is the number of pilot replications run without warm-up;
	// PilotSeed their base seed (PilotSeed(seed), distinct from the
	// batch's own replications).
	Pilots    int    `json:"pilots"`
	PilotSeed uint64 `json:"pilot_seed,string"`
	// BucketS is the width of a series bucket, in seconds: MSER-5 sees
	// the pilots' mean good output per bucket, five buckets per batch.
	BucketS float64 `json:"bucket_s"`
	// Batches is the number of batches of five buckets in the series, and
	// MSERBatches the number MSER-5 truncated: the warm-up is
	// MSERBatches x 5 x BucketS.
	Batches     int `json:"batches"`
	MSERBatches int `json:"mser_batches"`
	// Warmup is the chosen warm-up, and WarmupS the same in seconds.
	Warmup  sim.Time `json:"-"`
	WarmupS float64  `json:"warmup_s"`
	// Stat is the minimal MSER statistic, in (good units/h)^2.
	Stat float64 `json:"mser_stat"`
	// AtLimit is true when the minimum fell at the end of the searched half
	// of the series: the runs are likely too short to reach steady state,
	// and a longer --duration is advised.
	AtLimit bool `json:"at_limit"`
}

// DefaultPilots is the number of pilot replications DetectWarmup runs when
// asked for 0, and MaxPilots the most it runs.
const (
	DefaultPilots = 5
	MaxPilots     = 1000
)

// PilotSeed returns the base seed of the pilot runs of a batch with base
// seed seed: an independent stream, so that the replications that choose
// the warm-up are not the ones measured with it.
func PilotSeed(seed uint64) uint64 { return sim.StreamSeed(seed, "pilot") }

// DetectWarmup chooses a warm-up for the line in spec by MSER-5: it runs
// pilots replications (DefaultPilots when 0) of opt.Duration with no
// warm-up and base seed PilotSeed(opt.Seed), averages their good output
// per series bucket across replications, and truncates that series by
// MSER5. opt.Warmup, opt.Replications and opt.Trace are ignored; the
// other fields apply as in Batch (Progress goes from 0 to 1 over the
// pilots). The result depends only on (spec, opt.Duration,
// opt.SeriesBucket, opt.Seed, pilots), never on the worker count.
func DetectWarmup(spec *twin.Spec, opt BatchOptions, pilots int) (*WarmupEstimate, error) {
	if pilots == 0 {
		pilots = DefaultPilots
	}
	if pilots < 1 || pilots > MaxPilots {
		return nil, fmt.Errorf("experiment.DetectWarmup: %d pilot replications: want 1 to %d", pilots, MaxPilots)
	}
	if opt.SeriesBucket < 0 {
		return nil, fmt.Errorf("experiment.DetectWarmup: series bucket %v: the pilots need a series", opt.SeriesBucket)
	}
	log := opt.Log
	if log == nil {
		log = zap.NewNop()
	}
	p := opt
	p.Warmup, p.Replications, p.Trace = 0, pilots, nil
	p.Seed = PilotSeed(opt.Seed)
	p.Log = log.With(zap.String("phase", "warm-up pilots"))
	start := time.Now()
	rep, err := Batch(spec, p)
	if err != nil {
		return nil, fmt.Errorf("warm-up pilots: %w", err)
	}
	if rep.Runs[0].Series == nil {
		return nil, errors.New("warm-up pilots: twin.Run recorded no series")
	}
	bucket := rep.Runs[0].Series.Bucket // the pilots share their options
	mean := MeanGoodPerHour(rep.Runs)
	j, stat := mserBatches(mean)
	k := len(mean) / MSERBatch
	w := &WarmupEstimate{
		Pilots:      pilots,
		PilotSeed:   p.Seed,
		BucketS:     bucket.Seconds(),
		Batches:     k,
		MSERBatches: j,
		Warmup:      sim.Time(j*MSERBatch) * bucket,
		Stat:        finite(stat),
		AtLimit:     k >= 2 && j == k/2,
	}
	w.WarmupS = w.Warmup.Seconds()
	log.Info("warm-up chosen by MSER-5",
		zap.Int("pilots", pilots),
		zap.Stringer("bucket", bucket),
		zap.Int("batches", k),
		zap.Int("mser_batches", j),
		zap.Float64("warmup_s", w.Warmup.Seconds()),
		zap.Bool("at_limit", w.AtLimit),
		zap.Float64("wall_s", time.Since(start).Seconds()))
	if k < 2 {
		log.Warn("series too short for MSER-5 (fewer than 10 buckets): warm-up 0")
	}
	if w.AtLimit {
		log.Warn("MSER-5 truncated half the run: the runs are likely too short to reach steady state; try a longer --duration")
	}
	return w, nil
}
