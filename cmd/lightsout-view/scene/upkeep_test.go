package scene

import (
	"math"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// wornLine is a line of three stations: the first wears with a
// vibration sensor and has two servers, the second has no wear, the
// third is an oven.
const wornLine = `name: worn
source: {}
stations:
  - id: press
    servers: 2
    cycle: 10s
    wear: {life: 100h, maintain: 30m, replace: 2h, sensor: {kind: vibration, every: 10m, new: 1, worn: 5, noise: 0.1}}
  - {id: plain, cycle: 5s}
  - {id: oven, conveyor: {dwell: 5m, pitch: 5s}}
crew: {size: 2, travel: 2m}
`

func TestConditionFromReading(t *testing.T) {
	cs := &stations.ConditionSensor{Kind: "vibration", New: 1, Worn: 5}
	for _, tc := range []struct {
		reading float64
		at      sim.Time
		want    float64
		ok      bool
	}{
		{1, 0, 1, true}, {3, sim.Minute, 0.5, true}, {5, 0, 0, true},
		{7, 0, 0, true}, {0, 0, 1, true}, // beyond the scale: capped
		{3, -1, 0, false}, // no reading yet
	} {
		c, ok := Condition(cs, &stations.UpkeepView{Reading: tc.reading, ReadingAt: tc.at})
		if ok != tc.ok || math.Abs(c-tc.want) > 1e-12 {
			t.Errorf("reading %g at %v: %g %v, want %g %v", tc.reading, tc.at, c, ok, tc.want, tc.ok)
		}
	}
	// A falling sensor (say, a temperature margin) reads the other way.
	down := &stations.ConditionSensor{New: 10, Worn: 2}
	if c, _ := Condition(down, &stations.UpkeepView{Reading: 4}); math.Abs(c-0.25) > 1e-12 {
		t.Errorf("falling sensor: %g, want 0.25", c)
	}
	if _, ok := Condition(nil, &stations.UpkeepView{Reading: 1}); ok {
		t.Error("no sensor gave a condition")
	}
}

func TestHealthBars(t *testing.T) {
	spec := configstest.Parse(t, wornLine)
	f := Lay(spec, 1280, 600)
	press, plain, oven := &f.Stations[0], &f.Stations[1], &f.Stations[2]
	ss := &twin.StationState{Upkeep: []stations.UpkeepView{
		{Health: 0.9, Reading: 3, ReadingAt: sim.Hour},  // the sensor reads 50%: that is what shows
		{Health: 0.3, ReadingAt: -1, WaitingCrew: true}, // no reading yet: the model's health
	}}
	bars := HealthBars(press, ss, &spec.Stations[0], nil)
	if len(bars) != 2 {
		t.Fatalf("%d bars, want one per server", len(bars))
	}
	inner := press.Box.Inset(boxPad)
	for k, b := range bars {
		if b.Track.X < inner.X || b.Track.X+b.Track.W > inner.X+inner.W+1e-9 || b.Track.H != HealthBarH || b.Track.W < 10 {
			t.Errorf("bar %d track %+v, want under the machine %+v", k, b.Track, inner)
		}
		if k > 0 && b.Track.X*press.Dir <= bars[k-1].Track.X*press.Dir {
			t.Errorf("bar %d at x %g not after bar %d at %g in the flow's direction", k, b.Track.X, k-1, bars[k-1].Track.X)
		}
		if k > 0 && b.Track.Overlaps(bars[k-1].Track) {
			t.Errorf("bars %d and %d overlap", k-1, k)
		}
		if top := press.Box.Y + press.Box.H; b.Track.Y <= top || b.Track.Y+b.Track.H > top+rowBase-boxTop-boxH {
			t.Errorf("bar %d at y %g..%g, want in the gap below the machine (%g..%g)", k, b.Track.Y, b.Track.Y+b.Track.H, top, top+10)
		}
		if math.Abs(b.Fill.W-b.Track.W*b.Level) > 1e-9 || b.Fill.H != b.Track.H || b.Fill.Y != b.Track.Y {
			t.Errorf("bar %d fill %+v for level %g of %+v", k, b.Fill, b.Level, b.Track)
		}
	}
	if bars[0].Level != 0.5 || !bars[0].FromSensor || bars[0].Waiting {
		t.Errorf("server 1: %+v, want the sensor's 0.5", bars[0])
	}
	if bars[1].Level != 0.3 || bars[1].FromSensor || !bars[1].Waiting {
		t.Errorf("server 2: %+v, want the model's 0.3, waiting for the crew", bars[1])
	}
	// A row running right to left empties its bars towards the flow's start.
	flipped := *press
	flipped.Dir = -1
	b := HealthBars(&flipped, ss, &spec.Stations[0], nil)[0]
	if math.Abs(b.Fill.X+b.Fill.W-(b.Track.X+b.Track.W)) > 1e-9 {
		t.Errorf("right-to-left fill %+v does not end where the track %+v does", b.Fill, b.Track)
	}
	// No wear, no bar (even with a crew, whose stations all have Upkeep).
	if got := HealthBars(plain, &twin.StationState{Upkeep: []stations.UpkeepView{{Health: 1}}}, &spec.Stations[1], nil); len(got) != 0 {
		t.Errorf("station without wear: %d bars", len(got))
	}
	if got := HealthBars(oven, &twin.StationState{}, &spec.Stations[2], nil); len(got) != 0 {
		t.Errorf("oven: %d bars", len(got))
	}
}

func TestUpkeepRows(t *testing.T) {
	spec := configstest.Parse(t, wornLine)
	ss := &twin.StationState{Upkeep: []stations.UpkeepView{
		{Health: 0.62, Reading: 2.5, ReadingAt: sim.Hour},
		{Health: 0.1, ReadingAt: -1, WaitingCrew: true, Maintaining: true},
	}}
	rows := UpkeepRows(sim.Hour+4*sim.Minute, ss, &spec.Stations[0], true)
	text := ""
	for _, r := range rows {
		text += r.Caption + ": " + r.Value + "\n"
	}
	for _, want := range []string{
		": CONDITION (vibration, new 1, worn 5)",
		"server 1: 2.50 (62%) 4 min ago · model health 62%",
		"server 2: no reading yet · model health 10% · maintaining · waiting for crew",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("rows lack %q:\n%s", want, text)
		}
	}
	if twinRows := UpkeepRows(sim.Hour, ss, &spec.Stations[0], false); strings.Contains(twinRows[1].Value, "model") {
		t.Errorf("twin mode shows the model's health: %q", twinRows[1].Value)
	}
	if got := UpkeepRows(0, &twin.StationState{Upkeep: ss.Upkeep}, &spec.Stations[1], true); got != nil {
		t.Errorf("station without wear: %v", got)
	}
}

func TestTrendsKeepEachReadingOnce(t *testing.T) {
	snap := &twin.Snapshot{Stations: []twin.StationState{{}, {Upkeep: []stations.UpkeepView{{ReadingAt: -1}}}}}
	var tr Trends
	up := &snap.Stations[1].Upkeep[0]
	for k := range TrendLen + 10 {
		snap.Now = sim.Time(k) * sim.Minute
		if k%2 == 0 { // a new reading every other snapshot
			up.ReadingAt, up.Reading, up.Health = snap.Now, float64(k), 1-float64(k)/1000
		}
		tr.Observe(snap, true)
	}
	pts := tr.Points(1, 0, nil)
	if len(pts) != (TrendLen+10+1)/2 && len(pts) != TrendLen {
		t.Fatalf("%d points kept", len(pts))
	}
	for k := 1; k < len(pts); k++ {
		if pts[k].At <= pts[k-1].At || pts[k].Value != float64(pts[k].At/sim.Minute) {
			t.Fatalf("points out of order or wrong at %d: %+v after %+v", k, pts[k], pts[k-1])
		}
	}
	if last := pts[len(pts)-1]; last.Value != float64(TrendLen+8) {
		t.Errorf("last point %+v, want the reading of minute %d", last, TrendLen+8)
	}
	if got := tr.Points(0, 0, nil); len(got) != 0 {
		t.Errorf("station without upkeep: %d points", len(got))
	}
	// Twin mode keeps no model health; a reset starts afresh.
	snap.Now, up.ReadingAt = 0, 0
	tr.Observe(snap, false)
	if pts := tr.Points(1, 0, nil); len(pts) != 1 || !math.IsNaN(pts[0].Health) {
		t.Errorf("after a reset in twin mode: %+v", pts)
	}
}

func TestLaySpark(t *testing.T) {
	r := XYWH(10, 20, 100, 50)
	pts := []TrendPoint{{At: 0, Value: 1}, {At: sim.Hour, Value: 3}, {At: 2 * sim.Hour, Value: 6}}
	sp := LaySpark(pts, 1, 5, r, nil)
	if sp.Lo != 1 || sp.Hi != 6 {
		t.Errorf("axis %g..%g, want 1..6 (the worn level widened to the highest reading)", sp.Lo, sp.Hi)
	}
	want := []Point{{10, 70}, {60, 50}, {110, 20}}
	for k, p := range sp.Points {
		if math.Abs(p.X-want[k].X) > 1e-9 || math.Abs(p.Y-want[k].Y) > 1e-9 {
			t.Errorf("point %d at %v, want %v", k, p, want[k])
		}
	}
	if math.Abs(sp.NewY-70) > 1e-9 || math.Abs(sp.WornY-30) > 1e-9 {
		t.Errorf("new at y %g, worn at y %g; want 70 and 30", sp.NewY, sp.WornY)
	}
}
