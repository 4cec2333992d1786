package scene

import (
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Timeline keeps the recent history of a line for the state timeline: per
// station, the phase it spent most of each sample interval in (a Gantt of
// phases) and its buffer level at the end of it, and the line's WIP. It
// holds TimelineSamples samples in ring buffers allocated once, so its
// memory is bounded and Observe does not allocate once the first
// snapshot sized it. The zero Timeline is ready to use.
type Timeline struct {
	stations int
	// Rings, TimelineSamples long (phases and levels stations times
	// that): sample k of station i is at k*stations+i.
	at     []sim.Time
	phase  []stations.Phase
	level  []int32
	wip    []int32
	head   int // where the next sample goes
	n      int // samples kept
	next   sim.Time
	last   sim.Time
	shares []float64 // per station and phase: the cumulative time at the last sample
}

// Timeline sampling: one sample every TimelineEvery of simulated time at
// most (a tick that spans several gives one sample covering them all),
// TimelineSamples kept: TimelineEvery x TimelineSamples of history.
const (
	TimelineEvery   = 10 * sim.Second
	TimelineSamples = 2880 // 8 h
)

// timelinePhases are the phases whose cumulative shares the snapshot
// gives, in the order shares keeps them.
var timelinePhases = [...]stations.Phase{stations.Working, stations.Loading, stations.Blocked, stations.Starved, stations.Down, stations.Maintenance}

// Reset forgets the history (after the line is reset).
func (t *Timeline) Reset() {
	t.head, t.n, t.next, t.last = 0, 0, 0, 0
	clear(t.shares)
}

// Observe takes a sample from snap when TimelineEvery has passed since the
// last one (and the first time): the phase each station spent most of
// the interval in, worked out from the snapshot's cumulative shares of
// time (so a tick at high speed gives the interval's dominant phase, not
// an instant's), its buffer level and the WIP. A clock that went back
// (a reset) starts the history again.
func (t *Timeline) Observe(snap *twin.Snapshot) {
	ns := len(snap.Stations)
	if ns == 0 {
		return
	}
	if ns != t.stations {
		t.stations = ns
		t.at = make([]sim.Time, TimelineSamples)
		t.phase = make([]stations.Phase, TimelineSamples*ns)
		t.level = make([]int32, TimelineSamples*ns)
		t.wip = make([]int32, TimelineSamples)
		t.shares = make([]float64, ns*len(timelinePhases))
		t.Reset()
	}
	now := snap.Now
	if now < t.last {
		t.Reset()
	}
	if t.n > 0 && now < t.next {
		return
	}
	span := (now - t.last).Seconds()
	k := t.head
	for i := range snap.Stations {
		ss := &snap.Stations[i]
		t.phase[k*ns+i] = t.dominant(i, ss, now, span)
		t.level[k*ns+i] = int32(ss.Buffer)
	}
	t.at[k] = now
	t.wip[k] = int32(snap.Line.WIP)
	t.head = (t.head + 1) % TimelineSamples
	t.n = min(t.n+1, TimelineSamples)
	t.last = now
	t.next = now - now%TimelineEvery + TimelineEvery
}

// dominant returns the phase station i spent most of the last span
// seconds in, from the growth of its cumulative shares; when they did not
// grow (no time passed, or a twin that does not publish them) the phase
// most of its servers are in now.
func (t *Timeline) dominant(i int, ss *twin.StationState, now sim.Time, span float64) stations.Phase {
	cum := [len(timelinePhases)]float64{ss.Utilization, ss.Handling, ss.Blocked, ss.Starved, ss.Down, ss.Maintenance}
	best, bestD := -1, 0.0
	el := now.Seconds()
	for p := range cum {
		c := cum[p] * el
		d := c - t.shares[i*len(timelinePhases)+p]
		t.shares[i*len(timelinePhases)+p] = c
		if d > bestD+1e-9 {
			best, bestD = p, d
		}
	}
	if best >= 0 && span > 0 {
		return timelinePhases[best]
	}
	var count [stations.NumPhases]int
	top := stations.Starved
	for _, v := range ss.Servers {
		if int(v.Phase) < len(count) {
			count[v.Phase]++
			if count[v.Phase] > count[top] {
				top = v.Phase
			}
		}
	}
	return top
}

// Len returns the number of samples kept.
func (t *Timeline) Len() int { return t.n }

// Stations returns the number of stations sampled.
func (t *Timeline) Stations() int { return t.stations }

// Sample returns the k-th sample kept, oldest first: its time (the end of
// its interval) and the WIP then.
func (t *Timeline) Sample(k int) (at sim.Time, wip int) {
	j := t.ring(k)
	return t.at[j], int(t.wip[j])
}

// Station returns station i's phase over the k-th sample's interval and
// its buffer level at its end.
func (t *Timeline) Station(k, i int) (stations.Phase, int) {
	j := t.ring(k)*t.stations + i
	return t.phase[j], int(t.level[j])
}

// First returns the index of the first sample at or after from (Len when
// none is).
func (t *Timeline) First(from sim.Time) int {
	lo, hi := 0, t.n
	for lo < hi {
		mid := (lo + hi) / 2
		if t.at[t.ring(mid)] < from {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

func (t *Timeline) ring(k int) int {
	return (t.head - t.n + k + 2*TimelineSamples) % TimelineSamples
}

// TimelineSpans are the spans the state timeline shows, from the last
// sample back; E steps through them.
var TimelineSpans = [...]sim.Time{10 * sim.Minute, 30 * sim.Minute, sim.Hour, 2 * sim.Hour, 4 * sim.Hour, 8 * sim.Hour}
