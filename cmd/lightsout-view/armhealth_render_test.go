package main

import (
	"strings"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// armWearYAML is a line whose loading arm wears, with a vibration sensor.
const armWearYAML = `name: arm-wear
source: {}
stations:
  - id: press
    cycle: normal(30s,2s)
    arm: {id: loader, load: 0.8, unload: 0.8}
  - id: pack
    buffer: 5
    cycle: normal(20s,1s)
arms:
  - id: loader
    speed: 1.0
    accel: 5
    grip: 200ms
    release: 200ms
    wear:
      life: 3h
      replace: 4h
      maintain: 20m
      sensor: {kind: vibration, every: 10m, new: 1, worn: 5, noise: 0.1}
`

// A worn arm shows its health: a bar under its base in the colour of the
// condition its sensor reads, and in its detail panel the condition rows
// and the trend of its readings.
func TestRenderArmHealth(t *testing.T) {
	log := zaptest.NewLogger(t)
	sess, err := NewSession(configstest.Parse(t, armWearYAML), 1, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGame(sess, 100, 1280, 800, log)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 * 6 {
		g.runFor(10 * sim.Minute)
		g.observe()
	}
	g.sel = scene.Selection{Kind: scene.SelArm, Slot: 0, Server: -1}
	img := g.frame()
	a := &g.sess.Snap.Arms[0]
	if !a.Worn || a.Upkeep.Health > 0.9 {
		t.Fatalf("arm %+v: want worn down after 20 hours", a.Upkeep)
	}
	b, ok := scene.ArmHealthBar(g.poses[0].Base, a, &g.sess.Spec.Arms[0])
	if !ok || !b.FromSensor || b.Level > 0.9 {
		t.Fatalf("bar %+v %v: want one read from the sensor, worn", b, ok)
	}
	fill := g.wr(b.Fill)
	if got, want := pixel(img, fill.X+fill.W/2, fill.Y+fill.H/2), palette.Health(b.Level); !closeTo(got, want, 4) {
		t.Errorf("arm health bar %v, want %v for level %.2f", got, want, b.Level)
	}
	_, _, rows := g.armDetails(0)
	var text []string
	for _, r := range rows {
		text = append(text, r.k+": "+r.v)
	}
	all := strings.Join(text, "\n")
	for _, w := range []string{"CONDITION (vibration", "model health", "wear-outs ", "B break"} {
		if !strings.Contains(all, w) {
			t.Errorf("the arm's panel does not say %q:\n%s", w, all)
		}
	}
	if n := g.sparkPoints(); n != scene.TrendLen { // more readings than it keeps
		t.Errorf("the arm's trend holds %d readings, seen every 10 minutes for 20 hours; want the last %d", n, scene.TrendLen)
	}
	if who, cs := g.sparkSensor(); who != "arm" || cs == nil || cs.Worn != 5 {
		t.Errorf("the chart is of %q, sensor %+v", who, cs)
	}
}
