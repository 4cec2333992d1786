package twintest

import "github.com/lightsout-sim/lightsout/twin/mirror"

// A HeldSource is a forecast.Source that holds every view of its mirror
// until released: a test holds a forecast at its start, without timing.
// Entered receives once a forecast asks for a view (it holds one signal;
// more are dropped). Release lets every view, waiting or to come, go.
type HeldSource struct {
	Mirror  *mirror.Mirror
	Entered chan struct{}
	release chan struct{}
}

// NewHeldSource returns a held source of m.
func NewHeldSource(m *mirror.Mirror) *HeldSource {
	return &HeldSource{Mirror: m, Entered: make(chan struct{}, 1), release: make(chan struct{})}
}

// View implements forecast.Source: it signals Entered, then waits for
// Release.
func (s *HeldSource) View() mirror.View {
	select {
	case s.Entered <- struct{}{}:
	default:
	}
	<-s.release
	return s.Mirror.View()
}

// Release lets every view go; call it once.
func (s *HeldSource) Release() { close(s.release) }
