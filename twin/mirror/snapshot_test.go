package mirror_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// fill fills snap and marks from m's view with f.
func fill(f *mirror.Filler, m *mirror.Mirror, snap *twin.Snapshot, marks *mirror.Marks) {
	v := m.View()
	f.Fill(&v, snap, marks)
}

// The snapshot filled from the mirror is the line's own, as far as the
// edge nodes publish it, at every moment; before any birth everything is
// unknown.
func TestFillerSnapshotEqualsTheLines(t *testing.T) {
	for _, config := range []string{"demo-line", "phone-factory"} {
		t.Run(config, func(t *testing.T) {
			l := twintest.MustLine(t, config, 1)
			m := l.MustMirror(mirror.Config{Group: l.Group})
			f := &mirror.Filler{Model: mirror.Model{Spec: l.Spec, Group: l.Group, Prefix: l.Spec.Name}}
			var snap twin.Snapshot
			var marks mirror.Marks
			fill(f, m, &snap, &marks)
			if !marks.Waiting() || len(marks.Nodes) != l.Spec.Lines || marks.Nodes[0].ID != l.NodeID(0) {
				t.Fatalf("before any birth: waiting %v, nodes %+v", marks.Waiting(), marks.Nodes)
			}
			for s := range snap.Stations {
				for k, v := range snap.Stations[s].Servers {
					if v.Phase != mirror.PhaseUnknown || marks.Stations[s].Known {
						t.Fatalf("station %d server %d is %v (known %v) before any data", s, k, v.Phase, marks.Stations[s].Known)
					}
				}
			}
			l.Birth()
			for _, d := range []sim.Time{0, 3 * sim.Minute, 40 * sim.Minute, 2 * sim.Hour} {
				l.Run(d, 10*sim.Second, nil)
				fill(f, m, &snap, &marks) // reusing the slices of the last fill
				checkSnapshot(t, l, m, &snap, &marks)
			}
		})
	}
}

// checkSnapshot compares the snapshot filled from the mirror with the
// line's own.
func checkSnapshot(t *testing.T, l *twintest.Line, m *mirror.Mirror, got *twin.Snapshot, marks *mirror.Marks) {
	t.Helper()
	want := l.Line.Snapshot()
	if got.Now != want.Now/sim.Millisecond*sim.Millisecond || marks.NewestMs != uint64(twintest.Epoch)+uint64(want.Now/sim.Millisecond) {
		t.Errorf("time %v (newest %d ms), want %v", got.Now, marks.NewestMs, want.Now)
	}
	if len(got.Stations) != len(want.Stations) || len(got.Arms) != len(want.Arms) || got.Lines != want.Lines {
		t.Fatalf("%d stations, %d arms, %d lines; want %d, %d, %d", len(got.Stations), len(got.Arms), got.Lines,
			len(want.Stations), len(want.Arms), want.Lines)
	}
	if marks.Waiting() {
		t.Error("still waiting after the births")
	}
	v := m.View()
	_, published := v.Metric(l.Group, l.NodeID(0), want.Stations[0].ID, packml.ServerMetric(1, packml.MetricServerPhase))
	var shipped int64
	n := len(l.Spec.Stations)
	for i := range want.Stations {
		g, w := &got.Stations[i], &want.Stations[i]
		if mk := marks.Stations[i]; !mk.Known || mk.Stale {
			t.Errorf("line %d %s: mark %+v", g.Line+1, g.ID, mk)
		}
		if g.ID != w.ID || g.Line != w.Line || g.Buffer != w.Buffer || g.Capacity != w.Capacity || g.Inside != w.Inside {
			t.Errorf("line %d %s: buffer %d/%v inside %d, want %s %d/%v inside %d", g.Line+1, g.ID, g.Buffer, g.Capacity, g.Inside,
				w.ID, w.Buffer, w.Capacity, w.Inside)
		}
		gc, wc := g.Counts, w.Counts
		if gc.Processed != wc.Processed || gc.Scrapped != wc.Scrapped || gc.Failures != wc.Failures ||
			gc.Defects+gc.Caught != wc.Defects+wc.Caught {
			t.Errorf("line %d %s: counts %+v, want %+v", g.Line+1, g.ID, gc, wc)
		}
		if g.Held != w.Held || g.Speed != packml.RoundSpeed(w.Speed) {
			t.Errorf("line %d %s: held %v speed %v, want %v, %v", g.Line+1, g.ID, g.Held, g.Speed, w.Held, w.Speed)
		}
		if len(g.Servers) != len(w.Servers) {
			t.Fatalf("%s: %d servers, want %d", g.ID, len(g.Servers), len(w.Servers))
		}
		for k := range w.Servers {
			if p := wantPhase(w.Servers[k], w.Buffer, published); g.Servers[k].Phase != p || g.Servers[k].Broken != w.Servers[k].Broken {
				t.Errorf("line %d %s server %d: %v broken %v, want %v broken %v (true phase %v)", g.Line+1, g.ID, k+1,
					g.Servers[k].Phase, g.Servers[k].Broken, p, w.Servers[k].Broken, w.Servers[k].Phase)
			}
		}
		if i%n == n-1 {
			out := w.Counts.Out - w.Counts.Reworked - w.Counts.Scrapped
			shipped += out
			if gs := g.Counts.Out - g.Counts.Scrapped; gs != out {
				t.Errorf("line %d: the dock shows %d shipped, want %d", g.Line+1, gs, out)
			}
		}
	}
	for j := range want.Arms {
		g, w := &got.Arms[j], &want.Arms[j]
		wp := w.Phase
		if w.Broken && wp != robots.Down {
			wp = robots.Moving // Aborting: still finishing its move
		}
		if g.ID != w.ID || g.Moves != w.Moves || g.Phase != wp || g.Broken != w.Broken || !marks.Arms[j].Known {
			t.Errorf("arm %s line %d: %v moves %d, want %s %v moves %d", g.ID, g.Line+1, g.Phase, g.Moves, w.ID, wp, w.Moves)
		}
	}
	if got.Line.Shipped != shipped || got.Line.WIP != want.Line.WIP {
		t.Errorf("line: shipped %d WIP %d, want %d, %d", got.Line.Shipped, got.Line.WIP, shipped, want.Line.WIP)
	}
	if want.Lines == 1 && (!marks.GoodKnown || got.Line.Good != want.Line.Good) {
		t.Errorf("good %d (known %v), want %d", got.Line.Good, marks.GoodKnown, want.Line.Good)
	}
	if want.Lines > 1 && (marks.GoodKnown || got.Line.Good != -1) {
		t.Errorf("good %d shown for a line of %d copies, which does not publish it", got.Line.Good, want.Lines)
	}
}

// wantPhase is the phase a snapshot should show for a server whose true
// state is v in a station whose buffer holds buffer units: the phase
// itself when the edge publishes Server k/Phase, else what its PackML
// state maps to (packml.ServerFromState), unknown when it maps to none.
func wantPhase(v stations.ServerView, buffer int, published bool) stations.Phase {
	if published {
		return v.Phase
	}
	srv, ok := packml.ServerFromState(packml.ServerState(v), v.Held, buffer)
	if !ok {
		return mirror.PhaseUnknown
	}
	return srv.Phase
}

// A copy whose edge node died is marked stale, station by station and arm
// by arm, and keeps its last known values; the other copies do not.
func TestFillerDeadNodeGoesStale(t *testing.T) {
	l := twintest.MustLine(t, "phone-factory", 1)
	m := l.MustMirror(mirror.Config{})
	f := &mirror.Filler{Model: mirror.Model{Spec: l.Spec, Group: l.Group, Prefix: l.Spec.Name}}
	var snap twin.Snapshot
	var marks mirror.Marks
	l.Birth()
	l.Run(10*sim.Minute, 2*sim.Second, nil)
	fill(f, m, &snap, &marks)
	before := snap.Stations[0].Counts.Processed
	death, err := l.Nodes[0].Death(l.Now())
	if err != nil {
		t.Fatal(err)
	}
	l.Deliver(death)
	fill(f, m, &snap, &marks)
	n, na := len(l.Spec.Stations), len(l.Spec.Arms)
	for i, mk := range marks.Stations {
		if stale := i < n; mk.Stale != stale || !mk.Known {
			t.Errorf("station slot %d %+v after line 1's NDEATH, want stale %v", i, mk, stale)
		}
	}
	for j, mk := range marks.Arms {
		if stale := j < na; mk.Stale != stale || !mk.Known {
			t.Errorf("arm slot %d %+v after line 1's NDEATH, want stale %v", j, mk, stale)
		}
	}
	if nd := marks.Nodes; !nd[0].Stale || nd[0].Online || nd[1].Stale || !nd[1].Online {
		t.Errorf("nodes %+v", nd)
	}
	if got := snap.Stations[0].Counts.Processed; got != before {
		t.Errorf("a stale station shows %d processed, want the last known %d", got, before)
	}
}

// A model that names no group finds the line's copies in any group, as
// View.State does.
func TestFillerFindsTheLineInAnyGroup(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 1)
	m := l.MustMirror(mirror.Config{})
	l.Birth()
	l.Run(sim.Minute, 2*sim.Second, nil)
	f := &mirror.Filler{Model: mirror.Model{Spec: l.Spec, Prefix: l.Spec.Name}}
	var snap twin.Snapshot
	var marks mirror.Marks
	fill(f, m, &snap, &marks)
	if marks.Waiting() || !marks.Nodes[0].Known || !marks.Stations[0].Known {
		t.Fatalf("node %+v, first station %+v", marks.Nodes[0], marks.Stations[0])
	}
	checkSnapshot(t, l, m, &snap, &marks)
	v := m.View()
	if st, _, err := v.State(f.Model); err != nil || st.Time != snap.Now {
		t.Errorf("the state is at %v (%v), the snapshot at %v", st.Time, err, snap.Now)
	}
}
