package main

import "github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"

// extras is what the game keeps for the state timeline, recordings, the
// UI scale and the palette choice, apart from the rest of Game.
type extras struct {
	detailRect scene.Rect // where the detail panel was last drawn
}
