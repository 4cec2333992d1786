package twinmode

import (
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

func TestDeviationsFlagTheirStation(t *testing.T) {
	// The edge's clock (from twintest.Epoch) is far ahead of the wall
	// clock, as an accelerated edge's gets: an event stamped by the host
	// is old on the edge's clock and recent on the wall clock.
	wall := time.UnixMilli(twintest.Epoch - 100_000_000_000)
	l, tl, _ := runningLink(t, "demo-line", Config{Clock: twintest.NewClock(wall).Now}, 5*sim.Minute)
	m := tl.Host.Mirror.View()
	var snap twin.Snapshot
	// Deviation times are on the metrics' clock: ms since the epoch.
	now := sim.Time(l.Nodes[0].SimMs(l.Line.Now())) * sim.Millisecond
	events := []deviation.Event{
		{Time: now - 2*deviationRecent, Device: "demo-line-L1/printer", Kind: deviation.CycleTimeDrift, Reason: "old news"},
		{Time: now - sim.Minute, Device: "demo-line-L1/placer", Kind: deviation.CycleTimeDrift, Reason: "cycle time 20% above the model"},
		{Time: now, Device: "demo-line-L1", Kind: deviation.ProtocolFault, Reason: "sequence gap"},
		{Time: now, Device: "other-L1/placer", Kind: deviation.Stale, Reason: "not ours"},
	}
	tl.Show(&m, events, &snap)
	st := &tl.Status
	for i, mk := range st.Stations {
		want := ""
		if l.Spec.Stations[i].ID == "placer" {
			want = "cycle time 20% above the model"
		}
		if mk.Deviation != want {
			t.Errorf("station %s flagged %q, want %q", l.Spec.Stations[i].ID, mk.Deviation, want)
		}
	}
	if !st.HasLatest || st.Latest.Reason != "sequence gap" || st.Recent != 2 {
		t.Errorf("latest %+v (has %v), %d recent; want the sequence gap and 2 recent", st.Latest, st.HasLatest, st.Recent)
	}
	// An event on the host's clock is recent by the wall clock, though the
	// edge's clock is far ahead; one older than that on both is not.
	hostEvent := deviation.Event{Time: sim.Time(wall.UnixMilli()-60_000) * sim.Millisecond, Device: "demo-line-L1/oven", Kind: deviation.Stale, Reason: "silent for 60s"}
	oldHostEvent := hostEvent
	oldHostEvent.Time, oldHostEvent.Device, oldHostEvent.Reason = hostEvent.Time-deviationRecent, "demo-line-L1/assembly", "silent long ago"
	tl.Show(&m, append(events, hostEvent, oldHostEvent), &snap)
	if got := st.Stations[3].Deviation; got != "" {
		t.Errorf("assembly flagged %q by an event older than %v on both clocks", got, deviationRecent)
	}
	if got := st.Stations[2].Deviation; got != "silent for 60s" {
		t.Errorf("oven flagged %q by an event on the host's clock", got)
	}
	if got := st.Stations[1].Deviation; got != "cycle time 20% above the model" {
		t.Errorf("placer flagged %q beside an event on the host's clock", got)
	}
	// An arm is flagged like a station; an event with no reason says its
	// kind.
	armEvent := deviation.Event{Time: now, Device: "demo-line-L1/" + l.Spec.Arms[0].ID, Kind: deviation.CycleTimeDrift}
	tl.Show(&m, append(events, armEvent), &snap)
	if got := st.Arms[0]; got.Deviation != deviation.CycleTimeDrift.String() || got.Kind != deviation.CycleTimeDrift {
		t.Errorf("arm %s: %+v", l.Spec.Arms[0].ID, got)
	}
	// The output band is about the whole line: it shows in the banner and
	// flags no station.
	band := deviation.Event{Time: now + sim.Second, Device: "demo-line",
		Kind: deviation.OutputOutsideBand, Reason: "good output 179 is below the forecast band"}
	tl.Show(&m, append(events, band), &snap)
	if !st.HasLatest || st.Latest.Kind != deviation.OutputOutsideBand || st.Recent != 3 {
		t.Errorf("latest %+v, %d recent; want the output band and 3", st.Latest, st.Recent)
	}
	for i, mk := range st.Stations {
		if mk.Kind == deviation.OutputOutsideBand {
			t.Errorf("station %d flagged by the line's output band", i)
		}
	}
	// Deviations end: a view with none clears every flag.
	tl.Show(&m, nil, &snap)
	if st.HasLatest || st.Recent != 0 || st.Stations[1].Deviation != "" || st.Arms[0].Deviation != "" {
		t.Errorf("with no events: latest %v, %d recent, placer %q, arm %q", st.HasLatest, st.Recent, st.Stations[1].Deviation, st.Arms[0].Deviation)
	}
}

func TestHostDeviationsOfGroup(t *testing.T) {
	a := deviation.Event{Time: 5, Device: "n-L1/s", Kind: deviation.CycleTimeDrift, Reason: "slow"}
	b := deviation.Event{Time: 6, Device: "n-L1/s", Kind: deviation.ProtocolFault, Reason: "gap"}
	devs := []monitor.Deviation{{Seq: 1, Group: "g", Event: a}, {Seq: 2, Group: "other", Event: b}, {Seq: 3, Event: b}}
	got := hostDeviations(devs, "g", nil)
	if len(got) != 2 || got[0] != a || got[1] != b {
		t.Errorf("events of group g: %+v", got)
	}
	if got := hostDeviations(nil, "g", got); len(got) != 0 {
		t.Errorf("no deviations: %+v", got)
	}
}

func TestStaleEventsDoNotDoubleTheStaleSign(t *testing.T) {
	l, tl, _ := runningLink(t, "demo-line", Config{}, 5*sim.Minute)
	l.Die(0)
	m := tl.Host.Mirror.View()
	var snap twin.Snapshot
	now := sim.Time(l.Nodes[0].SimMs(l.Line.Now())) * sim.Millisecond
	tl.Show(&m, []deviation.Event{{Time: now, Device: "demo-line-L1/placer", Kind: deviation.Stale, Reason: "node died"},
		{Time: now, Device: "demo-line-L1", Kind: deviation.Stale, Reason: "node silent"}}, &snap)
	st := &tl.Status
	if mk := st.Stations[1]; !mk.Stale || mk.Deviation != "" || st.HasLatest {
		t.Errorf("placer %+v, latest %v: a Stale event flagged what is drawn stale", mk, st.HasLatest)
	}
}
