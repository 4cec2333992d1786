package mirror_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// checkMoves compares the moves under way in the snapshot filled from the
// mirror with the line's own: the station, server and direction, and the
// share done within the millisecond rounding of the published timing.
// It returns how many arms were mid-move.
func checkMoves(t *testing.T, got, want *twin.Snapshot) (mid int) {
	t.Helper()
	for j := range want.Arms {
		g, w := &got.Arms[j], &want.Arms[j]
		if g.Station != w.Station || g.Station >= 0 && (g.Server != w.Server || g.Loading != w.Loading) {
			t.Errorf("t=%v arm %s line %d: move to station %d server %d loading %v, want %d %d %v", want.Now, g.ID, g.Line+1,
				g.Station, g.Server, g.Loading, w.Station, w.Server, w.Loading)
			continue
		}
		if w.Station < 0 {
			continue
		}
		tol := 3 * float64(sim.Millisecond) / float64(w.MoveTime)
		if math.Abs(g.Progress-w.Progress) > tol+1e-9 {
			t.Errorf("t=%v arm %s line %d: progress %.6f, want %.6f", want.Now, g.ID, g.Line+1, g.Progress, w.Progress)
		}
		if w.Progress > 0.05 && w.Progress < 0.95 {
			mid++
		}
	}
	return mid
}

// An arm's move under way is published (Move/Station, Move/Server,
// Move/Loading and its timing), so the snapshot filled from the mirror
// draws every arm where the line's own has it, at steps that fall at
// every point of a move, a broken arm included (its move frozen).
func TestFillerArmsMoveAsTheLines(t *testing.T) {
	for _, tc := range []struct {
		config     string
		warm, span sim.Time // until every arm has work; then checked
	}{
		{"demo-line", 5 * sim.Minute, 5 * sim.Minute},
		{"phone-factory", 20 * sim.Minute, 90 * sim.Second},
		// An arm worn for half a day moves slower than new.
		{"../pilot/testdata/arm-wear.yaml", 12 * sim.Hour, 20 * sim.Minute},
	} {
		config := tc.config
		t.Run(filepath.Base(config), func(t *testing.T) {
			l := twintest.MustLine(t, config, 3)
			if len(l.Spec.Arms) == 0 {
				t.Fatalf("%s has no arms", config)
			}
			m := l.MustMirror(mirror.Config{Group: l.Group})
			f := &mirror.Filler{Model: mirror.Model{Spec: l.Spec, Group: l.Group, Prefix: l.Spec.Name}}
			var snap twin.Snapshot
			var marks mirror.Marks
			l.Birth()
			l.Run(tc.warm, 10*sim.Second, nil)
			mid := 0
			progress := map[float64]bool{} // shares done seen, in twentieths
			// 370 ms steps are not a divisor of any move, so the checks
			// fall all along the moves.
			l.Run(tc.span, 370*sim.Millisecond, func() {
				fill(f, m, &snap, &marks)
				want := l.Line.Snapshot()
				mid += checkMoves(t, &snap, want)
				for j := range snap.Arms {
					if snap.Arms[j].Station >= 0 {
						progress[math.Round(snap.Arms[j].Progress*20)] = true
					}
				}
			})
			if mid < 50 || len(progress) < 18 {
				t.Errorf("%d arm positions mid-move, at %d of 21 points of a move: the arms hardly moved", mid, len(progress))
			}
			// A broken arm stops where it is, and its share done stays put.
			j := -1
			for tries := 0; j < 0 && tries < 600; tries++ {
				l.Run(100*sim.Millisecond, 100*sim.Millisecond, nil)
				fill(f, m, &snap, &marks)
				for k, a := range snap.Arms {
					if a.Station >= 0 && a.Progress > 0.1 && a.Progress < 0.9 {
						j = k
					}
				}
			}
			if j < 0 {
				t.Fatal("no arm mid-move for a minute")
			}
			a := &snap.Arms[j]
			l.Do(twin.Command{Kind: twin.BreakArm, Target: a.ID, Line: a.Line})
			l.Run(sim.Second, sim.Second, nil)
			fill(f, m, &snap, &marks)
			stopped := a.Progress
			l.Run(10*sim.Second, sim.Second, nil)
			fill(f, m, &snap, &marks)
			checkMoves(t, &snap, l.Line.Snapshot())
			if a.Progress != stopped || a.Station < 0 || a.Progress <= 0 {
				t.Errorf("broken arm %s: progress %v then %v (station %d), want it to stay", a.ID, stopped, a.Progress, a.Station)
			}
		})
	}
}
