package palette

import (
	"image/color"
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
)

// Simulated colour vision deficiency: the full-severity matrices of the
// physiologically based model of colour vision deficiency, applied to
// linear RGB, and colour differences as CIE 1976 ΔE*ab in CIELAB (D65).

// cvdMatrices are the protanopia and deuteranopia matrices (severity 1).
var cvdMatrices = map[string][3][3]float64{
	"protanopia": {
		{0.152286, 1.052583, -0.204868},
		{0.114503, 0.786281, 0.099216},
		{-0.003882, -0.048116, 1.051998},
	},
	"deuteranopia": {
		{0.367322, 0.860646, -0.227968},
		{0.280085, 0.672501, 0.047413},
		{-0.011820, 0.042940, 0.968881},
	},
}

func toLinear(v uint8) float64 {
	c := float64(v) / 255
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

// simulate returns the linear RGB a person with the deficiency m sees for c.
func simulate(c color.RGBA, m *[3][3]float64) [3]float64 {
	in := [3]float64{toLinear(c.R), toLinear(c.G), toLinear(c.B)}
	var out [3]float64
	for i := range 3 {
		for j := range 3 {
			out[i] += m[i][j] * in[j]
		}
		out[i] = math.Min(math.Max(out[i], 0), 1)
	}
	return out
}

// lab converts linear sRGB to CIELAB (D65 white).
func lab(rgb [3]float64) [3]float64 {
	x := 0.4124564*rgb[0] + 0.3575761*rgb[1] + 0.1804375*rgb[2]
	y := 0.2126729*rgb[0] + 0.7151522*rgb[1] + 0.0721750*rgb[2]
	z := 0.0193339*rgb[0] + 0.1191920*rgb[1] + 0.9503041*rgb[2]
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	fx, fy, fz := f(x/0.95047), f(y), f(z/1.08883)
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

func deltaE(a, b [3]float64) float64 {
	return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
}

var identity = [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}

// minCVDDelta is the least colour difference between two states that
// the colour-blind scheme keeps under each simulation: well past the
// ΔE of about 10 at which colours stop being confused at a glance.
const minCVDDelta = 20.0

func TestColorBlindSchemeKeepsStatesApart(t *testing.T) {
	cb, err := NewScheme(SchemeColorBlind)
	if err != nil {
		t.Fatal(err)
	}
	std, _ := NewScheme(SchemeStandard)
	states := cb.States(nil)
	for name, m := range map[string][3][3]float64{"normal": identity, "protanopia": cvdMatrices["protanopia"], "deuteranopia": cvdMatrices["deuteranopia"]} {
		for i := range states {
			for j := i + 1; j < len(states); j++ {
				a, b := states[i].Phase, states[j].Phase
				if cb.Phase(a) == cb.Phase(b) {
					continue // one entry for loading and unloading
				}
				d := deltaE(lab(simulate(cb.Phase(a), &m)), lab(simulate(cb.Phase(b), &m)))
				ds := deltaE(lab(simulate(std.Phase(a), &m)), lab(simulate(std.Phase(b), &m)))
				t.Logf("%-12s %-11s / %-11s ΔE %5.1f (standard %5.1f)", name, a, b, d, ds)
				if d < minCVDDelta {
					t.Errorf("%s: %v and %v are ΔE %.1f apart in the colour-blind scheme, want at least %.0f", name, a, b, d, minCVDDelta)
				}
			}
		}
	}
	// The reason for the scheme: the standard one loses working against down.
	m := cvdMatrices["deuteranopia"]
	t.Logf("standard scheme, deuteranopia: working / down ΔE %.1f", deltaE(lab(simulate(std.Phase(stations.Working), &m)), lab(simulate(std.Phase(stations.Down), &m))))
}

func TestSchemes(t *testing.T) {
	std, err := NewScheme("standard")
	if err != nil || std.Glyphs {
		t.Fatalf("standard: %v %+v", err, std)
	}
	for p := range stations.Phase(stations.NumPhases) {
		if std.Phase(p) != Phase(p) {
			t.Errorf("standard %v is %v, want %v", p, std.Phase(p), Phase(p))
		}
	}
	cb, err := NewScheme("colorblind")
	if err != nil || !cb.Glyphs || cb.Phase(stations.Working) == Phase(stations.Working) {
		t.Fatalf("colorblind: %v %+v", err, cb)
	}
	if _, err := NewScheme("sepia"); err == nil {
		t.Error("an unknown palette is accepted")
	}
	if got, want := len(cb.States(nil)), len(Legend()); got != want {
		t.Errorf("%d states in the legend, want %d", got, want)
	}
}
