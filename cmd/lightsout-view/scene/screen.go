package scene

import "math"

// Screen regions, in pixels.
const (
	// TopBarH is the height of the bar across the top.
	TopBarH = 40.0
	// DashboardH is the height of the dashboard along the bottom.
	DashboardH = 186.0
	// MaxFitZoom is the most a fitted floor is magnified.
	MaxFitZoom = 2.0
)

// FloorView returns the part of a w x h screen the floor is drawn in:
// below the top bar and above the dashboard when it is shown, at least 80
// pixels high.
func FloorView(w, h int, dashboard bool) Rect { return FloorViewAt(w, h, dashboard, 1) }

// FloorViewAt is FloorView with the top bar and the dashboard magnified
// by the UI scale ui.
func FloorViewAt(w, h int, dashboard bool, ui float64) Rect {
	dash := 0.0
	if dashboard {
		dash = DashboardH
	}
	return Rect{0, TopBarH * ui, float64(w), max(float64(h)-(TopBarH+dash)*ui, 80)}
}

// The UI scale's range: 1 at the 1280 x 800 the overlays are laid out for,
// up to 2 on a large screen (a projector's 4K).
const (
	MinUIScale = 1.0
	MaxUIScale = 2.0
)

// UIScale returns the scale of the top bar, the panels and their text on
// a w x h window: as much larger than at 1280 x 800 as the window is in
// its tighter direction, between MinUIScale and MaxUIScale, in steps of
// 0.05.
func UIScale(w, h int) float64 {
	s := math.Min(float64(w)/1280, float64(h)/800)
	s = math.Floor(s*20+1e-9) / 20
	return math.Min(math.Max(s, MinUIScale), MaxUIScale)
}

// FitCamera returns the camera that shows the whole floor f in view, with
// a small margin.
func FitCamera(f *Floor, view Rect) Camera {
	return Fit(f.Bounds, view.Inset(6), MaxFitZoom)
}

// dashShares are the dashboard panels' shares of the screen's width:
// chart, OEE, defects, legend.
var dashShares = [4]float64{0.37, 0.16, 0.23, 0.24}

// DashPanels returns the rectangles of the dashboard's four panels on a
// w x h screen: the chart, OEE, defects and legend.
func DashPanels(w, h int) [4]Rect {
	const gap = 8.0
	y := float64(h) - DashboardH + gap/2
	ph := DashboardH - gap*1.5
	usable := float64(w) - gap*5
	var out [4]Rect
	x := gap
	for k, s := range dashShares {
		out[k] = Rect{x, y, usable * s, ph}
		x += usable*s + gap
	}
	return out
}

// DetailPlace returns where a w x h detail panel goes: the corner of the
// floor view that does not cover the selection (sel, its screen
// rectangle, with a margin) and, of those, hides the fewest machines of f
// as cam shows them. When every corner covers some of the selection, the
// one that covers least of it wins: the side of the floor away from it.
func DetailPlace(f *Floor, cam Camera, view Rect, w, h float64, sel Rect) Rect {
	const m = 10.0
	v := view
	corners := [4]Rect{
		{v.X + v.W - w - m, v.Y + m, w, h},
		{v.X + m, v.Y + m, w, h},
		{v.X + v.W - w - m, v.Y + v.H - h - m, w, h},
		{v.X + m, v.Y + v.H - h - m, w, h},
	}
	keep := sel.Inset(-selMargin)
	best, bestCost := corners[0], math.Inf(1)
	for _, r := range corners {
		cost := 1e6 * keep.Overlap(r)
		for i := range f.Stations {
			cost += cam.RectToScreen(f.Stations[i].Slot).Overlap(r)
		}
		for i := range f.Docks {
			cost += cam.RectToScreen(f.Docks[i].Slot).Overlap(r)
		}
		if cost < bestCost {
			best, bestCost = r, cost
		}
	}
	return best
}

// selMargin is the room DetailPlace keeps clear around the selection.
const selMargin = 12.0
