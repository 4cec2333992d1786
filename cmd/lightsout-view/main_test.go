package main

import (
	"os"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
)

// TestMain runs the tests inside a running ebiten game: ebiten reads
// pixels back only while RunGame runs, so the first Update runs every test
// (the pure ones too) and ends the game. It needs an X display: run it
// under xvfb-run -a -s "-screen 0 1280x800x24". The view's logic that
// needs no display is tested in its packages scene, palette, mesh and
// twinmode.
func TestMain(m *testing.M) {
	code := 1
	r := &testRunner{run: func() { code = m.Run() }}
	ebiten.SetWindowSize(320, 240)
	ebiten.SetWindowTitle("lightsout-view tests")
	if err := ebiten.RunGame(r); err != nil {
		os.Stderr.WriteString("ebiten: " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Exit(code)
}

// testRunner is the game TestMain runs: its first Update runs the tests.
type testRunner struct {
	run  func()
	done bool
}

func (r *testRunner) Update() error {
	if !r.done {
		r.done = true
		r.run()
	}
	return ebiten.Termination
}

func (r *testRunner) Draw(*ebiten.Image) {}

func (r *testRunner) Layout(int, int) (int, int) { return 320, 240 }
