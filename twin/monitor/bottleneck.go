package monitor

import (
	"github.com/lightsout-sim/lightsout/twin/bottleneck"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// The host names each modelled line's bottleneck as the simulator does:
// the active period method (package bottleneck) over the last
// Config.BottleneckWindow of the line's clock, fed with the PackML states
// the edge publishes. A station is active while every server (or the
// station, without Server k/State) is in a state the simulator counts
// active: Execute, Holding and Aborting (still working on a unit), Held by
// a failure, Aborted and Stopped; it waits in Suspended (starved or
// blocked), in Held while its Status/Held is true (held by command) and in
// any state it cannot read.

// activeState reports whether PackML state name counts as active for a
// station held by command (held) or not.
func activeState(name string, held bool) bool {
	switch name {
	case executeName, holdingName, abortingName, abortedName, stoppedName:
		return true
	case heldName:
		return !held
	}
	return false
}

var (
	executeName  = packml.Execute.String()
	holdingName  = packml.Holding.String()
	abortingName = packml.Aborting.String()
)

// modelStations returns the ids of the modelled line's stations (nil
// without a model).
func modelStations(model *mirror.Model) []string {
	if model.Spec == nil {
		return nil
	}
	ids := make([]string, len(model.Spec.Stations))
	for i := range model.Spec.Stations {
		ids[i] = model.Spec.Stations[i].ID
	}
	return ids
}

// readActivity tells the line's detector when device d, one of the
// modelled stations, turns active or inactive, at the line's clock.
func (lt *trackLine) readActivity(d *trackDevice) {
	if lt.ids == nil || d.bnIndex < 0 {
		return
	}
	now := sim.Time(lt.clock) * sim.Millisecond
	if lt.bn == nil {
		lt.bn = bottleneck.New(len(lt.ids), lt.window, now)
	}
	machines := d.servers
	if len(machines) == 0 {
		machines = []trackMachine{d.main}
	}
	active := true
	for i := range machines {
		m := &machines[i]
		if !m.observed || !m.known || !activeState(m.name, d.held) {
			active = false
			break
		}
	}
	lt.bn.Set(now, d.bnIndex, active)
}

// bottlenecks returns the average bottleneck of the line over the window
// and its momentary bottleneck, "" when none or the line is not modelled.
func (lt *trackLine) bottlenecks() (average, momentary string) {
	if lt.bn == nil {
		return "", ""
	}
	ids := lt.ids
	sole, shifting := make([]float64, len(ids)), make([]float64, len(ids))
	lt.bn.WindowShares(sim.Time(lt.clock)*sim.Millisecond, sole, shifting)
	if b := bottleneck.Average(sole, shifting); b != bottleneck.None {
		average = ids[b]
	}
	if b := lt.bn.Momentary(); b != bottleneck.None {
		momentary = ids[b]
	}
	return average, momentary
}
