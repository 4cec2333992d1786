package experiment

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// demoPlan is a quick plan on the demo line: one point per test-station
// buffer capacity given, reps replications of 8 h after 1 h of warm-up.
func demoPlan(t *testing.T, reps int, buffers ...int) *Plan {
	t.Helper()
	base, err := configs.OpenBase("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	plan := &Plan{Sweep: "test", Base: base.Name(), SweepSHA256: "abc", Version: "v",
		Duration: 8 * sim.Hour, Warmup: sim.Hour, Seed: 3, Replications: reps,
		Params: []string{"stations[test].buffer"}}
	for i, b := range buffers {
		spec, err := base.With([]configs.Override{{Path: "stations[test].buffer", Value: b}})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := json.Marshal(b)
		plan.Points = append(plan.Points, Point{Index: i, Name: string(v), Spec: spec,
			Values: []Param{{Path: "stations[test].buffer", Value: v}}})
	}
	return plan
}

// TestCommonRandomNumbers checks the point of common random numbers: a
// scenario identical to the base differs from it by exactly 0 in every
// replication, and a real change gives a paired difference whose interval
// is narrower than that of the difference of two independent means.
func TestCommonRandomNumbers(t *testing.T) {
	const reps = 8
	plan := demoPlan(t, reps, 4, 4, 0)
	runs, _, err := Execute(context.Background(), plan, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3*reps {
		t.Fatalf("%d runs, want %d", len(runs), 3*reps)
	}
	for i, r := range runs {
		if r.Point != i/reps || r.Replication != i%reps || r.Seed != twin.ReplicationSeed(3, r.Replication) {
			t.Fatalf("run %d: point %d replication %d seed %d: out of order or wrong seed", i, r.Point, r.Replication, r.Seed)
		}
	}
	s := Summarize(NewManifest(plan, Shard{}), runs)
	same := s.Scenarios[1].VsBase
	for j, e := range same.values() {
		if e.Mean != 0 || e.CI95 != 0 || e.N != reps {
			t.Errorf("identical scenario, KPI %s: difference %+v, want exactly 0 over %d", kpiNames()[j], *e, reps)
		}
	}
	var a, b []float64
	for _, r := range runs {
		switch r.Point {
		case 0:
			a = append(a, r.GoodPerHour)
		case 2:
			b = append(b, r.GoodPerHour)
		}
	}
	paired := s.Scenarios[2].VsBase.GoodPerHour
	unpaired := welchCI95(a, b)
	t.Logf("buffer 0 vs 4: good/h difference %.2f, paired ±%.2f, unpaired ±%.2f", paired.Mean, paired.CI95, unpaired)
	if paired.Mean >= 0 {
		t.Errorf("no buffer in front of the bottleneck gains %.2f good/h, want a loss", paired.Mean)
	}
	if !(paired.CI95 > 0 && paired.CI95 < unpaired/2) {
		t.Errorf("paired half-width %.3f, want positive and under half the unpaired %.3f", paired.CI95, unpaired)
	}
}

// welchCI95 is the 95% half-width of the difference of two independent
// means (Welch).
func welchCI95(a, b []float64) float64 {
	var sa, sb Stat
	for _, x := range a {
		sa.Add(x)
	}
	for _, x := range b {
		sb.Add(x)
	}
	va, vb := sa.StdDev()*sa.StdDev()/float64(sa.N()), sb.StdDev()*sb.StdDev()/float64(sb.N())
	df := (va + vb) * (va + vb) / (va*va/float64(sa.N()-1) + vb*vb/float64(sb.N()-1))
	return StudentTQuantile(0.975, df) * math.Sqrt(va+vb)
}

// TestExecuteWorkersAndShards checks that the results do not depend on the
// worker count, and that shards together run exactly the unsharded runs.
func TestExecuteWorkersAndShards(t *testing.T) {
	plan := demoPlan(t, 2, 1, 2, 3, 4)
	one, _, err := Execute(context.Background(), plan, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	three, _, err := Execute(context.Background(), plan, Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(one) != 8 || !equalRuns(one, three) {
		t.Fatalf("1 worker and 3 workers differ:\n%+v\n%+v", one, three)
	}
	got := map[[2]int]RunResult{}
	for i := range 3 {
		runs, _, err := Execute(context.Background(), plan, Options{Shard: Shard{i, 3}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runs {
			if r.Point%3 != i {
				t.Errorf("shard %d/3 ran point %d", i, r.Point)
			}
			got[[2]int{r.Point, r.Replication}] = r
		}
	}
	for _, r := range one {
		if got[[2]int{r.Point, r.Replication}] != r {
			t.Errorf("point %d replication %d: shard gave %+v, want %+v", r.Point, r.Replication, got[[2]int{r.Point, r.Replication}], r)
		}
	}
}

func equalRuns(a, b []RunResult) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestExecuteCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Execute(ctx, demoPlan(t, 1, 1, 2), Options{Workers: 1}); err != context.Canceled {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
