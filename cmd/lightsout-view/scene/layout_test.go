package scene

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/twin"
)

// longLine returns the YAML of a line of n machines in `lines` copies,
// every third one loaded by its own arm, with an oven in the middle.
func longLine(n, lines int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: long\nlines: %d\nsource: {}\nstations:\n", lines)
	var arms []string
	for i := range n {
		switch {
		case i == n/2:
			fmt.Fprintf(&b, "  - {id: oven-%d, buffer: 3, conveyor: {dwell: 5m, pitch: 5s}}\n", i)
		case i%3 == 1:
			fmt.Fprintf(&b, "  - {id: cell-%d, buffer: 2, cycle: 4s, arm: {id: arm-%d, load: 0.5, unload: 0.5}}\n", i, i)
			arms = append(arms, fmt.Sprintf("arm-%d", i))
		default:
			fmt.Fprintf(&b, "  - {id: machine-number-%d, servers: %d, buffer: %d, cycle: 4s}\n", i, 1+i%5, i%7)
		}
	}
	if len(arms) > 0 {
		b.WriteString("arms:\n")
		for _, a := range arms {
			fmt.Fprintf(&b, "  - {id: %s, speed: 2, accel: 10}\n", a)
		}
	}
	return b.String()
}

// layoutCases are the configs every layout test runs on: all the embedded
// ones and a few made to stress the layout.
func layoutCases(tb testing.TB) map[string]*twin.Spec {
	cases := map[string]*twin.Spec{}
	for _, name := range configs.Names() {
		cases[name] = configstest.Embedded(tb, name)
	}
	cases["one-station"] = configstest.Parse(tb, "name: one\nsource: {}\nstations:\n  - {id: only, cycle: 3s}\n")
	cases["long-40"] = configstest.Parse(tb, longLine(40, 1))
	cases["three-copies"] = configstest.Parse(tb, longLine(10, 3))
	cases["big-oven"] = configstest.Parse(tb, "name: oven\nsource: {}\nstations:\n  - {id: in, cycle: 1s}\n  - {id: oven, conveyor: {dwell: 30m, pitch: 2s}}\n  - {id: out, servers: 12, buffer: inf, cycle: 20s}\n")
	return cases
}

// viewSizes are floor view sizes (pixels) the layout must handle.
var viewSizes = [][2]float64{{1280, 574}, {1280, 800}, {800, 400}, {1920, 860}, {600, 900}}

func TestLayPutsEverythingInsideTheBounds(t *testing.T) {
	for name, spec := range layoutCases(t) {
		for _, sz := range viewSizes {
			t.Run(fmt.Sprintf("%s/%gx%g", name, sz[0], sz[1]), func(t *testing.T) {
				f := Lay(spec, sz[0], sz[1])
				n := len(spec.Stations)
				if got, want := len(f.Stations), spec.Lines*n; got != want {
					t.Fatalf("%d station boxes, want %d", got, want)
				}
				if got, want := len(f.Arms), spec.Lines*len(spec.Arms); got != want {
					t.Fatalf("%d arm boxes, want %d", got, want)
				}
				for i := range f.Stations {
					s := &f.Stations[i]
					if s.Line != i/n || s.Index != i%n {
						t.Errorf("box %d is station %d of line %d", i, s.Index, s.Line)
					}
					for what, r := range map[string]Rect{"slot": s.Slot, "label": s.Label, "tray": s.Tray, "box": s.Box, "info": s.InfoBox} {
						if !r.Inside(f.Bounds) || r.W <= 0 || r.H <= 0 {
							t.Errorf("%s %s %v not inside the floor %v", spec.Stations[s.Index].ID, what, r, f.Bounds)
						}
					}
					if s.Tray.Overlaps(s.Box) {
						t.Errorf("%s: tray and box overlap", spec.Stations[s.Index].ID)
					}
					want := spec.Stations[s.Index].Servers
					if s.Conveyor {
						want = 1
					}
					if len(s.Servers) != want {
						t.Errorf("%s: %d server boxes, want %d", spec.Stations[s.Index].ID, len(s.Servers), want)
					}
					for k, r := range s.Servers {
						if !r.Inside(s.Box) {
							t.Errorf("%s server %d %v outside its box %v", spec.Stations[s.Index].ID, k, r, s.Box)
						}
						for k2 := k + 1; k2 < len(s.Servers); k2++ {
							if r.Overlaps(s.Servers[k2]) {
								t.Errorf("%s servers %d and %d overlap", spec.Stations[s.Index].ID, k, k2)
							}
						}
					}
				}
				for j := range f.Arms {
					a := &f.Arms[j]
					if !a.Label.Inside(f.Bounds) || !f.Bounds.Contains(a.Base) {
						t.Errorf("arm %s at %v (label %v) outside the floor", a.ID, a.Base, a.Label)
					}
					for _, i := range a.Stations {
						for _, p := range armTargets(f, a.Line, n, i) {
							if d := Dist(a.Base, p); d > a.L1+a.L2 {
								t.Errorf("arm %s cannot reach %v: %.0f > %.0f", a.ID, p, d, a.L1+a.L2)
							}
						}
					}
				}
				for c, d := range f.Docks {
					if !d.Slot.Inside(f.Bounds) {
						t.Errorf("dock %d outside the floor", c)
					}
				}
			})
		}
	}
}

func TestLayNothingOverlaps(t *testing.T) {
	for name, spec := range layoutCases(t) {
		for _, sz := range viewSizes {
			t.Run(fmt.Sprintf("%s/%gx%g", name, sz[0], sz[1]), func(t *testing.T) {
				f := Lay(spec, sz[0], sz[1])
				type named struct {
					what string
					r    Rect
				}
				var slots, labels []named
				for _, s := range f.Stations {
					id := fmt.Sprintf("L%d/%s", s.Line+1, spec.Stations[s.Index].ID)
					slots = append(slots, named{id, s.Slot})
					labels = append(labels, named{id + " label", s.Label}, named{id + " tray count", s.InfoTray}, named{id + " defects", s.InfoBox})
				}
				for _, d := range f.Docks {
					slots = append(slots, named{fmt.Sprintf("L%d/dock", d.Line+1), d.Slot})
					labels = append(labels, named{fmt.Sprintf("L%d/dock label", d.Line+1), d.Label})
				}
				for _, a := range f.Arms {
					labels = append(labels, named{fmt.Sprintf("L%d/%s label", a.Line+1, a.ID), a.Label})
				}
				for _, set := range [][]named{slots, labels} {
					for i := range set {
						for j := i + 1; j < len(set); j++ {
							if set[i].r.Overlaps(set[j].r) {
								t.Errorf("%s %v overlaps %s %v", set[i].what, set[i].r, set[j].what, set[j].r)
							}
						}
					}
				}
				for i := range f.Blocks {
					for j := i + 1; j < len(f.Blocks); j++ {
						if f.Blocks[i].Bounds.Overlaps(f.Blocks[j].Bounds) {
							t.Errorf("copies %d and %d overlap", i+1, j+1)
						}
					}
				}
			})
		}
	}
}

func TestLaySerpentine(t *testing.T) {
	spec := configstest.Parse(t, longLine(40, 1))
	f := Lay(spec, 1280, 574)
	if f.RowCount < 3 {
		t.Fatalf("40 stations in %d rows at 1280x574; want them to wrap", f.RowCount)
	}
	rows := 1
	for i := 1; i < len(f.Stations); i++ {
		a, b := &f.Stations[i-1], &f.Stations[i]
		if b.FlowY == a.FlowY {
			if b.Dir != a.Dir {
				t.Errorf("stations %d and %d share a row but not a direction", i-1, i)
			}
			// The next station sits right after, in the row's direction.
			if got := (b.Slot.X - a.Slot.X) * a.Dir; got <= 0 {
				t.Errorf("station %d is not after station %d in its row (dir %v)", i, i-1, a.Dir)
			}
			continue
		}
		rows++
		if b.FlowY <= a.FlowY {
			t.Errorf("row of station %d is above the row before", i)
		}
		if b.Dir != -a.Dir {
			t.Errorf("row starting at station %d runs the same way as the row before", i)
		}
		// The row starts on the side where the previous one ended.
		prevEnd, start := a.Slot.X+a.Slot.W/2, b.Slot.X+b.Slot.W/2
		if (a.Dir > 0) != (start > f.Bounds.X+f.Bounds.W/2) || (a.Dir > 0) != (prevEnd > f.Bounds.X+f.Bounds.W/2) {
			t.Errorf("row turn at station %d: the row does not start where the previous ended", i)
		}
	}
	if rows != f.RowCount && rows+1 != f.RowCount { // the dock may open a row of its own
		t.Errorf("counted %d rows, layout says %d", rows, f.RowCount)
	}
}

func TestLayCopiesSideBySideOrStacked(t *testing.T) {
	spec := configstest.Embedded(t, "phone-factory")
	for _, tc := range []struct {
		w, h    float64
		stacked bool
	}{
		{1280, 574, true},  // wide and short: two long copies one above the other
		{1000, 1400, true}, // tall: stacked too
		{2600, 500, false}, // very wide: side by side
	} {
		f := Lay(spec, tc.w, tc.h)
		if f.Stacked != tc.stacked {
			t.Errorf("%gx%g: stacked = %v, want %v", tc.w, tc.h, f.Stacked, tc.stacked)
		}
		a, b := f.Blocks[0].Bounds, f.Blocks[1].Bounds
		if tc.stacked && b.Y < a.Y+a.H || !tc.stacked && b.X < a.X+a.W {
			t.Errorf("%gx%g: line 2 %v is not beside/below line 1 %v", tc.w, tc.h, b, a)
		}
	}
}

func TestLayFactoryIsReadableAt1280x800(t *testing.T) {
	// The floor view of a 1280x800 window with the dashboard shown.
	view := FloorView(1280, 800, true)
	f := Lay(configstest.Embedded(t, "phone-factory"), view.W, view.H)
	cam := FitCamera(f, view)
	if cam.Zoom < 0.85 {
		t.Errorf("the factory shows at zoom %.2f; below 0.85 its labels get too small", cam.Zoom)
	}
	if s := FloorTextSize(LabelSize, cam.Zoom); s < 12 {
		t.Errorf("station labels at %.1f px; want at least 12", s)
	}
}

func TestServerGrid(t *testing.T) {
	r := Rect{0, 0, 68, 52}
	for _, tc := range []struct{ n, cols, rows int }{
		{1, 1, 1}, {2, 2, 1}, {3, 3, 1}, {4, 2, 2}, {6, 3, 2}, {8, 4, 2},
	} {
		got := serverGrid(r, tc.n, 1)
		cols, rows := map[float64]bool{}, map[float64]bool{}
		for _, b := range got {
			cols[b.X], rows[b.Y] = true, true
		}
		if len(got) != tc.n || len(cols) != tc.cols || len(rows) != tc.rows {
			t.Errorf("%d servers: %d boxes in %dx%d, want %dx%d", tc.n, len(got), len(cols), len(rows), tc.cols, tc.rows)
		}
	}
	// Right to left, server 1 is on the right.
	g := serverGrid(r, 3, -1)
	if g[0].X <= g[2].X {
		t.Errorf("right-to-left grid: server 1 at x=%v, server 3 at x=%v", g[0].X, g[2].X)
	}
}
