package forecast_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// brokenArm is demo-line (seed 4) after 5 minutes, then 2 more with its
// arm broken by command, and a forecaster of it configured by cfg.
func brokenArm(t *testing.T, cfg forecast.Config) *forecast.Forecaster {
	t.Helper()
	l := twintest.MustLine(t, "demo-line", 4)
	f := forecaster(l, cfg)
	l.Birth()
	l.Run(5*sim.Minute, 2*sim.Second, nil)
	l.Do(twin.Command{Kind: twin.BreakArm, Target: "arm-1"})
	l.Run(2*sim.Minute, 2*sim.Second, nil)
	return f
}

// mustWhatIf runs req with f.
func mustWhatIf(t *testing.T, f *forecast.Forecaster, req forecast.WhatIfRequest) forecast.WhatIfJSON {
	t.Helper()
	w, err := f.WhatIf(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestWhatIfRepairArm(t *testing.T) {
	f := brokenArm(t, forecast.Config{Seed: 3, Replications: 8, Shift: time.Hour})
	w := mustWhatIf(t, f, forecast.WhatIfRequest{RepairArm: "arm-1"})
	if base := mustForecast(t, f, forecast.ForecastRequest{}); !reflect.DeepEqual(w.Base, base) {
		t.Errorf("what-if base %+v, forecast %+v", w.Base, base)
	}
	// Broken by command, the arm stays down: the base line ships only what
	// is past assembly already.
	if w.WhatIf.Good.P50 <= w.Base.Good.P50+100 || w.DeltaP50 != w.WhatIf.Good.P50-w.Base.Good.P50 {
		t.Errorf("repairing the arm: base %+v, what-if %+v, delta %v", w.Base.Good, w.WhatIf.Good, w.DeltaP50)
	}
	for i := range w.Base.GoodRuns {
		if w.WhatIf.GoodRuns[i] < w.Base.GoodRuns[i] {
			t.Errorf("replication %d: %d good repaired, %d broken", i, w.WhatIf.GoodRuns[i], w.Base.GoodRuns[i])
		}
	}
	if w.Paired.P10 <= 0 || w.Paired.P10 > w.Paired.P50 || w.Paired.P50 > w.Paired.P90 || len(w.Changes) != 1 {
		t.Errorf("paired %+v, changes %q", w.Paired, w.Changes)
	}
	if again := mustWhatIf(t, f, forecast.WhatIfRequest{RepairArm: "arm-1"}); !reflect.DeepEqual(again, w) {
		t.Errorf("again:\n%+v\n%+v", again, w)
	}
	// The arm is broken on the one copy there is: line 1 names it.
	if one := mustWhatIf(t, f, forecast.WhatIfRequest{RepairArm: "arm-1", Line: 1}); !reflect.DeepEqual(one.WhatIf, w.WhatIf) {
		t.Errorf("repair on line 1: %+v, on every line %+v", one.WhatIf.Good, w.WhatIf.Good)
	}
}

func TestWhatIfBufferAndSpeed(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 8)
	f := forecaster(l, forecast.Config{Seed: 2, Replications: 10, Shift: 2 * time.Hour})
	l.Birth()
	l.Run(10*sim.Minute, 2*sim.Second, nil)

	// Common random numbers: a change that changes nothing gives zero
	// differences, replication by replication.
	same := mustWhatIf(t, f, forecast.WhatIfRequest{Buffer: &forecast.BufferChange{Station: "test", Capacity: 4}})
	if !reflect.DeepEqual(same.Base.GoodRuns, same.WhatIf.GoodRuns) || same.Paired != (forecast.Quantiles{}) {
		t.Errorf("unchanged buffer: base %v, what-if %v, paired %+v", same.Base.GoodRuns, same.WhatIf.GoodRuns, same.Paired)
	}

	// A bigger buffer before the bottleneck loses no output.
	big := mustWhatIf(t, f, forecast.WhatIfRequest{Buffer: &forecast.BufferChange{Station: "test", Capacity: 20}})
	if big.WhatIf.Good.P50 < big.Base.Good.P50 {
		t.Errorf("bigger buffer: base %+v, what-if %+v", big.Base.Good, big.WhatIf.Good)
	}

	// The bottleneck 1.5 times as fast makes clearly more.
	fast := mustWhatIf(t, f, forecast.WhatIfRequest{Speed: &forecast.SpeedChange{Station: "test", Factor: 1.5}})
	if fast.DeltaP50 < 50 || fast.Paired.P10 <= 0 {
		t.Errorf("faster test: base %+v, what-if %+v, paired %+v", fast.Base.Good, fast.WhatIf.Good, fast.Paired)
	}
	if !strings.Contains(fast.Changes[0], "normal(6s,333.333333ms)") {
		t.Errorf("change %q", fast.Changes[0])
	}
}

func TestWhatIfBufferBelowWaiting(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 4)
	f := forecaster(l, forecast.Config{Replications: 2, Shift: time.Hour})
	l.Birth()
	l.Run(5*sim.Minute, 2*sim.Second, nil)
	st, _, err := f.State()
	if err != nil {
		t.Fatal(err)
	}
	// The buffer in front of the bottleneck is full by now.
	waiting := twintest.StationAt(&st, 0, "test").Buffer
	if waiting < 2 {
		t.Fatalf("only %d units wait at test", waiting)
	}
	_, err = f.WhatIf(context.Background(), forecast.WhatIfRequest{Buffer: &forecast.BufferChange{Station: "test", Capacity: forecast.BufferLimit(waiting - 1)}})
	var re *forecast.RequestError
	if !errors.As(err, &re) || re.Field != "buffer.capacity" || !strings.Contains(re.Msg, "already waiting") {
		t.Errorf("capacity below the units waiting: %v", err)
	}
	if _, err := f.WhatIf(context.Background(), forecast.WhatIfRequest{Buffer: &forecast.BufferChange{Station: "test", Capacity: forecast.BufferLimit(waiting)}}); err != nil {
		t.Errorf("capacity of the units waiting: %v", err)
	}
}

func TestBufferLimitJSON(t *testing.T) {
	for _, c := range []forecast.BufferLimit{0, 7, forecast.BufferLimit(stations.Inf)} {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back forecast.BufferLimit
		if err := json.Unmarshal(b, &back); err != nil || back != c {
			t.Errorf("%d -> %s -> %d (%v)", c, b, back, err)
		}
	}
	req := forecast.WhatIfRequest{Buffer: &forecast.BufferChange{Station: "s", Capacity: 3}, Replications: 2}
	b, _ := json.Marshal(req)
	back, err := forecast.DecodeWhatIf(bytes.NewReader(b))
	if err != nil || !reflect.DeepEqual(back, req) {
		t.Errorf("%s -> %+v (%v)", b, back, err)
	}
}

// A what-if request's seed is a JSON string or a whole JSON number below
// 2^53; a larger number is a seed error that says to quote it.
func TestWhatIfSeedNumberOrString(t *testing.T) {
	for _, seed := range []string{`"9"`, `9`} {
		req, err := forecast.DecodeWhatIf(strings.NewReader(`{"repair_arm":"arm-1","seed":` + seed + `}`))
		if err != nil || req.Seed == nil || *req.Seed != 9 {
			t.Errorf("seed %s: %+v, %v", seed, req, err)
		}
		b, _ := json.Marshal(req)
		if !strings.Contains(string(b), `"seed":"9"`) {
			t.Errorf("seed %s written back as %s", seed, b)
		}
	}
	_, err := forecast.DecodeWhatIf(strings.NewReader(`{"repair_arm":"arm-1","seed":9007199254740993}`))
	var re *forecast.RequestError
	if !errors.As(err, &re) || re.Field != "seed" || !strings.Contains(re.Msg, `write it as a string, "9007199254740993"`) {
		t.Errorf("seed above 2^53: %v", err)
	}
}
