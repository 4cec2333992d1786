package scene

import (
	"math"

	"github.com/lightsout-sim/lightsout/twin"
)

// Overlay names a part of the display a key shows or hides.
type Overlay int

// The overlays; all are shown at start.
const (
	OverlayChart      Overlay = iota // throughput chart
	OverlayDefects                   // defect panel, counts and heat on the floor
	OverlayOEE                       // line OEE = A x P x Q
	OverlayWIP                       // work in progress
	OverlayClock                     // simulated clock and date
	OverlaySpeed                     // requested and real speed
	OverlayBottleneck                // bottleneck highlight
	OverlayLegend                    // state colours
	OverlayAutopilot                 // the autopilot's decisions: markers on the floor and the list
	NumOverlays                      // how many overlays there are
)

// OnDashboard reports whether o is a panel of the dashboard along the
// bottom (showing or hiding it changes the floor's room).
func (o Overlay) OnDashboard() bool {
	return o == OverlayChart || o == OverlayOEE || o == OverlayDefects || o == OverlayLegend
}

// Overlays says which overlays are shown, indexed by Overlay.
type Overlays [NumOverlays]bool

// AllOverlays returns every overlay shown, as at start.
func AllOverlays() Overlays {
	var s Overlays
	for o := range s {
		s[o] = true
	}
	return s
}

// Dashboard reports whether any panel of the dashboard is shown.
func (s *Overlays) Dashboard() bool {
	for o, on := range s {
		if on && Overlay(o).OnDashboard() {
			return true
		}
	}
	return false
}

// Intents is what the person asked for during one tick, whatever keys or
// buttons they used: the game acts on intents and never reads keys.
type Intents struct {
	Pause, Faster, Slower, MaxSpeed, RealTime bool
	Step, BigStep                             bool // one step while paused
	Break, Repair                             bool // the selected machine
	Hold, ResetStation                        bool // hold or unhold, reset the selected station
	StationFaster, StationSlower              bool // one speed step for the selected station
	BufferUp, BufferDown                      int  // change the selected buffer by this much
	Reset, Help, Deselect, Quit, Fit          bool
	// Autopilot holds a running autopilot, or releases a held one.
	Autopilot bool
	Toggle    [NumOverlays]bool
	// Click is a left click (pressed and released without dragging) at
	// the cursor; Drag, the movement of a drag this tick; Wheel, the
	// vertical scroll, zooming about Cursor.
	Click        bool
	Cursor       Point
	DragX, DragY float64
	Wheel        float64
	// PanX and PanY move the view (arrow keys), in pixels.
	PanX, PanY float64
}

// Type records a character typed this tick, Shift held or not. Symbols
// come as typed characters, so that they work on any keyboard layout.
func (it *Intents) Type(r rune, shift bool) {
	switch r {
	case '?':
		it.Help = true
	case '+', '=':
		it.Faster = true
	case '-', '_':
		it.Slower = true
	case '.', '>':
		it.Step, it.BigStep = true, shift
	case ']', '}':
		it.BufferUp += bufferStep(shift)
	case '[', '{':
		it.BufferDown += bufferStep(shift)
	}
}

// bufferStep is how much a buffer key changes the capacity: 5 with Shift,
// else 1.
func bufferStep(shift bool) int {
	if shift {
		return 5
	}
	return 1
}

// Command returns the command the intents give the selected machine:
// break, repair, a buffer change, hold, reset or a speed step, the first
// of these asked for. ok is false when they ask for none; err says why
// the selection cannot take the one asked for.
func (it *Intents) Command(sel Selection, snap *twin.Snapshot) (cmd twin.Command, ok bool, err error) {
	switch {
	case it.Break:
		cmd, err = BreakCommand(sel, snap)
	case it.Repair:
		cmd, err = RepairCommand(sel, snap)
	case it.BufferUp > 0:
		cmd, err = BufferCommand(sel, snap, it.BufferUp)
	case it.BufferDown > 0:
		cmd, err = BufferCommand(sel, snap, -it.BufferDown)
	case it.Hold:
		cmd, err = HoldCommand(sel, snap)
	case it.ResetStation:
		cmd, err = ResetCommand(sel, snap)
	case it.StationFaster:
		cmd, err = SpeedCommand(sel, snap, true)
	case it.StationSlower:
		cmd, err = SpeedCommand(sel, snap, false)
	default:
		return twin.Command{}, false, nil
	}
	return cmd, true, err
}

// Steer returns cam moved as the intents ask: the wheel zooms about the
// cursor when it is over view, within the zoom limits around fitZoom (the
// zoom that shows the whole floor); a drag and the arrow keys pan. moved
// is false when the camera stays.
func (it *Intents) Steer(cam Camera, view Rect, fitZoom float64) (_ Camera, moved bool) {
	if it.Wheel != 0 && view.Contains(it.Cursor) {
		cam = cam.ZoomAbout(it.Cursor, math.Pow(1.15, it.Wheel), fitZoom*MinZoomFactor, fitZoom*MaxZoomFactor)
		moved = true
	}
	if it.DragX != 0 || it.DragY != 0 || it.PanX != 0 || it.PanY != 0 {
		cam = cam.Pan(it.DragX+it.PanX, it.DragY+it.PanY)
		moved = true
	}
	return cam, moved
}

// dragThreshold is how far (pixels) the mouse must move with a button down
// for a press to be a drag rather than a click.
const dragThreshold = 4

// Pointer tells clicks from drags across ticks: a press of any button that
// moves the mouse more than a few pixels is a drag, which pans the view;
// a left press released without one is a click. The zero value is ready
// to use.
type Pointer struct {
	pressAt  Point
	last     Point
	pressed  bool
	dragging bool
}

// Track records this tick's cursor position cur, whether a mouse button
// is down, and whether the left button was released this tick, into it:
// the cursor, the drag's movement this tick, and a click.
func (p *Pointer) Track(it *Intents, cur Point, down, leftReleased bool) {
	it.Cursor = cur
	switch {
	case down && !p.pressed:
		p.pressed, p.dragging, p.pressAt, p.last = true, false, cur, cur
	case down:
		if !p.dragging && Dist(cur, p.pressAt) > dragThreshold {
			p.dragging = true
			it.DragX, it.DragY = cur.X-p.pressAt.X, cur.Y-p.pressAt.Y
		} else if p.dragging {
			it.DragX, it.DragY = cur.X-p.last.X, cur.Y-p.last.Y
		}
		p.last = cur
	case p.pressed:
		p.pressed = false
		if !p.dragging && leftReleased {
			it.Click = true
		}
	}
}
