package scene

import (
	"fmt"
	"math"
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
func DefectText(c *twin.StationCounts) string { return defectText(c, Thousands, " ") }

// DefectTextShort is DefectText for a narrow box, its counts of 10,000
// and more shortened (see ShortCount): "▲76 ●12k ×11k".
func DefectTextShort(c *twin.StationCounts) string { return defectText(c, ShortCount, " ") }

// defectTextTight is DefectTextShort without the spaces.
func defectTextTight(c *twin.StationCounts) string { return defectText(c, ShortCount, "") }

func defectText(c *twin.StationCounts, num func(int64) string, sep string) string {
	var s string
	for _, part := range [3]struct {
		mark string
		n    int64
	}{{"▲", c.Defects}, {"●", c.Caught}, {"×", c.Scrapped}} {
		if part.n > 0 {
			if s != "" {
				s += sep
			}
			s += part.mark + num(part.n)
		}
	}
	return s
}

// ShortCount writes a count in at most four characters and a unit: up to
// 9,999 as Thousands does, then 12k, 123k, 1.2M, 12M, 1.2G ...
func ShortCount(n int64) string {
	if n < 0 {
		return "-" + ShortCount(-n)
	}
	if n < 10000 {
		return Thousands(n)
	}
	v, unit := float64(n)/1e3, "k"
	for _, u := range []string{"M", "G"} {
		if math.Round(v) < 1000 {
			break
		}
		v, unit = v/1e3, u
	}
	if v < 10 {
		return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + unit
	}
	return strconv.FormatFloat(math.Round(v), 'f', 0, 64) + unit
}

// FitCounts returns the first of a count label's forms that fits width at
// size: the full one, then each shorter one in turn; the last, cut with
// an ellipsis, when none does.
func FitCounts(m Measurer, size float64, bold bool, width float64, forms ...string) string {
	for _, s := range forms {
		if m.Width(s, size, bold) <= width {
			return s
		}
	}
	return m.Fit(forms[len(forms)-1], size, bold, width)
}

// DefectLabel is a station's defect counts made to fit width, and the
// size to write them at: in full, with shortened counts, then without
// spaces; then smaller, down to MinTextSize, before it is cut.
func DefectLabel(m Measurer, c *twin.StationCounts, size float64, bold bool, width float64) (string, float64) {
	forms := [3]string{DefectText(c), DefectTextShort(c), defectTextTight(c)}
	for s := size; s >= MinTextSize; s *= 0.9 {
		for _, f := range forms {
			if m.Width(f, s, bold) <= width {
				return f, s
			}
		}
	}
	return m.Fit(forms[2], size, bold, width), size
}

// BufferForms returns a station's buffer label in the forms FitCounts
// picks from, widest first: the units queued of its capacity ("20/20"),
// and the rework queue apart, as it is not held to the capacity
// ("20/20 +1 rework", "20/20 +1 rw", "20/20+1").
func BufferForms(ss *twin.StationState) []string {
	main := strconv.Itoa(ss.Buffer-ss.Rework) + "/" + CapacityText(ss.Capacity)
	if ss.Rework <= 0 {
		return []string{main}
	}
	r := strconv.Itoa(ss.Rework)
	return []string{main + " +" + r + " rework", main + " +" + r + " rw", main + "+" + r}
}

// BufferFull reports whether a station's buffer is full: its queue,
// rework apart, at its capacity.
func BufferFull(ss *twin.StationState) bool {
	q := ss.Buffer - ss.Rework
	return ss.Capacity != stations.Inf && q >= int(ss.Capacity) && q > 0
}

// BufferDetail describes a station's buffer for its panel.
func BufferDetail(ss *twin.StationState) string {
	s := strconv.Itoa(ss.Buffer-ss.Rework) + " of " + CapacityText(ss.Capacity) + " places"
	if ss.Rework > 0 {
		s += ", and " + strconv.Itoa(ss.Rework) + " in the rework queue"
	}
	return s
}
