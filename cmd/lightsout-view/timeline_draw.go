package main

import (
	"math"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// The state timeline's panel (HUD units).
const (
	tlLabelW = 118.0 // the stations' names
	tlChartH = 78.0  // the WIP and buffer chart
	tlMaxRow = 16.0  // the tallest row of the Gantt
)

// timelineSpan returns the span the state timeline shows.
func (g *Game) timelineSpan() sim.Time { return scene.TimelineSpans[g.x.span] }

// timelineH returns the height (pixels) the state timeline takes from a
// floor view of height h: enough for a row per station when it can be,
// at most 55% of it.
func (g *Game) timelineH(h float64) float64 {
	rows := float64(max(len(g.sess.Spec.Stations)*max(g.sess.Spec.Lines, 1), 1))
	return math.Round(math.Min((62+tlChartH+rows*tlMaxRow+12)*g.ui(), h*0.55))
}

// timelineRect returns where the state timeline's panel goes: under the
// floor view, which gave it its room (floorView).
func (g *Game) timelineRect() scene.Rect {
	v := g.hudView()
	return scene.XYWH(v.X+8, v.Y+v.H+4, v.W-16, g.x.tlH/g.ui()-8)
}

// drawTimeline paints the state timeline: per station, a bar of the phase
// it spent each sample interval in over the span; under it the line's
// WIP and the buffer level of the selected station (else the constraint)
// with its capacity.
func (g *Game) drawTimeline(dst *ebiten.Image) {
	if !g.x.showTimeline {
		return
	}
	tl := &g.x.timeline
	r := g.timelineRect()
	g.shapes.Rect(dst, scene.XYWH(0, r.Y-4, g.hw(), r.H+8), palette.Screen)
	g.panel(dst, r)
	span := g.timelineSpan()
	g.timelineLabels()
	g.titled(r, g.x.tlTitle[g.x.span], aside{"S hide  ·  E span", false, palette.TextFade})
	if tl.Len() == 0 {
		g.flushAll(dst)
		return
	}
	now, _ := tl.Sample(tl.Len() - 1)
	from := now - span
	gantt := scene.XYWH(r.X+12+tlLabelW, r.Y+28, r.W-24-tlLabelW, r.H-28-tlChartH-26)
	x := func(t sim.Time) float64 {
		return gantt.X + gantt.W*math.Max(0, 1-(now-t).Seconds()/span.Seconds())
	}
	ns := tl.Stations()
	rowH := math.Min(gantt.H/float64(ns), tlMaxRow)
	k0 := max(tl.First(from)-1, 0)
	sh := g.shapes
	sh.Rect(dst, gantt, palette.Fade(palette.Machine, 0.6))
	for i := range ns {
		y := gantt.Y + float64(i)*rowH
		name := g.x.tlNames[i]
		if rowH >= 8 {
			size := math.Min(hudSmall, rowH*0.85)
			g.textAt(g.fonts.Fit(name, size, false, tlLabelW-8), scene.Pt(r.X+12, y+rowH/2), size, false, palette.TextDim, Start)
		}
		g.ganttRow(dst, i, scene.XYWH(gantt.X, y+1, gantt.W, rowH-2), k0, x)
	}
	g.drawTimelineChart(dst, scene.XYWH(gantt.X, gantt.Y+gantt.H+8, gantt.W, tlChartH), k0, x)
	for k, label := range [2]string{g.x.tlAgo[g.x.span], "now"} {
		g.textAt(label, scene.Pt(gantt.X+gantt.W*float64(k), r.Y+r.H-9), hudSmall-1, false, palette.TextFade, [2]Align{Start, End}[k])
	}
	g.flushAll(dst)
}

// tlColW is the width (HUD units) of a column of the Gantt: the samples
// within one are drawn as the phase most of them show, so a long span
// costs at most a bar per column and row, not one per sample.
const tlColW = 2.0

// ganttRow draws station i's bars in row r, from the samples after k0
// (whose intervals lie in the span), x placing a time.
func (g *Game) ganttRow(dst *ebiten.Image, i int, r scene.Rect, k0 int, x func(sim.Time) float64) {
	tl := &g.x.timeline
	var cnt [stations.NumPhases]int
	col := -1
	runFrom := math.NaN()
	var runPhase stations.Phase
	start, _ := tl.Sample(k0)
	end := x(start)
	for k := k0 + 1; k <= tl.Len(); k++ {
		c := -2 // past the last sample: close the last column
		var p stations.Phase
		if k < tl.Len() {
			var at sim.Time
			at, _ = tl.Sample(k)
			p, _ = tl.Station(k, i)
			c = int((x(at) - r.X) / tlColW)
			end = x(at)
		}
		if c != col && col >= 0 {
			top := stations.Phase(0)
			for q := range cnt {
				if cnt[q] > cnt[top] {
					top = stations.Phase(q)
				}
			}
			cnt = [stations.NumPhases]int{}
			from := math.Max(r.X+float64(col)*tlColW, x(start))
			if math.IsNaN(runFrom) {
				runFrom, runPhase = from, top
			} else if top != runPhase {
				g.shapes.Rect(dst, scene.XYWH(runFrom, r.Y, from-runFrom, r.H), g.phaseColour(runPhase))
				runFrom, runPhase = from, top
			}
		}
		if c < -1 {
			break
		}
		col = c
		if int(p) < len(cnt) {
			cnt[p]++
		}
	}
	if !math.IsNaN(runFrom) {
		g.shapes.Rect(dst, scene.XYWH(runFrom, r.Y, end-runFrom, r.H), g.phaseColour(runPhase))
	}
}

// timelineBuffer returns the station whose buffer level the timeline's
// chart shows: the selected one, else the constraint of line 1.
func (g *Game) timelineBuffer() int {
	if g.sel.Kind == scene.SelStation && g.sel.Slot < g.x.timeline.Stations() {
		return g.sel.Slot
	}
	return min(g.sess.Snap.Line.Constraint, g.x.timeline.Stations()-1)
}

// drawTimelineChart charts, over the timeline's samples from k0, the
// line's WIP (white, the upper band) and a station's buffer level (teal,
// the lower band, its capacity dashed), each on its own scale.
func (g *Game) drawTimelineChart(dst *ebiten.Image, c scene.Rect, k0 int, x func(sim.Time) float64) {
	tl := &g.x.timeline
	sh := g.shapes
	b := g.timelineBuffer()
	ss := &g.sess.Snap.Stations[b]
	topW, topB := 1, 1
	for k := k0; k < tl.Len(); k++ {
		_, wip := tl.Sample(k)
		_, lv := tl.Station(k, b)
		topW, topB = max(topW, wip), max(topB, lv)
	}
	if ss.Capacity != stations.Inf {
		topB = max(topB, int(ss.Capacity))
	}
	bandH := (c.H - 6) / 2
	bands := [2]scene.Rect{scene.XYWH(c.X, c.Y, c.W, bandH), scene.XYWH(c.X, c.Y+bandH+6, c.W, bandH)}
	axes := [2]float64{}
	for j, top := range [2]int{topW, topB} {
		sh.Rect(dst, bands[j], palette.Fade(palette.Machine, 0.6))
		axes[j], _ = scene.NiceAxis(float64(top) * 1.05)
		g.textAt(g.x.axisLabel(j, int(axes[j])), scene.Pt(c.X-8, bands[j].Y+bandH*0.78), hudSmall-1, false, palette.TextFade, End)
	}
	y := func(j, v int) float64 { return bands[j].Y + bands[j].H*(1-float64(v)/axes[j]) }
	if ss.Capacity != stations.Inf {
		cy := y(1, int(ss.Capacity))
		sh.Dashed(dst, scene.Pt(c.X, cy), scene.Pt(c.X+c.W, cy), 1, 5, 4, palette.TrayFull)
	}
	step := max(1, (tl.Len()-k0)/int(math.Max(c.W, 1)))
	var pw, pb scene.Point
	for k := k0; k < tl.Len(); k += step {
		at, wip := tl.Sample(k)
		_, lv := tl.Station(k, b)
		w, l := scene.Pt(x(at), y(0, wip)), scene.Pt(x(at), y(1, lv))
		if k > k0 {
			g.smooth.Line(dst, pw, w, 1.5, palette.Text)
			g.smooth.Line(dst, pb, l, 1.5, palette.Applied)
		}
		pw, pb = w, l
	}
	g.textAt("WIP", scene.Pt(c.X-8, bands[0].Y+bandH*0.3), hudSmall, true, palette.Text, End)
	g.textAt(g.fonts.Fit(g.x.tlBuffer[b], hudSmall, false, tlLabelW-8), scene.Pt(c.X-8, bands[1].Y+bandH*0.3), hudSmall, false, palette.Applied, End)
}

// flushAll draws the shapes, smooth shapes and text queued.
func (g *Game) flushAll(dst *ebiten.Image) {
	g.shapes.Flush(dst)
	g.smooth.Flush(dst)
	g.flushText(dst)
}

// timelineLabels makes the timeline's words once (and again when the
// line's stations change), so that drawing it allocates nothing.
func (g *Game) timelineLabels() {
	x := &g.x
	ns := x.timeline.Stations()
	if len(x.tlNames) == ns && x.tlTitle[0] != "" {
		return
	}
	for k, sp := range scene.TimelineSpans {
		x.tlTitle[k] = "State timeline, last " + scene.Duration(sp)
		x.tlAgo[k] = "-" + scene.Duration(sp)
	}
	x.tlNames, x.tlBuffer = make([]string, ns), make([]string, ns)
	n := len(g.sess.Spec.Stations)
	for i := range ns {
		id := g.sess.Spec.Stations[i%n].ID
		x.tlNames[i], x.tlBuffer[i] = id, id+" buffer"
		if g.sess.Spec.Lines > 1 {
			x.tlNames[i] = "L" + strconv.Itoa(i/n+1) + " " + id
			x.tlBuffer[i] = "L" + strconv.Itoa(i/n+1) + " " + id + " buffer"
		}
	}
}

// axisLabel returns "0 – top" for band j of the timeline's chart, made
// again only when top changes.
func (x *extras) axisLabel(j, top int) string {
	if x.tlAxis[j] != top || x.tlAxisS[j] == "" {
		x.tlAxis[j], x.tlAxisS[j] = top, "0 – "+strconv.Itoa(top)
	}
	return x.tlAxisS[j]
}
