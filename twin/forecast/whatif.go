package forecast

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// MaxSpeed is the largest speed factor a what-if may give a station.
const MaxSpeed = 100

// WhatIfRequest is a what-if: one or more changes, applied together to a
// fork of the mirrored state, and the forecast to compare with. At least
// one change is needed; the request body of POST /api/whatif is its JSON,
// decoded strictly (see [DecodeWhatIf]):
//
//	{"buffer": {"station": "assembly", "capacity": 5}, "until_s": 28800, "replications": 40, "seed": "1"}
//	{"repair_arm": "arm-1"}
//	{"repair_station": "test", "line": 2}
//	{"station_speed": {"station": "test", "factor": 1.2}}
type WhatIfRequest struct {
	// Buffer changes a station's input buffer capacity in the model (on
	// every copy): it must hold the units already waiting there.
	Buffer *BufferChange `json:"buffer,omitempty"`
	// RepairArm repairs an arm that is down (by failure or by command).
	RepairArm string `json:"repair_arm,omitempty"`
	// RepairStation repairs a station's servers that are down.
	RepairStation string `json:"repair_station,omitempty"`
	// Line limits the repairs to one copy of the line (from 1); 0 repairs
	// on every copy where the arm or station is down.
	Line int `json:"line,omitempty"`
	// Speed scales a station's cycle times in the model: factor 1.2
	// divides every cycle time by 1.2.
	Speed *SpeedChange `json:"station_speed,omitempty"`
	// Until is the simulated time to forecast to, in seconds from
	// simulated time 0 (28800, or a duration string such as "8h"); 0 or
	// absent means the end of the current shift.
	Until sim.Time `json:"until_s,omitempty"`
	// Replications is the number of replications (0:
	// Config.Replications).
	Replications int `json:"replications,omitempty"`
	// Seed is the base seed, written as a JSON string ("7"; a whole
	// number below 2^53 is read too); absent: Config.Seed.
	Seed *twin.Seed `json:"seed,omitempty"`
}

// BufferChange is a new input buffer capacity for a station.
type BufferChange struct {
	// Station is the id of the station whose input buffer changes.
	Station string `json:"station"`
	// Capacity is the new capacity in units, or "inf" (or -1) for an
	// unbounded buffer.
	Capacity BufferLimit `json:"capacity"`
}

// BufferLimit is a buffer capacity in JSON: a whole number of units, or
// the string "inf" (or -1) for an unbounded buffer.
type BufferLimit stations.Capacity

// UnmarshalJSON reads a number or "inf".
func (b *BufferLimit) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		var c stations.Capacity
		if err := c.UnmarshalText([]byte(s)); err != nil {
			return fmt.Errorf("capacity %s: %v", data, err)
		}
		*b = BufferLimit(c)
		return nil
	}
	var n int64
	if err := json.Unmarshal(data, &n); err != nil || n < int64(stations.Inf) || n > math.MaxInt32 {
		return fmt.Errorf("capacity %s: want a whole number of units from 0 to %d, or \"inf\"", data, math.MaxInt32)
	}
	*b = BufferLimit(n)
	return nil
}

// MarshalJSON writes a number, or "inf".
func (b BufferLimit) MarshalJSON() ([]byte, error) {
	if stations.Capacity(b) == stations.Inf {
		return []byte(`"inf"`), nil
	}
	return []byte(strconv.Itoa(int(b))), nil
}

// SpeedChange is a new speed factor for a station.
type SpeedChange struct {
	// Station is the id of the station whose speed changes.
	Station string `json:"station"`
	// Factor divides the station's cycle times: 1.2 runs it 20% faster.
	Factor float64 `json:"factor"`
}

// WhatIfJSON compares the forecasts of two forks of the mirrored state,
// the line as it is (Base) and with the changes (WhatIf), run with the same
// replication seeds (common random numbers), as POST /api/whatif returns it.
type WhatIfJSON struct {
	// Changes describe what was changed, one line each.
	Changes []string `json:"changes"`
	// Base is the forecast of the line as it is.
	Base ForecastJSON `json:"base"`
	// WhatIf is the forecast of the line with the changes.
	WhatIf ForecastJSON `json:"what_if"`
	// DeltaP50 is WhatIf.Good.P50 minus Base.Good.P50.
	DeltaP50 float64 `json:"delta_p50"`
	// Paired are the P10, P50 and P90 of the per-replication differences
	// of good output (what-if minus base, replication by replication).
	Paired Quantiles `json:"paired"`
}

// DecodeWhatIf reads one what-if request from r, strictly: unknown fields,
// wrong types and trailing data are *RequestError naming the field.
func DecodeWhatIf(r io.Reader) (WhatIfRequest, error) {
	var req WhatIfRequest
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return WhatIfRequest{}, jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return WhatIfRequest{}, badField("body", "more than one JSON value")
	}
	return req, nil
}

// jsonError turns a decoding error into a *RequestError naming the field.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		f := te.Field
		if f == "" {
			f = "body"
		}
		return badField(f, "want %s, got a JSON %s", te.Type, te.Value)
	case errors.As(err, &se):
		return badField("body", "malformed JSON at byte %d: %v", se.Offset, se)
	case errors.Is(err, io.EOF):
		return badField("body", "empty: want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badField("body", "truncated JSON")
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return badField(strings.Trim(name, `"`), "unknown field (want buffer, repair_arm, repair_station, line, station_speed, until_s, replications or seed)")
	}
	if rest, ok := strings.CutPrefix(msg, "seed "); ok {
		return badField("seed", "%s", rest)
	}
	if strings.Contains(msg, "duration") || strings.Contains(msg, "seconds") {
		return badField("until_s", "%s", strings.TrimPrefix(msg, "json: "))
	}
	if strings.Contains(msg, "capacity") {
		return badField("buffer.capacity", "%s", strings.TrimPrefix(msg, "json: "))
	}
	return badField("body", "%s", strings.TrimPrefix(msg, "json: "))
}

// WhatIf forks the mirrored state twice with the same replication seeds,
// the base and the changed one (see [WhatIfRequest]), and compares their
// forecasts. Like [Forecaster.Forecast] it runs one at a time, stops when
// ctx ends and reuses the cached base forecast. Errors: mirror.ErrNoModel,
// mirror.ErrNoState, an error wrapping ctx.Err(), or a *RequestError
// naming the field of a bad request (an unknown station, a capacity below
// the units waiting, nothing to repair …).
func (f *Forecaster) WhatIf(ctx context.Context, req WhatIfRequest) (WhatIfJSON, error) {
	if f.cfg.Model.Spec == nil {
		return WhatIfJSON{}, mirror.ErrNoModel
	}
	until, err := checkWhatIf(f.cfg.Model.Spec, &req)
	if err != nil {
		return WhatIfJSON{}, err
	}
	if err := f.lock(ctx); err != nil {
		return WhatIfJSON{}, err
	}
	defer f.unlock()
	st, spec, err := f.State()
	if err != nil {
		return WhatIfJSON{}, err
	}
	var reqSeed *uint64
	if req.Seed != nil {
		s := uint64(*req.Seed)
		reqSeed = &s
	}
	until, reps, seed, err := f.resolve(st.Time, until, req.Replications, reqSeed)
	if re := (*RequestError)(nil); errors.As(err, &re) && re.Field == "until" {
		err = badField("until_s", "%s", re.Msg) // the request's name for it
	}
	if err != nil {
		return WhatIfJSON{}, err
	}
	cst, cspec, changes, err := applyWhatIf(&req, st, spec)
	if err != nil {
		return WhatIfJSON{}, err
	}
	base, err := f.forecastFrom(ctx, st, spec, until, reps, &seed)
	if err != nil {
		return WhatIfJSON{}, err
	}
	alt, err := f.runForecast(ctx, cst, cspec, until, reps, seed)
	if err != nil {
		return WhatIfJSON{}, err
	}
	diffs := make([]int64, reps)
	for i := range diffs {
		diffs[i] = alt.GoodRuns[i] - base.GoodRuns[i]
	}
	return WhatIfJSON{Changes: changes, Base: base, WhatIf: alt,
		DeltaP50: alt.Good.P50 - base.Good.P50, Paired: QuantilesOf(diffs)}, nil
}

// checkWhatIf checks what the request says on its own against spec and
// returns its until.
func checkWhatIf(spec *twin.Spec, req *WhatIfRequest) (sim.Time, error) {
	if req.Buffer == nil && req.RepairArm == "" && req.RepairStation == "" && req.Speed == nil {
		return 0, badField("body", "no change: give buffer, repair_arm, repair_station or speed")
	}
	station := func(field, id string) (*stations.Spec, error) {
		for i := range spec.Stations {
			if spec.Stations[i].ID == id {
				return &spec.Stations[i], nil
			}
		}
		return nil, badField(field, "unknown station %q", id)
	}
	if b := req.Buffer; b != nil {
		if _, err := station("buffer.station", b.Station); err != nil {
			return 0, err
		}
		if b.Capacity < BufferLimit(stations.Inf) {
			return 0, badField("buffer.capacity", "%d: want 0 or more, or \"inf\"", b.Capacity)
		}
	}
	if req.RepairStation != "" {
		if _, err := station("repair_station", req.RepairStation); err != nil {
			return 0, err
		}
	}
	if req.RepairArm != "" && !slices.ContainsFunc(spec.Arms, func(a robots.Spec) bool { return a.ID == req.RepairArm }) {
		return 0, badField("repair_arm", "unknown arm %q", req.RepairArm)
	}
	if req.Line < 0 || req.Line > spec.Lines {
		return 0, badField("line", "%d is not a copy of the line (1 to %d, or 0 for all)", req.Line, spec.Lines)
	}
	if s := req.Speed; s != nil {
		ss, err := station("station_speed.station", s.Station)
		if err != nil {
			return 0, err
		}
		if ss.Conveyor != nil {
			return 0, badField("station_speed.station", "%q is a conveyor: it has no cycle time to scale", s.Station)
		}
		if !(s.Factor > 0 && s.Factor <= MaxSpeed) {
			return 0, badField("station_speed.factor", "%v: want a factor above 0 and at most %d", s.Factor, MaxSpeed)
		}
	}
	if req.Replications < 0 || req.Replications > MaxReplications {
		return 0, badField("replications", "%d: want 1 to %d (or 0 for the default)", req.Replications, MaxReplications)
	}
	if req.Until < 0 || req.Until > sim.MaxSpan {
		return 0, badField("until_s", "want a time from 0 to %v", sim.MaxSpan.Seconds())
	}
	return req.Until, nil
}

// applyWhatIf returns the changed state and spec (copies: st and spec are
// not modified) and the changes in words.
func applyWhatIf(req *WhatIfRequest, st twin.State, spec *twin.Spec) (twin.State, *twin.Spec, []string, error) {
	cspec := *spec
	cspec.Stations = slices.Clone(spec.Stations)
	cst := st
	cst.Stations = slices.Clone(st.Stations)
	cst.Arms = slices.Clone(st.Arms)
	var changes []string
	onLine := func(k int) bool { return req.Line == 0 || req.Line == k+1 }
	index := func(id string) int {
		return slices.IndexFunc(cspec.Stations, func(s stations.Spec) bool { return s.ID == id })
	}
	if b := req.Buffer; b != nil {
		c := stations.Capacity(b.Capacity)
		for _, sa := range cst.Stations {
			if sa.ID == b.Station && c != stations.Inf && sa.Buffer > int(c) {
				return cst, nil, nil, badField("buffer.capacity", "%d is below the %d unit(s) already waiting at %s on line %d",
					c, sa.Buffer, b.Station, sa.Line+1)
			}
		}
		i := index(b.Station)
		changes = append(changes, fmt.Sprintf("buffer of %s: %v -> %v", b.Station, cspec.Stations[i].Buffer, c))
		cspec.Stations[i].Buffer = c
	}
	if s := req.Speed; s != nil {
		i := index(s.Station)
		d, err := cspec.Stations[i].Cycle.Scale(1 / s.Factor)
		if err != nil {
			return cst, nil, nil, badField("speed.speed", "%v", err)
		}
		changes = append(changes, fmt.Sprintf("speed of %s x%v: cycle %v -> %v", s.Station, s.Factor, cspec.Stations[i].Cycle, d))
		cspec.Stations[i].Cycle = d
	}
	if id := req.RepairStation; id != "" {
		n := 0
		for j := range cst.Stations {
			sa := &cst.Stations[j]
			if sa.ID != id || !onLine(sa.Line) {
				continue
			}
			sa.Servers = slices.Clone(sa.Servers)
			for k := range sa.Servers {
				if repairServer(&sa.Servers[k]) {
					n++
				}
			}
		}
		if n == 0 {
			return cst, nil, nil, badField("repair_station", "no server of %q is down or broken%s: nothing to repair", id, lineNote(req.Line))
		}
		changes = append(changes, fmt.Sprintf("repair %d server(s) of %s", n, id))
	}
	if id := req.RepairArm; id != "" {
		n := 0
		for j := range cst.Arms {
			aa := &cst.Arms[j]
			if aa.ID != id || !onLine(aa.Line) || (aa.Phase != robots.Down && !aa.Broken) {
				continue
			}
			if aa.Phase == robots.Down {
				aa.Phase = robots.Idle
			}
			aa.Broken = false
			n++
		}
		if n == 0 {
			return cst, nil, nil, badField("repair_arm", "arm %q is not down or broken%s: nothing to repair", id, lineNote(req.Line))
		}
		changes = append(changes, fmt.Sprintf("repair arm %s on %d line(s)", id, n))
	}
	if err := cst.Validate(&cspec); err != nil {
		return cst, nil, nil, badField("body", "the changed state does not fit the changed model: %v", err)
	}
	return cst, &cspec, changes, nil
}

func lineNote(line int) string {
	if line == 0 {
		return ""
	}
	return fmt.Sprintf(" on line %d", line)
}

// repairServer ends a server's failure or break; it reports whether there
// was one.
func repairServer(sv *twin.ServerAt) bool {
	down := sv.Phase == stations.Down
	if !down && !sv.Broken {
		return false
	}
	sv.Broken = false
	if down {
		if sv.Unit {
			sv.Phase = stations.Working
		} else {
			sv.Phase = stations.Starved
		}
	}
	return true
}
