package scene

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// SpeedText writes a relative speed ("0.63x"), "unknown" when it is not
// positive (a twin that does not publish it).
func SpeedText(f float64) string {
	if f <= 0 {
		return "unknown"
	}
	return strconv.FormatFloat(f, 'g', 4, 64) + "x"
}

// SpeedDetail describes a station's speed for its panel.
func SpeedDetail(f float64) string {
	switch {
	case f <= 0:
		return "unknown (not published)"
	case f == 1:
		return "1x (nominal)"
	}
	return SpeedText(f) + " nominal: cycles take " + SpeedText(1/f) + " as long"
}

// HeldDetail describes whether a station is held, for its panel.
func HeldDetail(ss *twin.StationState) string {
	if !ss.Held {
		return "no"
	}
	for _, v := range ss.Servers {
		if v.Unit && !ss.Conveyor {
			return "HELD: finishing its units, then starts none"
		}
	}
	if ss.Conveyor && ss.Inside > 0 {
		return "HELD: finishing its units, then starts none"
	}
	return "HELD: starts no new unit"
}

// StationTag returns the tag a station shows on the floor: "HELD", its
// speed when it is not nominal, or both; "" when it needs none.
func StationTag(ss *twin.StationState) (tag string, held bool) {
	if ss.Speed > 0 && ss.Speed != 1 {
		tag = SpeedText(ss.Speed)
	}
	if ss.Held {
		if tag != "" {
			tag = "HELD " + tag
		} else {
			tag = "HELD"
		}
	}
	return tag, ss.Held
}

// ServerStates says what a station's servers are doing: the clicked one,
// or a count per phase ("5 Working, 3 Starved").
func ServerStates(ss *twin.StationState, clicked int) string {
	if clicked >= 0 && clicked < len(ss.Servers) {
		return "server " + strconv.Itoa(clicked+1) + " of " + strconv.Itoa(len(ss.Servers)) + ": " + serverState(ss.Servers[clicked])
	}
	if len(ss.Servers) == 1 {
		return serverState(ss.Servers[0])
	}
	var count [stations.NumPhases + 1]int // the last: unknown
	broken := 0
	for _, v := range ss.Servers {
		count[min(int(v.Phase), stations.NumPhases)]++
		if v.Broken {
			broken++
		}
	}
	var parts []string
	for p, n := range count {
		if n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+PhaseName(stations.Phase(p)))
		}
	}
	s := strings.Join(parts, ", ")
	if broken > 0 {
		s += " (" + strconv.Itoa(broken) + " broken)"
	}
	return s
}

// serverState names one server's state.
func serverState(v stations.ServerView) string {
	s := PhaseName(v.Phase)
	if v.Broken {
		s += " (broken by command)"
	}
	if v.Phase == stations.Working && v.Progress > 0 {
		s += fmt.Sprintf(", %.0f%% done", v.Progress*100)
	}
	return s
}

// PhaseName names a phase, "unknown" for one the twin does not know.
func PhaseName(p stations.Phase) string {
	if int(p) >= stations.NumPhases {
		return "unknown"
	}
	return p.String()
}

// CycleText gives the cycle distribution of a machine, or the dwell and
// pitch of a conveyor.
func CycleText(spec *stations.Spec) string {
	if c := spec.Conveyor; c != nil {
		return fmt.Sprintf(" (dwell %s, pitch %s, holds %d)", DistText(c.Dwell), Duration(c.Pitch), c.Capacity)
	}
	s := " (" + DistText(spec.Cycle)
	if spec.Servers > 1 {
		s += " on " + strconv.Itoa(spec.Servers) + " servers"
	}
	return s + ")"
}

// FailureText gives the MTBF and MTTR of a spec, or says it never fails.
func FailureText(spec *stations.Spec) string {
	return MTBFText(spec.MTBF, spec.MTTR)
}

// MTBFText gives a time between failures and a repair time ("exp(4h) /
// lognormal(15m,8m)"), or says the machine never fails.
func MTBFText(fail, repair sim.Dist) string {
	if fail.IsZero() {
		return "never fails"
	}
	return DistText(fail) + " / " + DistText(repair)
}

// DefectText writes a station's defect counts, those not zero: ▲ units it
// made defective, ● defective units its inspection caught, × units it
// scrapped ("▲3 ●5").
func DefectText(c *twin.StationCounts) string {
	var s string
	for _, part := range [3]struct {
		mark string
		n    int64
	}{{"▲", c.Defects}, {"●", c.Caught}, {"×", c.Scrapped}} {
		if part.n > 0 {
			if s != "" {
				s += " "
			}
			s += part.mark + Thousands(part.n)
		}
	}
	return s
}
