package edge_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
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
	fresh := host.NewSession(host.Config{})
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
	if err := command(t, f, "placer", sparkplug.NamedValue{Name: packml.MetricCmdBreak, Value: sparkplug.BooleanValue(true)}); err != nil {
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
	if got := f.str(t, "placer", packml.MetricState); got != "Aborted" {
		t.Errorf("placer State = %q after a break, want Aborted", got)
	}
	if got := f.int(t, "placer", packml.MetricStateNumber); got != int64(packml.Aborted) {
		t.Errorf("placer StateNumber = %d, want %d", got, packml.Aborted)
	}
	f.checkMirror(t)
	if err := command(t, f, "placer", sparkplug.NamedValue{Name: packml.MetricCmdRepair, Value: sparkplug.BooleanValue(true)}); err != nil {
		t.Fatal(err)
	}
	f.step(t, 30*sim.Second)
	if got := f.str(t, "placer", packml.MetricState); got == "Aborted" || got == "Aborting" {
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
		sparkplug.NamedValue{Name: packml.MetricCmdServer, Value: sparkplug.Int32Value(3)},
		sparkplug.NamedValue{Name: packml.MetricCmdBreak, Value: sparkplug.BooleanValue(true)})
	if err != nil {
		t.Fatal(err)
	}
	if err := command(t, f, "arm-screen", sparkplug.NamedValue{Name: packml.MetricCmdBreak, Value: sparkplug.BooleanValue(true)}); err != nil {
		t.Fatal(err)
	}
	f.step(t, 5*sim.Minute)
	if got := f.str(t, "func-test", packml.ServerMetric(3, packml.MetricState)); got != "Aborted" {
		t.Errorf("func-test server 3 = %q, want Aborted", got)
	}
	if got := f.str(t, "arm-screen", packml.MetricState); got != "Aborted" {
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
		if err := command(t, f, "test", sparkplug.NamedValue{Name: packml.MetricCmdBuffer, Value: sparkplug.Int32Value(c)}); err != nil {
			t.Fatal(err)
		}
		f.step(t, sim.Second)
		if got := f.int(t, "test", packml.MetricCapacity); got != int64(c) {
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
	topic, good := dcmd("printer", named(packml.MetricCmdBreak, sparkplug.BooleanValue(true)))
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
	add("unknown device", "nowhere", named(packml.MetricCmdBreak, sparkplug.BooleanValue(true)))
	add("unknown metric", "printer", named("Command/Explode", sparkplug.BooleanValue(true)))
	add("not a command", "printer", named(packml.MetricBuffer, sparkplug.Int32Value(3)))
	add("wrong type", "printer", named(packml.MetricCmdBreak, sparkplug.StringValue("yes")))
	add("null", "printer", sparkplug.Metric{Name: packml.MetricCmdBreak, Datatype: sparkplug.Boolean, IsNull: true})
	add("negative buffer", "printer", named(packml.MetricCmdBuffer, sparkplug.Int32Value(-5)))
	add("server out of range", "printer", named(packml.MetricCmdServer, sparkplug.Int32Value(9)), named(packml.MetricCmdBreak, sparkplug.BooleanValue(true)))
	ncmd := sparkplug.Payload{Timestamp: f.now(), Metrics: []sparkplug.Metric{named(packml.MetricShipped, sparkplug.Int64Value(7))}}
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

func boolCmd(name string) sparkplug.NamedValue {
	return sparkplug.NamedValue{Name: name, Value: sparkplug.BooleanValue(true)}
}

// A DCMD hold lets the station finish its unit, then its count stops
// rising; unhold resumes it. Status/Held and the PackML state follow.
func TestHoldAndUnholdStation(t *testing.T) {
	f := MustFixture(t, "demo-line", 0)
	f.step(t, 10*sim.Minute) // the oven takes 3 min: test is busy by now
	if f.boolean(t, "test", packml.MetricHeld) {
		t.Fatal("test born held")
	}
	if err := command(t, f, "test", boolCmd(packml.MetricCmdHold)); err != nil {
		t.Fatal(err)
	}
	if log := f.line.Log(); len(log) != 1 || log[0].Cmd.Kind != twin.HoldStation || log[0].Cmd.Target != "test" {
		t.Fatalf("log = %+v", log)
	}
	f.step(t, sim.Millisecond)
	if !f.boolean(t, "test", packml.MetricHeld) {
		t.Error("Status/Held false after a hold")
	}
	if got := f.str(t, "test", packml.MetricState); got != "Holding" {
		t.Errorf("test State = %q while finishing its unit, want Holding", got)
	}
	f.step(t, 20*sim.Second) // a test cycle is about 9 s
	if got := f.str(t, "test", packml.MetricState); got != "Held" {
		t.Errorf("test State = %q once its unit is done, want Held", got)
	}
	if got := f.int(t, "test", packml.MetricStateNumber); got != int64(packml.Held) {
		t.Errorf("test StateNumber = %d, want %d", got, packml.Held)
	}
	if got := f.str(t, "test", packml.ServerMetric(1, packml.MetricServerPhase)); got != stations.Held.String() {
		t.Errorf("held test's Server 1/Phase = %q once its unit is done, want Held", got)
	}
	for _, ss := range f.line.Snapshot().Stations {
		if ss.ID == "test" && ss.Servers[0].Phase != stations.Held {
			t.Errorf("held test's model phase = %v, want Held", ss.Servers[0].Phase)
		}
	}
	held := f.int(t, "test", packml.MetricProcessed)
	for range 10 {
		f.step(t, sim.Minute)
	}
	if got := f.int(t, "test", packml.MetricProcessed); got != held {
		t.Errorf("held test processed %d more units in 10 min", got-held)
	}
	if got := f.int(t, "test", packml.MetricBuffer); got != 4 {
		t.Errorf("held test buffer %d after 10 min, want full (4)", got)
	}
	f.checkMirror(t)
	if err := command(t, f, "test", boolCmd(packml.MetricCmdUnhold)); err != nil {
		t.Fatal(err)
	}
	f.step(t, sim.Minute)
	if f.boolean(t, "test", packml.MetricHeld) {
		t.Error("Status/Held true after unhold")
	}
	if got := f.int(t, "test", packml.MetricProcessed); got < held+5 {
		t.Errorf("test processed %d units in the minute after unhold, want 5 or more", got-held)
	}
	f.checkMirror(t)
}

// Command/Speed 0.5 shows in Status/Speed and doubles the mean cycle that
// Cycle/Total and the processed count give.
func TestSpeedCommand(t *testing.T) {
	f := MustFixture(t, "demo-line", 0)
	f.step(t, 10*sim.Minute)
	if got := f.float(t, "test", packml.MetricSpeed); got != 1 {
		t.Errorf("Status/Speed = %v before any command, want 1", got)
	}
	if err := command(t, f, "test", sparkplug.NamedValue{Name: packml.MetricCmdSpeed, Value: sparkplug.FloatValue(0.5)}); err != nil {
		t.Fatal(err)
	}
	if log := f.line.Log(); len(log) != 1 || log[0].Cmd.Kind != twin.SetSpeed || log[0].Cmd.Speed != 0.5 {
		t.Fatalf("log = %+v", log)
	}
	f.step(t, 20*sim.Second) // the unit under way finishes at the old speed
	if got := f.float(t, "test", packml.MetricSpeed); got != 0.5 {
		t.Errorf("Status/Speed = %v, want 0.5", got)
	}
	n0, c0 := f.int(t, "test", packml.MetricProcessed), f.int(t, "test", packml.MetricCycleTotal)
	for range 30 {
		f.step(t, sim.Minute)
	}
	n, c := f.int(t, "test", packml.MetricProcessed)-n0, f.int(t, "test", packml.MetricCycleTotal)-c0
	if n == 0 {
		t.Fatal("test processed nothing at speed 0.5")
	}
	if mean := c / n; mean < 17_000 || mean > 19_000 {
		t.Errorf("mean cycle at speed 0.5: %d ms over %d units, want about 18000 (2 x 9 s)", mean, n)
	}
	if err := command(t, f, "test", sparkplug.NamedValue{Name: packml.MetricCmdSpeed, Value: sparkplug.FloatValue(12)}); err == nil {
		t.Error("speed 12 accepted")
	}
	if err := command(t, f, "test", sparkplug.NamedValue{Name: packml.MetricCmdSpeed, Value: sparkplug.FloatValue(0)}); err == nil {
		t.Error("speed 0 accepted")
	}
	if log := f.line.Log(); len(log) != 1 {
		t.Errorf("refused speeds reached the line: %+v", log)
	}
	// A speed with no exact 32-bit form reaches the line as it was meant.
	if err := command(t, f, "test", sparkplug.NamedValue{Name: packml.MetricCmdSpeed, Value: sparkplug.FloatValue(0.8)}); err != nil {
		t.Fatal(err)
	}
	if log := f.line.Log(); len(log) != 2 || log[1].Cmd.Speed != 0.8 {
		t.Errorf("speed 0.8 applied as %+v", log[len(log)-1].Cmd)
	}
	f.checkMirror(t)
}

// Command/Reset repairs a broken, held station and unholds it; on an arm it
// repairs a broken arm, and does nothing to a working one.
func TestResetStationAndArm(t *testing.T) {
	f := MustFixture(t, "demo-line", 0)
	f.step(t, sim.Minute)
	if err := command(t, f, "placer", boolCmd(packml.MetricCmdBreak), boolCmd(packml.MetricCmdHold)); err != nil {
		t.Fatal(err)
	}
	if err := command(t, f, "arm-1", boolCmd(packml.MetricCmdBreak)); err != nil {
		t.Fatal(err)
	}
	f.step(t, 30*sim.Second)
	if got := f.str(t, "placer", packml.MetricState); got != "Aborted" {
		t.Fatalf("placer State = %q after break and hold, want Aborted", got)
	}
	if got := f.str(t, "placer", packml.ServerMetric(1, packml.MetricServerPhase)); got != "Down" {
		t.Errorf("placer server 1 phase = %q, want Down", got)
	}
	if got := f.str(t, "arm-1", packml.MetricState); got != "Aborted" {
		t.Fatalf("arm-1 State = %q after break, want Aborted", got)
	}
	for _, dev := range []string{"placer", "arm-1"} {
		if err := command(t, f, dev, boolCmd(packml.MetricCmdReset)); err != nil {
			t.Fatal(err)
		}
	}
	f.step(t, 30*sim.Second)
	if got := f.str(t, "placer", packml.MetricState); got != "Execute" && got != "Suspended" {
		t.Errorf("placer State = %q after reset, want Execute or Suspended", got)
	}
	if f.boolean(t, "placer", packml.MetricHeld) {
		t.Error("placer still held after reset")
	}
	if got := f.str(t, "arm-1", packml.MetricState); got == "Aborted" || got == "Aborting" {
		t.Errorf("arm-1 State = %q after reset", got)
	}
	log := f.line.Log()
	if n := len(log); n != 5 || log[3].Cmd.Kind != twin.ResetStation || log[4].Cmd.Kind != twin.RepairArm {
		t.Fatalf("log = %+v", log)
	}
	for _, tc := range log {
		if tc.Err != "" {
			t.Errorf("%v: %s", tc.Cmd, tc.Err)
		}
	}
	if err := command(t, f, "arm-1", boolCmd(packml.MetricCmdReset)); err != nil {
		t.Fatal(err)
	}
	if got := len(f.line.Log()); got != 5 {
		t.Errorf("resetting a working arm gave %d more commands, want none", got-5)
	}
	f.checkMirror(t)
}

// The new metrics are born with their types and values, and change in
// DDATA as the line runs.
func TestNewMetricsBornAndUpdated(t *testing.T) {
	f := MustFixture(t, "phone-factory", 0)
	types := map[string]sparkplug.DataType{
		packml.MetricSpeed:       sparkplug.Float,
		packml.MetricHeld:        sparkplug.Boolean,
		packml.MetricDesignSpeed: sparkplug.Float,
		packml.MetricCycleTotal:  sparkplug.Int64,
		packml.MetricCmdHold:     sparkplug.Boolean,
		packml.MetricCmdUnhold:   sparkplug.Boolean,
		packml.MetricCmdReset:    sparkplug.Boolean,
		packml.MetricCmdSpeed:    sparkplug.Float,
	}
	for _, m := range []string{packml.MetricServerPhase, packml.MetricServerSince, packml.MetricServerDone, packml.MetricServerUnit, packml.MetricServerDefective} {
		types[packml.ServerMetric(1, m)] = map[string]sparkplug.DataType{
			packml.MetricServerPhase: sparkplug.String, packml.MetricServerSince: sparkplug.Int64,
			packml.MetricServerDone: sparkplug.Int64, packml.MetricServerUnit: sparkplug.Boolean,
			packml.MetricServerDefective: sparkplug.Boolean,
		}[m]
	}
	spec := f.line.Spec()
	for i := range spec.Stations {
		id := spec.Stations[i].ID
		for name, dt := range types {
			m, ok := f.host.Metric(group, f.id, id, name)
			if !ok || m.Datatype != dt {
				t.Errorf("%s %q: born %v with type %v, want %v", id, name, ok, m.Datatype, dt)
			}
		}
		want := float64(float32(packml.DesignSpeed(spec, i)))
		if got := f.float(t, id, packml.MetricDesignSpeed); got != want || got <= 0 {
			t.Errorf("%s design speed %v, want %v (> 0)", id, got, want)
		}
	}
	// Births carry every command metric with a value of its type, not
	// null; writing back Command/Speed and Command/Buffer changes nothing.
	for i := range spec.Stations {
		id := spec.Stations[i].ID
		for _, a := range packml.ActionNames() {
			a, _ := packml.ParseAction(a)
			if a == packml.Maintain && !spec.Stations[i].CanMaintain() || a == packml.Dispatch && (spec.Crew == nil || spec.Stations[i].Conveyor != nil) {
				continue // only stations that take them carry them
			}
			for _, name := range []string{a.Metric(), packml.MetricCmdServer} {
				m, ok := f.host.Metric(group, f.id, id, name)
				typ, _ := packml.TypeOf(name)
				if !ok || m.IsNull || m.Datatype != typ || m.Value.Type() != typ {
					t.Errorf("%s %s born %v, null %v, type %v, want a %v value", id, name, ok, m.IsNull, m.Datatype, typ)
				}
			}
		}
		if got, want := f.float(t, id, packml.MetricCmdSpeed), f.float(t, id, packml.MetricSpeed); got != want {
			t.Errorf("%s Command/Speed born %v, Status/Speed %v", id, got, want)
		}
		if got, want := f.int(t, id, packml.MetricCmdBuffer), f.int(t, id, packml.MetricCapacity); got != want {
			t.Errorf("%s Command/Buffer born %v, Buffer/Capacity %v", id, got, want)
		}
	}
	for j := range spec.Arms {
		if m, ok := f.host.Metric(group, f.id, spec.Arms[j].ID, packml.MetricCmdReset); !ok || m.Datatype != sparkplug.Boolean || m.IsNull {
			t.Errorf("arm %s has no Boolean Command/Reset", spec.Arms[j].ID)
		}
	}
	// A station with several servers has its per-server metrics for each.
	if _, ok := f.host.Metric(group, f.id, "func-test", packml.ServerMetric(3, packml.MetricServerPhase)); !ok {
		t.Error("func-test has no Server 3/Phase")
	}
	since := f.int(t, "func-test", packml.ServerMetric(1, packml.MetricServerSince))
	cycles := f.int(t, "func-test", packml.MetricCycleTotal)
	ddata := 0
	for range 30 {
		for _, msg := range f.step(t, 20*sim.Second) {
			if msg.Topic.Type == sparkplug.DDATA && msg.Topic.Device == "func-test" {
				ddata++
			}
		}
	}
	if got := f.int(t, "func-test", packml.ServerMetric(1, packml.MetricServerSince)); got <= since {
		t.Errorf("func-test server 1 Since stayed %d for 10 min", got)
	}
	if got := f.int(t, "func-test", packml.MetricCycleTotal); got <= cycles {
		t.Errorf("func-test Cycle/Total stayed %d for 10 min", got)
	}
	if ddata == 0 {
		t.Error("no DDATA for func-test in 10 min")
	}
	f.checkMirror(t)
}
