package forecast

import (
	"context"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// MaxReplications is the most replications a forecast or what-if may ask
// for; Config.MaxReplications may lower it.
const MaxReplications = 10000

// DefaultShiftsAhead bounds a forecast's horizon unless Config.MaxHorizon
// says otherwise: until may lie at most this many shift lengths after the
// mirrored state's time.
const DefaultShiftsAhead = 3

// ForecastRequest says what to forecast. Zero fields take the defaults.
type ForecastRequest struct {
	// Until is the simulated time to forecast to (it must lie after the
	// mirrored state's time and at most Config.MaxHorizon after it); 0
	// means the end of the current shift.
	Until sim.Time
	// Replications is the number of forked runs, 1 to
	// Config.MaxReplications; 0 means Config.Replications.
	Replications int
	// Seed is the base seed; nil means Config.Seed.
	Seed *uint64
}

// ForecastJSON is a forecast of good output from the mirrored state, as
// GET /api/forecast returns it. Times are simulated times in seconds
// (fields ending _s); counts are over all copies of the line.
type ForecastJSON struct {
	// From is the mirrored state's simulated time, where the forecast
	// starts.
	From sim.Time `json:"from_s"`
	// Until is the simulated time the forecast runs to.
	Until sim.Time `json:"until_s"`
	// ShiftStart is the start of the shift From lies in.
	ShiftStart sim.Time `json:"shift_start_s"`
	// Replications is the number of replications the forecast ran.
	Replications int `json:"replications"`
	// Seed is the base seed the forecast ran with, a JSON string.
	Seed twin.Seed `json:"seed"`
	// Good is the P10, P50 and P90 of the good units produced between
	// From and Until.
	Good Quantiles `json:"good"`
	// Shipped is the P10, P50 and P90 of the units shipped between From
	// and Until.
	Shipped Quantiles `json:"shipped"`
	// GoodSoFar is the good output of the current shift before From, when
	// known (the host saw the shift start, or it is the first shift).
	GoodSoFar *int64 `json:"good_so_far,omitempty"`
	// ShiftTotal is GoodSoFar plus Good: the shift's whole good output,
	// present with GoodSoFar.
	ShiftTotal *Quantiles `json:"shift_total,omitempty"`
	// GoodRuns holds each replication's good output in the window, in
	// replication order.
	GoodRuns []int64 `json:"good_runs"`
}

// clone returns f with its own slice and pointers, so that a caller may
// change what it is given without changing the cache.
func (f ForecastJSON) clone() ForecastJSON {
	f.GoodRuns = slices.Clone(f.GoodRuns)
	if f.GoodSoFar != nil {
		v := *f.GoodSoFar
		f.GoodSoFar = &v
	}
	if f.ShiftTotal != nil {
		q := *f.ShiftTotal
		f.ShiftTotal = &q
	}
	return f
}

// RequestError is an error in a forecast or what-if request: the HTTP API
// answers it with status 400 and the message naming Field.
type RequestError struct {
	Field string
	Msg   string
}

func (e *RequestError) Error() string { return e.Field + ": " + e.Msg }

func badField(field, format string, a ...any) *RequestError {
	return &RequestError{Field: field, Msg: fmt.Sprintf(format, a...)}
}

// Config configures a [Forecaster].
type Config struct {
	// Model is the modelled line the forecasts fork (Spec nil: forecasts
	// answer ErrNoModel).
	Model mirror.Model
	// Seed is the base seed of forecasts and what-ifs: the same mirrored
	// state and seed give the same forecast.
	Seed uint64
	// Replications is the number of forked runs per forecast; 0 means 40.
	Replications int
	// MaxReplications caps the replications a request may ask for, 1 to
	// the package's MaxReplications; 0 means MaxReplications.
	MaxReplications int
	// MaxHorizon caps how far after the mirrored state's time a forecast
	// or what-if may run; 0 means DefaultShiftsAhead shifts.
	MaxHorizon time.Duration
	// Shift is the shift length for forecasts "to the end of the shift":
	// shifts start at simulated time 0, Shift, 2*Shift, ...; 0 means 8h.
	Shift time.Duration
	// Workers bounds the goroutines running forecast replications; 0 means
	// GOMAXPROCS.
	Workers int
	// Now is the host's clock (the time of output-band events); nil means
	// time.Now.
	Now func() time.Time
}

// A Source gives the current view of the mirror a forecast forks from;
// *mirror.Mirror is one.
type Source interface {
	View() mirror.View
}

// A Forecaster forks the simulation from the mirrored state: forecasts of
// the good output to the end of the shift, what-ifs, and the output-band
// check (see [Band]). It follows the mirror as its [mirror.Observer] to
// know each copy's good count at the start of the shift. Forecasts and
// what-ifs run one at a time, in the caller's goroutine, without holding
// the mirror or the forecaster's other state; one that waits for the one
// before gives up when its context ends. Its methods are safe for
// concurrent use.
type Forecaster struct {
	cfg Config
	src Source

	run chan struct{} // holds a token while forking: one forecast or what-if at a time

	mu     sync.Mutex // guards the fields below
	cached *cachedForecast
	latest *ForecastJSON
	marks  map[int]shiftMark
}

// New returns a forecaster of the line cfg.Model describes, forking from
// what src mirrors.
func New(cfg Config, src Source) (*Forecaster, error) {
	if cfg.Replications == 0 {
		cfg.Replications = 40
	}
	if cfg.Shift == 0 {
		cfg.Shift = 8 * time.Hour
	}
	if cfg.MaxReplications == 0 {
		cfg.MaxReplications = MaxReplications
	}
	if cfg.MaxHorizon == 0 {
		cfg.MaxHorizon = DefaultShiftsAhead * cfg.Shift
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	switch {
	case cfg.MaxReplications < 0 || cfg.MaxReplications > MaxReplications:
		return nil, fmt.Errorf("forecast: a cap of %d replications: want 1 to %d", cfg.MaxReplications, MaxReplications)
	case cfg.Replications < 0 || cfg.Replications > cfg.MaxReplications:
		return nil, fmt.Errorf("forecast: %d replications: want 1 to %d (the cap)", cfg.Replications, cfg.MaxReplications)
	case cfg.MaxHorizon < 0:
		return nil, fmt.Errorf("forecast: horizon cap %v is negative", cfg.MaxHorizon)
	case cfg.Shift < 0:
		return nil, fmt.Errorf("forecast: shift %v is negative", cfg.Shift)
	case cfg.Workers < 0:
		return nil, fmt.Errorf("forecast: %d workers: must not be negative", cfg.Workers)
	case src == nil:
		return nil, fmt.Errorf("forecast: no source of the mirrored state")
	}
	return &Forecaster{cfg: cfg, src: src, run: make(chan struct{}, 1), marks: map[int]shiftMark{}}, nil
}

// Config returns the forecaster's configuration, defaults filled in.
func (f *Forecaster) Config() Config { return f.cfg }

// cachedForecast is a forecast with what it was computed from.
type cachedForecast struct {
	st    twin.State
	spec  *twin.Spec
	until sim.Time
	reps  int
	seed  uint64
	out   ForecastJSON
}

// shiftMark is one copy's good count at the start of a shift.
type shiftMark struct {
	shift     int64 // index of the shift the copy was last seen in
	good      int64 // the good count last seen
	startGood int64 // the good count when shift began
	known     bool  // startGood is known (the host saw the shift start)
}

// Observe implements mirror.Observer: it follows each copy's good count
// across shift boundaries, so a forecast knows the good output of the
// current shift so far.
func (f *Forecaster) Observe(u *mirror.Update) {
	t := u.Topic
	if u.Event != "" || u.Err != nil || (t.Type != sparkplug.NBIRTH && t.Type != sparkplug.NDATA) {
		return
	}
	k, ok := f.cfg.Model.CopyOf(t.Group, t.EdgeNode)
	if !ok {
		return
	}
	ms, ok := u.NodeMetric(packml.MetricSimTime)
	simMs, okv := ms.Value.Int64()
	if !ok || !okv || simMs < 0 {
		return
	}
	good, ok := f.goodMetric(u)
	if !ok {
		return
	}
	shift := simMs / max(f.cfg.Shift.Milliseconds(), 1)
	f.mu.Lock()
	defer f.mu.Unlock()
	m, seen := f.marks[k]
	switch {
	case !seen:
		m = shiftMark{shift: shift, startGood: 0, known: shift == 0}
	case shift > m.shift:
		m = shiftMark{shift: shift, startGood: m.good, known: true}
	case shift < m.shift: // the line restarted
		m = shiftMark{shift: shift, known: shift == 0}
	}
	m.good = good
	f.marks[k] = m
}

// goodMetric reads the good count of the update's edge node
// (Line/Shipped when it publishes no Line/Good).
func (f *Forecaster) goodMetric(u *mirror.Update) (int64, bool) {
	name := packml.MetricShipped
	if f.cfg.Model.Spec.Lines == 1 {
		if _, ok := u.NodeMetric(packml.MetricGood); ok {
			name = packml.MetricGood
		}
	}
	mv, ok := u.NodeMetric(name)
	if !ok {
		return 0, false
	}
	v, ok := mv.Value.Int64()
	return v, ok
}

// goodSoFar returns the good output of the current shift before st.Time,
// over all copies, when known.
func (f *Forecaster) goodSoFar(st *twin.State) (int64, bool) {
	shift := int64(st.Time / sim.Time(f.cfg.Shift))
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.marks) < f.cfg.Model.Spec.Lines {
		// No marks (observe not fed): only the first shift is known.
		return st.Counters.Good, shift == 0
	}
	var sum int64
	for _, m := range f.marks {
		if !m.known || m.shift != shift {
			return 0, false
		}
		sum += m.startGood
	}
	return max(st.Counters.Good-sum, 0), true
}

// shiftEnd returns the end of the shift t lies in.
func (f *Forecaster) shiftEnd(t sim.Time) sim.Time {
	shift := sim.Time(f.cfg.Shift)
	return (t/shift + 1) * shift
}

// resolve fills a request's defaults and checks it against the state's time.
func (f *Forecaster) resolve(now sim.Time, until sim.Time, reps int, seed *uint64) (sim.Time, int, uint64, error) {
	if reps == 0 {
		reps = f.cfg.Replications
	}
	if reps < 1 || reps > f.cfg.MaxReplications {
		return 0, 0, 0, badField("replications", "%d: want 1 to %d", reps, f.cfg.MaxReplications)
	}
	if until == 0 {
		until = f.shiftEnd(now)
	}
	if until <= now {
		return 0, 0, 0, badField("until", "%v is not after the mirrored state's time %v", until, now)
	}
	if limit := now + sim.Time(f.cfg.MaxHorizon); until > limit {
		return 0, 0, 0, badField("until", "%v is more than the horizon cap %v after the mirrored state's time %v",
			until, f.cfg.MaxHorizon, now)
	}
	s := f.cfg.Seed
	if seed != nil {
		s = *seed
	}
	return until, reps, s, nil
}

// State returns the mirrored state a forecast forks from and the spec to
// fork it with (see mirror.View.State). Errors: mirror.ErrNoModel,
// mirror.ErrNoState.
func (f *Forecaster) State() (twin.State, *twin.Spec, error) {
	v := f.src.View()
	return v.State(f.cfg.Model)
}

// Forecast forks replications of the line from the mirrored state (see
// [Forecaster.State]) and forecasts the good output to req.Until, by
// default the end of the current shift. The same mirrored state, request
// and seed give the same forecast, whatever Config.Workers. Forecasts and
// what-ifs run one at a time, without holding the mirror; the last
// forecast is cached for the same state and request. When ctx ends, the
// forecast stops waiting for the one before or stops its replications
// (see [Run]) and returns an error wrapping ctx.Err(). Errors:
// mirror.ErrNoModel, mirror.ErrNoState, or a *RequestError for a bad
// request.
func (f *Forecaster) Forecast(ctx context.Context, req ForecastRequest) (ForecastJSON, error) {
	if err := f.lock(ctx); err != nil {
		return ForecastJSON{}, err
	}
	defer f.unlock()
	st, spec, err := f.State()
	if err != nil {
		return ForecastJSON{}, err
	}
	out, err := f.forecastFrom(ctx, st, spec, req.Until, req.Replications, req.Seed)
	if err != nil {
		return ForecastJSON{}, err
	}
	f.mu.Lock()
	latest := out.clone()
	f.latest = &latest
	f.mu.Unlock()
	return out, nil
}

// lock waits for the turn to fork, or for ctx to end.
func (f *Forecaster) lock(ctx context.Context) error {
	select {
	case f.run <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("forecast: stopped waiting for the forecast before: %w", ctx.Err())
	}
}

// unlock gives the turn to fork to the next forecast or what-if.
func (f *Forecaster) unlock() { <-f.run }

// forecastFrom forecasts from st with spec (the cached result when it is
// for the same state and request). f.run is held.
func (f *Forecaster) forecastFrom(ctx context.Context, st twin.State, spec *twin.Spec, until sim.Time, reps int, seed *uint64) (ForecastJSON, error) {
	until, reps, s, err := f.resolve(st.Time, until, reps, seed)
	if err != nil {
		return ForecastJSON{}, err
	}
	f.mu.Lock()
	c := f.cached
	f.mu.Unlock()
	if c != nil && c.until == until && c.reps == reps && c.seed == s &&
		reflect.DeepEqual(c.st, st) && reflect.DeepEqual(c.spec, spec) {
		return c.out.clone(), nil
	}
	out, err := f.runForecast(ctx, st, spec, until, reps, s)
	if err != nil {
		return ForecastJSON{}, err
	}
	f.mu.Lock()
	f.cached = &cachedForecast{st: st, spec: spec, until: until, reps: reps, seed: s, out: out.clone()}
	f.mu.Unlock()
	return out, nil
}

// runForecast runs the replications and summarises them.
func (f *Forecaster) runForecast(ctx context.Context, st twin.State, spec *twin.Spec, until sim.Time, reps int, seed uint64) (ForecastJSON, error) {
	r, err := Run(ctx, spec, st, until, reps, seed, f.cfg.Workers)
	if err != nil {
		return ForecastJSON{}, err
	}
	shift := sim.Time(f.cfg.Shift)
	out := ForecastJSON{From: st.Time, Until: until, ShiftStart: st.Time / shift * shift,
		Replications: reps, Seed: twin.Seed(seed), Good: r.Good, Shipped: r.Shipped, GoodRuns: r.GoodRuns}
	if so, ok := f.goodSoFar(&st); ok {
		out.GoodSoFar = &so
		q := Quantiles{P10: r.Good.P10 + float64(so), P50: r.Good.P50 + float64(so), P90: r.Good.P90 + float64(so)}
		out.ShiftTotal = &q
	}
	return out, nil
}

// LatestForecast returns the last forecast [Forecaster.Forecast] made
// (through the API or not); false before the first.
func (f *Forecaster) LatestForecast() (ForecastJSON, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.latest == nil {
		return ForecastJSON{}, false
	}
	return f.latest.clone(), true
}

// ParseQuery reads a forecast request from a query string: until (a
// duration, "8h"), replications and seed, all optional. Its errors are *RequestError naming the
// parameter.
func ParseQuery(q url.Values) (ForecastRequest, error) {
	var req ForecastRequest
	for name := range q {
		switch name {
		case "until", "replications", "seed":
			if len(q[name]) > 1 {
				return req, badField(name, "given %d times", len(q[name]))
			}
		default:
			return req, badField(name, "unknown parameter (want until, replications or seed)")
		}
	}
	if v := q.Get("until"); v != "" {
		t, err := sim.ParseDuration(v)
		if err != nil {
			return req, badField("until", "%v", err)
		}
		if t == 0 {
			return req, badField("until", "must be after the mirrored state's time")
		}
		req.Until = t
	}
	if v := q.Get("replications"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxReplications {
			return req, badField("replications", "%q: want a whole number from 1 to %d", v, MaxReplications)
		}
		req.Replications = n
	}
	if v := q.Get("seed"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return req, badField("seed", "%q: want a whole number from 0 to %d", v, uint64(1<<64-1))
		}
		req.Seed = &s
	}
	return req, nil
}
