package scene

import (
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// fakeLine is a line whose simulated time costs wall time on a fake clock.
type fakeLine struct {
	now     time.Time
	perSim  float64 // wall seconds per simulated second
	ran     sim.Time
	chunks  int
	largest sim.Time
}

func (f *fakeLine) run(d sim.Time) {
	f.ran += d
	f.chunks++
	f.largest = max(f.largest, d)
	f.now = f.now.Add(time.Duration(d.Seconds() * f.perSim * float64(time.Second)))
}

func (f *fakeLine) clock() time.Time { return f.now }

// tick advances the fake clock to the next tick and runs one.
func (f *fakeLine) tick(p *Pacer, paused bool) (sim.Time, bool) {
	f.now = f.now.Add(p.Tick) // the rest of the frame
	return p.Advance(paused, f.run, f.clock)
}

func TestPacerRunsSpeedTimesTick(t *testing.T) {
	for _, speed := range []Speed{1, 20, 100, 10000} {
		p := NewPacer(speed)
		f := &fakeLine{now: time.Unix(0, 0), perSim: 1e-7} // cheap: 0.1 µs per simulated second
		for range 120 {
			ran, cut := f.tick(p, false)
			want := sim.Time(float64(speed) * float64(p.Tick))
			if cut || ran != want {
				t.Fatalf("%v: ran %v cut %v, want %v", speed, ran, cut, want)
			}
		}
		if got := p.Real(); got < 0.9*float64(speed) || got > 1.01*float64(speed) {
			t.Errorf("%v: real speed %.1f after two seconds", speed, got)
		}
	}
}

func TestPacerStopsAtTheBudget(t *testing.T) {
	p := NewPacer(10000)
	// Expensive: a simulated second costs 1 ms, so 10000x would need 167 ms a tick.
	f := &fakeLine{now: time.Unix(0, 0), perSim: 1e-3}
	for range 60 {
		start := f.now.Add(p.Tick)
		ran, cut := f.tick(p, false)
		spent := f.now.Sub(start)
		if !cut {
			t.Fatalf("ran %v in %v without being cut", ran, spent)
		}
		if spent > p.Budget*3/2 {
			t.Errorf("tick spent %v, budget %v", spent, p.Budget)
		}
	}
	// The speed shown is what was reached, far below the 10000x asked for.
	if r := p.Real(); r > 2000 || r < 100 {
		t.Errorf("real speed %.0f with a budget of %v per %v", r, p.Budget, p.Tick)
	}
}

func TestPacerMaxUsesTheBudget(t *testing.T) {
	p := NewPacer(MaxSpeed)
	f := &fakeLine{now: time.Unix(0, 0), perSim: 1e-5}
	for range 30 {
		start := f.now.Add(p.Tick)
		ran, _ := f.tick(p, false)
		spent := f.now.Sub(start)
		if spent < p.Budget || spent > p.Budget*3/2 {
			t.Errorf("max speed tick spent %v (ran %v), want about the budget %v", spent, ran, p.Budget)
		}
	}
	if f.chunks < 30*3 {
		t.Errorf("max speed ran in %d chunks over 30 ticks: too coarse to stop in time", f.chunks)
	}
}

func TestPacerPaused(t *testing.T) {
	p := NewPacer(100)
	f := &fakeLine{now: time.Unix(0, 0), perSim: 1e-7}
	for range 30 {
		f.tick(p, false)
	}
	for range 300 {
		if ran, _ := f.tick(p, true); ran != 0 {
			t.Fatalf("paused, yet ran %v", ran)
		}
	}
	if p.Real() > 1 {
		t.Errorf("real speed %.2f after 5 s paused", p.Real())
	}
}

func TestPacerExactIgnoresTheBudget(t *testing.T) {
	p := NewPacer(1000)
	p.Exact = true
	f := &fakeLine{now: time.Unix(0, 0), perSim: 1e-3} // 16.7 ms a tick: over the budget
	ran, cut := f.tick(p, false)
	if cut || ran != sim.Time(1000*float64(p.Tick)) || f.chunks != 1 {
		t.Errorf("exact: ran %v in %d chunks, cut %v", ran, f.chunks, cut)
	}
	if p.Real() != 1000 {
		t.Errorf("exact: real speed %v, want the nominal 1000", p.Real())
	}
}

func TestPacerMaxIsCappedOnAStoppedLine(t *testing.T) {
	// A line with nothing to do runs no events: time costs nothing. Max
	// speed must not race through centuries.
	p := NewPacer(MaxSpeed)
	f := &fakeLine{now: time.Unix(0, 0), perSim: 0}
	ran, cut := f.tick(p, false)
	if want := sim.Time(float64(maxSpeedCap) * float64(p.Tick)); ran != want || cut {
		t.Errorf("ran %v (cut %v), want the cap %v", ran, cut, want)
	}
}

func TestPacerRealSpeedFollowsAChangeAtOnce(t *testing.T) {
	p := NewPacer(1)
	f := &fakeLine{now: time.Unix(0, 0), perSim: 1e-7}
	for range 600 { // ten seconds at 1x
		f.tick(p, false)
	}
	p.SetSpeed(1000)
	for k := 1; k <= 120; k++ {
		f.tick(p, false)
		if got := p.Real(); got < 900 || got > 1010 {
			t.Fatalf("%d ticks after 1x -> 1000x the real speed reads %.1f", k, got)
		}
	}
	p.SetSpeed(2)
	f.tick(p, false)
	if got := p.Real(); got < 1.8 || got > 2.2 {
		t.Errorf("a tick after 1000x -> 2x the real speed reads %.1f", got)
	}
}
