package host_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/host"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// fuzzMaxReps bounds the replications a fuzz input may run, so an
// iteration stays fast; larger (valid) counts are skipped.
const fuzzMaxReps = 3

// fuzzHost is demo-line with its arm broken, mirrored by a host with
// 2-minute shifts (so forecasts are short) and two replications by default.
func fuzzHost(f *testing.F) http.Handler {
	l := startLine(f, "demo-line", 4)
	h := l.newHost(host.Config{Replications: 2, Shift: 2 * time.Minute, Log: zap.NewNop()})
	l.birth()
	l.advance(20, 2*sim.Second)
	return h.Handler()
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
		`{"buffer":{"station":"assembly","capacity":5},"reps":2,"seed":1}`,
		`{"buffer":{"station":"pack","capacity":"inf"},"until":"3m"}`,
		`{"speed":{"station":"test","speed":1.2},"reps":1}`,
		`{"speed":{"station":"oven","speed":1e308}}`,
		`{"repair_arm":"arm-1","until":"1m"}`,
		`{"buffer":null,"repair_arm":""}`,
		`{"reps":3}`, `[]`, `null`, `"x"`, `{"a":1}`, ``, `{`,
	} {
		f.Add([]byte(s))
	}
	handler := fuzzHost(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		if req, err := host.DecodeWhatIf(bytes.NewReader(body)); err == nil && req.Reps > fuzzMaxReps && req.Reps <= host.MaxReplications {
			t.Skip("too many replications for a fuzz iteration")
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/whatif", bytes.NewReader(body)))
		var w host.WhatIfJSON
		checkAnswer(t, string(body), rec, &w)
		if rec.Code == http.StatusOK && (len(w.Changes) == 0 || len(w.Base.GoodRuns) != len(w.WhatIf.GoodRuns)) {
			t.Fatalf("%s: %+v", body, w)
		}
	})
}

func FuzzForecastQuery(f *testing.F) {
	for _, s := range []string{
		"", "until=2m", "reps=2&seed=9", "until=4m&reps=1", "reps=0", "reps=99999999999999999999",
		"until=-1s", "until=1e9h", "seed=18446744073709551616", "until=%zz", "x=1", "reps=1&reps=2",
		"until=3d", "until=NaNs",
	} {
		f.Add(s)
	}
	handler := fuzzHost(f)
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err == nil {
			if n, err := strconv.Atoi(q.Get("reps")); err == nil && n > fuzzMaxReps && n <= host.MaxReplications {
				t.Skip("too many replications for a fuzz iteration")
			}
		}
		r := httptest.NewRequest(http.MethodGet, "/api/forecast", nil)
		r.URL.RawQuery = query
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, r)
		var fc host.ForecastJSON
		checkAnswer(t, query, rec, &fc)
		if rec.Code == http.StatusOK && (fc.Until <= fc.From || len(fc.GoodRuns) != fc.Replications) {
			t.Fatalf("%q: %+v", query, fc)
		}
	})
}
