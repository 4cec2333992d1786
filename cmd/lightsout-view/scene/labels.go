package scene

import "math"

// Measurer measures text as the window draws it. The window's fonts are
// one; tests use a stand-in.
type Measurer interface {
	// Width returns the advance of s at size (pixels), bold or not.
	Width(s string, size float64, bold bool) float64
	// Fit returns s, or s cut with an ellipsis so that it is at most
	// width wide ("" if not even the ellipsis fits).
	Fit(s string, size float64, bold bool, width float64) string
}

// MinTextSize is the smallest text drawn on the floor; below it, labels
// are left out rather than drawn unreadable.
const MinTextSize = 7.5

// FloorTextSize returns the size of floor text of size base at zoom z: it
// grows with the zoom (up to a cap) but shrinks only as its square root
// when zoomed out, so the long lines stay readable; labels are cut to their
// boxes anyway.
func FloorTextSize(base, z float64) float64 {
	if z < 1 {
		return base * math.Sqrt(z)
	}
	return math.Min(base*z, base*1.4)
}

// The camera icon of an inspection, before its station's id, in world
// units, and the gap between it and the id.
const camW, camH, camGap = 14.0, 10.0, 4.0

// LabelRoom returns the screen width a station's id may take: its label
// band, less the camera icon of an inspection.
func LabelRoom(cam Camera, sb *StationBox) float64 {
	w := cam.RectToScreen(sb.Label).W
	if sb.Inspects {
		w -= (camW + camGap) * cam.Zoom
	}
	return w
}

// LabelPlace returns where a station's id is centred on the screen (over
// its box, moved as little as needed to stay in its band) and, for an
// inspection, the screen rectangle of its camera icon, just before the
// id; ok is false when the text is too small to draw.
func LabelPlace(m Measurer, cam Camera, sb *StationBox, id string, bold bool) (x float64, icon Rect, ok bool) {
	z := cam.Zoom
	size := FloorTextSize(LabelSize, z)
	if size < MinTextSize {
		return 0, Rect{}, false
	}
	w := m.Width(m.Fit(id, size, bold, LabelRoom(cam, sb)), size, bold)
	band := cam.RectToScreen(sb.Label)
	lead := 0.0 // room before the text
	if sb.Inspects {
		lead = (camW + camGap) * z
	}
	left := cam.ToScreen(sb.Box.Center()).X - (w+lead)/2
	left = math.Min(math.Max(left, band.X), band.X+band.W-w-lead)
	icon = Rect{left, band.Y + (band.H-camH*z)/2 + z, camW * z, camH * z}
	return left + lead + w/2, icon, true
}

// PauseW is the width of the pause sign in a tag of height h.
func PauseW(h float64) float64 { return h * 0.42 }

// TagPlace returns where a station's tag (see StationTag) goes on the
// screen: a pill centred on the top edge of its machine, moved aside from
// the defect counts written over the box (defects; "" when none are
// shown), the size of its text and whether the text is legible at this
// zoom (when it is not, a held station keeps a pill with the pause sign
// and a speed alone shows nothing); ok is false when nothing is drawn.
func TagPlace(m Measurer, cam Camera, sb *StationBox, tag string, held bool, defects string) (r Rect, size float64, text, ok bool) {
	if tag == "" {
		return Rect{}, 0, false, false
	}
	z := cam.Zoom
	size = FloorTextSize(InfoSize, z) * 0.85
	text = size >= MinTextSize
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
		w += PauseW(h)
	}
	if text {
		w += m.Width(tag, size, true)
		if held {
			w += pad * 0.7
		}
	}
	box := cam.RectToScreen(sb.Box)
	r = Rect{box.X + (box.W-w)/2, box.Y - h/2, w, h}
	if defects == "" {
		return r, size, text, true
	}
	is := FloorTextSize(InfoSize, z)
	info := cam.RectToScreen(sb.InfoBox)
	dw := math.Min(m.Width(defects, is, true), info.W) + 3*z
	if is < MinTextSize {
		dw = 0
	}
	if sb.DefectsAtStart() {
		r.X = math.Min(math.Max(r.X, info.X+dw), box.X+box.W-w)
	} else {
		r.X = math.Max(math.Min(r.X, info.X+info.W-dw-w), box.X)
	}
	return r, size, text, true
}
