package scene

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
)

// Row is one line of the detail panel: a caption and its value; an empty
// caption makes a section heading of the value.
type Row struct{ Caption, Value string }

// StationKeys is the last line of a station's panel: the keys of its
// hold, reset and speed commands.
const StationKeys = "P hold / unhold  ·  C reset  ·  Z X slower / faster"

// StationTitle returns the title of station ss's panel, its id, and the
// line beside it: the station's name, and its copy when there are several.
func StationTitle(snap *twin.Snapshot, ss *twin.StationState, spec *stations.Spec) (title, sub string) {
	sub = spec.Name
	if snap.Lines > 1 {
		sub = strings.TrimSpace(sub + "  ·  line " + strconv.Itoa(ss.Line+1))
	}
	return ss.ID, sub
}

// StationStateRows returns the first rows of a station's panel, which a
// twin shows too: what its servers do (server, the clicked one, or -1),
// its buffer, whether it is held, and its speed.
func StationStateRows(ss *twin.StationState, server int) []Row {
	return []Row{
		{"State", ServerStates(ss, server)},
		{"Buffer", BufferDetail(ss)},
		{"Held", HeldDetail(ss)},
		{"Speed", SpeedDetail(ss.Speed)},
	}
}

// StationRows returns the rest of the rows of a station's panel on a
// local line: its counts, shares of time, OEE, cycle, failures,
// maintenance, inspection and sensors, then its keys.
func StationRows(snap *twin.Snapshot, ss *twin.StationState, spec *stations.Spec) []Row {
	c := ss.Counts
	rows := []Row{
		{"Processed", Thousands(c.Processed) + "   failures " + Thousands(c.Failures)},
		{"Defects", Thousands(c.Defects) + " made, " + Thousands(c.Caught) + " caught (" + Thousands(c.Reworked) + " rework, " + Thousands(c.Scrapped) + " scrap)"},
		{"Utilization", Percent(ss.Utilization) + " working, " + Percent(ss.Handling) + " handling"},
		{"Blocked / starved", Percent(ss.Blocked) + " / " + Percent(ss.Starved)},
		{"Down / maintenance", Percent(ss.Down) + " / " + Percent(ss.Maintenance)},
		{"OEE", Percent(ss.OEE)},
		{"Ideal cycle", Duration(ss.IdealCycle) + CycleText(spec)},
		{"MTBF / MTTR", FailureText(spec)},
	}
	if m := spec.Maintenance; m.Every > 0 {
		rows = append(rows, Row{"Maintenance", Duration(m.Duration) + " every " + Duration(m.Every)})
	}
	if in := spec.Inspect; in != nil {
		rows = append(rows, Row{"Inspection", fmt.Sprintf("catches %.0f%%, then %s", in.Detect*100, in.OnFail)})
	}
	rows = append(rows, Row{"", "SENSORS (last fired)"},
		Row{"Photo-eye in", Ago(snap.Now, ss.LastIn)},
		Row{"Photo-eye out", Ago(snap.Now, ss.LastOut)})
	if ss.Inspects {
		verdict := "pass"
		if !ss.LastPass {
			verdict = "FAIL"
		}
		v := Ago(snap.Now, ss.LastCheck)
		if ss.LastCheck >= 0 {
			v = verdict + ", " + v
		}
		rows = append(rows, Row{"Vision", v})
	}
	return append(rows, Row{"", "B break  ·  F repair  ·  [ ] buffer  ·  Esc close"}, Row{"", StationKeys})
}

// ArmTitle returns the title of arm st's panel, its id, and the line
// beside it: "robot arm", and its copy when there are several.
func ArmTitle(snap *twin.Snapshot, st *twin.ArmState) (title, sub string) {
	sub = "robot arm"
	if snap.Lines > 1 {
		sub += "  ·  line " + strconv.Itoa(st.Line+1)
	}
	return st.ID, sub
}

// ArmServes lists the stations arm a serves: "placer, screwing".
func ArmServes(spec *twin.Spec, a *ArmBox) string {
	var serves []string
	for _, i := range a.Stations {
		serves = append(serves, spec.Stations[i].ID)
	}
	return strings.Join(serves, ", ")
}

// ArmRows returns the rows of the panel of arm st (placed as a) on a
// local line: its state, its move, what it serves, its queue, moves,
// utilization, motion and failures, then its keys.
func ArmRows(spec *twin.Spec, st *twin.ArmState, a *ArmBox) []Row {
	arm := &spec.Arms[a.Index]
	move := "none"
	if st.Station >= 0 && st.Station < len(spec.Stations) {
		verb := "unload"
		if st.Loading {
			verb = "load"
		}
		move = fmt.Sprintf("%s %s (server %d), %.0f%% done", verb, spec.Stations[st.Station].ID, st.Server+1, st.Progress*100)
	}
	return []Row{
		{"State", ArmPhaseName(st)},
		{"Move", move},
		{"Serves", ArmServes(spec, a)},
		{"Queue", strconv.Itoa(st.Waiting) + " move(s) waiting"},
		{"Moves", Thousands(st.Moves)},
		{"Utilization", Percent(st.Utilization) + " moving, " + Percent(st.Down) + " down"},
		{"Motion", fmt.Sprintf("%g m/s, %g m/s², grip %v, release %v", arm.Speed, arm.Accel, Duration(arm.Grip), Duration(arm.Release))},
		{"MTBF / MTTR", MTBFText(arm.MTBF, arm.MTTR)},
		{"", "B break  ·  F repair  ·  Esc close"},
	}
}
