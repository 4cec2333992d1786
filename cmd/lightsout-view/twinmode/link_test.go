package twinmode

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// fedLink returns config's line (seed 1) published by edge nodes of group
// "lightsout" straight into the mirror of a link over the config, without
// MQTT. cfg gives the link's clock and publisher; its other fields are
// set here.
func fedLink(t *testing.T, config string, cfg Config) (*twintest.Line, *Link) {
	t.Helper()
	l := twintest.MustLine(t, config, 1)
	l.Group, l.Strict = "lightsout", true
	cfg.Spec, cfg.Group, cfg.Prefix = l.Spec, l.Group, l.Spec.Name
	cfg.HostID, cfg.Broker, cfg.Log = "view-test", "mem://test", zaptest.NewLogger(t)
	tl, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l.Feed(tl.Host.Mirror)
	return l, tl
}

// runningLink returns a fedLink of config's line, born and run for d, and
// the link's snapshot then.
func runningLink(t *testing.T, config string, cfg Config, d sim.Time) (*twintest.Line, *Link, *twin.Snapshot) {
	t.Helper()
	l, tl := fedLink(t, config, cfg)
	l.Birth()
	l.Run(d, 10*sim.Second, nil)
	var snap twin.Snapshot
	refresh(t, tl, &snap)
	return l, tl, &snap
}

// refresh refreshes snap from tl, failing the test when the link does not
// read the mirror although it changed.
func refresh(t *testing.T, tl *Link, snap *twin.Snapshot) {
	t.Helper()
	if !tl.Refresh(snap) {
		t.Fatal("Refresh did not read the mirror after it changed")
	}
}

// The link's snapshot is the one mirror.Filler converts from the mirror
// (whose equality with the line's own twin/mirror tests), with the host's
// OEE put in and the output history the view saw; its marks are the
// mirror's.
func TestRefreshShowsTheMirror(t *testing.T) {
	for _, config := range []string{"demo-line", "phone-factory"} {
		t.Run(config, func(t *testing.T) {
			l, tl := fedLink(t, config, Config{})
			var snap twin.Snapshot
			refresh(t, tl, &snap)
			checkFilled(t, tl, &snap) // everything unknown (twin/mirror's tests)
			st := &tl.Status
			if !st.Waiting() || st.WaitingFor() != "waiting for lightsout/"+config+"-L1 on mem://test" {
				t.Fatalf("before any birth: waiting %v, %q", st.Waiting(), st.WaitingFor())
			}
			l.Birth()
			for _, d := range []sim.Time{0, 3 * sim.Minute, 40 * sim.Minute, 2 * sim.Hour} {
				l.Run(d, 10*sim.Second, nil)
				refresh(t, tl, &snap)
				checkFilled(t, tl, &snap)
				for i, mk := range st.Stations {
					if !mk.Known || mk.Stale {
						t.Errorf("station slot %d: %+v while its node is alive", i, mk)
					}
				}
			}
			if st.Waiting() {
				t.Error("still waiting after the births")
			}
		})
	}
}

// checkFilled compares got, the link's snapshot, and its status with what
// mirror.Filler gives from the mirror as it is.
func checkFilled(t *testing.T, tl *Link, got *twin.Snapshot) {
	t.Helper()
	v := tl.Host.Mirror.View()
	f := mirror.Filler{Model: mirror.Model{Spec: tl.Spec, Group: tl.Status.Group, Prefix: tl.Status.Prefix}}
	var want twin.Snapshot
	var marks mirror.Marks
	f.Fill(&v, &want, &marks)
	if got.Now != want.Now || got.Lines != want.Lines || len(got.Stations) != len(want.Stations) {
		t.Fatalf("time %v, %d lines, %d stations; want %v, %d, %d", got.Now, got.Lines, len(got.Stations), want.Now, want.Lines, len(want.Stations))
	}
	for i := range want.Stations {
		w := want.Stations[i]
		w.OEE = got.Stations[i].OEE // the host's (TestKPIsReachTheSnapshot)
		if !reflect.DeepEqual(got.Stations[i], w) {
			t.Errorf("station slot %d:\n got %+v\nwant %+v", i, got.Stations[i], w)
		}
	}
	if !reflect.DeepEqual(got.Arms, want.Arms) {
		t.Errorf("arms:\n got %+v\nwant %+v", got.Arms, want.Arms)
	}
	wl, gl := want.Line, got.Line
	wl.Availability, wl.Performance, wl.Quality, wl.OEE = gl.Availability, gl.Performance, gl.Quality, gl.OEE
	if !reflect.DeepEqual(gl, wl) {
		t.Errorf("line:\n got %+v\nwant %+v", gl, wl)
	}
	if len(got.History) != twin.HistoryLen {
		t.Errorf("%d history buckets, want %d", len(got.History), twin.HistoryLen)
	}
	st := &tl.Status
	if !reflect.DeepEqual(st.Nodes, marks.Nodes) || st.Received != marks.Received ||
		len(st.Stations) != len(marks.Stations) || len(st.Arms) != len(marks.Arms) {
		t.Fatalf("status nodes %+v, %d received, %d stations, %d arms; the mirror's %+v, %d, %d, %d", st.Nodes, st.Received,
			len(st.Stations), len(st.Arms), marks.Nodes, marks.Received, len(marks.Stations), len(marks.Arms))
	}
	for i, mk := range marks.Stations {
		if st.Stations[i].Mark != mk {
			t.Errorf("station slot %d: mark %+v, the mirror's %+v", i, st.Stations[i].Mark, mk)
		}
	}
	for j, mk := range marks.Arms {
		if st.Arms[j].Mark != mk {
			t.Errorf("arm slot %d: mark %+v, the mirror's %+v", j, st.Arms[j].Mark, mk)
		}
	}
}

func TestDeadNodeGoesStale(t *testing.T) {
	l, tl, snap := runningLink(t, "phone-factory", Config{}, 10*sim.Minute)
	st := &tl.Status
	before := snap.Stations[0].Counts.Processed
	l.Die(0)
	refresh(t, tl, snap)
	n, na := len(l.Spec.Stations), len(l.Spec.Arms)
	for i, mk := range st.Stations {
		if stale := i < n; mk.Stale != stale {
			t.Errorf("station slot %d stale %v after line 1's NDEATH, want %v", i, mk.Stale, stale)
		}
	}
	for j, mk := range st.Arms {
		if stale := j < na; mk.Stale != stale {
			t.Errorf("arm slot %d stale %v after line 1's NDEATH, want %v", j, mk.Stale, stale)
		}
	}
	if !st.Nodes[0].Stale || st.Nodes[1].Stale {
		t.Errorf("nodes %+v", st.Nodes)
	}
	if got := snap.Stations[0].Counts.Processed; got != before {
		t.Errorf("a stale station shows %d processed, want the last known %d", got, before)
	}
}

// The OEE panel shows the twin host's live KPIs: the line's OEE and each
// station's, once the host has measured them.
func TestKPIsReachTheSnapshot(t *testing.T) {
	l, tl := fedLink(t, "demo-line", Config{})
	var snap twin.Snapshot
	refresh(t, tl, &snap)
	if tl.Status.OEEKnown {
		t.Error("OEE known before any data")
	}
	l.Birth()
	l.Run(30*sim.Minute, 10*sim.Second, nil)
	refresh(t, tl, &snap)
	v := tl.Host.Mirror.View()
	k := tl.Host.Monitor.KPIs(&v)
	if len(k.Lines) != 1 || k.Lines[0].Constraint == "" || k.Lines[0].OEE <= 0 {
		t.Fatalf("host KPIs: %+v", k.Lines)
	}
	kl := k.Lines[0]
	ls := snap.Line
	if !tl.Status.OEEKnown || ls.OEE != kl.OEE || ls.Availability != kl.Availability || ls.Performance != kl.Performance || ls.Quality != kl.Quality {
		t.Errorf("snapshot line OEE %v = %v x %v x %v (known %v), host %v = %v x %v x %v", ls.OEE, ls.Availability, ls.Performance, ls.Quality,
			tl.Status.OEEKnown, kl.OEE, kl.Availability, kl.Performance, kl.Quality)
	}
	if len(kl.Stations) != len(snap.Stations) {
		t.Fatalf("host KPIs of %d stations, snapshot %d", len(kl.Stations), len(snap.Stations))
	}
	for _, sk := range kl.Stations {
		for _, ss := range snap.Stations {
			if ss.ID == sk.ID && ss.OEE != sk.OEE {
				t.Errorf("%s: snapshot OEE %v, host %v", sk.ID, ss.OEE, sk.OEE)
			}
		}
	}
}

func TestCommandWrites(t *testing.T) {
	for _, tc := range []struct {
		c      twin.Command
		names  []string
		values []sparkplug.Value
	}{
		{twin.Command{Kind: twin.BreakStation, Target: "test", Server: 1}, []string{packml.MetricCmdBreak, packml.MetricCmdServer},
			[]sparkplug.Value{sparkplug.BooleanValue(true), sparkplug.Int32Value(2)}},
		{twin.Command{Kind: twin.SetBuffer, Target: "test", Capacity: stations.Inf}, []string{packml.MetricCmdBuffer},
			[]sparkplug.Value{sparkplug.Int32Value(-1)}},
		{twin.Command{Kind: twin.RepairArm, Target: "arm"}, []string{packml.MetricCmdRepair}, []sparkplug.Value{sparkplug.BooleanValue(true)}},
		{twin.Command{Kind: twin.HoldStation, Target: "placer"}, []string{packml.MetricCmdHold}, []sparkplug.Value{sparkplug.BooleanValue(true)}},
		{twin.Command{Kind: twin.UnholdStation, Target: "placer"}, []string{packml.MetricCmdUnhold}, []sparkplug.Value{sparkplug.BooleanValue(true)}},
		{twin.Command{Kind: twin.ResetStation, Target: "placer"}, []string{packml.MetricCmdReset}, []sparkplug.Value{sparkplug.BooleanValue(true)}},
		{twin.Command{Kind: twin.SetSpeed, Target: "placer", Speed: 0.63}, []string{packml.MetricCmdSpeed}, []sparkplug.Value{sparkplug.FloatValue(0.63)}},
	} {
		w, err := commandWrites(tc.c)
		if err != nil || len(w) != len(tc.names) {
			t.Errorf("%v: %+v, %v; want %v", tc.c, w, err, tc.names)
			continue
		}
		for k := range w {
			if w[k].Name != tc.names[k] || w[k].Value != tc.values[k] {
				t.Errorf("%v: write %d is %s = %v, want %s = %v", tc.c, k, w[k].Name, w[k].Value, tc.names[k], tc.values[k])
			}
		}
	}
	if _, err := commandWrites(twin.Command{Kind: twin.CommandKind(99), Target: "placer"}); err == nil || !strings.HasPrefix(err.Error(), "twin mode: ") {
		t.Errorf("a command with no DCMD: %v", err)
	}
}

// sent is one command a link published, caught before MQTT.
type sent struct {
	group, node, device string
	writes              []sparkplug.NamedValue
}

// A command goes to the edge node of its copy of the line, in the
// background; its outcome comes back on Outcomes.
func TestSendPublishesToTheEdgeNodeOfItsCopy(t *testing.T) {
	published := make(chan sent, 1)
	fail := errors.New("broker gone")
	publish := func(_ context.Context, group, node, device string, writes ...sparkplug.NamedValue) error {
		published <- sent{group, node, device, append([]sparkplug.NamedValue(nil), writes...)}
		if device == "aoi" {
			return fail
		}
		return nil
	}
	l, tl := fedLink(t, "phone-factory", Config{Publish: publish})
	var snap twin.Snapshot
	refresh(t, tl, &snap)
	if err := tl.Send(twin.Command{Kind: twin.HoldStation, Target: "placer", Line: 2}); err == nil || err.Error() != "twin mode: no edge node for line 3" {
		t.Errorf("a command for a third copy of a line of two: %v", err)
	}
	if err := tl.Send(twin.Command{Kind: twin.CommandKind(99), Target: "placer"}); err == nil {
		t.Error("a command with no DCMD was sent")
	}
	if done, err := tl.Result(); done {
		t.Fatalf("an outcome (%v) before anything was sent", err)
	}
	l.Birth()
	refresh(t, tl, &snap)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, tc := range []struct {
		c    twin.Command
		node string
		err  error
	}{
		{twin.Command{Kind: twin.HoldStation, Target: "placer", Line: 1}, "phone-factory-L2", nil},
		{twin.Command{Kind: twin.BreakStation, Target: "aoi", Server: 0}, "phone-factory-L1", fail},
	} {
		if err := tl.Send(tc.c); err != nil {
			t.Fatalf("%v: %v", tc.c, err)
		}
		var got sent
		select {
		case got = <-published:
		case <-ctx.Done():
			t.Fatalf("%v: nothing published", tc.c)
		}
		want, _ := commandWrites(tc.c)
		if got.group != "lightsout" || got.node != tc.node || got.device != tc.c.Target || !reflect.DeepEqual(got.writes, want) {
			t.Errorf("%v published %+v, want %v to lightsout/%s/%s", tc.c, got, want, tc.node, tc.c.Target)
		}
		select {
		case err := <-tl.Outcomes():
			if !errors.Is(err, tc.err) {
				t.Errorf("%v: outcome %v, want %v", tc.c, err, tc.err)
			}
		case <-ctx.Done():
			t.Fatalf("%v: no outcome", tc.c)
		}
	}
	if done, err := tl.Result(); done {
		t.Errorf("an outcome (%v) left after reading them all", err)
	}
}
