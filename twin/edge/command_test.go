package edge_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

func TestRebirthRequestGivesCurrentBirth(t *testing.T) {
	f := MustFixture(t, "demo-line", 0)
	f.step(t, 5*sim.Minute)
	f.line.RunFor(5 * sim.Minute) // changes the host has not seen
	req, err := sparkplug.RebirthRequest(group, f.id, f.now())
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := f.node.HandleCommand(req.Topic.String(), req.Payload, f.now())
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1+len(f.line.Spec().Stations)+len(f.line.Spec().Arms) {
		t.Fatalf("rebirth has %d messages", len(msgs))
	}
	var p sparkplug.Payload
	if err := sparkplug.Unmarshal(msgs[0].Payload, &p); err != nil || msgs[0].Topic.Type != sparkplug.NBIRTH || p.Seq != 0 {
		t.Fatalf("first rebirth message: %v seq %d, %v", msgs[0].Topic, p.Seq, err)
	}
	f.feed(t, msgs)
	f.checkMirror(t) // the birth carries the current values, not the last published
	fresh := sparkplug.NewHostSession(sparkplug.HostConfig{})
	for _, m := range msgs {
		if _, err := fresh.Receive(m.Topic.String(), m.Payload, f.now()); err != nil {
			t.Fatal(err)
		}
	}
	f.host = fresh
	f.checkMirror(t)
	f.step(t, sim.Minute)
	f.checkMirror(t)
}

// command sends a DCMD built by the host to the node.
func command(t *testing.T, f *fixture, device string, w ...sparkplug.NamedValue) error {
	t.Helper()
	m, err := f.host.Command(group, f.id, device, f.now(), w...)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := f.node.HandleCommand(m.Topic.String(), m.Payload, f.now())
	if len(msgs) != 0 {
		t.Errorf("a device command returned %d messages", len(msgs))
	}
	return err
}

func TestBreakAndRepairStation(t *testing.T) {
	f := MustFixture(t, "demo-line", 0)
	f.step(t, sim.Minute)
	if err := command(t, f, "placer", sparkplug.NamedValue{Name: edge.MetricCmdBreak, Value: sparkplug.BooleanValue(true)}); err != nil {
		t.Fatal(err)
	}
	log := f.line.Log()
	if len(log) != 1 || log[0].Cmd.Kind != twin.BreakStation || log[0].Cmd.Target != "placer" {
		t.Fatalf("log = %+v", log)
	}
	msgs := f.step(t, 30*sim.Second)
	sawPlacer := false
	for _, m := range msgs {
		sawPlacer = sawPlacer || m.Topic.Type == sparkplug.DDATA && m.Topic.Device == "placer"
	}
	if !sawPlacer {
		t.Error("no DDATA for placer after the break")
	}
	if got := f.str(t, "placer", edge.MetricState); got != "Aborted" {
		t.Errorf("placer State = %q after a break, want Aborted", got)
	}
	if got := f.int(t, "placer", edge.MetricStateNumber); got != int64(edge.Aborted) {
		t.Errorf("placer StateNumber = %d, want %d", got, edge.Aborted)
	}
	f.checkMirror(t)
	if err := command(t, f, "placer", sparkplug.NamedValue{Name: edge.MetricCmdRepair, Value: sparkplug.BooleanValue(true)}); err != nil {
		t.Fatal(err)
	}
	f.step(t, 30*sim.Second)
	if got := f.str(t, "placer", edge.MetricState); got == "Aborted" || got == "Aborting" {
		t.Errorf("placer State = %q after repair", got)
	}
	if log := f.line.Log(); len(log) != 2 || log[1].Cmd.Kind != twin.RepairStation || log[1].Err != "" {
		t.Errorf("log = %+v", log)
	}
	f.checkMirror(t)
}

func TestBreakServerAndArm(t *testing.T) {
	f := MustFixture(t, "phone-factory", 0)
	f.step(t, 10*sim.Minute)
	err := command(t, f, "func-test",
		sparkplug.NamedValue{Name: edge.MetricCmdServer, Value: sparkplug.Int32Value(3)},
		sparkplug.NamedValue{Name: edge.MetricCmdBreak, Value: sparkplug.BooleanValue(true)})
	if err != nil {
		t.Fatal(err)
	}
	if err := command(t, f, "arm-screen", sparkplug.NamedValue{Name: edge.MetricCmdBreak, Value: sparkplug.BooleanValue(true)}); err != nil {
		t.Fatal(err)
	}
	f.step(t, 5*sim.Minute)
	if got := f.str(t, "func-test", edge.ServerMetric(3, edge.MetricState)); got != "Aborted" {
		t.Errorf("func-test server 3 = %q, want Aborted", got)
	}
	if got := f.str(t, "arm-screen", edge.MetricState); got != "Aborted" {
		t.Errorf("arm-screen = %q, want Aborted", got)
	}
	if log := f.line.Log(); len(log) != 2 || log[0].Cmd.Server != 2 || log[1].Cmd.Kind != twin.BreakArm {
		t.Errorf("log = %+v", log)
	}
	f.checkMirror(t)
}

func TestSetBuffer(t *testing.T) {
	f := MustFixture(t, "demo-line", 0)
	for _, c := range []int32{-1, 2} {
		if err := command(t, f, "test", sparkplug.NamedValue{Name: edge.MetricCmdBuffer, Value: sparkplug.Int32Value(c)}); err != nil {
			t.Fatal(err)
		}
		f.step(t, sim.Second)
		if got := f.int(t, "test", edge.MetricCapacity); got != int64(c) {
			t.Errorf("capacity = %d, want %d", got, c)
		}
	}
	f.checkMirror(t)
}

func TestBadCommands(t *testing.T) {
	f := MustFixture(t, "demo-line", 0)
	f.step(t, sim.Minute)
	dcmd := func(device string, ms ...sparkplug.Metric) (string, []byte) {
		p := sparkplug.Payload{Timestamp: f.now(), Metrics: ms}
		b, err := sparkplug.Marshal(&p)
		if err != nil {
			t.Fatal(err)
		}
		return sparkplug.DeviceTopic(group, sparkplug.DCMD, f.id, device).String(), b
	}
	named := func(name string, v sparkplug.Value) sparkplug.Metric {
		return sparkplug.Metric{Name: name, Datatype: v.Type(), Value: v}
	}
	topic, good := dcmd("printer", named(edge.MetricCmdBreak, sparkplug.BooleanValue(true)))
	cases := []struct {
		name    string
		topic   string
		payload []byte
	}{
		{"bad topic", "spBv1.0/" + group, good},
		{"other node", sparkplug.DeviceTopic(group, sparkplug.DCMD, "elsewhere", "printer").String(), good},
		{"truncated payload", topic, good[:len(good)-1]},
		{"garbage payload", topic, []byte{0xff, 0xff, 0xff}},
	}
	add := func(name, device string, ms ...sparkplug.Metric) {
		tp, b := dcmd(device, ms...)
		cases = append(cases, struct {
			name    string
			topic   string
			payload []byte
		}{name, tp, b})
	}
	add("unknown device", "nowhere", named(edge.MetricCmdBreak, sparkplug.BooleanValue(true)))
	add("unknown metric", "printer", named("Command/Explode", sparkplug.BooleanValue(true)))
	add("not a command", "printer", named(edge.MetricBuffer, sparkplug.Int32Value(3)))
	add("wrong type", "printer", named(edge.MetricCmdBreak, sparkplug.StringValue("yes")))
	add("null", "printer", sparkplug.Metric{Name: edge.MetricCmdBreak, Datatype: sparkplug.Boolean, IsNull: true})
	add("negative buffer", "printer", named(edge.MetricCmdBuffer, sparkplug.Int32Value(-5)))
	add("server out of range", "printer", named(edge.MetricCmdServer, sparkplug.Int32Value(9)), named(edge.MetricCmdBreak, sparkplug.BooleanValue(true)))
	ncmd := sparkplug.Payload{Timestamp: f.now(), Metrics: []sparkplug.Metric{named(edge.MetricShipped, sparkplug.Int64Value(7))}}
	nb, err := sparkplug.Marshal(&ncmd)
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, struct {
		name    string
		topic   string
		payload []byte
	}{"node metric write", sparkplug.NodeTopic(group, sparkplug.NCMD, f.id).String(), nb})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msgs, err := f.node.HandleCommand(tc.topic, tc.payload, f.now())
			if err == nil {
				t.Fatal("no error")
			}
			if len(msgs) != 0 {
				t.Errorf("%d messages", len(msgs))
			}
		})
	}
	if log := f.line.Log(); len(log) != 0 {
		t.Errorf("bad commands reached the line: %+v", log)
	}
	if _, err := f.node.HandleCommand(topic, good, f.now()); err != nil {
		t.Errorf("good command after bad ones: %v", err)
	}
	f.step(t, sim.Second)
	f.checkMirror(t)
}
