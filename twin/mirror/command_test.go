package mirror_test

import (
	"errors"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// commandRig is demo-line (seed 1) published in group "plant" into a
// mirror of that group.
func commandRig(t *testing.T) (*twintest.Line, *mirror.Mirror) {
	t.Helper()
	l := twintest.MustLine(t, "demo-line", 1)
	l.Group = "plant"
	m := l.MustMirror(mirror.Config{HostID: "twin", Group: "plant", Log: zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))})
	l.Birth()
	return l, m
}

// send builds the DCMD of req with m and hands it to the edge node, as a
// broker would.
func send(t *testing.T, l *twintest.Line, m *mirror.Mirror, req mirror.CommandRequest) {
	t.Helper()
	msg, err := m.Command(req)
	if err != nil {
		t.Fatalf("%+v: %v", req, err)
	}
	if msg.Topic.Type != sparkplug.DCMD || msg.Topic.Device != req.Device || msg.QoS != 0 || msg.Retain {
		t.Fatalf("%+v: built on %v, QoS %d, retain %v", req, msg.Topic, msg.QoS, msg.Retain)
	}
	l.Command(msg)
}

// A hold sent from the mirror stops the station's count rising (after the
// unit in progress); an unhold lets it rise again.
func TestCommandHoldStopsStation(t *testing.T) {
	l, m := commandRig(t)
	id := l.NodeID(0)
	l.Run(5*sim.Minute, sim.Second, nil)
	send(t, l, m, mirror.CommandRequest{Node: id, Device: "assembly", Command: packml.Hold.String()})
	l.Run(30*sim.Second, sim.Second, nil) // the unit in progress finishes
	held := l.Station("assembly").Counts.Processed
	l.Run(5*sim.Minute, sim.Second, nil)
	if n := l.Station("assembly").Counts.Processed; n != held {
		t.Fatalf("held assembly processed %d more units", n-held)
	}
	if n, _ := l.Mirrored(m, "assembly", packml.MetricProcessed).Int64(); n != held {
		t.Errorf("mirrored count %d, line %d", n, held)
	}
	if b, _ := l.Mirrored(m, "assembly", packml.MetricHeld).Boolean(); !b {
		t.Errorf("the mirror does not show assembly held")
	}
	send(t, l, m, mirror.CommandRequest{Node: id, Device: "assembly", Command: packml.Unhold.String()})
	l.Run(sim.Minute, sim.Second, nil)
	if n := l.Station("assembly").Counts.Processed; n <= held {
		t.Errorf("unheld assembly still at %d units", n)
	}
}

// Speed and buffer values are typed as the birth defines the command
// metrics and reach the line.
func TestCommandSpeedBufferBreak(t *testing.T) {
	l, m := commandRig(t)
	id := l.NodeID(0)
	l.Run(sim.Minute, sim.Second, nil)
	half, seven, one := 0.5, 7.0, 1
	send(t, l, m, mirror.CommandRequest{Node: id, Device: "placer", Command: packml.Speed.String(), Value: &half})
	send(t, l, m, mirror.CommandRequest{Node: id, Device: "test", Command: packml.Buffer.String(), Value: &seven})
	send(t, l, m, mirror.CommandRequest{Node: id, Device: "pack", Command: packml.Break.String(), Server: &one})
	l.Run(sim.Second, sim.Second, nil)
	if s := l.Station("placer").Speed; s != 0.5 {
		t.Errorf("placer speed %v, want 0.5", s)
	}
	if f, _ := l.Mirrored(m, "placer", packml.MetricSpeed).Float64(); f != 0.5 {
		t.Errorf("mirrored placer speed %v", f)
	}
	if c := l.Station("test").Capacity; c != stations.Capacity(7) {
		t.Errorf("test buffer %v, want 7", c)
	}
	if !l.Station("pack").Servers[0].Broken {
		t.Errorf("pack not broken")
	}
	send(t, l, m, mirror.CommandRequest{Node: id, Device: "pack", Command: packml.Repair.String()})
	l.Run(sim.Second, sim.Second, nil)
	if l.Station("pack").Servers[0].Broken {
		t.Errorf("pack still broken after repair")
	}
}

func TestCommandErrors(t *testing.T) {
	l, m := commandRig(t)
	id := l.NodeID(0)
	l.Run(10*sim.Second, sim.Second, nil)
	v := 2.0
	neg := -0.5
	frac := 2.5
	tests := []struct {
		name string
		req  mirror.CommandRequest
		want error
		msg  string
	}{
		{"no node", mirror.CommandRequest{Device: "placer", Command: "hold"}, mirror.ErrBadCommand, "node: required"},
		{"no device", mirror.CommandRequest{Node: id, Command: "hold"}, mirror.ErrBadCommand, "device: required"},
		{"no command", mirror.CommandRequest{Node: id, Device: "placer"}, mirror.ErrBadCommand, "command: required"},
		{"unknown command", mirror.CommandRequest{Node: id, Device: "placer", Command: "explode"}, mirror.ErrBadCommand, `command: unknown "explode"`},
		{"bad id", mirror.CommandRequest{Node: "a/b", Device: "placer", Command: "hold"}, mirror.ErrBadCommand, "node:"},
		{"value for hold", mirror.CommandRequest{Node: id, Device: "placer", Command: "hold", Value: &v}, mirror.ErrBadCommand, "value: not used by hold"},
		{"no speed", mirror.CommandRequest{Node: id, Device: "placer", Command: "speed"}, mirror.ErrBadCommand, "value: required"},
		{"negative speed", mirror.CommandRequest{Node: id, Device: "placer", Command: "speed", Value: &neg}, mirror.ErrBadCommand, "value: speed"},
		{"fractional buffer", mirror.CommandRequest{Node: id, Device: "placer", Command: "buffer", Value: &frac}, mirror.ErrBadCommand, "value: buffer"},
		{"server for hold", mirror.CommandRequest{Node: id, Device: "placer", Command: "hold", Server: new(int)}, mirror.ErrBadCommand, "server:"},
		{"unknown node", mirror.CommandRequest{Node: "nope", Device: "placer", Command: "hold"}, mirror.ErrUnknownNode, "nope"},
		{"other group", mirror.CommandRequest{Group: "other", Node: id, Device: "placer", Command: "hold"}, mirror.ErrUnknownNode, "other/"},
		{"unknown device", mirror.CommandRequest{Node: id, Device: "robot", Command: "hold"}, mirror.ErrUnknownDevice, `"robot"`},
		{"arm has no hold", mirror.CommandRequest{Node: id, Device: "arm-1", Command: "hold"}, mirror.ErrUnknownMetric, "Command/Hold"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.Command(tc.req)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %v, want %v with %q", err, tc.want, tc.msg)
			}
		})
	}
	if _, err := m.BuildCommand(l.Group, id, "placer"); !errors.Is(err, mirror.ErrBadCommand) {
		t.Errorf("no write: %v", err)
	}
	if _, err := m.BuildCommand(l.Group, id, "placer",
		sparkplug.NamedValue{Name: "Command/Nope", Value: sparkplug.BooleanValue(true)}); !errors.Is(err, mirror.ErrUnknownMetric) {
		t.Errorf("unknown metric: %v", err)
	}
	if _, err := m.BuildCommand(l.Group, id, "placer",
		sparkplug.NamedValue{Name: packml.MetricCmdHold, Value: sparkplug.Int32Value(1)}); !errors.Is(err, sparkplug.ErrTypeMismatch) {
		t.Errorf("wrong type: %v", err)
	}

	// A mirror of every group finds the node's group, when it is in one
	// group only.
	ok := mirror.CommandRequest{Node: id, Device: "placer", Command: "hold"}
	all := l.MustMirror(mirror.Config{HostID: "all"})
	if _, err := all.Command(ok); !errors.Is(err, mirror.ErrUnknownNode) {
		t.Errorf("a node it does not mirror: %v", err)
	}
	births, err := l.Nodes[0].Birth(l.Now()) // a rebirth, heard by both mirrors
	if err != nil {
		t.Fatal(err)
	}
	l.Deliver(births...)
	if msg, err := all.Command(ok); err != nil || msg.Topic.Group != l.Group {
		t.Errorf("group found from the node: %v, topic %v", err, msg.Topic)
	}
	for _, b := range births {
		tp := b.Topic
		tp.Group = "other"
		all.Receive(tp.String(), b.Payload)
	}
	if _, err := all.Command(ok); !errors.Is(err, mirror.ErrBadCommand) || !strings.Contains(err.Error(), "group: required") {
		t.Errorf("node in two groups: %v", err)
	}

	// After a device's death, then the node's, a command would be lost.
	dd, err := l.Nodes[0].Session().DeviceDeath("placer", l.Now())
	if err != nil {
		t.Fatal(err)
	}
	l.Deliver(dd)
	if _, err := m.Command(ok); !errors.Is(err, mirror.ErrOffline) || !strings.Contains(err.Error(), "device") {
		t.Errorf("device offline: %v", err)
	}
	l.Die(0)
	ok.Device = "test"
	if _, err := m.Command(ok); !errors.Is(err, mirror.ErrOffline) || !strings.Contains(err.Error(), "edge node") {
		t.Errorf("node offline: %v", err)
	}
}
