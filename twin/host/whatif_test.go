package host_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// postWhatIf POSTs body to /api/whatif and decodes the answer into v.
func postWhatIf(t *testing.T, url, body string, v any) int {
	t.Helper()
	resp, err := http.Post(url+"/api/whatif", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("POST %s: %v", body, err)
	}
	return resp.StatusCode
}

// brokenArmLine is demo-line after 5 minutes, then 2 more with its arm
// broken by command, mirrored by the host it returns.
func brokenArmLine(t *testing.T, cfg host.Config) (*liveLine, *host.Host) {
	t.Helper()
	l := startLine(t, "demo-line", 4)
	h := l.newHost(cfg)
	l.birth()
	l.advance(150, 2*sim.Second)
	if err := l.line.Do(twin.Command{Kind: twin.BreakArm, Target: "arm-1"}); err != nil {
		t.Fatal(err)
	}
	l.advance(60, 2*sim.Second)
	return l, h
}

func TestWhatIfRepairArm(t *testing.T) {
	_, h := brokenArmLine(t, host.Config{Seed: 3, Replications: 8, Shift: time.Hour})
	w, err := h.WhatIf(host.WhatIfRequest{RepairArm: "arm-1"})
	if err != nil {
		t.Fatal(err)
	}
	base, err := h.Forecast(host.ForecastRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(w.Base, base) {
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
	again, err := h.WhatIf(host.WhatIfRequest{RepairArm: "arm-1"})
	if err != nil || !reflect.DeepEqual(again, w) {
		t.Errorf("again: %v\n%+v\n%+v", err, again, w)
	}
}

func TestWhatIfBufferAndSpeed(t *testing.T) {
	l := startLine(t, "demo-line", 8)
	h := l.newHost(host.Config{Seed: 2, Replications: 10, Shift: 2 * time.Hour})
	l.birth()
	l.advance(300, 2*sim.Second)

	// Common random numbers: a change that changes nothing gives zero
	// differences, replication by replication.
	same, err := h.WhatIf(host.WhatIfRequest{Buffer: &host.BufferChange{Station: "test", Capacity: 4}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(same.Base.GoodRuns, same.WhatIf.GoodRuns) || same.Paired != (twin.Quantiles{}) {
		t.Errorf("unchanged buffer: base %v, what-if %v, paired %+v", same.Base.GoodRuns, same.WhatIf.GoodRuns, same.Paired)
	}

	// A bigger buffer before the bottleneck loses no output.
	big, err := h.WhatIf(host.WhatIfRequest{Buffer: &host.BufferChange{Station: "test", Capacity: 20}})
	if err != nil {
		t.Fatal(err)
	}
	if big.WhatIf.Good.P50 < big.Base.Good.P50 {
		t.Errorf("bigger buffer: base %+v, what-if %+v", big.Base.Good, big.WhatIf.Good)
	}

	// The bottleneck 1.5 times as fast makes clearly more.
	fast, err := h.WhatIf(host.WhatIfRequest{Speed: &host.SpeedChange{Station: "test", Speed: 1.5}})
	if err != nil {
		t.Fatal(err)
	}
	if fast.DeltaP50 < 50 || fast.Paired.P10 <= 0 {
		t.Errorf("faster test: base %+v, what-if %+v, paired %+v", fast.Base.Good, fast.WhatIf.Good, fast.Paired)
	}
	if !strings.Contains(fast.Changes[0], "normal(6s,333.333333ms)") {
		t.Errorf("change %q", fast.Changes[0])
	}
}

func TestWhatIfRejects(t *testing.T) {
	_, h := brokenArmLine(t, host.Config{Replications: 2, Shift: time.Hour})
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()

	var ok host.WhatIfJSON
	if code := postWhatIf(t, srv.URL, `{"repair_arm":"arm-1","reps":2,"until":"30m","seed":4}`, &ok); code != http.StatusOK ||
		ok.Base.Until != 30*sim.Minute || ok.Base.Seed != 4 || len(ok.WhatIf.GoodRuns) != 2 {
		t.Errorf("status %d, %+v", code, ok)
	}
	var inf host.WhatIfJSON
	if code := postWhatIf(t, srv.URL, `{"buffer":{"station":"pack","capacity":"inf"},"reps":1}`, &inf); code != http.StatusOK ||
		!strings.Contains(inf.Changes[0], "-> inf") {
		t.Errorf("unbounded buffer: status %d, %+v", code, inf.Changes)
	}

	for _, c := range []struct{ body, field string }{
		{``, "body"},
		{`{}`, "body"},
		{`[]`, "body"},
		{`{"repair_arm":"arm-1"} {}`, "body"},
		{`{"repair_arm":"arm-1"`, "body"},
		{`{"repair_arm":"arm-9"}`, "repair_arm"},
		{`{"repair_arm":7}`, "repair_arm"},
		{`{"repair_station":"test"}`, "repair_station"}, // not down
		{`{"repair_station":"nowhere"}`, "repair_station"},
		{`{"repair_arm":"arm-1","line":2}`, "line"},
		{`{"buffer":{"station":"test","capacity":-2}}`, "buffer.capacity"},
		{`{"buffer":{"station":"test","capacity":1.5}}`, "buffer.capacity"},
		{`{"buffer":{"station":"test","capacity":"lots"}}`, "buffer.capacity"},
		{`{"buffer":{"station":"nowhere","capacity":3}}`, "buffer.station"},
		{`{"buffer":{"station":"test","capacity":3,"colour":1}}`, "colour"},
		{`{"speed":{"station":"test","speed":0}}`, "speed.speed"},
		{`{"speed":{"station":"test","speed":1000}}`, "speed.speed"},
		{`{"speed":{"station":"oven","speed":2}}`, "speed.station"},
		{`{"repair_arm":"arm-1","reps":10001}`, "reps"},
		{`{"repair_arm":"arm-1","reps":-1}`, "reps"},
		{`{"repair_arm":"arm-1","until":"1m"}`, "until"},
		{`{"repair_arm":"arm-1","until":"soon"}`, "until"},
		{`{"repair_arm":"arm-1","seed":-3}`, "seed"},
		{`{"repair_arm":"arm-1","wish":"more"}`, "wish"},
	} {
		var e struct{ Error string }
		code := postWhatIf(t, srv.URL, c.body, &e)
		if code != http.StatusBadRequest || !strings.HasPrefix(e.Error, c.field+":") {
			t.Errorf("%s: status %d, error %q (want 400 naming %s)", c.body, code, e.Error, c.field)
		}
	}
}

func TestWhatIfBufferBelowWaiting(t *testing.T) {
	l := startLine(t, "demo-line", 4)
	h := l.newHost(host.Config{Replications: 2, Shift: time.Hour})
	l.birth()
	l.advance(150, 2*sim.Second)
	st, err := h.State()
	if err != nil {
		t.Fatal(err)
	}
	// The buffer in front of the bottleneck is full by now.
	waiting := findStation(&st, 0, "test").Buffer
	if waiting < 2 {
		t.Fatalf("only %d units wait at test", waiting)
	}
	_, err = h.WhatIf(host.WhatIfRequest{Buffer: &host.BufferChange{Station: "test", Capacity: host.BufferLimit(waiting - 1)}})
	var re *host.RequestError
	if !errors.As(err, &re) || re.Field != "buffer.capacity" || !strings.Contains(re.Msg, "already waiting") {
		t.Errorf("capacity below the units waiting: %v", err)
	}
	if _, err := h.WhatIf(host.WhatIfRequest{Buffer: &host.BufferChange{Station: "test", Capacity: host.BufferLimit(waiting)}}); err != nil {
		t.Errorf("capacity of the units waiting: %v", err)
	}
}

func TestWhatIfNoModel(t *testing.T) {
	h, err := host.New(host.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	var e struct{ Error string }
	if code := postWhatIf(t, srv.URL, `{"repair_arm":"arm-1"}`, &e); code != http.StatusConflict || !strings.Contains(e.Error, "model") {
		t.Errorf("status %d, %q", code, e.Error)
	}
}

func TestBufferLimitJSON(t *testing.T) {
	for _, c := range []host.BufferLimit{0, 7, host.BufferLimit(stations.Inf)} {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back host.BufferLimit
		if err := json.Unmarshal(b, &back); err != nil || back != c {
			t.Errorf("%d -> %s -> %d (%v)", c, b, back, err)
		}
	}
	req := host.WhatIfRequest{Buffer: &host.BufferChange{Station: "s", Capacity: 3}, Reps: 2}
	b, _ := json.Marshal(req)
	back, err := host.DecodeWhatIf(bytes.NewReader(b))
	if err != nil || !reflect.DeepEqual(back, req) {
		t.Errorf("%s -> %+v (%v)", b, back, err)
	}
}
