package scene

import (
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// timelineSnap is a snapshot of two stations at now: the first has worked
// all along, the second worked until starveFrom and starved since.
func timelineSnap(now, starveFrom sim.Time, wip int) *twin.Snapshot {
	s := &twin.Snapshot{Now: now, Stations: make([]twin.StationState, 2)}
	s.Line.WIP = wip
	s.Stations[0].Utilization = 1
	s.Stations[0].Buffer = wip % 5
	worked := min(now, starveFrom)
	if now > 0 {
		s.Stations[1].Utilization = worked.Seconds() / now.Seconds()
		s.Stations[1].Starved = 1 - s.Stations[1].Utilization
	}
	return s
}

func TestTimelineKeepsTheDominantPhasePerInterval(t *testing.T) {
	var tl Timeline
	const starve = 30 * sim.Minute
	for now := sim.Time(0); now <= sim.Hour; now += 4 * sim.Second {
		tl.Observe(timelineSnap(now, starve, int(now/sim.Minute)))
	}
	if tl.Len() < 300 || tl.Len() > 400 {
		t.Fatalf("%d samples of an hour at one per %v at most", tl.Len(), TimelineEvery)
	}
	for k := 1; k < tl.Len(); k++ {
		at, wip := tl.Sample(k)
		p0, _ := tl.Station(k, 0)
		p1, _ := tl.Station(k, 1)
		want := stations.Working
		if at > starve+TimelineEvery {
			want = stations.Starved
		}
		if p0 != stations.Working || (at < starve || at > starve+TimelineEvery) && p1 != want {
			t.Fatalf("sample %d at %v: phases %v %v, want Working %v", k, at, p0, p1, want)
		}
		if wip != int(at/sim.Minute) {
			t.Fatalf("sample %d at %v: WIP %d", k, at, wip)
		}
		prev, _ := tl.Sample(k - 1)
		if at-prev < TimelineEvery-4*sim.Second || at <= prev {
			t.Fatalf("samples %v then %v", prev, at)
		}
	}
	if k := tl.First(starve); k == tl.Len() {
		t.Fatal("no sample after half an hour")
	} else if at, _ := tl.Sample(k); at < starve || at >= starve+TimelineEvery {
		t.Errorf("First(%v) is the sample at %v", starve, at)
	}
}

func TestTimelineIsBoundedAndDoesNotAllocate(t *testing.T) {
	var tl Timeline
	now := sim.Time(0)
	snap := timelineSnap(0, sim.Hour, 3)
	tl.Observe(snap)
	allocs := testing.AllocsPerRun(3*TimelineSamples, func() {
		now += TimelineEvery
		snap.Now = now
		tl.Observe(snap)
	})
	if allocs != 0 {
		t.Errorf("Observe allocates %.1f times a sample", allocs)
	}
	if tl.Len() != TimelineSamples {
		t.Errorf("%d samples kept, want the ring's %d", tl.Len(), TimelineSamples)
	}
	first, _ := tl.Sample(0)
	last, _ := tl.Sample(tl.Len() - 1)
	if last != now || last-first != (TimelineSamples-1)*TimelineEvery {
		t.Errorf("samples from %v to %v, want the last %d up to %v", first, last, TimelineSamples, now)
	}
	// A reset of the line (the clock goes back) starts again.
	tl.Observe(timelineSnap(5*sim.Second, sim.Hour, 1))
	if tl.Len() != 1 {
		t.Errorf("%d samples after the clock went back, want 1", tl.Len())
	}
}
