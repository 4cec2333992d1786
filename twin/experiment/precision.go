package experiment

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin"
)

// Defaults of PrecisionOptions.
const (
	// DefaultPrecisionRound is the number of replications added per round.
	DefaultPrecisionRound = 10
	// DefaultMaxReplications caps the replications of a precision run.
	DefaultMaxReplications = 200
)

// PrecisionOptions control a batch that adds replications until the good
// output's confidence interval is narrow enough (BatchToPrecision).
type PrecisionOptions struct {
	// BatchOptions are those of the batch; Replications is the size of the
	// first round (0 means Round; at least 2 are always run first, so that
	// there is an interval to judge).
	BatchOptions
	// Target is the largest acceptable 95% half-width of the good output
	// per hour: in good units per hour, or, when Relative, as a fraction of
	// the mean (0.01: within 1% of the mean). It must be positive.
	Target   float64
	Relative bool
	// Round is the number of replications added per round after the first
	// (0: DefaultPrecisionRound).
	Round int
	// MaxReplications caps the total (0: DefaultMaxReplications).
	MaxReplications int
}

// Precision reports how a precision run ended: what `lightsout batch
// --precision` adds to the report under "precision".
type Precision struct {
	// Target and Relative are as asked (see PrecisionOptions).
	Target   float64 `json:"target"`
	Relative bool    `json:"relative"`
	// HalfWidthPerHour is the final 95% half-width of good units per hour,
	// and RelativeHalfWidth the same over the mean (0 when the mean is 0).
	HalfWidthPerHour  float64 `json:"half_width_per_hour"`
	RelativeHalfWidth float64 `json:"relative_half_width"`
	// Met tells whether the target was reached within MaxReplications.
	Met bool `json:"met"`
	// Rounds is the number of rounds run, FirstRound and RoundSize their
	// sizes, MaxReplications the cap.
	Rounds          int `json:"rounds"`
	FirstRound      int `json:"first_round"`
	RoundSize       int `json:"round_size"`
	MaxReplications int `json:"max_replications"`
}

// BatchToPrecision runs replications of the line in spec in rounds until
// the 95% confidence half-width of the good output per hour is at most the
// target, or MaxReplications have run. The first round has
// opt.Replications runs (at least 2), each further round opt.Round runs
// (the last one cut at MaxReplications). The rule is checked only between
// rounds and replication i always has seed
// twin.ReplicationSeed(opt.Seed, i), so the number of replications and the
// report depend only on the spec and options, never on the worker count.
//
// The report is that of Batch over all the replications run, with its
// Precision field set. Not meeting the target is not an error: Met is
// false and a warning is logged. Progress goes to 1 as MaxReplications
// would, and ends at 1.
func BatchToPrecision(spec *twin.Spec, opt PrecisionOptions) (*Report, error) {
	const fn = "experiment.BatchToPrecision"
	if err := checkBatch(fn, spec, opt.BatchOptions); err != nil {
		return nil, err
	}
	round := opt.Round
	if round == 0 {
		round = DefaultPrecisionRound
	}
	maxReps := opt.MaxReplications
	if maxReps == 0 {
		maxReps = DefaultMaxReplications
	}
	first := opt.Replications
	if first == 0 {
		first = round
	}
	first = max(first, 2)
	switch {
	case !(opt.Target > 0) || math.IsInf(opt.Target, 0):
		return nil, fmt.Errorf("%s: target %v: must be a positive number", fn, opt.Target)
	case round < 1:
		return nil, fmt.Errorf("%s: round of %d replications: need at least 1", fn, round)
	case opt.Replications < 0:
		return nil, fmt.Errorf("%s: first round of %d replications: must not be negative", fn, opt.Replications)
	case maxReps < 2:
		return nil, fmt.Errorf("%s: at most %d replications: need at least 2 for a confidence interval", fn, maxReps)
	case maxReps > twin.MaxReplications:
		return nil, fmt.Errorf("%s: at most %d replications: the limit is %d", fn, maxReps, twin.MaxReplications)
	}
	first = min(first, maxReps)
	log := opt.Log
	if log == nil {
		log = zap.NewNop()
	}
	workers := opt.workers()
	log.Info("precision batch start",
		zap.String("config", opt.Config),
		zap.Float64("target", opt.Target),
		zap.Bool("relative", opt.Relative),
		zap.Int("first_round", first),
		zap.Int("round", round),
		zap.Int("max_replications", maxReps),
		zap.Int("workers", workers),
		zap.Float64("duration_s", opt.Duration.Seconds()),
		zap.Float64("warmup_s", opt.Warmup.Seconds()),
		zap.Uint64("seed", opt.Seed))

	start := time.Now()
	prog := newProgress(opt.Progress, maxReps, opt.Duration)
	var (
		results []twin.Result
		good    Stat
		p       = Precision{Target: opt.Target, Relative: opt.Relative, FirstRound: first, RoundSize: round, MaxReplications: maxReps}
	)
	for n := 0; n < maxReps && !p.Met; {
		next := min(n+round, maxReps)
		if n == 0 {
			next = first
		}
		rs, err := runReplications(spec, opt.BatchOptions, n, next, workers, log, prog)
		if err != nil {
			return nil, err
		}
		results = append(results, rs...)
		for i := range rs {
			good.Add(rs[i].GoodPerHour)
		}
		n = next
		p.Rounds++
		p.HalfWidthPerHour = finite(good.CI95())
		if mean := math.Abs(good.Mean()); mean != 0 {
			p.RelativeHalfWidth = finite(p.HalfWidthPerHour / mean)
		}
		p.Met = p.HalfWidthPerHour <= precisionLimit(opt.Target, opt.Relative, good.Mean())
		log.Info("precision round",
			zap.Int("round", p.Rounds),
			zap.Int("replications", n),
			zap.Float64("good_per_hour", good.Mean()),
			zap.Float64("half_width_per_hour", p.HalfWidthPerHour),
			zap.Bool("met", p.Met))
	}
	if opt.Progress != nil {
		opt.Progress(1)
	}

	rep := newTimedReport(spec, opt.BatchOptions, results, start)
	rep.Precision = &p
	if !p.Met {
		log.Warn("precision target not met within the replication cap",
			zap.Int("replications", len(results)),
			zap.Float64("half_width_per_hour", p.HalfWidthPerHour),
			zap.Float64("target", opt.Target),
			zap.Bool("relative", opt.Relative))
	}
	log.Info("precision batch done",
		zap.Int("replications", len(results)),
		zap.Bool("met", p.Met),
		zap.Uint64("events", rep.Events),
		zap.Float64("wall_s", rep.WallSeconds))
	return rep, nil
}

// precisionLimit returns the half-width allowed, in good units per hour.
func precisionLimit(target float64, relative bool, mean float64) float64 {
	if relative {
		return target * math.Abs(mean)
	}
	return target
}

// ParsePrecision reads a precision target as `lightsout batch --precision`
// takes it: "5/h" is a half-width in good units per hour, "1%" or "0.01" a
// share of the mean (relative). The target must be positive and a share
// below 1. The error quotes s and says what to write instead.
func ParsePrecision(s string) (target float64, relative bool, err error) {
	bad := func(why string) (float64, bool, error) {
		return 0, false, fmt.Errorf("%q: %s; write a share of the mean (0.01 or 1%%) or good units per hour (5/h)", s, why)
	}
	text, scale, relative := strings.TrimSpace(s), 1.0, true
	switch {
	case strings.HasSuffix(text, "/h"):
		text, relative = strings.TrimSuffix(text, "/h"), false
	case strings.HasSuffix(text, "%"):
		text, scale = strings.TrimSuffix(text, "%"), 0.01
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	switch {
	case err != nil:
		return bad("not a number")
	case !(x > 0) || math.IsInf(x, 0):
		return bad("must be positive")
	case relative && x*scale >= 1:
		return bad("a share of the mean must be below 1 (100%)")
	}
	return x * scale, relative, nil
}
