package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// detailRow is one line of the detail panel: a caption and its value; an
// empty caption makes a section heading of the value.
type detailRow struct{ k, v string }

const (
	detailW    = 380.0
	detailRowH = 17.0
)

// drawDetails paints the panel about the selected station or arm, on the
// side of the floor away from it.
func (g *Game) drawDetails(dst *ebiten.Image) {
	var title, sub string
	var rows []detailRow
	var at Point
	switch g.sel.Kind {
	case SelStation:
		if g.sel.Slot >= len(g.sess.Snap.Stations) {
			return
		}
		title, sub, rows = g.stationDetails(g.sel.Slot)
		at = g.ws(g.floor.Stations[g.sel.Slot].Box.Center())
	case SelArm:
		if g.sel.Slot >= len(g.sess.Snap.Arms) {
			return
		}
		title, sub, rows = g.armDetails(g.sel.Slot)
		at = g.ws(g.floor.Arms[g.sel.Slot].Base)
	default:
		return
	}
	h := 58 + float64(len(rows))*detailRowH
	r := g.detailPlace(h, at)
	g.panel(dst, r)
	g.textAt(title, Point{r.X + 14, r.Y + 18}, hudBig-2, true, colText, Start)
	g.textAt(g.fonts.Fit(sub, hudSmall, false, r.W-28-g.fonts.Width(title, hudBig-2, true)-12), Point{r.X + r.W - 14, r.Y + 19}, hudSmall, false, colTextDim, End)
	y := r.Y + 44
	for _, row := range rows {
		if row.k == "" {
			g.textAt(row.v, Point{r.X + 14, y}, hudSmall, true, colTextDim, Start)
		} else {
			g.textAt(row.k, Point{r.X + 14, y}, hudSmall, false, colTextDim, Start)
			g.textAt(g.fonts.Fit(row.v, hudSmall, false, r.W-150), Point{r.X + 134, y}, hudSmall, false, colText, Start)
		}
		y += detailRowH
	}
	g.shapes.Flush(dst)
	g.flushText(dst)
}

// detailPlace picks the corner of the floor view for a detail panel of
// height h that hides the fewest machines and not the selection at (its
// screen position).
func (g *Game) detailPlace(h float64, at Point) Rect {
	const m = 10.0
	v := g.view
	corners := [4]Rect{
		{v.X + v.W - detailW - m, v.Y + m, detailW, h},
		{v.X + m, v.Y + m, detailW, h},
		{v.X + v.W - detailW - m, v.Y + v.H - h - m, detailW, h},
		{v.X + m, v.Y + v.H - h - m, detailW, h},
	}
	best, bestCost := corners[0], math.Inf(1)
	for _, r := range corners {
		cost := 0.0
		if r.Inset(-20).Contains(at) {
			cost += 1e9
		}
		for i := range g.floor.Stations {
			cost += overlapArea(g.wr(g.floor.Stations[i].Slot), r)
		}
		for i := range g.floor.Docks {
			cost += overlapArea(g.wr(g.floor.Docks[i].Slot), r)
		}
		if cost < bestCost {
			best, bestCost = r, cost
		}
	}
	return best
}

// overlapArea returns the area two rectangles share.
func overlapArea(a, b Rect) float64 {
	w := math.Min(a.X+a.W, b.X+b.W) - math.Max(a.X, b.X)
	h := math.Min(a.Y+a.H, b.Y+b.H) - math.Max(a.Y, b.Y)
	return math.Max(w, 0) * math.Max(h, 0)
}

// stationDetails describes station slot i.
func (g *Game) stationDetails(i int) (title, sub string, rows []detailRow) {
	snap := &g.sess.Snap
	ss := &snap.Stations[i]
	spec := &g.sess.Spec.Stations[ss.Index]
	title = ss.ID
	sub = spec.Name
	if snap.Lines > 1 {
		sub = strings.TrimSpace(sub + "  ·  line " + strconv.Itoa(ss.Line+1))
	}
	c := ss.Counts
	rows = append(rows, detailRow{"State", serverStates(ss, g.sel.Server)})
	rows = append(rows, detailRow{"Buffer", strconv.Itoa(ss.Buffer) + " of " + capText(ss.Capacity) + " places"},
		detailRow{"Held", heldDetail(ss)},
		detailRow{"Speed", speedDetail(ss.Speed)})
	if mk := g.twinStation(i); mk != nil {
		return title, sub, g.twinStationRows(rows, ss, mk, spec)
	}
	rows = append(rows,
		detailRow{"Processed", thousands(c.Processed) + "   failures " + thousands(c.Failures)},
		detailRow{"Defects", thousands(c.Defects) + " made, " + thousands(c.Caught) + " caught (" + thousands(c.Reworked) + " rework, " + thousands(c.Scrapped) + " scrap)"},
		detailRow{"Utilization", percent(ss.Utilization) + " working, " + percent(ss.Handling) + " handling"},
		detailRow{"Blocked / starved", percent(ss.Blocked) + " / " + percent(ss.Starved)},
		detailRow{"Down / maintenance", percent(ss.Down) + " / " + percent(ss.Maintenance)},
		detailRow{"OEE", percent(ss.OEE)},
		detailRow{"Ideal cycle", tidy(ss.IdealCycle.String()) + cycleText(spec)},
		detailRow{"MTBF / MTTR", failureText(spec)},
	)
	if m := spec.Maintenance; m.Every > 0 {
		rows = append(rows, detailRow{"Maintenance", tidy(m.Duration.String()) + " every " + tidy(m.Every.String())})
	}
	if in := spec.Inspect; in != nil {
		rows = append(rows, detailRow{"Inspection", fmt.Sprintf("catches %.0f%%, then %s", in.Detect*100, in.OnFail)})
	}
	rows = append(rows, detailRow{"", "SENSORS (last fired)"},
		detailRow{"Photo-eye in", ago(snap.Now, ss.LastIn)},
		detailRow{"Photo-eye out", ago(snap.Now, ss.LastOut)})
	if ss.Inspects {
		verdict := "pass"
		if !ss.LastPass {
			verdict = "FAIL"
		}
		v := ago(snap.Now, ss.LastCheck)
		if ss.LastCheck >= 0 {
			v = verdict + ", " + v
		}
		rows = append(rows, detailRow{"Vision", v})
	}
	rows = append(rows, detailRow{"", "B break  ·  F repair  ·  [ ] buffer  ·  Esc close"},
		detailRow{"", stationKeys})
	return title, sub, rows
}

// stationKeys is the last line of a station's panel: the keys of its
// hold, reset and speed commands.
const stationKeys = "P hold / unhold  ·  C reset  ·  Z X slower / faster"

// serverStates says what the servers are doing: the clicked one, or a
// count per phase ("5 Working, 3 Starved").
func serverStates(ss *twin.StationState, clicked int) string {
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
			parts = append(parts, strconv.Itoa(n)+" "+phaseName(stations.Phase(p)))
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
	s := phaseName(v.Phase)
	if v.Broken {
		s += " (broken by command)"
	}
	if v.Phase == stations.Working && v.Progress > 0 {
		s += fmt.Sprintf(", %.0f%% done", v.Progress*100)
	}
	return s
}

// phaseName names a phase, "unknown" for one the twin does not know.
func phaseName(p stations.Phase) string {
	if int(p) >= stations.NumPhases {
		return "unknown"
	}
	return p.String()
}

// cycleText gives the cycle distribution of a machine, or the dwell and
// pitch of a conveyor.
func cycleText(spec *stations.Spec) string {
	if c := spec.Conveyor; c != nil {
		return fmt.Sprintf(" (dwell %s, pitch %s, holds %d)", tidy(c.Dwell.String()), tidy(c.Pitch.String()), c.Capacity)
	}
	s := " (" + tidy(spec.Cycle.String())
	if spec.Servers > 1 {
		s += " on " + strconv.Itoa(spec.Servers) + " servers"
	}
	return s + ")"
}

// failureText gives the MTBF and MTTR of a spec, or says it never fails.
func failureText(spec *stations.Spec) string {
	return mtbf(spec.MTBF, spec.MTTR)
}

func mtbf(fail, repair sim.Dist) string {
	if fail.IsZero() {
		return "never fails"
	}
	return tidy(fail.String()) + " / " + tidy(repair.String())
}

// durationTidier drops the zero parts Go prints in durations: "24h0m0s"
// reads "24h", "8m0s" reads "8m".
var durationTidier = strings.NewReplacer("h0m0s", "h", "m0s", "m", "h0m", "h")

// tidy shortens the durations in a distribution or time ("lognormal(8m0s,4m0s)").
func tidy(s string) string { return durationTidier.Replace(s) }

// armDetails describes arm slot j.
func (g *Game) armDetails(j int) (title, sub string, rows []detailRow) {
	snap := &g.sess.Snap
	st := &snap.Arms[j]
	a := &g.floor.Arms[j]
	spec := &g.sess.Spec.Arms[a.Index]
	title, sub = st.ID, "robot arm"
	if snap.Lines > 1 {
		sub += "  ·  line " + strconv.Itoa(st.Line+1)
	}
	move := "none"
	if st.Station >= 0 && st.Station < len(g.sess.Spec.Stations) {
		verb := "unload"
		if st.Loading {
			verb = "load"
		}
		move = fmt.Sprintf("%s %s (server %d), %.0f%% done", verb, g.sess.Spec.Stations[st.Station].ID, st.Server+1, st.Progress*100)
	}
	var serves []string
	for _, i := range a.Stations {
		serves = append(serves, g.sess.Spec.Stations[i].ID)
	}
	if mk := g.twinArm(j); mk != nil {
		rows = append(rows, detailRow{"State", armPhaseName(st)}, detailRow{"Serves", strings.Join(serves, ", ")},
			detailRow{"Moves", thousands(st.Moves)})
		return title, sub, g.twinRows(rows, st.Line, st.ID, mk, "B break  ·  F repair (sent to the edge)  ·  Esc close")
	}
	rows = append(rows,
		detailRow{"State", armPhaseName(st)},
		detailRow{"Move", move},
		detailRow{"Serves", strings.Join(serves, ", ")},
		detailRow{"Queue", strconv.Itoa(st.Waiting) + " move(s) waiting"},
		detailRow{"Moves", thousands(st.Moves)},
		detailRow{"Utilization", percent(st.Utilization) + " moving, " + percent(st.Down) + " down"},
		detailRow{"Motion", fmt.Sprintf("%g m/s, %g m/s², grip %v, release %v", spec.Speed, spec.Accel, tidy(spec.Grip.String()), tidy(spec.Release.String()))},
		detailRow{"MTBF / MTTR", mtbf(spec.MTBF, spec.MTTR)},
		detailRow{"", "B break  ·  F repair  ·  Esc close"},
	)
	return title, sub, rows
}
