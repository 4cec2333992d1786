package scene

import (
	"errors"
	"fmt"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
)

// stationSpeeds are the relative speeds the station speed keys step
// through: the rounded Renard series R'10 from a tenth to stations.MaxSpeed,
// about x1.25 a step. Nominal (1) is on it, so stepping back always lands
// on 1 exactly, and the speeds given read well in logs ("0.63", "1.6").
var stationSpeeds = [...]float64{
	0.1, 0.125, 0.16, 0.2, 0.25, 0.32, 0.4, 0.5, 0.63, 0.8,
	1,
	1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8, stations.MaxSpeed,
}

// speedTolerance is how close (relative) a speed must be to one of
// stationSpeeds to count as that step: a twin's speeds come back as 32-bit
// Floats.
const speedTolerance = 1e-4

// StepSpeed returns the relative speed one step faster (or slower) than
// cur: the next of the steps beyond it, so a speed between two steps goes
// to the nearer one in that direction. ok is false when cur is already at
// the last step that way.
func StepSpeed(cur float64, faster bool) (next float64, ok bool) {
	if faster {
		for _, s := range stationSpeeds {
			if s > cur*(1+speedTolerance) {
				return s, true
			}
		}
		return cur, false
	}
	for i := len(stationSpeeds) - 1; i >= 0; i-- {
		if s := stationSpeeds[i]; s < cur*(1-speedTolerance) {
			return s, true
		}
	}
	return cur, false
}

// selectedStation returns the selected station's state, or an error
// saying that keys (what they do) need a station selected.
func selectedStation(sel Selection, snap *twin.Snapshot, keys string) (*twin.StationState, error) {
	switch {
	case sel.Kind == SelArm:
		return nil, errors.New("arms have no " + keys + ": select a station")
	case sel.Kind != SelStation || sel.Slot < 0 || sel.Slot >= len(snap.Stations):
		return nil, errors.New("select a station first (click it): " + keys)
	}
	return &snap.Stations[sel.Slot], nil
}

// HoldCommand returns the command that holds the selected station (it
// finishes the units it has and starts no new one), or unholds it when it
// is held.
func HoldCommand(sel Selection, snap *twin.Snapshot) (twin.Command, error) {
	ss, err := selectedStation(sel, snap, "hold (P)")
	if err != nil {
		return twin.Command{}, err
	}
	kind := twin.HoldStation
	if ss.Held {
		kind = twin.UnholdStation
	}
	return twin.Command{Kind: kind, Line: ss.Line, Target: ss.ID}, nil
}

// ResetCommand returns the command that resets the selected station:
// repairs every broken or down server and unholds it. It refuses a station
// with nothing to reset.
func ResetCommand(sel Selection, snap *twin.Snapshot) (twin.Command, error) {
	ss, err := selectedStation(sel, snap, "reset (C; F repairs an arm)")
	if err != nil {
		return twin.Command{}, err
	}
	need := ss.Held
	for _, v := range ss.Servers {
		need = need || v.Broken || v.Phase == stations.Down
	}
	if !need {
		return twin.Command{}, errors.New(ss.ID + " is neither held nor down: nothing to reset")
	}
	return twin.Command{Kind: twin.ResetStation, Line: ss.Line, Target: ss.ID}, nil
}

// SpeedCommand returns the command that makes the selected station one
// step faster or slower (see StepSpeed).
func SpeedCommand(sel Selection, snap *twin.Snapshot, faster bool) (twin.Command, error) {
	ss, err := selectedStation(sel, snap, "speed (Z slower, X faster)")
	if err != nil {
		return twin.Command{}, err
	}
	if ss.Speed <= 0 {
		return twin.Command{}, errors.New(ss.ID + "'s speed is not known yet")
	}
	s, ok := StepSpeed(ss.Speed, faster)
	if !ok {
		way, end := "slowest", stationSpeeds[0]
		if faster {
			way, end = "fastest", stationSpeeds[len(stationSpeeds)-1]
		}
		return twin.Command{}, fmt.Errorf("%s already runs at %s, the %s speed", ss.ID, SpeedText(end), way)
	}
	return twin.Command{Kind: twin.SetSpeed, Line: ss.Line, Target: ss.ID, Speed: s}, nil
}
