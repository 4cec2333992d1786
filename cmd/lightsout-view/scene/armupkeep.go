package scene

import (
	"strings"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// ArmSensor returns the condition sensor of arm spec (the same type as a
// station's), nil without one.
func ArmSensor(spec *robots.Spec) *stations.ConditionSensor {
	if spec.Wear == nil {
		return nil
	}
	return spec.Wear.Sensor
}

// ArmCondition returns the condition a worn arm's last reading shows, as
// Condition does for a station's server.
func ArmCondition(cs *stations.ConditionSensor, up *robots.UpkeepView) (float64, bool) {
	return conditionOf(cs, up.Reading, up.ReadingAt)
}

// ArmHealthBar returns the health bar of a worn arm whose base is at base
// (world units): under the base, its level the condition read, else the
// model's health; false for an arm that does not wear.
func ArmHealthBar(base Point, st *twin.ArmState, spec *robots.Spec) (HealthBar, bool) {
	if !st.Worn || spec.Wear == nil {
		return HealthBar{}, false
	}
	level, ok := ArmCondition(ArmSensor(spec), &st.Upkeep)
	if !ok {
		level = clamp01(st.Upkeep.Health)
	}
	if level != level { // NaN
		level = 0
	}
	const w = 24.0
	track := Rect{base.X - w/2, base.Y + 13, w, HealthBarH}
	fill := track
	fill.W = w * level
	return HealthBar{Track: track, Fill: fill, Level: level, FromSensor: ok}, true
}

// ArmUpkeepRows returns the rows of a worn arm's panel about its
// condition: the last reading and when it was taken, whether it is being
// maintained or replaced, its failures, wear-outs and maintenances, and
// on a local line (model) the model's health, labelled as such. None for
// an arm that does not wear.
func ArmUpkeepRows(now sim.Time, st *twin.ArmState, spec *robots.Spec, model bool) []Row {
	if !st.Worn || spec.Wear == nil {
		return nil
	}
	cs := ArmSensor(spec)
	up := &st.Upkeep
	parts := conditionParts(now, cs, up.Reading, up.ReadingAt, up.Health, model, up.Replacing, up.Maintaining)
	return []Row{{"", conditionHead(cs)}, {"arm", strings.Join(parts, " · ")},
		{"Upkeep", "failures " + Thousands(up.Failures) + " · wear-outs " + Thousands(up.WearOuts) + " · maintained " + Thousands(up.Maintenances)}}
}
