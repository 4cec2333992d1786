package main

import (
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
)

// A keyDef is one key of the window as the help and the docs name it,
// with the physical keys read as it (a numpad twin too) and the characters
// typed as it. Symbols are read as typed characters (see
// scene.Intents.Type), so that they work on any keyboard layout; a mouse
// gesture has neither.
type keyDef struct {
	Name  string
	Keys  []ebiten.Key
	Chars []rune
}

// keys returns a keyDef named name, read as the physical keys ks.
func keys(name string, ks ...ebiten.Key) keyDef { return keyDef{Name: name, Keys: ks} }

// typed returns a keyDef named name, typed as the characters cs.
func typed(name string, cs ...rune) keyDef { return keyDef{Name: name, Chars: cs} }

// The window's keys. The input reads these and no others (keys_test.go
// checks it), and windowKeys lists each of them for the help.
var (
	keySpace      = keys("Space", ebiten.KeySpace)
	keyEnter      = keys("Enter", ebiten.KeyEnter, ebiten.KeyNumpadEnter)
	keyFaster     = keyDef{Name: "+", Keys: []ebiten.Key{ebiten.KeyNumpadAdd}, Chars: []rune{'+', '='}}
	keySlower     = keyDef{Name: "-", Keys: []ebiten.Key{ebiten.KeyNumpadSubtract}, Chars: []rune{'-', '_'}}
	keyPageUp     = keys("PageUp", ebiten.KeyPageUp)
	keyPageDown   = keys("PageDown", ebiten.KeyPageDown)
	keyMax        = keys("M", ebiten.KeyM)
	keyRealTime   = keys("1", ebiten.Key1, ebiten.KeyNumpad1)
	keyStep       = typed(".", '.', '>')
	keyBack       = keys(",", ebiten.KeyComma)
	keyEnd        = keys("End", ebiten.KeyEnd)
	keyReset      = keys("R", ebiten.KeyR)
	keyBreak      = keys("B", ebiten.KeyB)
	keyRepair     = keys("F", ebiten.KeyF)
	keyShrink     = typed("[", '[', '{')
	keyGrow       = typed("]", ']', '}')
	keyHold       = keys("P", ebiten.KeyP)
	keyResetSt    = keys("C", ebiten.KeyC)
	keyStSlower   = keys("Z", ebiten.KeyZ)
	keyStFaster   = keys("X", ebiten.KeyX)
	keyAutopilot  = keys("A", ebiten.KeyA)
	keyArrows     = keys("arrows", ebiten.KeyArrowLeft, ebiten.KeyArrowRight, ebiten.KeyArrowUp, ebiten.KeyArrowDown)
	keyZero       = keys("0", ebiten.Key0, ebiten.KeyNumpad0)
	keyHome       = keys("Home", ebiten.KeyHome)
	keyTimeline   = keys("S", ebiten.KeyS)
	keySpan       = keys("E", ebiten.KeyE)
	keyPalette    = keys("Y", ebiten.KeyY)
	keyFullscreen = keys("F11", ebiten.KeyF11)
	keyQuestion   = typed("?", '?')
	keyH          = keys("H", ebiten.KeyH)
	keyF1         = keys("F1", ebiten.KeyF1)
	keyEsc        = keys("Esc", ebiten.KeyEscape)
	keyQuit       = keys("Q", ebiten.KeyQ)
	mouseClick    = keyDef{Name: "click"}
	mouseWheel    = keyDef{Name: "wheel"}
	mouseDrag     = keyDef{Name: "drag"}
)

// keyRow is a line of the help: its keys and what they do.
type keyRow struct {
	Keys []keyDef
	Does string
}

// Label returns the row's keys as the help shows them.
func (r keyRow) Label() string {
	names := make([]string, len(r.Keys))
	for i, k := range r.Keys {
		names[i] = k.Name
	}
	return strings.Join(names, "  ")
}

func row(does string, ks ...keyDef) keyRow { return keyRow{Keys: ks, Does: does} }

// overlayRows returns a row per overlay key, in overlayKeys' order.
func overlayRows() []keyRow {
	rows := make([]keyRow, len(overlayKeys))
	for o, k := range overlayKeys {
		rows[o] = row(k.Help, k.Key)
	}
	return rows
}

// windowKeys are every key of the window and what it does, in the help's
// two columns: the one list the help draws, and the one the README's and
// docs/lightsout-view.md's key tables follow (keys_test.go checks both,
// and that the input reads no key missing here).
var windowKeys = [2][]keyRow{{
	row("pause / resume", keySpace),
	row("faster / slower: 1x to 10,000x, max", keyFaster, keySlower),
	row("faster / slower, as + and -", keyPageUp, keyPageDown),
	row("max: as fast as the frame budget lets", keyMax),
	row("real time (1x)", keyRealTime),
	row("step 1 s while paused (Shift: 1 min)", keyStep),
	row("reset the line (same config and seed)", keyReset),
	row("select a station, a server or an arm", mouseClick),
	row("break / repair (fix) the selection", keyBreak, keyRepair),
	row("shrink / grow its input buffer (Shift: 5)", keyShrink, keyGrow),
	row("hold / unhold the station", keyHold),
	row("reset the station: repair all, unhold", keyResetSt),
	row("station slower / faster (x0.8 / x1.25)", keyStSlower, keyStFaster),
	row("hold / release the autopilot", keyAutopilot),
	row("lesson: go on after a pause, as Space", keyEnter),
	row("replay: step back 1 s (Shift: 1 min)", keyBack),
	row("replay: jump to the end", keyEnd),
}, append(append([]keyRow{
	row("zoom about the cursor", mouseWheel),
	row("pan", mouseDrag, keyArrows),
	row("fit the whole floor", keyZero, keyHome),
}, overlayRows()...),
	row("state timeline: phases, WIP, a buffer", keyTimeline),
	row("timeline span, 10 min to 8 h (Shift: back)", keySpan),
	row("colour-blind palette and state glyphs", keyPalette),
	row("fullscreen, on / off", keyFullscreen),
	row("this help", keyQuestion, keyH, keyF1),
	row("close help, or deselect", keyEsc),
	row("quit", keyQuit),
)}

// keyState reads the keyboard: the keys that went down this tick, and
// the keys held.
type keyState struct {
	justPressed, down func(ebiten.Key) bool
}

// liveKeys returns the keyboard's state as ebiten reports it.
func liveKeys() keyState {
	return keyState{justPressed: inpututil.IsKeyJustPressed, down: ebiten.IsKeyPressed}
}

// just reports whether any of k's keys went down this tick.
func (s keyState) just(k keyDef) bool {
	for _, key := range k.Keys {
		if s.justPressed(key) {
			return true
		}
	}
	return false
}

// shift reports whether Shift is held.
func (s keyState) shift() bool { return s.down(ebiten.KeyShift) }

// pan returns how far the arrow keys held move the view, in pixels.
func (s keyState) pan(step float64) (dx, dy float64) {
	for i, d := range [...]scene.Point{{X: step}, {X: -step}, {Y: step}, {Y: -step}} { // left, right, up, down
		if s.down(keyArrows.Keys[i]) {
			dx += d.X
			dy += d.Y
		}
	}
	return dx, dy
}
