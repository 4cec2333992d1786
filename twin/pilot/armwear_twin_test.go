package pilot

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// In the twin, a worn arm's device publishes its condition readings (as
// its Server 1) and takes Command/Maintain: the policy predictive reads
// the arm from the mirror, maintains it through a DCMD the edge applies,
// and the mirror's reading of the arm comes back to a new arm's.
func TestTwinMaintainsAnArm(t *testing.T) {
	l := twintest.MustLine(t, "testdata/arm-wear.yaml", 1)
	m := l.MustMirror(mirror.Config{})
	cmds := &sink{}
	tw, err := NewTwin(m, TwinConfig{Model: mirror.Model{Spec: l.Spec}, Commands: cmds, NewPilot: func(e autopilot.Evaluator) (*autopilot.Pilot, error) {
		p, err := autopilot.New("predictive", autopilot.DefaultParams(), e)
		if err != nil {
			return nil, err
		}
		return autopilot.NewPilot(p, autopilot.DefaultGuard())
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tw.Close)
	l.Birth()
	var sent int
	var at sim.Time
	l.Run(4*sim.Day, 2*sim.Minute, func() {
		tw.Flush()
		for _, r := range cmds.take() {
			msg, err := m.Command(r)
			if err != nil {
				t.Fatalf("%+v: %v", r, err)
			}
			l.Command(msg)
			if r.Device == "loader" && r.Command == packml.Maintain.String() {
				sent++
				if at == 0 {
					at = l.Line.Now()
				}
			}
		}
	})
	tw.Flush()
	if sent == 0 {
		t.Fatal("no Command/Maintain sent to the arm in 4 days")
	}
	edge := l.Line.Snapshot().Arms[0].Upkeep
	if edge.Maintenances == 0 {
		t.Fatalf("%d maintenances of the arm sent, none done at the edge: %+v", sent, edge)
	}
	v := m.View()
	f := mirror.Filler{Model: tw.filler.Model}
	snap, marks := l.Line.Snapshot(), mirror.Marks{}
	f.Fill(&v, snap, &marks)
	mu := snap.Arms[0].Upkeep
	if !snap.Arms[0].Worn || mu.Maintenances != edge.Maintenances || mu.ReadingAt < 0 {
		t.Errorf("the mirror's arm %+v; the edge's %+v", mu, edge)
	}
	t.Logf("%d maintenances sent (first at %v), %d done, %d wear-outs; mirror health %.2f from reading %.2f",
		sent, at, edge.Maintenances, edge.WearOuts, mu.Health, mu.Reading)
}
