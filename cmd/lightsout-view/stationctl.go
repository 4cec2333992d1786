package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"

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
		return twin.Command{}, fmt.Errorf("%s already runs at %s, the %s speed", ss.ID, speedText(end), way)
	}
	return twin.Command{Kind: twin.SetSpeed, Line: ss.Line, Target: ss.ID, Speed: s}, nil
}

// speedText writes a relative speed ("0.63x"), "unknown" when it is not
// positive (a twin that does not publish it).
func speedText(f float64) string {
	if f <= 0 {
		return "unknown"
	}
	return strconv.FormatFloat(f, 'g', 4, 64) + "x"
}

// speedDetail describes a station's speed for its panel.
func speedDetail(f float64) string {
	switch {
	case f <= 0:
		return "unknown (not published)"
	case f == 1:
		return "1x (nominal)"
	}
	return speedText(f) + " nominal: cycles take " + speedText(1/f) + " as long"
}

// heldDetail describes whether a station is held, for its panel.
func heldDetail(ss *twin.StationState) string {
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

// stationTag returns the tag a station shows on the floor: "HELD", its
// speed when it is not nominal, or both; "" when it needs none.
func stationTag(ss *twin.StationState) (tag string, held bool) {
	if ss.Speed > 0 && ss.Speed != 1 {
		tag = speedText(ss.Speed)
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

// tagPlace returns where station slot i's tag goes on the screen: a pill
// centred on the top edge of its machine, the size of its text and whether
// the text is legible at this zoom (when it is not, a held station keeps a
// pill with the pause sign and a speed alone shows nothing); ok is false
// when nothing is drawn.
func (g *Game) tagPlace(i int, tag string, held bool) (r Rect, size float64, text, ok bool) {
	if tag == "" {
		return Rect{}, 0, false, false
	}
	z := g.cam.Zoom
	size = floorTextSize(infoSize, z) * 0.85
	text = size >= minTextSize
	if !text && !held {
		return Rect{}, 0, false, false
	}
	h := 11 * z
	if text {
		h = size * 1.45
	}
	pad := h * 0.35
	w := 2 * pad
	if held {
		w += pauseW(h)
	}
	if text {
		w += g.fonts.Width(tag, size, true)
		if held {
			w += pad * 0.7
		}
	}
	sb := &g.floor.Stations[i]
	box := g.wr(sb.Box)
	r = Rect{box.X + (box.W-w)/2, box.Y - h/2, w, h}
	// Move it aside from the defect counts over the box, if it can.
	if g.overlays[OverlayDefects] {
		if s := defectString(&g.sess.Snap.Stations[i].Counts); s != "" {
			is := floorTextSize(infoSize, z)
			info := g.wr(sb.InfoBox)
			dw := math.Min(g.fonts.Width(s, is, true), info.W) + 3*z
			if is < minTextSize {
				dw = 0
			}
			if defectAlign(sb) == Start {
				r.X = math.Min(math.Max(r.X, info.X+dw), box.X+box.W-w)
			} else {
				r.X = math.Max(math.Min(r.X, info.X+info.W-dw-w), box.X)
			}
		}
	}
	return r, size, text, true
}

// pauseW is the width of the pause sign in a tag of height h.
func pauseW(h float64) float64 { return h * 0.42 }

// drawStationTag paints the pill of station slot i's tag: light with a
// pause sign when the station is held, dark when only its speed is shown.
// Its text comes with the floor's text (stationTagText).
func (g *Game) drawStationTag(dst *ebiten.Image, i int) {
	ss := &g.sess.Snap.Stations[i]
	tag, held := stationTag(ss)
	r, _, _, ok := g.tagPlace(i, tag, held)
	if !ok {
		return
	}
	sh := g.shapes
	rad := r.H / 2
	if !held {
		sh.RoundRect(dst, r.Inset(-1), rad+1, colTextDim)
		sh.RoundRect(dst, r, rad, colMachine)
		return
	}
	sh.RoundRect(dst, r.Inset(-1.5), rad+1.5, colMachine)
	sh.RoundRect(dst, r, rad, colText)
	bw, bh := r.H*0.14, r.H*0.5
	x := r.X + r.H*0.35
	y := r.Y + (r.H-bh)/2
	sh.Rect(dst, Rect{x, y, bw, bh}, colMachine)
	sh.Rect(dst, Rect{x + pauseW(r.H) - bw, y, bw, bh}, colMachine)
}

// stationTagText writes the text of station slot i's tag.
func (g *Game) stationTagText(dst *ebiten.Image, i int) {
	ss := &g.sess.Snap.Stations[i]
	tag, held := stationTag(ss)
	r, size, text, ok := g.tagPlace(i, tag, held)
	if !ok || !text {
		return
	}
	pad := r.H * 0.35
	x := r.X + pad
	c := colText
	if held {
		x += pauseW(r.H) + pad*0.7
		c = colMachine
	}
	g.fonts.Draw(dst, tag, x, r.Y+r.H/2, size, true, c, Start, Middle)
}
