package scene

import (
	"testing"

	"github.com/lightsout-sim/lightsout/configs/configstest"
)

func TestHitTestSelectsTheStationClicked(t *testing.T) {
	for _, name := range []string{"demo-line", "phone-factory"} {
		spec := configstest.Embedded(t, name)
		f := Lay(spec, 1280, 574)
		for i := range f.Stations {
			s := &f.Stations[i]
			for what, p := range map[string]Point{
				"box":   s.Box.Center(),
				"tray":  s.Tray.Center(),
				"label": s.Label.Center(),
				"edge":  {s.Box.X + 1, s.Box.Y + 1},
			} {
				got := HitTest(f, nil, p)
				if got.Kind != SelStation || got.Slot != i {
					t.Errorf("%s: click on %s of station slot %d selects %+v", name, what, i, got)
				}
			}
			if len(s.Servers) > 1 {
				for k, r := range s.Servers {
					if got := HitTest(f, nil, r.Center()); got.Slot != i || got.Server != k {
						t.Errorf("%s: click on server %d of slot %d selects %+v", name, k, i, got)
					}
				}
			} else if got := HitTest(f, nil, s.Box.Center()); got.Server != -1 {
				t.Errorf("%s: click on a one-server box picks server %d", name, got.Server)
			}
		}
		// Between the rows, and outside the floor, nothing.
		for _, p := range []Point{{f.Bounds.X - 50, f.Bounds.Y}, {f.Bounds.X + 2, f.Bounds.Y + 2}} {
			if got := HitTest(f, nil, p); got.Kind != SelNone {
				t.Errorf("%s: click at %v selects %+v", name, p, got)
			}
		}
	}
}

func TestHitTestPrefersArms(t *testing.T) {
	spec := configstest.Embedded(t, "phone-factory")
	f := Lay(spec, 1280, 574)
	n := len(spec.Stations)
	poses := make([]ArmPose, len(f.Arms))
	for j := range f.Arms {
		a := &f.Arms[j]
		// Put each hand right over the box of the station the arm serves.
		target := f.Stations[a.Line*n+a.Stations[0]].Box.Center()
		poses[j].Base = a.Base
		poses[j].Elbow, poses[j].Hand = SolveIK(a.Base, target, a.L1, a.L2, a.Elbow)
	}
	for j := range f.Arms {
		for _, p := range []Point{poses[j].Base, poses[j].Hand, {poses[j].Base.X + 5, poses[j].Base.Y - 5}} {
			if got := HitTest(f, poses, p); got.Kind != SelArm || got.Slot != j {
				t.Errorf("click at %v near arm %d selects %+v", p, j, got)
			}
		}
	}
}
