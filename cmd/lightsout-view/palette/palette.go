package palette

import (
	"image/color"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
)

// The screen and its panels.
var (
	// Screen is the background behind the top bar and the dashboard.
	Screen = RGB(0x0f, 0x12, 0x16)
	// Floor is the background of the floor view.
	Floor = RGB(0x17, 0x1c, 0x22)
	// FloorDot is the faint grid of dots that moves with the camera.
	FloorDot = RGB(0x21, 0x27, 0x2f)
	// Block is the ground of one copy of the line.
	Block = RGB(0x1c, 0x22, 0x29)
	// BlockEdge outlines a copy of the line.
	BlockEdge = RGB(0x2a, 0x32, 0x3c)
	// Panel is the ground of an overlay panel, slightly see-through.
	Panel = RGBA(0x1b, 0x21, 0x28, 0xf2)
	// PanelEdge outlines an overlay panel.
	PanelEdge = RGB(0x33, 0x3d, 0x49)
	// Text is the colour of text that matters.
	Text = RGB(0xe6, 0xea, 0xf0)
	// TextDim is the colour of captions.
	TextDim = RGB(0x8d, 0x99, 0xa6)
	// TextFade is the colour of notes, and of a phase nobody knows.
	TextFade = RGB(0x5c, 0x67, 0x73)
	// Grid is the colour of a chart's grid lines and of an empty bar.
	Grid = RGB(0x2a, 0x32, 0x3c)
)

// The machines and units on the floor.
var (
	// Track is the flow line the units ride between stations.
	Track = RGB(0x2b, 0x33, 0x3d)
	// TrackEdge draws the chevrons that mark the flow's direction.
	TrackEdge = RGB(0x39, 0x43, 0x4f)
	// Tray is the ground of a buffer's tray.
	Tray = RGB(0x22, 0x29, 0x31)
	// TrayEdge outlines a tray with room left.
	TrayEdge = RGB(0x46, 0x51, 0x5e)
	// TrayFull outlines a full tray; it also marks a pause and a speed
	// held back by the frame budget.
	TrayFull = RGB(0xe0, 0x8a, 0x3c)
	// Slot is an empty place for a unit in a tray.
	Slot = RGB(0x2c, 0x34, 0x3e)
	// Machine is the dark body of a machine, and text written on light pills.
	Machine = RGB(0x0d, 0x11, 0x15)
	// Unit is a good unit (a board, later a phone).
	Unit = RGB(0xdd, 0xe3, 0xea)
	// UnitEdge outlines a unit.
	UnitEdge = RGB(0x7b, 0x86, 0x92)
	// Defect is a defective unit, the defect heat and the defect counts.
	Defect = RGB(0xff, 0x5c, 0xa8)
	// Progress is the track of a server's progress bar.
	Progress = RGBA(0x0d, 0x11, 0x15, 0x99)
	// OvenBody is the body of a conveyor (the reflow oven).
	OvenBody = RGB(0x2a, 0x1f, 0x1c)
	// OvenHeat is the hottest zone of the oven; cooler ones mix it with OvenBody.
	OvenHeat = RGB(0xb8, 0x4a, 0x2a)
	// OvenBelt is the belt the boards ride through the oven.
	OvenBelt = RGB(0x3a, 0x40, 0x48)
	// EyeIdle is a sensor that has not fired lately.
	EyeIdle = RGB(0x4a, 0x55, 0x63)
	// EyeFired is a photo-eye that just fired, and its beam.
	EyeFired = RGB(0xff, 0x3b, 0x3b)
	// Pass is an inspection camera whose last check passed.
	Pass = RGB(0x54, 0xe3, 0x7a)
	// Fail is an inspection camera whose last check failed.
	Fail = RGB(0xff, 0x4d, 0x6d)
	// Ship is the shipped counter at the end of a line.
	Ship = RGB(0x2f, 0x81, 0xf7)
	// Scrap is the scrap bin at the end of a line.
	Scrap = RGB(0x8f, 0x3b, 0x47)
)

// The arms, the highlights and the chart.
var (
	// ArmLink is an arm's upper arm and forearm.
	ArmLink = RGB(0xc9, 0xd1, 0xdb)
	// ArmJoint is an arm's joints and the accent of an idle arm.
	ArmJoint = RGB(0x6f, 0x7b, 0x88)
	// ArmBase is the foot an arm stands on.
	ArmBase = RGB(0x39, 0x42, 0x4d)
	// ArmDown is the accent of an arm that is down.
	ArmDown = RGB(0xf0, 0x52, 0x4f)
	// ArmMove is the accent of a moving arm.
	ArmMove = RGB(0x2d, 0xb8, 0xc5)
	// Bottleneck marks the bottleneck station, and keys in the help.
	Bottleneck = RGB(0xff, 0xd8, 0x66)
	// Select marks what is selected.
	Select = RGB(0xff, 0xff, 0xff)
	// Target is the chart's target line.
	Target = RGB(0xff, 0xd8, 0x66)
	// ChartLine is the chart's throughput line.
	ChartLine = RGB(0x5b, 0xd3, 0x6f)
	// ChartArea fills the chart under its line.
	ChartArea = RGBA(0x3f, 0xb9, 0x50, 0x50)
)

// phaseColors are the colours of a station's servers by phase.
var phaseColors = [stations.NumPhases]color.RGBA{
	stations.Starved:     RGB(0xd9, 0xb4, 0x4a),
	stations.Loading:     RGB(0x2d, 0xb8, 0xc5),
	stations.Working:     RGB(0x3f, 0xb9, 0x50),
	stations.Unloading:   RGB(0x2d, 0xb8, 0xc5),
	stations.Blocked:     RGB(0x5b, 0x7c, 0xf5),
	stations.Down:        RGB(0xf0, 0x52, 0x4f),
	stations.Maintenance: RGB(0xa8, 0x7b, 0xe8),
	stations.Held:        RGB(0x8c, 0x96, 0xa3),
}

// Phase returns the colour a server in phase p is painted; a phase
// beyond the known ones (the twin's unknown) is TextFade.
func Phase(p stations.Phase) color.RGBA {
	if int(p) < len(phaseColors) {
		return phaseColors[p]
	}
	return TextFade
}

// Arm returns the accent of an arm in phase p (its joints and gripper).
func Arm(p robots.Phase) color.RGBA {
	switch p {
	case robots.Moving:
		return ArmMove
	case robots.Down:
		return ArmDown
	}
	return ArmJoint
}

// LegendEntry is one line of the state legend: a colour and what it means.
type LegendEntry struct {
	Label string
	Color color.RGBA
}

// Legend returns the station states in the order the legend shows them.
func Legend() [7]LegendEntry {
	return [...]LegendEntry{
		{"Working", phaseColors[stations.Working]},
		{"Loading / unloading", phaseColors[stations.Loading]},
		{"Starved (no input)", phaseColors[stations.Starved]},
		{"Blocked (output full)", phaseColors[stations.Blocked]},
		{"Down (failure)", phaseColors[stations.Down]},
		{"Maintenance", phaseColors[stations.Maintenance]},
		{"Held (by command)", phaseColors[stations.Held]},
	}
}

// RGB returns the opaque colour r, g, b.
func RGB(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 0xff} }

// RGBA returns a colour with straight (not premultiplied) alpha a,
// premultiplied.
func RGBA(r, g, b, a uint8) color.RGBA {
	return color.RGBA{uint8(uint16(r) * uint16(a) / 255), uint8(uint16(g) * uint16(a) / 255), uint8(uint16(b) * uint16(a) / 255), a}
}

// Fade returns c with its opacity multiplied by f (0 to 1); c is premultiplied.
func Fade(c color.RGBA, f float64) color.RGBA {
	f = clamp01(f)
	return color.RGBA{uint8(float64(c.R) * f), uint8(float64(c.G) * f), uint8(float64(c.B) * f), uint8(float64(c.A) * f)}
}

// Mix returns the blend of a and b: t=0 gives a, t=1 gives b.
func Mix(a, b color.RGBA, t float64) color.RGBA {
	t = clamp01(t)
	l := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t + 0.5) }
	return color.RGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), l(a.A, b.A)}
}

func clamp01(f float64) float64 { return min(max(f, 0), 1) }

// The wear of machines, the crew and the autopilot.
var (
	// HealthGood, HealthFair and HealthPoor are the colours of a health
	// bar at full health, half and used up; Health blends them.
	HealthGood = RGB(0x3f, 0xb9, 0x50)
	HealthFair = RGB(0xe8, 0xb3, 0x3a)
	HealthPoor = RGB(0xf0, 0x52, 0x4f)
	// HealthTrack is the empty part of a health bar.
	HealthTrack = RGB(0x0d, 0x11, 0x15)
	// Crew is a crew member on the floor.
	Crew = RGB(0xf2, 0x9f, 0xd8)
	// CrewBusy rings a crew member on a job.
	CrewBusy = RGB(0xff, 0xff, 0xff)
	// Applied, Recommended and Refused are the colours of an autopilot
	// decision applied, only recommended, and not applied (capped, held
	// or invalid); Operator is an operator's hold or release.
	Applied     = RGB(0x2d, 0xb8, 0xc5)
	Recommended = RGB(0xc9, 0xa2, 0xf7)
	Refused     = RGB(0xe0, 0x8a, 0x3c)
	Operator    = RGB(0xff, 0xd8, 0x66)
)

// Health returns the colour of a health (or condition) level h, 1 new and
// 0 used up: green above 0.5, through amber at 0.5, to red at 0.
func Health(h float64) color.RGBA {
	h = clamp01(h)
	if h >= 0.5 {
		return Mix(HealthFair, HealthGood, (h-0.5)*2)
	}
	return Mix(HealthPoor, HealthFair, h*2)
}
