package packml_test

import (
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// asWrites turns a host's named values into the writes an edge session
// hands on, as a DCMD carries them.
func asWrites(vs []sparkplug.NamedValue) []sparkplug.Write {
	out := make([]sparkplug.Write, len(vs))
	for i, v := range vs {
		out[i] = sparkplug.Write{Name: v.Name, Value: v.Value, Null: v.Value.IsZero()}
	}
	return out
}

// Every line command a person can give goes to DCMD writes, typed as the
// contract says, and back to the same line command.
func TestCommandRoundTrip(t *testing.T) {
	for _, c := range []twin.Command{
		{Kind: twin.BreakStation, Line: 1, Target: "test", Server: 2},
		{Kind: twin.RepairStation, Target: "test", Server: 0},
		{Kind: twin.BreakArm, Target: "arm-1"},
		{Kind: twin.RepairArm, Line: 2, Target: "arm-1"},
		{Kind: twin.SetBuffer, Target: "placer", Capacity: 7},
		{Kind: twin.SetBuffer, Target: "placer", Capacity: stations.Inf},
		{Kind: twin.SetBuffer, Target: "placer", Capacity: 0},
		{Kind: twin.HoldStation, Target: "battery"},
		{Kind: twin.UnholdStation, Target: "battery"},
		{Kind: twin.ResetStation, Target: "battery"},
		{Kind: twin.SetSpeed, Target: "test", Speed: 2.5},
		{Kind: twin.SetSpeed, Target: "test", Speed: 0.8},
		{Kind: twin.SetSpeed, Target: "test", Speed: 1.2},
		{Kind: twin.SetSpeed, Target: "test", Speed: stations.MaxSpeed},
	} {
		t.Run(c.String(), func(t *testing.T) {
			pc, err := packml.FromTwin(c)
			if err != nil {
				t.Fatal(err)
			}
			ws, err := pc.Writes()
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range ws {
				typ, ok := packml.TypeOf(w.Name)
				if !ok || w.Value.Type() != typ {
					t.Errorf("%s written as %v, the contract says %v (%v)", w.Name, w.Value.Type(), typ, ok)
				}
			}
			cmds, err := packml.Decode(asWrites(ws))
			if err != nil || len(cmds) != 1 {
				t.Fatalf("Decode: %v %v", cmds, err)
			}
			arm := c.Kind == twin.BreakArm || c.Kind == twin.RepairArm
			back, ok, err := cmds[0].ToTwin(packml.Target{Line: c.Line, ID: c.Target, Arm: arm})
			if err != nil || !ok || !reflect.DeepEqual(back, c) {
				t.Errorf("%v -> %v -> %v -> %+v (%v, %v)", c, pc, ws, back, ok, err)
			}
		})
	}
}

// A Break or Repair with no server picks one from the station's state;
// an arm's Reset repairs it only when it is broken or down.
func TestCommandResolution(t *testing.T) {
	servers := []stations.ServerView{{Phase: stations.Working, Broken: true}, {Phase: stations.Working}, {Phase: stations.Down}}
	for _, tc := range []struct {
		c    packml.Command
		want int
	}{
		{packml.Command{Action: packml.Break}, 1},
		{packml.Command{Action: packml.Repair}, 0},
		{packml.Command{Action: packml.Break, Server: 3}, 2},
	} {
		got, ok, err := tc.c.ToTwin(packml.Target{ID: "s", Servers: servers})
		if err != nil || !ok || got.Server != tc.want {
			t.Errorf("%v: server %d (%v %v), want %d", tc.c, got.Server, ok, err, tc.want)
		}
	}
	reset := packml.Command{Action: packml.Reset}
	if _, ok, err := reset.ToTwin(packml.Target{ID: "arm", Arm: true}); ok || err != nil {
		t.Errorf("reset of a running arm: %v %v", ok, err)
	}
	got, ok, err := reset.ToTwin(packml.Target{ID: "arm", Arm: true, Down: true})
	if err != nil || !ok || got.Kind != twin.RepairArm {
		t.Errorf("reset of a down arm: %v %v %v", got, ok, err)
	}
	for _, a := range []packml.Action{packml.Hold, packml.Unhold, packml.Speed, packml.Buffer} {
		c := packml.Command{Action: a}
		if a.Valued() {
			c.Value = 1
		}
		if _, _, err := c.ToTwin(packml.Target{ID: "arm", Arm: true}); !errors.Is(err, packml.ErrCommand) || a.ForArms() {
			t.Errorf("%v to an arm: %v", a, err)
		}
	}
}

func TestDecode(t *testing.T) {
	b := func(name string, on bool) sparkplug.Write {
		return sparkplug.Write{Name: name, Value: sparkplug.BooleanValue(on)}
	}
	cmds, err := packml.Decode([]sparkplug.Write{
		b(packml.MetricCmdBreak, true),
		{Name: packml.MetricCmdServer, Value: sparkplug.Int32Value(2)},
		b(packml.MetricCmdHold, false), // asks for nothing
		{Name: packml.MetricCmdSpeed, Value: sparkplug.FloatValue(0.8)},
		{Name: packml.MetricCmdBuffer, Null: true},
		{Name: packml.MetricCmdBuffer, Value: sparkplug.Int32Value(-2)},
		{Name: packml.MetricSpeed, Value: sparkplug.FloatValue(2)},
		{Name: packml.MetricCmdSpeed, Value: sparkplug.FloatValue(-1)},
	})
	want := []packml.Command{{Action: packml.Break, Server: 2}, {Action: packml.Speed, Value: 0.8}}
	if !reflect.DeepEqual(cmds, want) {
		t.Errorf("commands %v, want %v", cmds, want)
	}
	if !errors.Is(err, packml.ErrCommand) {
		t.Fatalf("err %v", err)
	}
	if n := len(err.(interface{ Unwrap() []error }).Unwrap()); n != 4 {
		t.Errorf("%d errors, want 4 (null, buffer -2, not a command, negative speed): %v", n, err)
	}
}

func TestCommandValidate(t *testing.T) {
	for _, c := range []packml.Command{
		{Action: packml.Speed},
		{Action: packml.Speed, Value: math.NaN()},
		{Action: packml.Speed, Value: math.Inf(1)},
		{Action: packml.Buffer, Value: 1.5},
		{Action: packml.Buffer, Value: -2},
		{Action: packml.Hold, Value: 1},
		{Action: packml.Hold, Server: 1},
		{Action: packml.Break, Server: -1},
		{Action: packml.Action(40)},
	} {
		if err := c.Validate(); !errors.Is(err, packml.ErrCommand) {
			t.Errorf("%+v: %v", c, err)
		}
		if _, err := c.Writes(); err == nil {
			t.Errorf("%+v: writes", c)
		}
	}
	for _, name := range packml.ActionNames() {
		a, err := packml.ParseAction(name)
		if err != nil || a.String() != name {
			t.Errorf("%s: %v %v", name, a, err)
		}
		var back packml.Action
		if txt, err := a.MarshalText(); err != nil || back.UnmarshalText(txt) != nil || back != a {
			t.Errorf("%s: text round trip %v", name, err)
		}
	}
	if _, err := packml.ParseAction("stop"); !errors.Is(err, packml.ErrCommand) {
		t.Errorf("stop: %v", err)
	}
	if _, err := packml.FromTwin(twin.Command{Kind: twin.CommandKind(99)}); !errors.Is(err, packml.ErrCommand) {
		t.Errorf("unknown kind: %v", err)
	}
}

// Maintain and Dispatch with no server pick the first server up, and the
// first waiting for the crew.
func TestUpkeepCommandsPickAServer(t *testing.T) {
	tg := packml.Target{Line: 1, ID: "test",
		Servers: []stations.ServerView{{Phase: stations.Down}, {Phase: stations.Maintenance}, {Phase: stations.Working}, {Phase: stations.Down}},
		Upkeep:  []stations.UpkeepView{{}, {}, {}, {WaitingCrew: true}}}
	for _, tc := range []struct {
		c    packml.Command
		want twin.Command
	}{
		{packml.Command{Action: packml.Maintain}, twin.Command{Kind: twin.MaintainStation, Line: 1, Target: "test", Server: 2}},
		{packml.Command{Action: packml.Dispatch}, twin.Command{Kind: twin.DispatchCrew, Line: 1, Target: "test", Server: 3}},
		{packml.Command{Action: packml.Maintain, Server: 1}, twin.Command{Kind: twin.MaintainStation, Line: 1, Target: "test", Server: 0}},
	} {
		got, ok, err := tc.c.ToTwin(tg)
		if err != nil || !ok || got != tc.want {
			t.Errorf("%v: %+v %v %v, want %+v", tc.c, got, ok, err, tc.want)
		}
	}
	// A worn arm is maintained as a machine of one server; it has no crew
	// job to dispatch.
	arm := packml.Target{Line: 1, ID: "arm", Arm: true}
	if got, ok, err := (packml.Command{Action: packml.Maintain}).ToTwin(arm); err != nil || !ok ||
		got != (twin.Command{Kind: twin.MaintainStation, Line: 1, Target: "arm"}) {
		t.Errorf("maintaining an arm: %+v %v %v", got, ok, err)
	}
	if _, _, err := (packml.Command{Action: packml.Maintain, Server: 2}).ToTwin(arm); err == nil {
		t.Error("maintaining an arm's server 2 was accepted")
	}
	if _, _, err := (packml.Command{Action: packml.Dispatch}).ToTwin(arm); err == nil {
		t.Error("dispatching the crew to an arm was accepted")
	}
	if err := (packml.Command{Action: packml.Hold, Server: 2}).Validate(); err == nil {
		t.Error("a server for hold was accepted")
	}
}
