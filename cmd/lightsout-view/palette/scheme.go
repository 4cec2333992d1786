package palette

import (
	"fmt"
	"image/color"
	"strings"

	"github.com/lightsout-sim/lightsout/stations"
)

// Scheme is a choice of state colours: the standard one, or one that
// people with red-green colour blindness tell apart. A scheme with
// glyphs wants a glyph drawn on each server for its state too, so that
// the state reads without the colour.
type Scheme struct {
	// Name is how --palette names it.
	Name string
	// Glyphs says a glyph per state is drawn on the servers.
	Glyphs bool
	phase  [stations.NumPhases]color.RGBA // zero: the standard colour
}

// The schemes, by the name --palette takes.
const (
	SchemeStandard   = "standard"
	SchemeColorBlind = "colorblind"
)

// SchemeNames lists the schemes --palette takes.
func SchemeNames() []string { return []string{SchemeStandard, SchemeColorBlind} }

// NewScheme returns the scheme called name (see SchemeNames).
func NewScheme(name string) (*Scheme, error) {
	switch strings.ToLower(name) {
	case SchemeStandard:
		return &Scheme{Name: SchemeStandard}, nil
	case SchemeColorBlind, "colourblind", "cvd":
		return colorBlind(), nil
	}
	return nil, fmt.Errorf("palette %q: want one of %s", name, strings.Join(SchemeNames(), ", "))
}

// colorBlind is the colour-blind-safe scheme: hues from the set of eight
// colours designed to stay apart in protanopia, deuteranopia and
// tritanopia (blue, sky blue, bluish green, yellow, orange, vermillion,
// reddish purple and black), lightened where the dark floor needs it, and
// chosen so that working and down differ in lightness as well as hue.
// Its test checks every pair in simulations of protanopia and
// deuteranopia.
func colorBlind() *Scheme {
	s := &Scheme{Name: SchemeColorBlind, Glyphs: true}
	s.phase[stations.Working] = RGB(0x00, 0x9e, 0x73)     // bluish green, mid
	s.phase[stations.Loading] = RGB(0x56, 0xb4, 0xe9)     // sky blue
	s.phase[stations.Unloading] = RGB(0x56, 0xb4, 0xe9)   // as loading
	s.phase[stations.Starved] = RGB(0xf0, 0xe4, 0x42)     // yellow, light
	s.phase[stations.Blocked] = RGB(0x2a, 0x5c, 0xd6)     // blue
	s.phase[stations.Down] = RGB(0xd5, 0x5e, 0x00)        // vermillion
	s.phase[stations.Held] = RGB(0x50, 0x58, 0x60)        // dark grey: idle by command, as the standard grey
	s.phase[stations.Maintenance] = RGB(0xf0, 0xb0, 0xc8) // light reddish purple: lighter than working, bluer than down
	return s
}

// Phase returns the colour a server in phase p is painted in this
// scheme; a phase the scheme does not set takes the standard colour.
func (s *Scheme) Phase(p stations.Phase) color.RGBA {
	if s != nil && int(p) < len(s.phase) && s.phase[p].A != 0 {
		return s.phase[p]
	}
	return Phase(p)
}

// StateEntry is one line of the legend's states: what it means, the
// phase it stands for, and its colour in a scheme.
type StateEntry struct {
	Label string
	Phase stations.Phase
	Color color.RGBA
}

// States returns the legend's states (see Legend) in this scheme's
// colours, into dst.
func (s *Scheme) States(dst []StateEntry) []StateEntry {
	dst = dst[:0]
	for _, e := range Legend() {
		p := stations.Phase(0)
		for q := range stations.Phase(stations.NumPhases) {
			if Phase(q) == e.Color {
				p = q
				break
			}
		}
		dst = append(dst, StateEntry{e.Label, p, s.Phase(p)})
	}
	return dst
}
