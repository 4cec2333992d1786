package mirror_test

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// The snapshot filled from the mirror carries what the edge publishes of
// wear and upkeep as the line has it: each server's latest condition
// reading and when it was taken, whether it waits for the crew, the
// station's wear-outs and maintenances, the crews; the health is the one
// the reading says, near the truth. The state forks start from is as worn
// as the readings say.
func TestUpkeepMirrored(t *testing.T) {
	l := twintest.MustLine(t, "phone-factory", 4)
	l.Strict = true
	m := l.MustMirror(mirror.Config{})
	l.Birth()
	l.Run(2*sim.Day, 5*sim.Minute, nil)
	v := m.View()
	f := &mirror.Filler{Model: mirror.Model{Spec: l.Spec, Group: l.Group, Prefix: l.Spec.Name}}
	var snap twin.Snapshot
	var marks mirror.Marks
	f.Fill(&v, &snap, &marks)
	truth := l.Line.Snapshot()
	readings := 0
	for i := range truth.Stations {
		want, got := &truth.Stations[i], &snap.Stations[i]
		if len(got.Upkeep) != len(want.Upkeep) {
			t.Fatalf("%s: %d servers' upkeep, the line has %d", want.ID, len(got.Upkeep), len(want.Upkeep))
		}
		if got.Counts.WearOuts != want.Counts.WearOuts || got.Counts.Maintenances != want.Counts.Maintenances || got.CanMaintain != want.CanMaintain {
			t.Errorf("%s: wear-outs %d, maintenances %d, can maintain %v; the line says %d, %d, %v", want.ID, got.Counts.WearOuts,
				got.Counts.Maintenances, got.CanMaintain, want.Counts.WearOuts, want.Counts.Maintenances, want.CanMaintain)
		}
		for k, w := range want.Upkeep {
			g := got.Upkeep[k]
			at := w.ReadingAt
			if at >= 0 {
				at = at / sim.Millisecond * sim.Millisecond // published in ms
			}
			if g.WaitingCrew != w.WaitingCrew || g.ReadingAt != at || math.Abs(g.Reading-w.Reading) > 1e-4*math.Abs(w.Reading) {
				t.Errorf("%s server %d: %+v, the line has %+v", want.ID, k+1, g, w)
			}
			if w.ReadingAt < 0 {
				continue
			}
			readings++
			if math.Abs(g.Health-w.Health) > 0.35 {
				t.Errorf("%s server %d: health %.2f by its reading, truly %.2f", want.ID, k+1, g.Health, w.Health)
			}
		}
	}
	if readings == 0 {
		t.Fatal("no condition reading: the test shows nothing")
	}
	if len(snap.Crews) != len(truth.Crews) || len(snap.Crews) == 0 {
		t.Fatalf("crews %+v, the line has %+v", snap.Crews, truth.Crews)
	}
	for i, w := range truth.Crews {
		if g := snap.Crews[i]; g.Line != w.Line || g.Size != w.Size || g.Busy != w.Busy || g.Queued != w.Queued {
			t.Errorf("crew %d: %+v, the line has %+v", i, g, w)
		}
	}

	st, _, err := v.State(mirror.Model{Spec: l.Spec, Group: l.Group, Prefix: l.Spec.Name})
	if err != nil {
		t.Fatal(err)
	}
	worn := 0
	for i := range st.Stations {
		sa := &st.Stations[i]
		for k, sv := range sa.Servers {
			u := snap.Stations[i].Upkeep
			if len(u) == 0 || u[k].ReadingAt < 0 {
				if sv.Damage != 0 {
					t.Errorf("%s server %d: damage %v without a reading", sa.ID, k+1, sv.Damage)
				}
				continue
			}
			if math.Abs(sv.Damage-(1-u[k].Health)) > 1e-9 {
				t.Errorf("%s server %d: damage %v, its reading says %v", sa.ID, k+1, sv.Damage, 1-u[k].Health)
			}
			if sv.Damage > 0 {
				worn++
			}
		}
	}
	if worn == 0 {
		t.Error("no server worn in the state after 2 days")
	}
}
