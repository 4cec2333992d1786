package twin_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// slowestAt returns the station of spec with the lowest design rate when
// station target runs at speed f: the bottleneck theory expects.
func slowestAt(spec *twin.Spec, target string, f float64) string {
	best, worst := "", 0.0
	for i := range spec.Stations {
		s := &spec.Stations[i]
		speed := 1.0
		if s.ID == target {
			speed = f
		}
		per := spec.IdealCycleAt(i, speed).Seconds()
		if s.Conveyor == nil {
			per /= float64(s.Servers)
		}
		if per > worst {
			best, worst = s.ID, per
		}
	}
	return best
}

// The defect: demo-line's bottleneck label was cumulative since the reset
// and took hours to follow a speed-up. Now the average bottleneck over the
// sliding window names the designed constraint (test), and within one
// window after test is sped up names the station theory expects at the new
// speeds, as the momentary bottleneck does.
func TestBottleneckFollowsASpeedUp(t *testing.T) {
	l := mustEmbedded(t, "demo-line", 1)
	spec := l.Spec()
	name := func(i int) string {
		if i < len(spec.Stations) {
			return spec.Stations[i].ID
		}
		return "none"
	}
	l.RunFor(2 * sim.Hour)
	snap := l.Snapshot()
	if got, want := name(snap.Line.Bottleneck), slowestAt(spec, "", 1); got != want || want != "test" {
		t.Fatalf("bottleneck before the speed-up %s, want %s (test)", got, want)
	}
	if r := l.Result(); r.Bottleneck != "test" {
		t.Errorf("result's bottleneck %s, want test", r.Bottleneck)
	}
	speed(t, l, "test", 2.5)
	want := slowestAt(spec, "test", 2.5)
	if want == "test" {
		t.Fatal("test at 2.5x is still the slowest: the check would prove nothing")
	}
	l.RunFor(l.BottleneckWindow() / 2)
	hits := 0
	for range 30 { // the momentary bottleneck, sampled over the second half
		l.RunFor(l.BottleneckWindow() / 60)
		if name(l.Snapshot().Line.Momentary) == want {
			hits++
		}
	}
	snap = l.Snapshot()
	if got := name(snap.Line.Bottleneck); got != want {
		t.Errorf("average bottleneck a window after the speed-up %s, want %s", got, want)
	}
	if hits < 20 {
		t.Errorf("momentary bottleneck %s in %d of 30 samples in the second half of the window, want most", want, hits)
	}
	i := snap.Line.Bottleneck
	if share := snap.Stations[i].BottleneckShare; share < 0.5 || share > 1 {
		t.Errorf("%s's bottleneck share over the window %.3f, want a clear majority", want, share)
	}
}

// Theory: on a tandem line of exponential machines with finite buffers,
// the machine with the lowest rate is the bottleneck. The average since
// the warm-up, the average over the window and the momentary bottleneck
// sampled every minute all name it; its bottleneck share is the largest
// by far.
func TestBottleneckOfATandemLine(t *testing.T) {
	l := mustLine(t, `
source: {}
stations:
  - {id: a, cycle: exp(6s), buffer: 4}
  - {id: b, cycle: exp(6.5s), buffer: 4}
  - {id: c, cycle: exp(9s), buffer: 4}
  - {id: d, cycle: exp(6s), buffer: 4}
`, 7)
	l.RunFor(sim.Hour)
	l.ResetStats()
	hits, samples := 0, 0
	for range 20 * 60 {
		l.RunFor(sim.Minute)
		if l.Snapshot().Line.Momentary == 2 {
			hits++
		}
		samples++
	}
	r := l.Result()
	if r.Bottleneck != "c" {
		t.Errorf("average bottleneck %q, want c", r.Bottleneck)
	}
	c := r.Stations[2]
	for i, s := range r.Stations {
		t.Logf("%s: sole %.3f shifting %.3f", s.ID, s.BottleneckSole, s.BottleneckShifting)
		if i != 2 && s.BottleneckSole+s.BottleneckShifting > (c.BottleneckSole+c.BottleneckShifting)/2 {
			t.Errorf("%s's bottleneck share %.3f is over half of c's %.3f", s.ID, s.BottleneckSole+s.BottleneckShifting, c.BottleneckSole+c.BottleneckShifting)
		}
	}
	if snap := l.Snapshot(); snap.Line.Bottleneck != 2 {
		t.Errorf("window average bottleneck %d, want 2 (c)", snap.Line.Bottleneck)
	}
	if float64(hits) < 0.6*float64(samples) {
		t.Errorf("momentary bottleneck c in %d of %d samples: want most", hits, samples)
	}
}

// The window is configurable and refuses a window under a minute.
func TestBottleneckWindow(t *testing.T) {
	l := mustEmbedded(t, "two-machine", 1)
	if l.BottleneckWindow() != sim.Hour {
		t.Errorf("default window %v, want 1h", l.BottleneckWindow())
	}
	if err := l.SetBottleneckWindow(30 * sim.Second); err == nil {
		t.Error("a 30 s window accepted")
	}
	if err := l.SetBottleneckWindow(10 * sim.Minute); err != nil || l.BottleneckWindow() != 10*sim.Minute {
		t.Errorf("10 min window: %v, window %v", err, l.BottleneckWindow())
	}
	l.RunFor(sim.Hour)
	var sum float64
	for _, s := range l.Snapshot().Stations {
		sum += s.BottleneckShare
	}
	if sum < 0.5 || sum > 2 {
		t.Errorf("the stations' bottleneck shares add up to %.3f over a 10 min window", sum)
	}
}
