package main

import (
	"image/color"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/twin/lesson"
)

// The colours of a lesson's callouts: a note pinned next to the station.
var (
	calloutFill = palette.RGB(0xff, 0xe4, 0x8a)
	calloutEdge = palette.RGB(0xc9, 0x9a, 0x1e)
	calloutText = palette.RGB(0x1a, 0x16, 0x0c)
)

// Sizes of the lesson's overlays (pixels).
const (
	calloutMaxW  = 280.0
	calloutLineH = 16.0
	lessonPanelW = 760.0
	lessonLineH  = 19.0
)

// drawPlay paints what a playback shows: a lesson's callouts and panel, or
// a recording's time slider.
func (g *Game) drawPlay(dst *ebiten.Image) {
	p := g.play
	if p == nil {
		return
	}
	if p.replay() {
		g.drawSlider(dst)
		return
	}
	for _, c := range g.calloutPlaces() {
		g.drawCallout(dst, c)
	}
	g.drawLessonPanel(dst)
}

// calloutPlace is where a callout is drawn: its note, the point on its
// station it points at, and its lines of text.
type calloutPlace struct {
	r      scene.Rect
	anchor scene.Point
	lines  []string
}

// calloutPlaces places the callouts in force, each note next to its
// station: above its slot, below its machine, or beside it, whichever
// covers least of the other stations, the notes placed before it and the
// lesson's panel, within the floor view.
func (g *Game) calloutPlaces() []calloutPlace {
	var out []calloutPlace
	panel := g.lessonPanelRect(2)
	for _, c := range g.play.Callouts {
		sb := g.stationBox(c.Station)
		if sb == nil {
			continue
		}
		slot, box := g.wr(sb.Slot), g.wr(sb.Box)
		lines := g.wrap(c.Text, hudText, false, calloutMaxW-20)
		w := 20.0
		for _, l := range lines {
			w = max(w, g.fonts.Width(l, hudText, false)+20)
		}
		h := 10 + float64(len(lines))*calloutLineH
		cx := slot.X + slot.W/2
		type spot struct {
			r      scene.Rect
			anchor scene.Point
		}
		spots := []spot{
			{scene.XYWH(cx-w/2, slot.Y-12-h, w, h), scene.Pt(cx, slot.Y)},
			{scene.XYWH(cx-w/2, box.Y+box.H+14, w, h), scene.Pt(cx, box.Y+box.H)},
			{scene.XYWH(box.X+box.W+14, box.Y+box.H/2-h/2, w, h), scene.Pt(box.X+box.W, box.Y+box.H/2)},
			{scene.XYWH(box.X-14-w, box.Y+box.H/2-h/2, w, h), scene.Pt(box.X, box.Y+box.H/2)},
		}
		best, bestCost := 0, -1.0
		for i := range spots {
			r := &spots[i].r
			r.X = min(max(r.X, g.view.X+6), g.view.X+g.view.W-w-6)
			r.Y = min(max(r.Y, g.view.Y+6), g.view.Y+g.view.H-h-6)
			cost := r.Overlap(panel)
			for j := range g.floor.Stations {
				if o := &g.floor.Stations[j]; o != sb {
					cost += r.Overlap(g.wr(o.Box).Inset(-12))
				}
			}
			cost += 4 * (r.Overlap(box) + r.Overlap(g.wr(sb.Label).Inset(-4)))
			for _, o := range out {
				cost += 4 * r.Overlap(o.r.Inset(-3))
			}
			if bestCost < 0 || cost < bestCost {
				best, bestCost = i, cost
			}
		}
		out = append(out, calloutPlace{r: spots[best].r, anchor: spots[best].anchor, lines: lines})
	}
	return out
}

// stationBox returns the floor's box of the station id on the first copy
// of the line, or nil.
func (g *Game) stationBox(id string) *scene.StationBox {
	for i := range g.floor.Stations {
		if sb := &g.floor.Stations[i]; sb.Line == 0 && sb.ID == id {
			return sb
		}
	}
	return nil
}

// drawCallout paints one note and its pointer to the station.
func (g *Game) drawCallout(dst *ebiten.Image, c calloutPlace) {
	sh := g.smooth
	from := scene.Pt(min(max(c.anchor.X, c.r.X), c.r.X+c.r.W), min(max(c.anchor.Y, c.r.Y), c.r.Y+c.r.H))
	sh.Line(dst, from, c.anchor, 2, calloutEdge)
	sh.Circle(dst, c.anchor, 4, calloutEdge)
	sh.RoundRect(dst, c.r.Inset(-1.5), 6, calloutEdge)
	sh.RoundRect(dst, c.r, 5, calloutFill)
	sh.Flush(dst)
	for i, l := range c.lines {
		g.fonts.Draw(dst, l, c.r.X+10, c.r.Y+5+calloutLineH*(float64(i)+0.5), hudText, false, calloutText, Start, Middle)
	}
}

// lessonPanelRect is the lesson's panel for n lines of text: at the foot
// of the floor view.
func (g *Game) lessonPanelRect(n int) scene.Rect {
	w := min(lessonPanelW, g.view.W-24)
	h := 16 + float64(n)*lessonLineH
	return scene.XYWH(g.view.X+(g.view.W-w)/2, g.view.Y+g.view.H-h-12, w, h)
}

// drawLessonPanel paints the lesson's title and clock, its narration, and
// the pause or question waiting for the trainer.
func (g *Game) drawLessonPanel(dst *ebiten.Image) {
	p := g.play
	w := min(lessonPanelW, g.view.W-24) - 28
	type row struct {
		s    string
		bold bool
		c    color.RGBA
	}
	rows := []row{{"Lesson: " + p.Title, true, palette.Text}}
	for _, l := range g.wrap(p.Say, hudText, false, w) {
		rows = append(rows, row{l, false, palette.Text})
	}
	if e := p.Waiting; e != nil {
		text := e.Text
		if e.Kind == lesson.Question {
			text = "Question for the class: " + text
		}
		for _, l := range g.wrap(text, hudText, true, w) {
			rows = append(rows, row{l, true, calloutFill})
		}
		rows = append(rows, row{"Space or Enter: go on", false, palette.TextDim})
	}
	r := g.lessonPanelRect(len(rows))
	g.panel(dst, r)
	g.shapes.Flush(dst)
	now := g.sess.Snap.Now
	clock := lesson.Clock(now) + " / " + lesson.Clock(p.End)
	g.fonts.Draw(dst, clock, r.X+r.W-14, r.Y+8+lessonLineH/2, hudText, false, palette.TextDim, End, Middle)
	for i, rw := range rows {
		s := rw.s
		if i == 0 {
			s = g.fonts.Fit(s, hudText, true, w-g.fonts.Width(clock, hudText, false)-16)
		}
		g.fonts.Draw(dst, s, r.X+14, r.Y+8+lessonLineH*(float64(i)+0.5), hudText, rw.bold, rw.c, Start, Middle)
	}
}

// wrap breaks s into lines at most width pixels wide, keeping the result
// for the next frames.
func (g *Game) wrap(s string, size float64, bold bool, width float64) []string {
	if s == "" {
		return nil
	}
	key := s
	if bold {
		key = "\x00" + s
	}
	if l, ok := g.play.wraps[key]; ok {
		return l
	}
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		next := word
		if line != "" {
			next = line + " " + word
		}
		if line != "" && g.fonts.Width(next, size, bold) > width {
			lines = append(lines, line)
			next = word
		}
		line = next
	}
	if line != "" {
		lines = append(lines, line)
	}
	g.play.wraps[key] = lines
	return lines
}
