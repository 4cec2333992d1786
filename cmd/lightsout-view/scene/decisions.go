package scene

import (
	"math"
	"strconv"
	"strings"

	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Outcome is what became of an autopilot decision, as the view tells
// them apart.
type Outcome int

// The outcomes of a decision.
const (
	Applied     Outcome = iota // handed to the line
	Recommended                // logged only: the pilot only recommends
	Capped                     // not applied: the cap on actions per hour
	HeldBack                   // not applied: an operator hold came while the policy decided
	Invalid                    // not applied: it did not fit the observation
	OperatorAct                // an operator's hold or release of the autopilot
)

var outcomeNames = [...]string{"applied", "recommended", "capped", "held", "invalid", "operator"}

// String returns the outcome's name ("capped").
func (o Outcome) String() string {
	if o >= 0 && int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// DecisionOutcome returns what became of d.
func DecisionOutcome(d *autopilot.Decision) Outcome {
	switch {
	case d.Action.Kind == autopilot.Hold || d.Action.Kind == autopilot.Release:
		return OperatorAct
	case d.Applied:
		return Applied
	case d.NotApplied == autopilot.NotAppliedRecommendOnly:
		return Recommended
	case d.NotApplied == autopilot.NotAppliedCap:
		return Capped
	case d.NotApplied == autopilot.NotAppliedHeld:
		return HeldBack
	default:
		return Invalid
	}
}

// ShortReason cuts a decision's reason to its first clause, at most max
// runes, ending in "…" when cut: the words of a marker on the floor.
func ShortReason(reason string, maxRunes int) string {
	if i := strings.IndexAny(reason, ";:("); i > 0 {
		reason = strings.TrimSpace(reason[:i])
	}
	r := []rune(reason)
	if len(r) <= maxRunes || maxRunes < 2 {
		return reason
	}
	return strings.TrimRight(string(r[:maxRunes-1]), " ,.") + "…"
}

// DecisionAction names what d does, shortly: "maintain mount-ics s2 L1",
// "speed packing 1.25 L2", "buffer +2 screws from camera L1", "hold".
// The line is named only when the line has several copies.
func DecisionAction(d *autopilot.Decision, lines int) string {
	a := &d.Action
	var s string
	switch a.Kind {
	case autopilot.Hold, autopilot.Release:
		return a.Kind.String()
	case autopilot.Maintain, autopilot.Dispatch:
		s = a.Kind.String() + " " + a.Target + " s" + strconv.Itoa(a.Server+1)
	case autopilot.SetSpeed:
		s = "speed " + a.Target + " " + strconv.FormatFloat(a.Speed, 'g', 3, 64)
	case autopilot.MoveBuffer:
		s = "buffer +" + strconv.Itoa(a.Units) + " " + a.Target + " from " + a.From
	default:
		s = a.Kind.String() + " " + a.Target
	}
	if lines > 1 {
		s += " L" + strconv.Itoa(a.Line+1)
	}
	return s
}

// MarkerText is the words of a decision's marker on the floor: what it
// does (the target is where the marker stands) and the first two figures
// behind it: "maintain s5 · rul 3.1h · lead 6h".
func MarkerText(d *autopilot.Decision) string {
	a := &d.Action
	s := a.Kind.String()
	switch a.Kind {
	case autopilot.Maintain, autopilot.Dispatch:
		s += " s" + strconv.Itoa(a.Server+1)
	case autopilot.SetSpeed:
		s = "speed " + strconv.FormatFloat(a.Speed, 'g', 3, 64)
	case autopilot.MoveBuffer:
		s = "buffer +" + strconv.Itoa(a.Units) + " from " + a.From
	}
	if f := Figures(a.Numbers, 2); f != "" {
		s += " · " + f
	}
	return s
}

// Figures writes the first k numbers behind a decision shortly, joined by
// " · ": names without their _s (durations, written in h, min or s) and
// with spaces for underscores, values to three figures, "inf" when
// infinite: "rul 3.1h · lead 6h".
func Figures(nums []autopilot.Number, k int) string {
	var parts []string
	for _, n := range nums {
		if len(parts) == k {
			break
		}
		name, dur := strings.CutSuffix(n.Name, "_s")
		name = strings.ReplaceAll(name, "_", " ")
		var v string
		switch {
		case math.IsInf(n.Value, 0) || math.IsNaN(n.Value):
			v = "inf"
		case dur:
			v = shortDuration(n.Value)
		default:
			v = strconv.FormatFloat(n.Value, 'g', 3, 64)
		}
		parts = append(parts, name+" "+v)
	}
	return strings.Join(parts, " · ")
}

// shortDuration writes sec seconds to about two figures: "45s", "12min",
// "3.1h", "2.5d".
func shortDuration(sec float64) string {
	a := math.Abs(sec)
	switch {
	case a < 60:
		return strconv.FormatFloat(sec, 'f', 0, 64) + "s"
	case a < 3600:
		return strconv.FormatFloat(sec/60, 'f', 0, 64) + "min"
	case a < 48*3600:
		return strconv.FormatFloat(sec/3600, 'f', 1, 64) + "h"
	default:
		return strconv.FormatFloat(sec/86400, 'f', 1, 64) + "d"
	}
}

// DecisionLine is one decision as the list in the autopilot panel writes
// it: the simulated time, what it does, why, and its outcome when it was
// not applied.
type DecisionLine struct {
	Clock, Action, Reason, Note string
	Outcome                     Outcome
}

// FormatDecision returns d as a line of the decision list (lines copies
// of the line).
func FormatDecision(d *autopilot.Decision, lines int) DecisionLine {
	l := DecisionLine{Clock: ShortClock(d.At), Action: DecisionAction(d, lines), Reason: ShortReason(d.Action.Reason, 60),
		Outcome: DecisionOutcome(d)}
	switch l.Outcome {
	case Recommended:
		l.Note = "recommended"
	case Capped:
		l.Note = "capped"
	case HeldBack:
		l.Note = "held"
	case Invalid:
		l.Note = "invalid"
	}
	return l
}

// ShortClock writes a simulated time as the day and the time of day to the
// minute: "d3 14:05".
func ShortClock(t sim.Time) string {
	if t < 0 {
		t = 0
	}
	day := int64(t/sim.Day) + 1
	rest := t % sim.Day
	h, m := int64(rest/sim.Hour), int64(rest%sim.Hour/sim.Minute)
	return "d" + strconv.FormatInt(day, 10) + " " + two(h) + ":" + two(m)
}

func two(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// Feed keeps the latest autopilot decisions the view has seen, wherever
// they come from (a local pilot's log, a twin's /api/autopilot), and the
// number of the last one, to ask for those after it. The zero value is
// ready to use.
type Feed struct {
	ds   []autopilot.Decision // oldest first, at most FeedLen
	last uint64
	// Total is the number of decisions the source logged so far.
	Total uint64
}

// FeedLen is how many decisions a Feed keeps.
const FeedLen = 64

// Last returns the Seq of the latest decision seen (0: none), to ask the
// source for those after it.
func (f *Feed) Last() uint64 { return f.last }

// Add appends the decisions ds (oldest first) that are newer than the
// latest seen, dropping the oldest beyond FeedLen.
func (f *Feed) Add(ds []autopilot.Decision) {
	for _, d := range ds {
		if d.Seq <= f.last {
			continue
		}
		f.last = d.Seq
		f.Total = max(f.Total, d.Seq)
		if len(f.ds) == FeedLen {
			copy(f.ds, f.ds[1:])
			f.ds = f.ds[:FeedLen-1]
		}
		f.ds = append(f.ds, d)
	}
}

// Reset forgets every decision (a new line, a new pilot).
func (f *Feed) Reset() { f.ds, f.last, f.Total = f.ds[:0], 0, 0 }

// Decisions returns the decisions kept, oldest first (the feed's own: do
// not keep them across Add).
func (f *Feed) Decisions() []autopilot.Decision { return f.ds }

// MarkerFade returns how long a decision's marker stays on the floor, in
// simulated time: 30 simulated minutes, or 4 s of wall time at the speed
// reached when that is longer, so a marker is seen at any speed.
func MarkerFade(real float64) sim.Time {
	return max(30*sim.Minute, sim.Time(4*float64(sim.Second)*max(real, 1)))
}

// Marker is a decision drawn on the floor where it acts: on its target
// station (Slot, a station slot) or arm (Arm, an arm slot; -1 for a
// station), with a short reason, its outcome and its opacity (1 new, 0
// faded).
type Marker struct {
	Slot, Arm int
	At        Point // the marker's tip, in world units: the middle of the top of the machine
	Text      string
	Outcome   Outcome
	Alpha     float64
}

// Markers returns into dst the markers of the decisions ds (oldest first)
// younger than fade at time now, on floor f: only the
// newest per target, so markers do not pile up. Decisions for no target
// on the floor (an operator's hold) have none.
func Markers(f *Floor, ds []autopilot.Decision, now, fade sim.Time, dst []Marker) []Marker {
	dst = dst[:0]
	if fade <= 0 {
		return dst
	}
	for k := len(ds) - 1; k >= 0; k-- {
		d := &ds[k]
		age := now - d.At
		if age >= fade {
			break // older ones are older still
		}
		if d.Action.Kind == autopilot.Hold || d.Action.Kind == autopilot.Release || age < 0 {
			continue
		}
		m := Marker{Slot: -1, Arm: -1, Outcome: DecisionOutcome(d), Alpha: 1 - float64(age)/float64(fade),
			Text: MarkerText(d)}
		if slot, ok := stationSlot(f, d.Action.Line, d.Action.Target); ok {
			m.Slot = slot
			b := f.Stations[slot].Box
			m.At = Point{b.X + b.W/2, b.Y}
		} else if j, ok := armSlot(f, d.Action.Line, d.Action.Target); ok {
			m.Arm = j
			m.At = f.Arms[j].Base
		} else {
			continue
		}
		dup := false
		for i := range dst {
			dup = dup || (dst[i].Slot == m.Slot && dst[i].Arm == m.Arm)
		}
		if !dup {
			dst = append(dst, m)
		}
	}
	return dst
}

// stationSlot returns the slot of station id of copy line.
func stationSlot(f *Floor, line int, id string) (int, bool) {
	for i := range f.Stations {
		if s := &f.Stations[i]; s.Line == line && s.ID == id {
			return i, true
		}
	}
	return 0, false
}

// armSlot returns the slot of arm id of copy line.
func armSlot(f *Floor, line int, id string) (int, bool) {
	for j := range f.Arms {
		if a := &f.Arms[j]; a.Line == line && a.ID == id {
			return j, true
		}
	}
	return 0, false
}
