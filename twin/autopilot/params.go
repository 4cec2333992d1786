package autopilot

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Params are the policies' parameters. DefaultParams gives sensible ones;
// Set changes one by its name ("predictive.lead"); Validate checks them all.
type Params struct {
	None       NoneParams
	Predictive PredictiveParams
	Forecast   ForecastParams
}

// NoneParams are the parameters of the policy none.
type NoneParams struct {
	// Epoch is how often it is asked to decide (it never does anything).
	Epoch sim.Time
}

// PredictiveParams are the parameters of the policy predictive.
type PredictiveParams struct {
	// Epoch is how often it decides.
	Epoch sim.Time
	// Window is the number of latest readings per sensor the trend is
	// fitted to, MinReadings the fewest it fits at all, and Spacing the
	// least time between two readings kept (readings closer to the last
	// one kept are skipped), so that Window x Spacing spans enough of the
	// machine's wear to see its trend through the noise.
	Window, MinReadings int
	Spacing             sim.Time
	// SlopeQuantile is the quantile of the pairwise slopes taken as the
	// trend, in [0.5, 1): 0.5 is the median, more is more cautious.
	SlopeQuantile float64
	// Lead: a machine whose remaining life is at most Lead is maintained
	// now. It must cover the wait for a crew member, the travel and the
	// error of the estimate.
	Lead sim.Time
	// OpportunisticLead: a machine whose remaining life is at most this is
	// maintained early when it is starved or blocked and the line's
	// constraint has at least MaintenanceTime of buffer cover.
	OpportunisticLead, MaintenanceTime sim.Time
	// Retry is how long it waits for a maintenance or a dispatch it asked
	// for to show before asking again.
	Retry sim.Time
}

// ForecastParams are the parameters of the policy forecast.
type ForecastParams struct {
	// Epoch is how often it looks at the forecast and the deviations;
	// Cooldown how long it waits after acting before it acts again.
	Epoch, Cooldown sim.Time
	// MinGain is the least paired median gain in good units of the shift
	// for a candidate to be applied.
	MinGain float64
	// SpeedStep is the relative speed a candidate adds to the constraint,
	// up to MaxSpeed.
	SpeedStep, MaxSpeed float64
	// BufferStep is the capacity a candidate moves to the constraint's
	// input buffer from the station with the most free space.
	BufferStep int
	// MaintainCandidates is how many of the machines with the shortest
	// remaining lives (fitted as predictive fits them, with its Window,
	// MinReadings, Spacing and SlopeQuantile) are candidates for a
	// maintenance, if their lives are at most MaintainHorizon.
	MaintainCandidates int
	MaintainHorizon    sim.Time
}

// DefaultParams returns the default parameters of every policy.
func DefaultParams() Params {
	return Params{
		None: NoneParams{Epoch: sim.Hour},
		Predictive: PredictiveParams{
			Epoch:             10 * sim.Minute,
			Window:            48,
			MinReadings:       8,
			Spacing:           15 * sim.Minute,
			SlopeQuantile:     0.5,
			Lead:              4 * sim.Hour,
			OpportunisticLead: 24 * sim.Hour,
			MaintenanceTime:   sim.Hour,
			Retry:             2 * sim.Hour,
		},
		Forecast: ForecastParams{
			Epoch:              15 * sim.Minute,
			Cooldown:           sim.Hour,
			MinGain:            1,
			SpeedStep:          0.1,
			MaxSpeed:           1.2,
			BufferStep:         2,
			MaintainCandidates: 2,
			MaintainHorizon:    24 * sim.Hour,
		},
	}
}

// MaxWindow bounds PredictiveParams.Window.
const MaxWindow = 1000

// param is one settable parameter: its name and where it lives.
type param struct {
	name string
	span *sim.Time
	num  *float64
	n    *int
}

func (p *Params) list() []param {
	pp, fp := &p.Predictive, &p.Forecast
	return []param{
		{name: "none.epoch", span: &p.None.Epoch},
		{name: "predictive.epoch", span: &pp.Epoch},
		{name: "predictive.window", n: &pp.Window},
		{name: "predictive.min_readings", n: &pp.MinReadings},
		{name: "predictive.spacing", span: &pp.Spacing},
		{name: "predictive.slope_quantile", num: &pp.SlopeQuantile},
		{name: "predictive.lead", span: &pp.Lead},
		{name: "predictive.opportunistic_lead", span: &pp.OpportunisticLead},
		{name: "predictive.maintenance_time", span: &pp.MaintenanceTime},
		{name: "predictive.retry", span: &pp.Retry},
		{name: "forecast.epoch", span: &fp.Epoch},
		{name: "forecast.cooldown", span: &fp.Cooldown},
		{name: "forecast.min_gain", num: &fp.MinGain},
		{name: "forecast.speed_step", num: &fp.SpeedStep},
		{name: "forecast.max_speed", num: &fp.MaxSpeed},
		{name: "forecast.buffer_step", n: &fp.BufferStep},
		{name: "forecast.maintain_candidates", n: &fp.MaintainCandidates},
		{name: "forecast.maintain_horizon", span: &fp.MaintainHorizon},
	}
}

// ParamNames returns the names Set takes, in a fixed order.
func ParamNames() []string {
	var p Params
	l := p.list()
	names := make([]string, len(l))
	for i, x := range l {
		names[i] = x.name
	}
	return names
}

// Set sets the parameter name ("predictive.lead") from its text: a
// duration as configs write them ("4h", "1d12h"), a number, or a whole
// number. It does not validate the result against the others (Validate
// does). An unknown name is an error listing the known ones.
func (p *Params) Set(name, value string) error {
	for _, x := range p.list() {
		if x.name != name {
			continue
		}
		switch {
		case x.span != nil:
			d, err := sim.ParseDuration(value)
			if err != nil {
				return fmt.Errorf("autopilot parameter %s: %w", name, err)
			}
			*x.span = d
		case x.num != nil:
			f, err := strconv.ParseFloat(value, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return fmt.Errorf("autopilot parameter %s: %q is not a number", name, value)
			}
			*x.num = f
		default:
			n, err := strconv.Atoi(value)
			if err != nil {
				return fmt.Errorf("autopilot parameter %s: %q is not a whole number", name, value)
			}
			*x.n = n
		}
		return nil
	}
	return fmt.Errorf("unknown autopilot parameter %q (known: %s)", name, strings.Join(ParamNames(), ", "))
}

// Validate returns every problem with the parameters, each naming its
// parameter as Set does, or nil.
func (p *Params) Validate() error {
	var errs []error
	bad := func(name, format string, a ...any) {
		errs = append(errs, fmt.Errorf("autopilot parameter %s: "+format, append([]any{name}, a...)...))
	}
	span := func(name string, d sim.Time, zeroOK bool) {
		if d < 0 || d == 0 && !zeroOK || d > sim.MaxSpan {
			bad(name, "%v: want more than 0 and at most %v", d, sim.MaxSpan)
		}
	}
	span("none.epoch", p.None.Epoch, false)
	pp := &p.Predictive
	span("predictive.epoch", pp.Epoch, false)
	if pp.Window < 2 || pp.Window > MaxWindow {
		bad("predictive.window", "%d: want 2 to %d readings", pp.Window, MaxWindow)
	}
	if pp.MinReadings < 2 || pp.MinReadings > pp.Window {
		bad("predictive.min_readings", "%d: want 2 to predictive.window (%d)", pp.MinReadings, pp.Window)
	}
	span("predictive.spacing", pp.Spacing, true)
	if !(pp.SlopeQuantile >= 0.5 && pp.SlopeQuantile < 1) {
		bad("predictive.slope_quantile", "%v: want at least 0.5 and less than 1", pp.SlopeQuantile)
	}
	span("predictive.lead", pp.Lead, true)
	span("predictive.opportunistic_lead", pp.OpportunisticLead, true)
	if pp.OpportunisticLead < pp.Lead {
		bad("predictive.opportunistic_lead", "%v is shorter than predictive.lead (%v)", pp.OpportunisticLead, pp.Lead)
	}
	span("predictive.maintenance_time", pp.MaintenanceTime, true)
	span("predictive.retry", pp.Retry, false)
	fp := &p.Forecast
	span("forecast.epoch", fp.Epoch, false)
	span("forecast.cooldown", fp.Cooldown, true)
	if !(fp.MinGain >= 0) || math.IsInf(fp.MinGain, 0) {
		bad("forecast.min_gain", "%v: want 0 or more units", fp.MinGain)
	}
	if !(fp.SpeedStep >= 0 && fp.SpeedStep <= 1) {
		bad("forecast.speed_step", "%v: want 0 (no speed candidates) to 1", fp.SpeedStep)
	}
	if !(fp.MaxSpeed >= 1 && fp.MaxSpeed <= MaxSpeed) {
		bad("forecast.max_speed", "%v: want 1 to %v", fp.MaxSpeed, MaxSpeed)
	}
	if fp.BufferStep < 0 || fp.BufferStep > 1000 {
		bad("forecast.buffer_step", "%d: want 0 (no buffer candidates) to 1000 units", fp.BufferStep)
	}
	if fp.MaintainCandidates < 0 || fp.MaintainCandidates > 16 {
		bad("forecast.maintain_candidates", "%d: want 0 to 16", fp.MaintainCandidates)
	}
	span("forecast.maintain_horizon", fp.MaintainHorizon, true)
	return errors.Join(errs...)
}

// MaxSpeed is the highest relative speed a policy may set, the line's own
// bound.
const MaxSpeed = 10.0
