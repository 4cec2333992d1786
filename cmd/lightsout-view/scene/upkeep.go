package scene

import (
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// HealthBarH is the height of a health bar under a server, in world units;
// it sits in the gap between the machine and the row below.
const HealthBarH = 4.0

// Condition returns the condition a sensor reading shows, 1 at the
// sensor's New reading and 0 at its Worn one, capped to 0..1: the health
// the plant can see. ok is false without a sensor or a reading.
func Condition(cs *stations.ConditionSensor, up *stations.UpkeepView) (c float64, ok bool) {
	return conditionOf(cs, up.Reading, up.ReadingAt)
}

// conditionOf returns the condition a reading taken at readingAt (-1:
// none) shows on sensor cs, 1 new to 0 worn out; false without a reading.
func conditionOf(cs *stations.ConditionSensor, reading float64, readingAt sim.Time) (float64, bool) {
	if cs == nil || readingAt < 0 || cs.Worn == cs.New {
		return 0, false
	}
	return clamp01(1 - (reading-cs.New)/(cs.Worn-cs.New)), true
}

// Sensor returns the condition sensor of station spec, nil without one.
func Sensor(spec *stations.Spec) *stations.ConditionSensor {
	if spec.Wear == nil {
		return nil
	}
	return spec.Wear.Sensor
}

// HealthBar is the bar under one server of a worn station: Track is the
// whole bar, Fill its part for Level (the condition read, else the
// model's health), both in world units. FromSensor says Level comes from
// a reading; Waiting that the server waits for a crew member.
type HealthBar struct {
	Track, Fill Rect
	Level       float64
	FromSensor  bool
	Waiting     bool
}

// HealthBars returns into dst the health bars of station sb (state ss,
// spec spec): one per server of a station with wear, side by side under
// the machine in the flow's direction; none for a station without wear (a
// crew alone wears nothing) or a conveyor.
func HealthBars(sb *StationBox, ss *twin.StationState, spec *stations.Spec, dst []HealthBar) []HealthBar {
	dst = dst[:0]
	if spec.Wear == nil || sb.Conveyor {
		return dst
	}
	cs := Sensor(spec)
	n := min(len(sb.Servers), len(ss.Upkeep))
	for k := range n {
		r := ServerBar(sb, k, n)
		up := &ss.Upkeep[k]
		level, ok := Condition(cs, up)
		if !ok {
			level = clamp01(up.Health)
		}
		if level != level { // NaN
			level = 0
		}
		track := r
		fill := track
		fill.W = track.W * level
		if sb.Dir < 0 { // filled from the side the flow comes from
			fill.X = track.X + track.W - fill.W
		}
		dst = append(dst, HealthBar{Track: track, Fill: fill, Level: level, FromSensor: ok, Waiting: up.WaitingCrew})
	}
	return dst
}

// ServerBar returns the place of server k's bar of n under station sb's
// machine: side by side in the flow's direction, in the gap below the
// machine (servers stacked in a grid would share a column).
func ServerBar(sb *StationBox, k, n int) Rect {
	const gap = 2.0
	inner := sb.Box.Inset(boxPad)
	w := (inner.W - float64(n-1)*gap) / float64(max(n, 1))
	x := inner.X + float64(k)*(w+gap)
	if sb.Dir < 0 {
		x = inner.X + inner.W - float64(k+1)*w - float64(k)*gap
	}
	return Rect{x, sb.Box.Y + sb.Box.H + 2, w, HealthBarH}
}

// UpkeepRows returns the rows of a worn station's panel about its
// condition, one per server (at most maxUpkeepRows): the last reading
// and when it was taken, whether it waits for the crew or is being
// maintained, and on a local line (model) the model's health, labelled
// as such: the plant sees the readings only. A station without wear
// has none.
func UpkeepRows(now sim.Time, ss *twin.StationState, spec *stations.Spec, model bool) []Row {
	if spec.Wear == nil || len(ss.Upkeep) == 0 {
		return nil
	}
	cs := Sensor(spec)
	rows := []Row{{"", conditionHead(cs)}}
	for k := range ss.Upkeep {
		if k == maxUpkeepRows {
			rows = append(rows, Row{"", "… " + strconv.Itoa(len(ss.Upkeep)-k) + " more server(s)"})
			break
		}
		up := &ss.Upkeep[k]
		parts := conditionParts(now, cs, up.Reading, up.ReadingAt, up.Health, model, up.Replacing, up.Maintaining)
		if up.WaitingCrew {
			parts = append(parts, "waiting for crew")
		}
		rows = append(rows, Row{"server " + strconv.Itoa(k+1), strings.Join(parts, " · ")})
	}
	return rows
}

// conditionHead is the heading of a worn machine's condition rows: the
// sensor's kind and its readings new and worn, when it has one.
func conditionHead(cs *stations.ConditionSensor) string {
	if cs == nil {
		return "CONDITION"
	}
	return "CONDITION (" + cs.Kind + ", new " + strconv.FormatFloat(cs.New, 'g', 3, 64) + ", worn " + strconv.FormatFloat(cs.Worn, 'g', 3, 64) + ")"
}

// conditionParts describes one worn machine (a station's server or an
// arm): its last reading, the condition it shows and its age, on a local
// line (model) the model's health, and whether it is being replaced or
// maintained.
func conditionParts(now sim.Time, cs *stations.ConditionSensor, reading float64, readingAt sim.Time, health float64, model, replacing, maintaining bool) []string {
	var parts []string
	if c, ok := conditionOf(cs, reading, readingAt); ok {
		parts = append(parts, strconv.FormatFloat(reading, 'f', 2, 64)+" ("+wholePercent(c)+") "+Ago(now, readingAt))
	} else if cs != nil {
		parts = append(parts, "no reading yet")
	}
	if model {
		parts = append(parts, "model health "+wholePercent(health))
	}
	switch {
	case replacing:
		parts = append(parts, "replacing")
	case maintaining:
		parts = append(parts, "maintaining")
	}
	return parts
}

// maxUpkeepRows bounds the servers listed in a station's condition rows.
const maxUpkeepRows = 4

// wholePercent writes a fraction as a whole percentage: "55%".
func wholePercent(f float64) string {
	if f != f {
		return "-"
	}
	return strconv.FormatFloat(f*100, 'f', 0, 64) + "%"
}
