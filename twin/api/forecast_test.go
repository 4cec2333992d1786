package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// forecastLine is demo-line with seed after d, mirrored by a host with a
// forecaster configured by cfg, and its API.
func forecastLine(tb testing.TB, seed uint64, d sim.Time, cfg forecast.Config) (*twintest.Line, *twintest.Host, http.Handler) {
	tb.Helper()
	return running(tb, seed, d, twintest.HostConfig{Mirror: mirror.Config{Log: zaptest.NewLogger(tb, zaptest.Level(zap.WarnLevel))},
		Forecast: cfg})
}

// postWhatIf POSTs body to /api/whatif and decodes the answer into v.
func postWhatIf(t *testing.T, hd http.Handler, body string, v any) int {
	t.Helper()
	rec := serve(hd, http.MethodPost, "/api/whatif", body)
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("POST %s: %d %q: %v", body, rec.Code, rec.Body, err)
	}
	return rec.Code
}

// noModel returns the API of a twin without a model of the line.
func noModel(t *testing.T) http.Handler {
	t.Helper()
	l := twintest.MustLine(t, "demo-line", 1)
	return mustHandler(t, l.MustHost(twintest.HostConfig{NoModel: true}), nil)
}

func TestForecastAPI(t *testing.T) {
	_, h, hd := forecastLine(t, 2, 2*sim.Minute, forecast.Config{Seed: 1, Replications: 3, Shift: 30 * time.Minute})

	var f forecast.ForecastJSON
	if code := getJSON(t, hd, "/api/forecast?until=20m&replications=4&seed=9", &f); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if f.Until != 20*sim.Minute || f.Replications != 4 || f.Seed != 9 || len(f.GoodRuns) != 4 {
		t.Errorf("forecast %+v", f)
	}
	seed := uint64(f.Seed)
	direct, err := h.Forecast.Forecast(context.Background(), forecast.ForecastRequest{Until: 20 * sim.Minute, Replications: 4, Seed: &seed})
	if err != nil || !reflect.DeepEqual(direct, f) {
		t.Errorf("API %+v, direct %+v (%v)", f, direct, err)
	}

	for _, c := range []struct{ query, field string }{
		{"replications=0", "replications"},
		{"replications=10001", "replications"},
		{"replications=x", "replications"},
		{"seed=-1", "seed"},
		{"until=1m", "until"},  // before now (2m)
		{"until=10h", "until"}, // more than 3 shifts ahead
		{"until=5", "until"},
		{"until=0s", "until"},
		{"colour=red", "colour"},
		{"replications=2&replications=3", "replications"},
	} {
		var e struct{ Error string }
		code := getJSON(t, hd, "/api/forecast?"+c.query, &e)
		if code != http.StatusBadRequest || !strings.HasPrefix(e.Error, c.field+":") {
			t.Errorf("%s: status %d, error %q (want 400 naming %s)", c.query, code, e.Error, c.field)
		}
	}

	var e struct{ Error string }
	if code := getJSON(t, noModel(t), "/api/forecast", &e); code != http.StatusConflict || !strings.Contains(e.Error, "--config") {
		t.Errorf("no model: status %d, %q", code, e.Error)
	}
}

// brokenArmLine is the API of demo-line (seed 4) after 5 minutes, then 2
// more with its arm broken by command, mirrored by a host with a
// forecaster configured by cfg.
func brokenArmLine(t *testing.T, cfg forecast.Config) http.Handler {
	t.Helper()
	l, _, hd := forecastLine(t, 4, 5*sim.Minute, cfg)
	l.Do(twin.Command{Kind: twin.BreakArm, Target: "arm-1"})
	l.Run(2*sim.Minute, 2*sim.Second, nil)
	return hd
}

func TestWhatIfRejects(t *testing.T) {
	hd := brokenArmLine(t, forecast.Config{Replications: 2, Shift: time.Hour})

	var ok forecast.WhatIfJSON
	if code := postWhatIf(t, hd, `{"repair_arm":"arm-1","replications":2,"until_s":1800,"seed":"4"}`, &ok); code != http.StatusOK ||
		ok.Base.Until != 30*sim.Minute || ok.Base.Seed != 4 || len(ok.WhatIf.GoodRuns) != 2 {
		t.Errorf("status %d, %+v", code, ok)
	}
	var inf forecast.WhatIfJSON
	if code := postWhatIf(t, hd, `{"buffer":{"station":"pack","capacity":"inf"},"replications":1}`, &inf); code != http.StatusOK ||
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
		{`{"station_speed":{"station":"test","factor":0}}`, "station_speed.factor"},
		{`{"station_speed":{"station":"test","factor":1000}}`, "station_speed.factor"},
		{`{"station_speed":{"station":"oven","factor":2}}`, "station_speed.station"},
		{`{"repair_arm":"arm-1","replications":10001}`, "replications"},
		{`{"repair_arm":"arm-1","replications":-1}`, "replications"},
		{`{"repair_arm":"arm-1","until_s":60}`, "until_s"},
		{`{"repair_arm":"arm-1","until_s":"soon"}`, "until_s"},
		{`{"repair_arm":"arm-1","seed":-3}`, "seed"},
		{`{"repair_arm":"arm-1","wish":"more"}`, "wish"},
	} {
		var e struct{ Error string }
		code := postWhatIf(t, hd, c.body, &e)
		if code != http.StatusBadRequest || !strings.HasPrefix(e.Error, c.field+":") {
			t.Errorf("%.80s: status %d, error %q (want 400 naming %s)", c.body, code, e.Error, c.field)
		}
	}
	// A body over the API's limit is refused before it is read.
	var e struct{ Error string }
	if code := postWhatIf(t, hd, `{"repair_arm":"arm-1","pad":"`+strings.Repeat("x", 1<<16)+`"}`, &e); code != http.StatusRequestEntityTooLarge ||
		!strings.HasPrefix(e.Error, "body:") {
		t.Errorf("a body over 64 KiB: status %d, error %q (want 413 naming body)", code, e.Error)
	}
	if rec := serve(hd, http.MethodGet, "/api/whatif", ""); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/whatif: %d", rec.Code)
	}
}

func TestWhatIfNoModel(t *testing.T) {
	var e struct{ Error string }
	if code := postWhatIf(t, noModel(t), `{"repair_arm":"arm-1"}`, &e); code != http.StatusConflict || !strings.Contains(e.Error, "model") {
		t.Errorf("status %d, %q", code, e.Error)
	}
}

// fuzzMaxReps bounds the replications a fuzz input may run, so an
// iteration stays fast; larger (valid) counts are skipped.
const fuzzMaxReps = 3

// fuzzHandler is demo-line with its arm broken, mirrored by a host with
// 2-minute shifts (so forecasts are short) and two replications by
// default.
func fuzzHandler(f *testing.F) http.Handler {
	// A logger of f may not be called inside the fuzz target: discard.
	_, _, hd := running(f, 4, 40*sim.Second, twintest.HostConfig{Mirror: mirror.Config{Log: zap.NewNop()},
		Forecast: forecast.Config{Replications: 2, Shift: 2 * time.Minute}})
	return hd
}

// checkAnswer checks that an answer is a 200 with a document or a 4xx
// with a JSON error.
func checkAnswer(t *testing.T, what string, rec *httptest.ResponseRecorder, doc any) {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("%s: content type %q", what, ct)
	}
	switch {
	case rec.Code == http.StatusOK:
		if err := json.Unmarshal(rec.Body.Bytes(), doc); err != nil {
			t.Fatalf("%s: 200 with %q: %v", what, rec.Body, err)
		}
	case rec.Code >= 400 && rec.Code < 500:
		var e struct{ Error string }
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
			t.Fatalf("%s: %d with %q", what, rec.Code, rec.Body)
		}
	default:
		t.Fatalf("%s: status %d: %s", what, rec.Code, rec.Body)
	}
}

func FuzzWhatIfRequest(f *testing.F) {
	for _, s := range []string{
		`{"repair_arm":"arm-1"}`,
		`{"repair_station":"test","line":1}`,
		`{"buffer":{"station":"assembly","capacity":5},"replications":2,"seed":"1"}`,
		`{"buffer":{"station":"pack","capacity":"inf"},"until_s":180}`,
		`{"station_speed":{"station":"test","factor":1.2},"replications":1}`,
		`{"station_speed":{"station":"oven","factor":1e308}}`,
		`{"repair_arm":"arm-1","until_s":"1m"}`,
		`{"buffer":null,"repair_arm":""}`,
		`{"replications":3}`, `[]`, `null`, `"x"`, `{"a":1}`, ``, `{`,
	} {
		f.Add([]byte(s))
	}
	hd := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		if req, err := forecast.DecodeWhatIf(bytes.NewReader(body)); err == nil && req.Replications > fuzzMaxReps && req.Replications <= forecast.MaxReplications {
			t.Skip("too many replications for a fuzz iteration")
		}
		rec := serve(hd, http.MethodPost, "/api/whatif", string(body))
		var w forecast.WhatIfJSON
		checkAnswer(t, string(body), rec, &w)
		if rec.Code == http.StatusOK && (len(w.Changes) == 0 || len(w.Base.GoodRuns) != len(w.WhatIf.GoodRuns)) {
			t.Fatalf("%s: %+v", body, w)
		}
	})
}

func FuzzForecastQuery(f *testing.F) {
	for _, s := range []string{
		"", "until=2m", "replications=2&seed=9", "until=4m&replications=1", "replications=0", "replications=99999999999999999999",
		"until=-1s", "until=1e9h", "seed=18446744073709551616", "until=%zz", "x=1", "replications=1&replications=2",
		"until=3d", "until=NaNs",
	} {
		f.Add(s)
	}
	hd := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err == nil {
			if n, err := strconv.Atoi(q.Get("replications")); err == nil && n > fuzzMaxReps && n <= forecast.MaxReplications {
				t.Skip("too many replications for a fuzz iteration")
			}
		}
		rec := getQuery(hd, "/api/forecast", query)
		var fc forecast.ForecastJSON
		checkAnswer(t, query, rec, &fc)
		if rec.Code == http.StatusOK && (fc.Until <= fc.From || len(fc.GoodRuns) != fc.Replications) {
			t.Fatalf("%q: %+v", query, fc)
		}
	})
}
