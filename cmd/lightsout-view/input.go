package main

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
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
	numOverlays
)

// overlayKeys are the keys that toggle each overlay, with their help text.
var overlayKeys = [numOverlays]struct {
	Key  ebiten.Key
	Name string
	Help string
}{
	OverlayChart:      {ebiten.KeyT, "T", "throughput chart"},
	OverlayDefects:    {ebiten.KeyD, "D", "defects: counts, heat, yield"},
	OverlayOEE:        {ebiten.KeyO, "O", "OEE = A x P x Q"},
	OverlayWIP:        {ebiten.KeyW, "W", "work in progress"},
	OverlayClock:      {ebiten.KeyK, "K", "simulated clock"},
	OverlaySpeed:      {ebiten.KeyV, "V", "speed, requested and real"},
	OverlayBottleneck: {ebiten.KeyN, "N", "bottleneck highlight"},
	OverlayLegend:     {ebiten.KeyL, "L", "legend"},
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
	Toggle                                    [numOverlays]bool
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

// Input turns the keyboard and mouse into Intents. It tracks drags across
// ticks. The zero value is ready to use.
type Input struct {
	pressAt  Point
	last     Point
	pressed  bool
	dragging bool
	chars    []rune
}

// dragThreshold is how far (pixels) the mouse must move with a button down
// for a press to be a drag rather than a click.
const dragThreshold = 4

// Read returns this tick's intents.
func (in *Input) Read() Intents {
	var it Intents
	in.keys(&it)
	in.mouse(&it)
	return it
}

func (in *Input) keys(it *Intents) {
	just := inpututil.IsKeyJustPressed
	shift := ebiten.IsKeyPressed(ebiten.KeyShift)
	it.Pause = just(ebiten.KeySpace)
	it.Break = just(ebiten.KeyB)
	it.Repair = just(ebiten.KeyF)
	it.Hold = just(ebiten.KeyP)
	it.ResetStation = just(ebiten.KeyC)
	it.StationSlower = just(ebiten.KeyZ)
	it.StationFaster = just(ebiten.KeyX)
	it.Reset = just(ebiten.KeyR)
	it.Quit = just(ebiten.KeyQ)
	it.Deselect = just(ebiten.KeyEscape)
	it.MaxSpeed = just(ebiten.KeyM)
	it.RealTime = just(ebiten.Key1) || just(ebiten.KeyNumpad1)
	it.Fit = just(ebiten.KeyHome) || just(ebiten.Key0) || just(ebiten.KeyNumpad0)
	it.Help = just(ebiten.KeyF1) || just(ebiten.KeyH)
	it.Faster = just(ebiten.KeyNumpadAdd) || just(ebiten.KeyPageUp)
	it.Slower = just(ebiten.KeyNumpadSubtract) || just(ebiten.KeyPageDown)
	const pan = 14
	for _, k := range []struct {
		key    ebiten.Key
		dx, dy float64
	}{{ebiten.KeyArrowLeft, pan, 0}, {ebiten.KeyArrowRight, -pan, 0}, {ebiten.KeyArrowUp, 0, pan}, {ebiten.KeyArrowDown, 0, -pan}} {
		if ebiten.IsKeyPressed(k.key) {
			it.PanX += k.dx
			it.PanY += k.dy
		}
	}
	for o := range numOverlays {
		it.Toggle[o] = just(overlayKeys[o].Key)
	}
	// Symbols come as typed characters, so they work on any keyboard layout.
	in.chars = ebiten.AppendInputChars(in.chars[:0])
	for _, r := range in.chars {
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
			it.BufferUp += step(shift)
		case '[', '{':
			it.BufferDown += step(shift)
		}
	}
}

// step is how much a buffer key changes the capacity: 5 with Shift, else 1.
func step(shift bool) int {
	if shift {
		return 5
	}
	return 1
}

func (in *Input) mouse(it *Intents) {
	x, y := ebiten.CursorPosition()
	cur := Point{float64(x), float64(y)}
	it.Cursor = cur
	_, wy := ebiten.Wheel()
	it.Wheel = wy
	down := ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) ||
		ebiten.IsMouseButtonPressed(ebiten.MouseButtonRight) ||
		ebiten.IsMouseButtonPressed(ebiten.MouseButtonMiddle)
	switch {
	case down && !in.pressed:
		in.pressed, in.dragging, in.pressAt, in.last = true, false, cur, cur
	case down:
		if !in.dragging && dist(cur, in.pressAt) > dragThreshold {
			in.dragging = true
			it.DragX, it.DragY = cur.X-in.pressAt.X, cur.Y-in.pressAt.Y
		} else if in.dragging {
			it.DragX, it.DragY = cur.X-in.last.X, cur.Y-in.last.Y
		}
		in.last = cur
	case in.pressed:
		in.pressed = false
		if !in.dragging && inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft) {
			it.Click = true
		}
	}
}
