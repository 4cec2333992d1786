package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// forecastConfig is a small forecaster's configuration: 3 replications
// to the end of 30-minute shifts.
func forecastConfig() forecast.Config {
	return forecast.Config{Seed: 1, Replications: 3, Shift: 30 * time.Minute}
}

// heldTwin is demo-line after five simulated minutes, mirrored by a host
// whose forecasts fork from a held source (shift 8h), and its API under p
// reporting how each forecast ended on done.
func heldTwin(t *testing.T, p api.Policy) (*twintest.HeldSource, http.Handler, <-chan error) {
	t.Helper()
	l := twintest.MustLine(t, "demo-line", 1)
	h := l.MustHost(twintest.HostConfig{})
	src := twintest.NewHeldSource(h.Mirror)
	f, err := forecast.New(forecast.Config{Model: h.Forecast.Config().Model, Replications: 2}, src)
	if err != nil {
		t.Fatal(err)
	}
	l.Birth()
	l.Run(5*sim.Minute, 2*sim.Second, nil)
	done := make(chan error, 8)
	p = api.WithCostlyDone(p, func(err error) { done <- err })
	hd, err := api.Handler(api.Twin{Mirror: h.Mirror, Monitor: h.Monitor, Forecast: f}, p)
	if err != nil {
		t.Fatal(err)
	}
	return src, hd, done
}

// awaitDone returns how the next forecast ended.
func awaitDone(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		t.Fatal("no forecast ended within a minute")
		return nil
	}
}

// With every slot taken, a forecast or what-if is answered 429 with
// Retry-After at once; once the slot is free they run again.
func TestBusyForecastsAnswer429(t *testing.T) {
	src, hd, done := heldTwin(t, api.Policy{Token: testToken, Names: []string{"example.com"}, MaxForecasts: 1})
	first := make(chan *httptest.ResponseRecorder, 1)
	go func() { first <- serve(hd, http.MethodGet, "/api/forecast", "") }()
	<-src.Entered // the first holds the only slot
	for _, rq := range []struct{ method, target, body string }{
		{http.MethodGet, "/api/forecast", ""},
		{http.MethodGet, "/api/forecast?replications=10000&until=24h", ""},
		{http.MethodPost, "/api/whatif", `{"repair_station":"test"}`},
	} {
		rec := serve(hd, rq.method, rq.target, rq.body)
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "5" || !strings.Contains(errorOf(t, rec), "busy") {
			t.Errorf("%s %s while busy: %d, Retry-After %q, %q", rq.method, rq.target, rec.Code, rec.Header().Get("Retry-After"), rec.Body)
		}
	}
	src.Release()
	if rec := <-first; rec.Code != http.StatusOK {
		t.Fatalf("the first forecast: %d %q", rec.Code, rec.Body)
	}
	if err := awaitDone(t, done); err != nil {
		t.Fatal(err)
	}
	if rec := serve(hd, http.MethodGet, "/api/forecast?replications=3", ""); rec.Code != http.StatusOK {
		t.Errorf("once free: %d %q", rec.Code, rec.Body)
	}
	metrics := serve(hd, http.MethodGet, "/metrics", "").Body.String()
	for _, want := range []string{`lightsout_twin_http_refused_total{reason="busy"} 3`,
		`lightsout_twin_forecasts_total{outcome="done"} 2`, "lightsout_twin_forecasts_in_progress 0"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// The request of defect 3, replications=10000&until=24h, from a client that gives
// up: its replications stop with its connection.
func TestForecastStopsWhenTheClientLeaves(t *testing.T) {
	src, hd, done := heldTwin(t, api.Policy{Token: testToken, Names: []string{"example.com"}})
	srv := httptest.NewServer(hd)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/forecast?replications=10000&until=24h", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	answered := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		answered <- err
	}()
	<-src.Entered
	cancel() // the client gives up
	if err := <-answered; !errors.Is(err, context.Canceled) {
		t.Fatalf("client: %v", err)
	}
	src.Release()
	err = awaitDone(t, done)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "of 10000 replications") {
		t.Fatalf("the forecast ended with %v, want it stopped", err)
	}
	t.Log(err)
	rec := serve(hd, http.MethodGet, "/metrics", "")
	if !strings.Contains(rec.Body.String(), `lightsout_twin_forecasts_total{outcome="cancelled"} 1`) {
		t.Error("/metrics does not count the cancelled forecast")
	}
}

// A forecast past the time limit stops and is answered 503.
func TestForecastTimeLimit(t *testing.T) {
	src, hd, done := heldTwin(t, api.Policy{Token: testToken, Names: []string{"example.com"}, ForecastTimeout: time.Nanosecond})
	src.Release()
	rec := serve(hd, http.MethodGet, "/api/forecast", "")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(errorOf(t, rec), "time limit of 1ns") {
		t.Errorf("%d %q, want 503 naming the time limit", rec.Code, rec.Body)
	}
	if err := awaitDone(t, done); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ended with %v", err)
	}
}

// A forecast whose request is cancelled while the client still reads (the
// server is stopping) is answered 503, never an empty 200.
func TestCancelledForecastAnswers503(t *testing.T) {
	src, hd, done := heldTwin(t, api.Policy{Token: testToken, Names: []string{"example.com"}})
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/api/forecast", nil)
	rec := httptest.NewRecorder()
	served := make(chan struct{})
	go func() {
		hd.ServeHTTP(rec, req)
		close(served)
	}()
	<-src.Entered
	cancel()
	src.Release()
	<-served
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(errorOf(t, rec), "cancelled") {
		t.Errorf("%d %q, want 503 saying it was cancelled", rec.Code, rec.Body)
	}
	if err := awaitDone(t, done); !errors.Is(err, context.Canceled) {
		t.Errorf("ended with %v", err)
	}
}
