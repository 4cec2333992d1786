package twin_test

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// mustLine parses yaml through the public config format and builds its line.
func mustLine(t *testing.T, yaml string, seed uint64) *twin.Line {
	t.Helper()
	spec, err := configs.Parse("speed.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	l, err := twin.NewLine(spec, seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// mustEmbedded builds the line of an embedded config.
func mustEmbedded(t *testing.T, name string, seed uint64) *twin.Line {
	t.Helper()
	spec, err := configs.Embedded(name)
	if err != nil {
		t.Fatal(err)
	}
	l, err := twin.NewLine(spec, seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func speed(t *testing.T, l *twin.Line, target string, f float64) {
	t.Helper()
	if err := l.Do(twin.Command{Kind: twin.SetSpeed, Target: target, Speed: f}); err != nil {
		t.Fatal(err)
	}
}

// checkAtMostOne fails when any OEE or performance of the result or of a
// snapshot taken now exceeds 1.
func checkAtMostOne(t *testing.T, what string, l *twin.Line) {
	t.Helper()
	r := l.Result()
	if r.OEE > 1 || r.Performance > 1 {
		t.Errorf("%s: line OEE %.4f, performance %.4f: want at most 1", what, r.OEE, r.Performance)
	}
	for _, s := range r.Stations {
		if s.OEE > 1 {
			t.Errorf("%s: %s OEE %.4f: want at most 1", what, s.ID, s.OEE)
		}
	}
	snap := l.Snapshot()
	if snap.Line.OEE > 1 || snap.Line.Performance > 1 {
		t.Errorf("%s: snapshot OEE %.4f, performance %.4f: want at most 1", what, snap.Line.OEE, snap.Line.Performance)
	}
	for _, s := range snap.Stations {
		if s.OEE > 1 {
			t.Errorf("%s: snapshot %s OEE %.4f: want at most 1", what, s.ID, s.OEE)
		}
	}
}

// The reproduction of the defect: demo-line with test (its constraint) at
// 2.5x reported OEE 1.35. Any speed change, faster or slower, on one or
// several stations, keeps every OEE and performance at most 1, and a
// speed-up of the constraint still runs near full performance.
func TestSpeedUpKeepsOEEAtMostOne(t *testing.T) {
	for _, c := range []struct {
		name  string
		moves []struct {
			target string
			speed  float64
		}
	}{
		{"test 2.5x", []struct {
			target string
			speed  float64
		}{{"test", 2.5}}},
		{"test 2.5x, placer 3x", []struct {
			target string
			speed  float64
		}{{"test", 2.5}, {"placer", 3}}},
		{"test 0.5x", []struct {
			target string
			speed  float64
		}{{"test", 0.5}}},
		{"every station 10x", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := mustEmbedded(t, "demo-line", 1)
			l.RunFor(30 * sim.Minute)
			moves := c.moves
			if moves == nil {
				for _, s := range l.Spec().Stations {
					moves = append(moves, struct {
						target string
						speed  float64
					}{s.ID, 10})
				}
			}
			for _, m := range moves {
				speed(t, l, m.target, m.speed)
			}
			for h := range 8 {
				l.RunFor(sim.Hour)
				checkAtMostOne(t, c.name+" after "+string(rune('1'+h))+" h", l)
			}
		})
	}
}

// On a single deterministic machine the performance of a speed change is
// known exactly: a slow-down to f is a speed loss of 1-f for the time it
// lasts; a speed-up runs at full performance, the ideal rate raised with
// the speed.
func TestSpeedLossMatchesTheory(t *testing.T) {
	const yaml = `
source: {}
stations:
  - {id: m, cycle: 10s}
`
	for _, c := range []struct {
		name        string
		first, then float64 // speeds for the two halves
	}{
		{"half speed throughout", 0.5, 0.5},
		{"nominal then half", 1, 0.5},
		{"nominal then double", 1, 2},
		{"double then 0.8", 2, 0.8},
		{"quarter then 4x", 0.25, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := mustLine(t, yaml, 1)
			const half = 10 * sim.Hour
			speed(t, l, "m", c.first)
			l.RunFor(half)
			speed(t, l, "m", c.then)
			l.RunFor(half)
			// Performance is actual over ideal output; ideal counts a
			// second at speed f as max(1, f) design seconds.
			actual := c.first + c.then
			ideal := max(1, c.first) + max(1, c.then)
			want := actual / ideal
			r := l.Result()
			if math.Abs(r.Performance-want) > 0.001 {
				t.Errorf("line performance %.4f, want %.4f", r.Performance, want)
			}
			if s := r.Stations[0]; math.Abs(s.OEE-want) > 0.001 {
				t.Errorf("station OEE %.4f, want %.4f (availability and quality 1)", s.OEE, want)
			}
			if snap := l.Snapshot(); math.Abs(snap.Line.Performance-r.Performance) > 1e-12 {
				t.Errorf("snapshot performance %.6f, result %.6f", snap.Line.Performance, r.Performance)
			}
		})
	}
}

// Performance is raised by the line's ideal rate, not the sped-up
// station's alone: speeding up the constraint of a two-station line moves
// the ideal rate to the other station's design rate. Performance then
// stays near 1, not near 1/2.5 (ideal taken as the constraint's new rate)
// nor above 1 (ideal left at design).
func TestSpeedUpOfTheConstraintRaisesTheLineRate(t *testing.T) {
	l := mustLine(t, `
source: {}
stations:
  - {id: a, cycle: 8s}
  - {id: b, cycle: 10s, buffer: 5}
`, 1)
	speed(t, l, "b", 2.5)
	l.RunFor(20 * sim.Hour)
	r := l.Result()
	// b at 2.5x has a 4 s cycle; a (8 s) paces the line: 450/h, ideal 450/h.
	if math.Abs(r.ThroughputPerHour-450) > 1 {
		t.Fatalf("throughput %.1f/h, want 450/h (a paces the line)", r.ThroughputPerHour)
	}
	if r.Performance < 0.995 || r.Performance > 1 {
		t.Errorf("line performance %.4f, want about 1", r.Performance)
	}
	if r.Stations[1].OEE > 0.55 || r.Stations[1].OEE < 0.45 {
		t.Errorf("b's OEE %.4f: b at 2.5x works 450/h of its raised 900/h, want about 0.5", r.Stations[1].OEE)
	}
}
