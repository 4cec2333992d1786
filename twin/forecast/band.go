package forecast

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// DefaultBandHorizon is how far ahead, in simulated time, the output-band
// check forecasts: see [Band].
const DefaultBandHorizon = time.Hour

// bandWindow is one output-band check in progress: the forecast made at
// From of the good output until Until, and the good count at From.
type bandWindow struct {
	from, until sim.Time
	goodAt      int64
	band        deviation.Band
}

// A Band checks the line's good output against a forecast band: it
// forecasts the good output of the next horizon of simulated time from
// the mirrored state, and once the mirror has passed the end of that
// window it compares what was made (scaled to the window's length) with
// the forecast's P10..P90, raising an OutputOutsideBand event for the line
// when it falls outside; then it opens the next window. It is used by one
// goroutine at a time.
type Band struct {
	f       *Forecaster
	horizon sim.Time
	window  *bandWindow
	checked int
}

// NewBand returns an output-band check of f's line with windows of
// horizon simulated time (at least a minute).
func NewBand(f *Forecaster, horizon time.Duration) (*Band, error) {
	if horizon < time.Minute {
		return nil, fmt.Errorf("forecast: band horizon %v: want at least 1m", horizon)
	}
	if horizon > f.cfg.MaxHorizon {
		return nil, fmt.Errorf("forecast: band horizon %v is beyond the forecasts' horizon cap %v", horizon, f.cfg.MaxHorizon)
	}
	return &Band{f: f, horizon: sim.Time(horizon)}, nil
}

// Check does the check once; call it about once a second while the twin
// runs. It returns the event to raise, if the window that just closed
// fell outside its band (its Time is the host's clock, its Device the
// line's node prefix), and the error of the forecast, if any (no model or
// no state yet are not errors). The forecast runs in the caller's
// goroutine.
func (b *Band) Check() (*deviation.Event, error) {
	f := b.f
	if f.cfg.Model.Spec == nil {
		return nil, nil
	}
	st, _, err := f.State()
	if err != nil {
		if errors.Is(err, mirror.ErrNoState) {
			return nil, nil
		}
		return nil, err
	}
	var raised *deviation.Event
	if w := b.window; w != nil {
		switch {
		case st.Time < w.from || st.Counters.Good < w.goodAt:
			b.window = nil // the line restarted: start again
		case st.Time >= w.until:
			made := float64(st.Counters.Good-w.goodAt) * float64(w.until-w.from) / float64(st.Time-w.from)
			det := deviation.OutputBand{Device: f.cfg.Model.Prefix}
			now := sim.Time(f.cfg.Now().UnixMilli()) * sim.Millisecond
			if ev, out := det.Observe(now, made, w.band); out {
				ev.Reason = fmt.Sprintf("%s from %v to %v", ev.Reason, w.from, w.until)
				raised = &ev
			}
			b.checked++
			b.window = nil
		default:
			return nil, nil
		}
	}
	// The band's forecasts are short (the default replications over one
	// horizon) and the host's own: they are not cancelled.
	fc, err := f.Forecast(context.Background(), ForecastRequest{Until: st.Time + b.horizon})
	if err != nil {
		if errors.Is(err, mirror.ErrNoState) {
			return raised, nil
		}
		return raised, err
	}
	b.window = &bandWindow{from: fc.From, until: fc.Until, goodAt: st.Counters.Good,
		band: deviation.Band{P10: fc.Good.P10, P90: fc.Good.P90}}
	return raised, nil
}

// Checks returns how many windows the band has closed.
func (b *Band) Checks() int { return b.checked }
