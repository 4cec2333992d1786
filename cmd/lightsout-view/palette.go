package main

import (
	"image/color"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
)

// The palette: a dark floor, calm panels, and one saturated hue per state
// so a machine's state reads at a glance. Defects are pink everywhere
// (units, heat, counts), the bottleneck gold, sensors red when they fire.
var (
	colScreen   = rgb(0x0f, 0x12, 0x16)
	colFloor    = rgb(0x17, 0x1c, 0x22)
	colFloorDot = rgb(0x21, 0x27, 0x2f)
	colBlock    = rgb(0x1c, 0x22, 0x29)
	colBlockEdg = rgb(0x2a, 0x32, 0x3c)
	colPanel    = rgba(0x1b, 0x21, 0x28, 0xf2)
	colPanelEdg = rgb(0x33, 0x3d, 0x49)
	colText     = rgb(0xe6, 0xea, 0xf0)
	colTextDim  = rgb(0x8d, 0x99, 0xa6)
	colTextFade = rgb(0x5c, 0x67, 0x73)

	colTrack    = rgb(0x2b, 0x33, 0x3d)
	colTrackEdg = rgb(0x39, 0x43, 0x4f)
	colTray     = rgb(0x22, 0x29, 0x31)
	colTrayEdg  = rgb(0x46, 0x51, 0x5e)
	colTrayFull = rgb(0xe0, 0x8a, 0x3c)
	colSlot     = rgb(0x2c, 0x34, 0x3e)
	colMachine  = rgb(0x0d, 0x11, 0x15)
	colUnit     = rgb(0xdd, 0xe3, 0xea)
	colUnitEdge = rgb(0x7b, 0x86, 0x92)
	colDefect   = rgb(0xff, 0x5c, 0xa8)
	colProgress = rgba(0x0d, 0x11, 0x15, 0x99)

	colOvenBody = rgb(0x2a, 0x1f, 0x1c)
	colOvenHeat = rgb(0xb8, 0x4a, 0x2a)
	colOvenBelt = rgb(0x3a, 0x40, 0x48)

	colEyeIdle  = rgb(0x4a, 0x55, 0x63)
	colEyeFired = rgb(0xff, 0x3b, 0x3b)
	colPass     = rgb(0x54, 0xe3, 0x7a)
	colFail     = rgb(0xff, 0x4d, 0x6d)

	colArmLink  = rgb(0xc9, 0xd1, 0xdb)
	colArmJoint = rgb(0x6f, 0x7b, 0x88)
	colArmBase  = rgb(0x39, 0x42, 0x4d)
	colArmDown  = rgb(0xf0, 0x52, 0x4f)
	colArmMove  = rgb(0x2d, 0xb8, 0xc5)

	colBottleneck = rgb(0xff, 0xd8, 0x66)
	colSelect     = rgb(0xff, 0xff, 0xff)
	colShip       = rgb(0x2f, 0x81, 0xf7)
	colScrap      = rgb(0x8f, 0x3b, 0x47)
	colTarget     = rgb(0xff, 0xd8, 0x66)
	colChartLine  = rgb(0x5b, 0xd3, 0x6f)
	colChartArea  = rgba(0x3f, 0xb9, 0x50, 0x50)
	colGrid       = rgb(0x2a, 0x32, 0x3c)
)

// State colours of a station's servers.
var phaseColors = [stations.NumPhases]color.RGBA{
	stations.Starved:     rgb(0xd9, 0xb4, 0x4a),
	stations.Loading:     rgb(0x2d, 0xb8, 0xc5),
	stations.Working:     rgb(0x3f, 0xb9, 0x50),
	stations.Unloading:   rgb(0x2d, 0xb8, 0xc5),
	stations.Blocked:     rgb(0x5b, 0x7c, 0xf5),
	stations.Down:        rgb(0xf0, 0x52, 0x4f),
	stations.Maintenance: rgb(0xa8, 0x7b, 0xe8),
}

// PhaseColor returns the colour a server in phase p is painted.
func PhaseColor(p stations.Phase) color.RGBA {
	if int(p) < len(phaseColors) {
		return phaseColors[p]
	}
	return colTextFade
}

// ArmColor returns the accent of an arm in phase p (its joints and gripper).
func ArmColor(p robots.Phase) color.RGBA {
	switch p {
	case robots.Moving:
		return colArmMove
	case robots.Down:
		return colArmDown
	}
	return colArmJoint
}

// legendEntry is one line of the state legend.
type legendEntry struct {
	Label string
	Color color.RGBA
}

// stateLegend lists the station states in the order the legend shows them.
var stateLegend = []legendEntry{
	{"Working", phaseColors[stations.Working]},
	{"Loading / unloading", phaseColors[stations.Loading]},
	{"Starved (no input)", phaseColors[stations.Starved]},
	{"Blocked (output full)", phaseColors[stations.Blocked]},
	{"Down (failure)", phaseColors[stations.Down]},
	{"Maintenance", phaseColors[stations.Maintenance]},
}

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 0xff} }

// rgba returns a colour with straight (not premultiplied) alpha a.
func rgba(r, g, b, a uint8) color.RGBA {
	return color.RGBA{uint8(uint16(r) * uint16(a) / 255), uint8(uint16(g) * uint16(a) / 255), uint8(uint16(b) * uint16(a) / 255), a}
}

// fade returns c with its opacity multiplied by f (0 to 1); c is premultiplied.
func fade(c color.RGBA, f float64) color.RGBA {
	f = clamp01(f)
	return color.RGBA{uint8(float64(c.R) * f), uint8(float64(c.G) * f), uint8(float64(c.B) * f), uint8(float64(c.A) * f)}
}

// mix returns the opaque blend of a and b: t=0 gives a, t=1 gives b.
func mix(a, b color.RGBA, t float64) color.RGBA {
	t = clamp01(t)
	l := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t + 0.5) }
	return color.RGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), l(a.A, b.A)}
}

func clamp01(f float64) float64 { return min(max(f, 0), 1) }
