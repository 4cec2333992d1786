package host

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// DefaultBandHorizon is how far ahead, in simulated time, the output-band
// check forecasts: see [Host.Tick].
const DefaultBandHorizon = time.Hour

// bandWindow is one output-band check in progress: the forecast made at
// From of the good output until Until, and the good count at From.
type bandWindow struct {
	from, until sim.Time
	goodAt      int64
	band        deviation.Band
}

// bandState is what Tick keeps between calls. It is only used by the
// goroutine calling Tick.
type bandState struct {
	horizon sim.Time
	window  *bandWindow
	checked int
}

// Tick does the host's periodic work once; call it about once a second
// while the host runs ([Host.Watch] does). It reports Stale events for
// nodes that fell silent (see [Host.CheckStale]) and, with a model loaded,
// checks the line's good output against a forecast band: it forecasts the
// good output of the next horizon of simulated time (DefaultBandHorizon
// unless [Host.SetBandHorizon] changed it) from the mirrored state, and
// once the mirror has passed the end of that window it compares what was
// made (scaled to the window's length) with the forecast's P10..P90,
// raising an OutputOutsideBand event for the line when it falls outside;
// then it opens the next window. The forecast runs in the caller's
// goroutine, without holding the host's lock. It returns the error of the
// forecast, if any (no model or no state yet are not errors).
func (h *Host) Tick() error {
	h.CheckStale()
	if h.cfg.Spec == nil {
		return nil
	}
	st, err := h.State()
	if err != nil {
		if errors.Is(err, ErrNoState) {
			return nil
		}
		return err
	}
	b := &h.band
	if b.horizon == 0 {
		b.horizon = sim.Time(DefaultBandHorizon)
	}
	if w := b.window; w != nil {
		switch {
		case st.Time < w.from || st.Counters.Good < w.goodAt:
			b.window = nil // the line restarted: start again
		case st.Time >= w.until:
			made := float64(st.Counters.Good-w.goodAt) * float64(w.until-w.from) / float64(st.Time-w.from)
			det := deviation.OutputBand{Device: h.cfg.NodePrefix}
			if ev, out := det.Observe(msTime(uint64(h.cfg.Now().UnixMilli())), made, w.band); out {
				ev.Reason = fmt.Sprintf("%s from %v to %v", ev.Reason, w.from, w.until)
				h.mu.Lock()
				h.watch.add(ev)
				h.notifyLocked()
				h.mu.Unlock()
			}
			b.checked++
			b.window = nil
		default:
			return nil
		}
	}
	f, err := h.Forecast(ForecastRequest{Until: st.Time + b.horizon})
	if err != nil {
		if errors.Is(err, ErrNoState) {
			return nil
		}
		return err
	}
	b.window = &bandWindow{from: f.From, until: f.Until, goodAt: st.Counters.Good,
		band: deviation.Band{P10: f.Good.P10, P90: f.Good.P90}}
	return nil
}

// SetBandHorizon sets the simulated time the output-band check forecasts
// ahead (see [Host.Tick]); call it before the first Tick.
func (h *Host) SetBandHorizon(d time.Duration) error {
	if d < time.Minute {
		return fmt.Errorf("host: band horizon %v: want at least 1m", d)
	}
	h.band.horizon = sim.Time(d)
	return nil
}

// BandChecks returns how many output-band windows Tick has closed.
func (h *Host) BandChecks() int { return h.band.checked }

// Watch calls [Host.Tick] every interval until ctx ends, logging its
// errors (a failing forecast is retried at the next tick).
func (h *Host) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := h.Tick(); err != nil {
				h.log.Warn("host: periodic check", zap.Error(err))
			}
		}
	}
}
