package main

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// overlayKeys are the keys that toggle each overlay, with their help text.
var overlayKeys = [scene.NumOverlays]struct {
	Key  ebiten.Key
	Name string
	Help string
}{
	scene.OverlayChart:      {ebiten.KeyT, "T", "throughput chart"},
	scene.OverlayDefects:    {ebiten.KeyD, "D", "defects: counts, heat, yield"},
	scene.OverlayOEE:        {ebiten.KeyO, "O", "OEE = A x P x Q"},
	scene.OverlayWIP:        {ebiten.KeyW, "W", "work in progress"},
	scene.OverlayClock:      {ebiten.KeyK, "K", "simulated clock"},
	scene.OverlaySpeed:      {ebiten.KeyV, "V", "speed, requested and real"},
	scene.OverlayBottleneck: {ebiten.KeyN, "N", "bottleneck highlight"},
	scene.OverlayLegend:     {ebiten.KeyL, "L", "legend"},
	scene.OverlayAutopilot:  {ebiten.KeyG, "G", "autopilot decisions: markers and list"},
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
	in.keys(&it)
	in.mouse(&it)
	return it
}

func (in *Input) keys(it *scene.Intents) {
	just := inpututil.IsKeyJustPressed
	it.Pause = just(ebiten.KeySpace)
	it.Break = just(ebiten.KeyB)
	it.Repair = just(ebiten.KeyF)
	it.Hold = just(ebiten.KeyP)
	it.ResetStation = just(ebiten.KeyC)
	it.StationSlower = just(ebiten.KeyZ)
	it.StationFaster = just(ebiten.KeyX)
	it.Reset = just(ebiten.KeyR)
	it.Quit = just(ebiten.KeyQ)
	it.Autopilot = just(ebiten.KeyA)
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
	for o := range scene.NumOverlays {
		it.Toggle[o] = just(overlayKeys[o].Key)
	}
	shift := ebiten.IsKeyPressed(ebiten.KeyShift)
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
