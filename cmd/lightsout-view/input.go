package main

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// overlayKeys are the keys that toggle each overlay, with their help text.
var overlayKeys = [scene.NumOverlays]struct {
	Key  keyDef
	Help string
}{
	scene.OverlayChart:      {keys("T", ebiten.KeyT), "throughput chart"},
	scene.OverlayDefects:    {keys("D", ebiten.KeyD), "defects: counts, heat, yield"},
	scene.OverlayOEE:        {keys("O", ebiten.KeyO), "OEE = A x P x Q"},
	scene.OverlayWIP:        {keys("W", ebiten.KeyW), "work in progress"},
	scene.OverlayClock:      {keys("K", ebiten.KeyK), "simulated clock"},
	scene.OverlaySpeed:      {keys("V", ebiten.KeyV), "speed, requested and real"},
	scene.OverlayBottleneck: {keys("N", ebiten.KeyN), "bottleneck highlight"},
	scene.OverlayLegend:     {keys("L", ebiten.KeyL), "legend"},
	scene.OverlayAutopilot:  {keys("G", ebiten.KeyG), "autopilot decisions: markers and list"},
}

// Input turns the keyboard and mouse into scene.Intents. It tracks drags
// across ticks. The zero value is ready to use.
type Input struct {
	pointer scene.Pointer
	chars   []rune
}

// Read returns this tick's intents.
func (in *Input) Read() scene.Intents {
	var it scene.Intents
	in.keys(&it, liveKeys())
	in.mouse(&it)
	return it
}

// keys reads the keys of windowKeys that steer the line and the view
// (those of lessons and replays: readPlayKeys; of the timeline, palette
// and fullscreen: readExtras).
func (in *Input) keys(it *scene.Intents, ks keyState) {
	it.Pause = ks.just(keySpace)
	it.Break = ks.just(keyBreak)
	it.Repair = ks.just(keyRepair)
	it.Hold = ks.just(keyHold)
	it.ResetStation = ks.just(keyResetSt)
	it.StationSlower = ks.just(keyStSlower)
	it.StationFaster = ks.just(keyStFaster)
	it.Reset = ks.just(keyReset)
	it.Quit = ks.just(keyQuit)
	it.Autopilot = ks.just(keyAutopilot)
	it.Deselect = ks.just(keyEsc)
	it.MaxSpeed = ks.just(keyMax)
	it.RealTime = ks.just(keyRealTime)
	it.Fit = ks.just(keyHome) || ks.just(keyZero)
	it.Help = ks.just(keyF1) || ks.just(keyH)
	it.Faster = ks.just(keyFaster) || ks.just(keyPageUp)
	it.Slower = ks.just(keySlower) || ks.just(keyPageDown)
	it.PanX, it.PanY = ks.pan(14)
	for o := range scene.NumOverlays {
		it.Toggle[o] = ks.just(overlayKeys[o].Key)
	}
	shift := ks.shift()
	in.chars = ebiten.AppendInputChars(in.chars[:0])
	for _, r := range in.chars {
		it.Type(r, shift)
	}
}

func (in *Input) mouse(it *scene.Intents) {
	x, y := ebiten.CursorPosition()
	_, it.Wheel = ebiten.Wheel()
	down := ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) ||
		ebiten.IsMouseButtonPressed(ebiten.MouseButtonRight) ||
		ebiten.IsMouseButtonPressed(ebiten.MouseButtonMiddle)
	in.pointer.Track(it, scene.Pt(float64(x), float64(y)), down, inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft))
}
