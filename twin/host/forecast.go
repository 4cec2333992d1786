package host

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// MaxReplications is the most replications a forecast or what-if may ask
// for.
const MaxReplications = 10000

// maxShiftsAhead bounds a forecast's horizon: until may lie at most this
// many shift lengths after the mirrored state's time.
const maxShiftsAhead = 3

// ForecastRequest says what to forecast. Zero fields take the defaults.
type ForecastRequest struct {
	// Until is the simulated time to forecast to (it must lie after the
	// mirrored state's time and at most three shifts after it); 0 means
	// the end of the current shift.
	Until sim.Time
	// Replications is the number of forked runs, 1 to MaxReplications; 0
	// means Config.Replications.
	Replications int
	// Seed is the base seed; nil means Config.Seed.
	Seed *uint64
}

// ForecastJSON is a forecast of good output from the mirrored state, as
// GET /api/forecast returns it. Times are simulated times written as
// durations ("2h0m0s"); counts are over all copies of the line.
type ForecastJSON struct {
	// From is the mirrored state's time, Until the end of the window and
	// ShiftStart the start of the shift From lies in.
	From       sim.Time `json:"from"`
	Until      sim.Time `json:"until"`
	ShiftStart sim.Time `json:"shiftStart"`
	// Replications and Seed are those the forecast ran with.
	Replications int    `json:"replications"`
	Seed         uint64 `json:"seed"`
	// Good and Shipped are the P10, P50 and P90 of the good and shipped
	// units produced between From and Until.
	Good    twin.Quantiles `json:"good"`
	Shipped twin.Quantiles `json:"shipped"`
	// GoodSoFar is the good output of the current shift before From, when
	// known (the host saw the shift start, or it is the first shift);
	// ShiftTotal is then GoodSoFar plus Good.
	GoodSoFar  *int64          `json:"goodSoFar,omitempty"`
	ShiftTotal *twin.Quantiles `json:"shiftTotal,omitempty"`
	// GoodRuns holds each replication's good output in the window, in
	// replication order.
	GoodRuns []int64 `json:"goodRuns"`
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

// forecastState serialises forecasts and what-ifs (they may be slow) and
// keeps the last result, the latest forecast and the good count at the
// start of each copy's current shift.
type forecastState struct {
	run sync.Mutex // held while forking: one forecast or what-if at a time

	mu     sync.Mutex // guards the fields below
	cached *cachedForecast
	latest *ForecastJSON

	// marks is guarded by h.mu (observe runs under it).
	marks map[int]shiftMark
}

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

func (s *forecastState) init(h *Host) error {
	s.marks = map[int]shiftMark{}
	return nil
}

// observe follows each copy's good count across shift boundaries, so a
// forecast knows the good output of the current shift so far. h.mu is held.
func (s *forecastState) observe(h *Host, t sparkplug.Topic, _ time.Time, err error) {
	if err != nil || (t.Type != sparkplug.NBIRTH && t.Type != sparkplug.NDATA) {
		return
	}
	k, ok := h.CopyOf(t.Group, t.EdgeNode)
	if !ok {
		return
	}
	ms, ok := h.sess.Metric(t.Group, t.EdgeNode, "", packml.MetricSimTime)
	simMs, okv := ms.Value.Int64()
	if !ok || !okv || simMs < 0 {
		return
	}
	good, ok := goodMetric(h, t.Group, t.EdgeNode)
	if !ok {
		return
	}
	shift := simMs / max(h.cfg.Shift.Milliseconds(), 1)
	m, seen := s.marks[k]
	switch {
	case !seen:
		m = shiftMark{shift: shift, startGood: 0, known: shift == 0}
	case shift > m.shift:
		m = shiftMark{shift: shift, startGood: m.good, known: true}
	case shift < m.shift: // the line restarted
		m = shiftMark{shift: shift, known: shift == 0}
	}
	m.good = good
	s.marks[k] = m
}

// goodMetric reads the good count of an edge node (Line/Shipped when it
// publishes no Line/Good). h.mu is held.
func goodMetric(h *Host, group, node string) (int64, bool) {
	name := packml.MetricShipped
	if h.cfg.Spec.Lines == 1 {
		if _, ok := h.sess.Metric(group, node, "", packml.MetricGood); ok {
			name = packml.MetricGood
		}
	}
	mv, ok := h.sess.Metric(group, node, "", name)
	if !ok {
		return 0, false
	}
	v, ok := mv.Value.Int64()
	return v, ok
}

// goodSoFar returns the good output of the current shift before st.Time,
// over all copies, when known.
func (h *Host) goodSoFar(st *twin.State) (int64, bool) {
	shift := int64(st.Time / sim.Time(h.cfg.Shift))
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.fc.marks) < h.cfg.Spec.Lines {
		// No marks (observe not fed): only the first shift is known.
		return st.Counters.Good, shift == 0
	}
	var sum int64
	for _, m := range h.fc.marks {
		if !m.known || m.shift != shift {
			return 0, false
		}
		sum += m.startGood
	}
	return max(st.Counters.Good-sum, 0), true
}

// shiftEnd returns the end of the shift t lies in.
func (h *Host) shiftEnd(t sim.Time) sim.Time {
	shift := sim.Time(h.cfg.Shift)
	return (t/shift + 1) * shift
}

// resolve fills a request's defaults and checks it against the state's time.
func (h *Host) resolve(now sim.Time, until sim.Time, reps int, seed *uint64) (sim.Time, int, uint64, error) {
	if reps == 0 {
		reps = h.cfg.Replications
	}
	if reps < 1 || reps > MaxReplications {
		return 0, 0, 0, badField("reps", "%d replications: want 1 to %d", reps, MaxReplications)
	}
	if until == 0 {
		until = h.shiftEnd(now)
	}
	if until <= now {
		return 0, 0, 0, badField("until", "%v is not after the mirrored state's time %v", until, now)
	}
	if limit := now + maxShiftsAhead*sim.Time(h.cfg.Shift); until > limit {
		return 0, 0, 0, badField("until", "%v is more than %d shifts (%v) after the mirrored state's time %v",
			until, maxShiftsAhead, h.cfg.Shift, now)
	}
	s := h.cfg.Seed
	if seed != nil {
		s = *seed
	}
	return until, reps, s, nil
}

// Forecast forks replications of the line from the mirrored state (see
// [Host.State]) and forecasts the good output to req.Until, by default the
// end of the current shift. The same mirrored state, request and seed give
// the same forecast, whatever Config.Workers. Forecasts and what-ifs run
// one at a time, without holding the mirror; the last forecast is cached
// for the same state and request. Errors: ErrNoModel, ErrNoState, or a
// *RequestError for a bad request.
func (h *Host) Forecast(req ForecastRequest) (ForecastJSON, error) {
	h.fc.run.Lock()
	defer h.fc.run.Unlock()
	st, spec, err := h.forkPoint()
	if err != nil {
		return ForecastJSON{}, err
	}
	out, err := h.forecastFrom(st, spec, req.Until, req.Replications, req.Seed)
	if err != nil {
		return ForecastJSON{}, err
	}
	h.fc.mu.Lock()
	latest := out.clone()
	h.fc.latest = &latest
	h.fc.mu.Unlock()
	return out, nil
}

// forecastFrom forecasts from st with spec (the cached result when it is
// for the same state and request). h.fc.run is held.
func (h *Host) forecastFrom(st twin.State, spec *twin.Spec, until sim.Time, reps int, seed *uint64) (ForecastJSON, error) {
	until, reps, s, err := h.resolve(st.Time, until, reps, seed)
	if err != nil {
		return ForecastJSON{}, err
	}
	h.fc.mu.Lock()
	c := h.fc.cached
	h.fc.mu.Unlock()
	if c != nil && c.until == until && c.reps == reps && c.seed == s &&
		reflect.DeepEqual(c.st, st) && reflect.DeepEqual(c.spec, spec) {
		return c.out.clone(), nil
	}
	out, err := h.runForecast(st, spec, until, reps, s)
	if err != nil {
		return ForecastJSON{}, err
	}
	h.fc.mu.Lock()
	h.fc.cached = &cachedForecast{st: st, spec: spec, until: until, reps: reps, seed: s, out: out.clone()}
	h.fc.mu.Unlock()
	return out, nil
}

// runForecast runs the replications and summarises them.
func (h *Host) runForecast(st twin.State, spec *twin.Spec, until sim.Time, reps int, seed uint64) (ForecastJSON, error) {
	r, err := twin.Forecast(spec, st, until, reps, seed, h.cfg.Workers)
	if err != nil {
		return ForecastJSON{}, fmt.Errorf("forecast: %w", err)
	}
	shift := sim.Time(h.cfg.Shift)
	out := ForecastJSON{From: st.Time, Until: until, ShiftStart: st.Time / shift * shift,
		Replications: reps, Seed: seed, Good: r.Good, Shipped: r.Shipped, GoodRuns: r.GoodRuns}
	if so, ok := h.goodSoFar(&st); ok {
		out.GoodSoFar = &so
		q := twin.Quantiles{P10: r.Good.P10 + float64(so), P50: r.Good.P50 + float64(so), P90: r.Good.P90 + float64(so)}
		out.ShiftTotal = &q
	}
	return out, nil
}

// LatestForecast returns the last forecast [Host.Forecast] made (through
// the API or not), for comparing the line's output with its band; false
// before the first.
func (h *Host) LatestForecast() (ForecastJSON, bool) {
	h.fc.mu.Lock()
	defer h.fc.mu.Unlock()
	if h.fc.latest == nil {
		return ForecastJSON{}, false
	}
	return h.fc.latest.clone(), true
}

// forecastRoutes adds this file's HTTP routes to mux:
//
//	GET  /api/forecast?until=8h&reps=40&seed=1   see [Host.Forecast]
//	POST /api/whatif                             see [Host.WhatIf]
//
// Errors are JSON {"error": "..."}: 400 for a bad parameter (named), 409
// when no model is loaded or the mirror cannot give the state yet, 500
// otherwise.
func (h *Host) forecastRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/forecast", func(w http.ResponseWriter, r *http.Request) {
		req, err := parseForecastQuery(r.URL.Query())
		if err != nil {
			writeError(w, err)
			return
		}
		out, err := h.Forecast(req)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("POST /api/whatif", func(w http.ResponseWriter, r *http.Request) {
		req, err := DecodeWhatIf(http.MaxBytesReader(w, r.Body, 1<<16))
		if err != nil {
			writeError(w, err)
			return
		}
		out, err := h.WhatIf(req)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// parseForecastQuery reads until, reps and seed (all optional).
func parseForecastQuery(q url.Values) (ForecastRequest, error) {
	var req ForecastRequest
	for name := range q {
		switch name {
		case "until", "reps", "seed":
			if len(q[name]) > 1 {
				return req, badField(name, "given %d times", len(q[name]))
			}
		default:
			return req, badField(name, "unknown parameter (want until, reps or seed)")
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
	if v := q.Get("reps"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxReplications {
			return req, badField("reps", "%q: want a whole number from 1 to %d", v, MaxReplications)
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

// writeError answers err with its status (see forecastRoutes).
func writeError(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	var re *RequestError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &re), errors.As(err, &mb):
		status = http.StatusBadRequest
	case errors.Is(err, ErrNoModel), errors.Is(err, ErrNoState):
		status = http.StatusConflict
	}
	writeJSON(w, status, errorJSON{Error: err.Error()})
}
