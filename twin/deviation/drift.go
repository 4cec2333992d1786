package deviation

import (
	"fmt"
	"math"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Default drift-detector parameters; see DriftConfig.
const (
	DefaultShift   = 0.20
	DefaultK       = 0.5
	DefaultH       = 14
	DefaultHoldOff = 1000
	maxBatch       = 10000
)

// DriftConfig tunes a Drift detector. The zero value means the defaults.
//
// The detector averages Batch consecutive cycle times, standardises the mean
// against the model (z = (mean - Model.Mean) / (sd / sqrt(Batch))) and runs a
// two-sided tabular CUSUM on z:
//
//	C+ = max(0, C+ + z - K)    C- = max(0, C- - z - K)
//
// raising an event when either exceeds H. K = 0.5 is optimal for a shift of
// one standard deviation of the monitored mean, so by default Batch is the
// smallest number of cycles whose mean moves by at least one of its own
// standard deviations when the cycle time changes by Shift (20%):
// Batch = ceil((sd / (Shift * mean))^2). For normal(4.2s,300ms) that is 1
// cycle; for exp(6s) it is 25.
//
// H = 14 rather than the textbook 5: with K = 0.5, Siegmund's approximation
// gives a two-sided in-control average run length (ARL) of about 470 steps
// for H = 5, which would raise a false alarm every few hundred cycles on a
// line running thousands. For H = 14 it is about 3.9 million steps, while a
// one-sd shift is still caught after about 28 steps on average (a 20% change
// of normal(4.2s,300ms), 2.8 sd, after about 6 cycles). The tests measure
// these figures.
type DriftConfig struct {
	// Shift is the relative change of the mean cycle time the detector is
	// tuned to catch quickly (0.2 = 20%). It sets the automatic Batch.
	Shift float64
	// K is the CUSUM reference value in standard deviations of the batch
	// mean. Default 0.5.
	K float64
	// H is the CUSUM decision interval in the same units. Default 14.
	H float64
	// Batch is the number of cycles averaged per CUSUM step; 0 chooses it
	// from Shift as described above.
	Batch int
	// Noise is the relative standard deviation of the measurement error
	// (0.02 = measured cycle times are off by 2% of the mean, one sd). It
	// inflates the model's variance: sd^2 + (Noise*mean)^2.
	Noise float64
	// HoldOff is the number of cycles after an event during which the
	// detector stays quiet and its sums stay at zero; it then re-arms. A
	// drift that persists is reported again about every HoldOff cycles.
	// Default 1000; negative means no hold-off.
	HoldOff int
}

// withDefaults fills the zero fields with the defaults.
func (c DriftConfig) withDefaults() DriftConfig {
	if c.Shift == 0 {
		c.Shift = DefaultShift
	}
	if c.K == 0 {
		c.K = DefaultK
	}
	if c.H == 0 {
		c.H = DefaultH
	}
	if c.HoldOff == 0 {
		c.HoldOff = DefaultHoldOff
	}
	if c.HoldOff < 0 {
		c.HoldOff = 0
	}
	return c
}

// Validate reports whether the configuration (after defaults) makes sense.
func (c DriftConfig) Validate() error {
	c = c.withDefaults()
	switch {
	case !(c.Shift > 0) || math.IsInf(c.Shift, 0):
		return fmt.Errorf("deviation: shift %v must be positive", c.Shift)
	case !(c.K >= 0) || math.IsInf(c.K, 0):
		return fmt.Errorf("deviation: CUSUM reference value k %v must be non-negative", c.K)
	case !(c.H > 0) || math.IsInf(c.H, 0):
		return fmt.Errorf("deviation: CUSUM decision interval h %v must be positive", c.H)
	case c.Batch < 0 || c.Batch > maxBatch:
		return fmt.Errorf("deviation: batch %d must be in 0..%d", c.Batch, maxBatch)
	case !(c.Noise >= 0) || math.IsInf(c.Noise, 0):
		return fmt.Errorf("deviation: noise %v must be non-negative", c.Noise)
	}
	return nil
}

// Drift watches one device's cycle times for a drift away from the model.
// Create it with NewDrift; it is not safe for concurrent use.
type Drift struct {
	device  string
	model   Model
	cfg     DriftConfig
	sdBatch float64 // sd of the mean of cfg.Batch cycles, measurement noise included

	sum      float64 // cycle times in the current batch, seconds
	n        int     // cycles in the current batch
	hi, lo   float64 // C+ and C-
	nHi, nLo int     // steps since C+ / C- were last zero
	quiet    int     // cycles left in the hold-off
	cycles   int64   // cycles observed
	events   int64   // events raised
}

// NewDrift returns a detector for device against the model, configured by
// cfg (zero fields take the defaults). It fails if the model or config is
// invalid, or if the cycle time has no variance at all (a const model
// without measurement Noise), which leaves nothing to standardise by.
func NewDrift(device string, m Model, cfg DriftConfig) (*Drift, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	noise := cfg.Noise * m.Mean
	sd := math.Sqrt(m.SD*m.SD + noise*noise)
	if !(sd > 0) {
		return nil, fmt.Errorf("deviation: %s: cycle time has zero variance; set a measurement Noise", device)
	}
	if cfg.Batch == 0 {
		b := math.Ceil(math.Pow(sd/(cfg.Shift*m.Mean), 2))
		cfg.Batch = int(math.Min(math.Max(b, 1), maxBatch))
	}
	return &Drift{device: device, model: m, cfg: cfg, sdBatch: sd / math.Sqrt(float64(cfg.Batch))}, nil
}

// Device returns the device the detector watches.
func (d *Drift) Device() string { return d.device }

// Config returns the configuration in use, defaults and Batch filled in.
func (d *Drift) Config() DriftConfig { return d.cfg }

// Statistic returns the current CUSUM sums C+ and C-.
func (d *Drift) Statistic() (hi, lo float64) { return d.hi, d.lo }

// Cycles returns the number of cycle times observed.
func (d *Drift) Cycles() int64 { return d.cycles }

// Events returns the number of events raised.
func (d *Drift) Events() int64 { return d.events }

// Reset clears the sums, the partial batch and any hold-off.
func (d *Drift) Reset() {
	d.sum, d.n, d.hi, d.lo, d.nHi, d.nLo, d.quiet = 0, 0, 0, 0, 0, 0, 0
}

// Observe feeds one measured cycle time, finished at now. It returns an
// event and true when the CUSUM crosses its decision interval; the detector
// then resets and stays quiet for HoldOff cycles. Observing allocates
// nothing unless an event is raised. Negative cycle times are ignored.
func (d *Drift) Observe(now sim.Time, cycle sim.Time) (Event, bool) {
	if cycle < 0 {
		return Event{}, false
	}
	d.cycles++
	if d.quiet > 0 {
		d.quiet--
		return Event{}, false
	}
	d.sum += cycle.Seconds()
	d.n++
	if d.n < d.cfg.Batch {
		return Event{}, false
	}
	z := (d.sum/float64(d.n) - d.model.Mean) / d.sdBatch
	d.sum, d.n = 0, 0
	d.hi, d.nHi = step(d.hi, d.nHi, z-d.cfg.K)
	d.lo, d.nLo = step(d.lo, d.nLo, -z-d.cfg.K)
	if d.hi <= d.cfg.H && d.lo <= d.cfg.H {
		return Event{}, false
	}
	e := d.event(now)
	d.Reset()
	d.quiet = d.cfg.HoldOff
	d.events++
	return e, true
}

// step advances one side of the CUSUM by x, counting steps since it was zero.
func step(c float64, n int, x float64) (float64, int) {
	c += x
	if c <= 0 {
		return 0, 0
	}
	return c, n + 1
}

// event describes the alarm, estimating the drifted mean as the model's
// mean plus (K + C/N) standard deviations, N being the steps since the
// alarmed side was last zero.
func (d *Drift) event(now sim.Time) Event {
	c, n, sign, dir := d.hi, d.nHi, 1.0, "above"
	if d.lo > d.hi {
		c, n, sign, dir = d.lo, d.nLo, -1.0, "below"
	}
	est := d.model.Mean + sign*d.sdBatch*(d.cfg.K+c/float64(max(n, 1)))
	pct := math.Abs(est-d.model.Mean) / d.model.Mean * 100
	per := ""
	if d.cfg.Batch > 1 {
		per = fmt.Sprintf(", means of %d cycles", d.cfg.Batch)
	}
	return Event{
		Time:   now,
		Device: d.device,
		Kind:   CycleTimeDrift,
		Reason: fmt.Sprintf("cycle time %.2f s is %.0f%% %s the model's %.2f s (CUSUM %.1f > %g%s)",
			est, pct, dir, d.model.Mean, c, d.cfg.H, per),
		Value: c,
		Limit: d.cfg.H,
	}
}
