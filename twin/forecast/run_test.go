package forecast_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

func TestQuantilesOf(t *testing.T) {
	for _, c := range []struct {
		xs   []int64
		want forecast.Quantiles
	}{
		{[]int64{5}, forecast.Quantiles{P10: 5, P50: 5, P90: 5}},
		{[]int64{10, 0}, forecast.Quantiles{P10: 1, P50: 5, P90: 9}},
		{[]int64{4, 1, 3, 2, 5, 6, 7, 8, 9, 10, 11}, forecast.Quantiles{P10: 2, P50: 6, P90: 10}},
	} {
		in := append([]int64(nil), c.xs...)
		if got := forecast.QuantilesOf(c.xs); got != c.want || !reflect.DeepEqual(c.xs, in) {
			t.Errorf("QuantilesOf(%v) = %+v, want %+v (input kept: %v)", in, got, c.want, reflect.DeepEqual(c.xs, in))
		}
	}
}

// Run gives the same result with any number of workers, and refuses what
// it cannot run.
func TestRun(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 2)
	l.Line.RunFor(20 * sim.Minute)
	st := l.Line.State()
	until := st.Time + 30*sim.Minute
	one, err := forecast.Run(context.Background(), l.Spec, st, until, 5, 7, 1)
	if err != nil {
		t.Fatal(err)
	}
	if all, err := forecast.Run(context.Background(), l.Spec, st, until, 5, 7, 0); err != nil || !reflect.DeepEqual(all, one) {
		t.Errorf("all workers: %+v (%v), one worker %+v", all, err, one)
	}
	if one.From != st.Time || one.Until != until || one.Replications != 5 || one.Seed != 7 || len(one.GoodRuns) != 5 ||
		one.Good != forecast.QuantilesOf(one.GoodRuns) || one.Shipped != forecast.QuantilesOf(one.ShippedRuns) {
		t.Errorf("result %+v", one)
	}
	for name, run := range map[string]func() error{
		"nil spec":          func() error { _, err := forecast.Run(context.Background(), nil, st, until, 5, 7, 1); return err },
		"no replication":    func() error { _, err := forecast.Run(context.Background(), l.Spec, st, until, 0, 7, 1); return err },
		"until in the past": func() error { _, err := forecast.Run(context.Background(), l.Spec, st, st.Time-1, 5, 7, 1); return err },
		"negative workers":  func() error { _, err := forecast.Run(context.Background(), l.Spec, st, until, 5, 7, -1); return err },
	} {
		if err := run(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
