package forecast_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// countdown is a context that ends once its Err has answered nil left
// times: a test stops a forecast at a known point of its work, without
// timing. It counts the questions asked after its end.
type countdown struct {
	context.Context
	mu    sync.Mutex
	left  int
	after int
	done  chan struct{}
}

func newCountdown(left int) *countdown {
	return &countdown{Context: context.Background(), left: left, done: make(chan struct{})}
}

func (c *countdown) Done() <-chan struct{} { return c.done }

func (c *countdown) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.left > 0 {
		c.left--
		return nil
	}
	if c.after == 0 {
		close(c.done)
	}
	c.after++
	return context.Canceled
}

// forkedState is demo-line (seed 2) after 20 simulated minutes.
func forkedState(t *testing.T) (*twin.Spec, twin.State) {
	t.Helper()
	l := twintest.MustLine(t, "demo-line", 2)
	l.Line.RunFor(20 * sim.Minute)
	return l.Spec, l.Line.State()
}

// Run looks at its context between replications and every simulated
// minute within one: ended in the middle of the second replication of
// a thousand, it starts no other and says how many it finished.
func TestRunStopsWhenItsContextEnds(t *testing.T) {
	spec, st := forkedState(t)
	until := st.Time + 30*sim.Minute
	// One worker: one look before each replication, one after each of
	// its first 29 one-minute slices.
	ctx := newCountdown(30 + 1 + 10)
	_, err := forecast.Run(ctx, spec, st, until, 1000, 7, 1)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped after 1 of 1000 replications") {
		t.Fatalf("Run: %v, want it stopped after 1 of 1000 replications", err)
	}
	if ctx.after > 3 {
		t.Errorf("%d looks at the context after its end: the work went on", ctx.after)
	}

	for _, workers := range []int{2, 4} {
		ctx := newCountdown(100)
		_, err := forecast.Run(ctx, spec, st, until, 1000, 7, workers)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%d workers: %v", workers, err)
		}
		if ctx.after > 2*workers+1 {
			t.Errorf("%d workers: %d looks at the context after its end", workers, ctx.after)
		}
	}
}

// Running in slices gives each replication exactly the output of one
// uninterrupted run to the same time.
func TestRunSlicedIsOneRun(t *testing.T) {
	spec, st := forkedState(t)
	until := st.Time + 95*sim.Minute + 7*sim.Second // not a whole number of slices
	r, err := forecast.Run(context.Background(), spec, st, until, 3, 7, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		l, err := twin.NewLineFromState(spec, st, twin.ReplicationSeed(7, i))
		if err != nil {
			t.Fatal(err)
		}
		l.RunUntil(until)
		if good, shipped := l.Output(); good != r.GoodRuns[i] || shipped != r.ShippedRuns[i] {
			t.Errorf("replication %d: sliced %d good, %d shipped; one run %d, %d", i, r.GoodRuns[i], r.ShippedRuns[i], good, shipped)
		}
	}
}

// A forecast waiting for the one before gives up when its context ends,
// and a forecast cancelled while it runs is neither kept as the latest nor
// cached.
func TestForecastGivesUpWithItsContext(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 3)
	m := l.MustMirror(mirror.Config{})
	src := twintest.NewHeldSource(m)
	f, err := forecast.New(forecast.Config{Model: mirror.Model{Spec: l.Spec, Prefix: l.Spec.Name},
		Replications: 3, Shift: time.Hour}, src)
	if err != nil {
		t.Fatal(err)
	}
	l.Birth()
	l.Run(5*sim.Minute, 2*sim.Second, nil)

	first := make(chan error, 1)
	go func() {
		_, err := f.Forecast(context.Background(), forecast.ForecastRequest{})
		first <- err
	}()
	<-src.Entered // the first holds the turn
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Forecast(ctx, forecast.ForecastRequest{}); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting forecast: %v, want context.Canceled", err)
	}
	if _, err := f.WhatIf(ctx, forecast.WhatIfRequest{RepairArm: "arm-1"}); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting what-if: %v, want context.Canceled", err)
	}
	src.Release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	before, _ := f.LatestForecast()

	l.Run(sim.Minute, 2*sim.Second, nil)
	stop := newCountdown(3)
	if _, err := f.Forecast(stop, forecast.ForecastRequest{Replications: 50}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled forecast: %v", err)
	}
	if latest, _ := f.LatestForecast(); latest.From != before.From || len(latest.GoodRuns) != 3 {
		t.Errorf("latest forecast after a cancelled one: from %v, %d runs", latest.From, len(latest.GoodRuns))
	}
}
