package lesson

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// fakeLine records what a Timeline does to it.
type fakeLine struct {
	now sim.Time
	log []string
}

func (f *fakeLine) Now() sim.Time { return f.now }
func (f *fakeLine) RunUntil(t sim.Time) {
	if t < f.now {
		panic("back in time")
	}
	if t > f.now {
		f.log = append(f.log, "run to "+Clock(t))
	}
	f.now = t
}
func (f *fakeLine) Do(c twin.Command) error {
	f.log = append(f.log, Clock(f.now)+" "+c.String())
	return nil
}

func TestTimelineFiresEachEventAtItsTime(t *testing.T) {
	events := []Event{
		{At: 0, Kind: Say, Text: "welcome"},
		{At: 20 * sim.Minute, Kind: Command, Command: twin.Command{Kind: twin.BreakStation, Target: "placer"}},
		{At: 20 * sim.Minute, Kind: Pause, Text: "look"},
		{At: 30 * sim.Minute, Kind: Command, Command: twin.Command{Kind: twin.RepairStation, Target: "placer"}},
	}
	tl := NewTimeline(events)
	line := &fakeLine{}
	fired, stopped := tl.Advance(line, 25*sim.Minute, true, nil)
	if !stopped || len(fired) != 3 || fired[2].Event.Kind != Pause {
		t.Fatalf("fired %d events, stopped %v; want 3 ending at the pause, stopped", len(fired), stopped)
	}
	if line.now != 20*sim.Minute {
		t.Errorf("stopped at %s, want 00:20:00 (the pause)", Clock(line.now))
	}
	fired, stopped = tl.Advance(line, 25*sim.Minute, true, fired[:0])
	if stopped || len(fired) != 0 || line.now != 25*sim.Minute {
		t.Errorf("after the pause: fired %d, stopped %v, at %s; want none, no stop, 00:25:00", len(fired), stopped, Clock(line.now))
	}
	fired, _ = tl.Advance(line, sim.Hour, false, fired[:0])
	if len(fired) != 1 || !tl.Done() {
		t.Errorf("fired %d to the end, done %v; want 1, true", len(fired), tl.Done())
	}
	want := []string{"run to 00:20:00", "00:20:00 break placer server 1 on line 1", "run to 00:25:00",
		"run to 00:30:00", "00:30:00 repair placer server 1 on line 1", "run to 01:00:00"}
	if len(line.log) != len(want) {
		t.Fatalf("log %q\nwant %q", line.log, want)
	}
	for i := range want {
		if line.log[i] != want[i] {
			t.Errorf("log[%d] = %q, want %q", i, line.log[i], want[i])
		}
	}
	tl.Rewind()
	if tl.Done() || tl.Next() != &events[0] {
		t.Error("Rewind did not start again from the first event")
	}
}

func TestClock(t *testing.T) {
	for _, c := range []struct {
		t    sim.Time
		want string
	}{{0, "00:00:00"}, {20 * sim.Minute, "00:20:00"}, {26*sim.Hour + 90*sim.Second, "26:01:30"}} {
		if got := Clock(c.t); got != c.want {
			t.Errorf("Clock(%v) = %q, want %q", c.t, got, c.want)
		}
	}
}
