package monitor_test

import (
	"math"
	"slices"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// trackStep is the simulated time between two updates of a track line.
const trackStep = 2 * sim.Second

// newTrack builds config's line (seed 3) as edge node <name>-L1 of group
// "g" and a host of it (with the model when modelled), strict about what
// the mirror rejects, and delivers the births.
func newTrack(t *testing.T, config string, modelled bool) (*twintest.Line, *twintest.Host) {
	t.Helper()
	l := twintest.MustLine(t, config, 3)
	l.Strict = true
	h := l.MustHost(twintest.HostConfig{NoModel: !modelled})
	l.Birth()
	return l, h
}

// tree returns the host's ISA-95 tree.
func tree(h *twintest.Host) monitor.Tree {
	tr, _ := h.TreeAndKPIs()
	return tr
}

// lineKPIs returns the host's KPIs of copy 0 of l.
func lineKPIs(t *testing.T, l *twintest.Line, h *twintest.Host) monitor.LineKPI {
	t.Helper()
	_, k := h.TreeAndKPIs()
	if len(k.Lines) != l.Spec.Lines || k.Lines[0].EdgeNode != l.NodeID(0) {
		t.Fatalf("KPIs of %d lines, first %q; want %d from %s", len(k.Lines), k.Lines[0].EdgeNode, l.Spec.Lines, l.NodeID(0))
	}
	return k.Lines[0]
}

// checkSums checks that each machine's time in states plus unknown time is
// the line's elapsed time.
func checkSums(t *testing.T, ln monitor.LineNode) {
	t.Helper()
	check := func(what string, s monitor.StateHistory) {
		sum := s.UnknownS
		for _, st := range s.TimeInState {
			if st.Seconds < 0 {
				t.Errorf("%s: %s %v s", what, st.State, st.Seconds)
			}
			sum += st.Seconds
		}
		if math.Abs(sum-ln.ElapsedS) > 1e-6 {
			t.Errorf("%s: time in states %v s + unknown %v s = %v s, want the elapsed %v s",
				what, sum-s.UnknownS, s.UnknownS, sum, ln.ElapsedS)
		}
	}
	for _, d := range twintest.TreeDevices(ln) {
		check(d.ID, d.StateHistory)
		for k, s := range d.Servers {
			check(d.ID+" server "+string(rune('1'+k)), s)
		}
	}
}

func TestTreeCellsAndTimeInState(t *testing.T) {
	l, h := newTrack(t, "demo-line", true)
	l.Run(2*sim.Hour, trackStep, nil)

	tr := tree(h)
	if tr.Site != "site" || tr.Areas[0].Name != "g" {
		t.Errorf("site %q, area %q", tr.Site, tr.Areas[0].Name)
	}
	ln := twintest.TreeLine(t, tr)
	if ln.Name != "demo-line-L1" || ln.Copy != 1 || !ln.Online || ln.Stale {
		t.Errorf("line %q copy %d online %v stale %v", ln.Name, ln.Copy, ln.Online, ln.Stale)
	}
	// The line's clock is the simulated time: metric timestamps.
	if want := (2 * sim.Hour).Seconds(); ln.ElapsedS != want || ln.First != twintest.Epoch {
		t.Errorf("elapsed %v s from %d, want %v s from %d", ln.ElapsedS, ln.First, want, twintest.Epoch)
	}
	var names []string
	for _, c := range ln.Cells {
		names = append(names, c.Name)
	}
	want := []string{"printer", "placer", "oven", "assembly", "screwing", "test", "pack"}
	if !slices.Equal(names, want) {
		t.Fatalf("cells %v, want %v", names, want)
	}
	for _, c := range ln.Cells {
		kinds := []string{}
		for _, d := range c.Devices {
			kinds = append(kinds, d.ID+":"+d.Kind)
		}
		wantKinds := []string{c.Name + ":station"}
		if c.Name == "assembly" || c.Name == "screwing" {
			wantKinds = append(wantKinds, "arm-1:arm")
		}
		if !slices.Equal(kinds, wantKinds) {
			t.Errorf("cell %s holds %v, want %v", c.Name, kinds, wantKinds)
		}
	}
	checkSums(t, ln)

	// Current states and their start agree with the line itself.
	snap := l.Line.Snapshot()
	devs := twintest.TreeDevices(ln)
	for _, st := range snap.Stations {
		d := devs[st.ID]
		s := packml.StationState(st.Servers)
		if d.State != s.String() || d.StateNumber != int32(s) || d.Stale || !d.Online {
			t.Errorf("%s: state %s (%d) stale %v, want %s (%d)", st.ID, d.State, d.StateNumber, d.Stale, s, s)
		}
		if d.Since < twintest.Epoch || d.Since > twintest.Epoch+uint64(2*sim.Hour/sim.Millisecond) ||
			math.Abs(d.InStateS-float64(ln.Clock-d.Since)/1000) > 1e-9 {
			t.Errorf("%s: since %d, in state %v s, clock %d", st.ID, d.Since, d.InStateS, ln.Clock)
		}
	}
}

func TestTreeWithoutSpec(t *testing.T) {
	l, h := newTrack(t, "demo-line", false)
	l.Run(10*sim.Minute, trackStep, nil)
	ln := twintest.TreeLine(t, tree(h))
	if ln.Copy != 0 {
		t.Errorf("copy %d without a spec", ln.Copy)
	}
	var names []string
	for _, c := range ln.Cells {
		if len(c.Devices) != 1 || c.Devices[0].ID != c.Name {
			t.Errorf("cell %s holds %+v", c.Name, c.Devices)
		}
		names = append(names, c.Name+":"+c.Devices[0].Kind)
	}
	// Stations (they publish ProdProcessedCount) by id, then the arm.
	want := []string{"assembly:station", "oven:station", "pack:station", "placer:station",
		"printer:station", "screwing:station", "test:station", "arm-1:arm"}
	if !slices.Equal(names, want) {
		t.Errorf("cells %v, want %v", names, want)
	}
	checkSums(t, ln)
}

func TestTreeStaleOnDeathAndRebirth(t *testing.T) {
	l, h := newTrack(t, "demo-line", true)
	l.Run(30*sim.Minute, trackStep, nil)
	before := twintest.TreeDevices(twintest.TreeLine(t, tree(h)))
	k0 := lineKPIs(t, l, h)

	l.Die(0)
	ln := twintest.TreeLine(t, tree(h))
	if ln.Online || !ln.Stale {
		t.Errorf("after NDEATH: online %v, stale %v", ln.Online, ln.Stale)
	}
	for id, d := range twintest.TreeDevices(ln) {
		if !d.Stale || d.Online {
			t.Errorf("after NDEATH: %s stale %v online %v", id, d.Stale, d.Online)
		}
	}
	checkSums(t, ln)

	// Ten minutes pass unseen, then the node comes back.
	l.Pass(10 * sim.Minute)
	l.Birth()
	ln = twintest.TreeLine(t, tree(h))
	if !ln.Online || ln.Stale || ln.UnknownS != 600 {
		t.Errorf("after rebirth: online %v, stale %v, unknown %v s (want 600)", ln.Online, ln.Stale, ln.UnknownS)
	}
	birth := twintest.Epoch + uint64(40*sim.Minute/sim.Millisecond)
	for id, d := range twintest.TreeDevices(ln) {
		if d.Stale || !d.Online || d.UnknownS != 600 {
			t.Errorf("after rebirth: %s stale %v online %v unknown %v s", id, d.Stale, d.Online, d.UnknownS)
		}
		// Since moves only when the state changed across the gap.
		if b := before[id]; b.State == d.State && d.Since != b.Since {
			t.Errorf("%s: still %s but since moved from %d to %d", id, d.State, b.Since, d.Since)
		} else if b.State != d.State && d.Since != birth {
			t.Errorf("%s: %s -> %s since %d, want the birth %d", id, b.State, d.State, d.Since, birth)
		}
	}
	// What happened unseen is not counted: the counters restart from the
	// birth's values and the rates are over the observed time only.
	k1 := lineKPIs(t, l, h)
	if k1.ObservedS != k0.ObservedS || k1.Shipped != k0.Shipped || k1.ThroughputPerHour != k0.ThroughputPerHour {
		t.Errorf("after an unseen gap: observed %v s, shipped %d, %v/h; before it %v s, %d, %v/h",
			k1.ObservedS, k1.Shipped, k1.ThroughputPerHour, k0.ObservedS, k0.Shipped, k0.ThroughputPerHour)
	}
	for i := range k1.Stations {
		if k1.Stations[i].Processed != k0.Stations[i].Processed {
			t.Errorf("%s: processed %d after the gap, %d before", k1.Stations[i].ID,
				k1.Stations[i].Processed, k0.Stations[i].Processed)
		}
	}
	l.Run(10*sim.Minute, trackStep, nil)
	ln = twintest.TreeLine(t, tree(h))
	checkSums(t, ln)
	if k2 := lineKPIs(t, l, h); k2.ObservedS != k0.ObservedS+600 || k2.Shipped <= k0.Shipped {
		t.Errorf("10 min after the rebirth: observed %v s, shipped %d; before the gap %v s, %d",
			k2.ObservedS, k2.Shipped, k0.ObservedS, k0.Shipped)
	}
}

func TestTreeSeqGapIsUnknownUntilRebirth(t *testing.T) {
	l, h := newTrack(t, "demo-line", true)
	l.Run(10*sim.Minute, trackStep, nil)
	// One update is lost: the next ones are out of sequence and dropped
	// until the node is born again, a minute later.
	l.Strict = false
	l.Step(trackStep)
	for range 30 {
		l.Deliver(l.Step(trackStep)...)
	}
	if st := h.Mirror.View().Stats; st.SeqGaps != 1 || st.RebirthRequests == 0 {
		t.Fatalf("stats %+v, want one seq gap and a rebirth request", st)
	}
	births, err := l.Nodes[0].Birth(l.Now())
	if err != nil {
		t.Fatal(err)
	}
	l.Deliver(births...)
	ln := twintest.TreeLine(t, tree(h))
	if !ln.Online || ln.ElapsedS != 662 || ln.UnknownS != 62 {
		t.Errorf("online %v, elapsed %v s, unknown %v s; want 662 s of which 62 unseen", ln.Online, ln.ElapsedS, ln.UnknownS)
	}
	for id, d := range twintest.TreeDevices(ln) {
		if d.UnknownS != 62 || d.Stale {
			t.Errorf("%s: unknown %v s, stale %v", id, d.UnknownS, d.Stale)
		}
	}
	checkSums(t, ln)
}

// Losing the broker connection marks every line and device unobserved
// from its last clock, as a death does.
func TestTreeConnectionLost(t *testing.T) {
	l, h := newTrack(t, "demo-line", true)
	l.Run(10*sim.Minute, trackStep, nil)
	h.Mirror.ConnectionLost()
	l.Pass(5 * sim.Minute)
	l.Birth()
	ln := twintest.TreeLine(t, tree(h))
	if !ln.Online || ln.UnknownS != 300 {
		t.Errorf("after the reconnection: online %v, unknown %v s (want 300)", ln.Online, ln.UnknownS)
	}
	checkSums(t, ln)
}
