package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// viewFlags are the flags of the palette, the UI scale, fullscreen and
// GIF recording.
type viewFlags struct {
	palette    string
	uiScale    float64
	fullscreen bool
	gif        string
	timeline   string
	span       int // --timeline's index in scene.TimelineSpans
}

func (v *viewFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&v.palette, "palette", palette.SchemeStandard, "state colours: "+strings.Join(palette.SchemeNames(), " or ")+" (safe for red-green colour blindness, with a glyph per state; Y toggles)")
	fl.Float64Var(&v.uiScale, "ui-scale", 0, "scale of the top bar, panels and their text, 1 to 2 (for projectors); 0 picks it from the window size")
	fl.BoolVar(&v.fullscreen, "fullscreen", false, "open fullscreen (F11 toggles)")
	fl.StringVar(&v.timeline, "timeline", "", "open with the state timeline shown over this span: 10m, 30m, 1h, 2h, 4h or 8h (S toggles, E steps)")
	fl.StringVar(&v.gif, "gif", "", "record the window as an animated GIF to this file, written on exit (20 frames a second, half size above 1000 px wide, at most a minute)")
}

// check adds a line to add for each problem with the flags.
func (v *viewFlags) check(add func(string, ...any)) {
	if _, err := palette.NewScheme(v.palette); err != nil {
		add("--%v", err)
	}
	if v.uiScale != 0 && (v.uiScale < scene.MinUIScale || v.uiScale > scene.MaxUIScale) {
		add("--ui-scale %g: want %g to %g, or 0 for automatic", v.uiScale, scene.MinUIScale, scene.MaxUIScale)
	}
	if v.timeline != "" {
		d, err := sim.ParseDuration(v.timeline)
		v.span = -1
		for k, sp := range scene.TimelineSpans {
			if err == nil && d == sp {
				v.span = k
			}
		}
		if v.span < 0 {
			add("--timeline %q: want one of 10m, 30m, 1h, 2h, 4h, 8h", v.timeline)
		}
	}
	if v.gif != "" {
		if !strings.EqualFold(filepath.Ext(v.gif), ".gif") {
			add("--gif %q: the file must end in .gif", v.gif)
		}
		if fi, err := os.Stat(filepath.Dir(v.gif)); err != nil || !fi.IsDir() {
			add("--gif %q: no directory %q to write it in", v.gif, filepath.Dir(v.gif))
		}
	}
}

// apply sets the game up as the flags say, before the window opens.
func (v *viewFlags) apply(g *Game) {
	g.x.scheme, _ = palette.NewScheme(v.palette)
	if v.uiScale > 0 {
		g.x.uiForced = v.uiScale
		g.resize(g.w, g.h)
	}
	if v.gif != "" {
		g.x.gif = newGIFRecorder(v.gif)
	}
	if v.timeline != "" && v.span >= 0 {
		g.x.showTimeline, g.x.span = true, v.span
		g.resize(g.w, g.h)
	}
}
