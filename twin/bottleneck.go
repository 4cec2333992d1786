package twin

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/bottleneck"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// The line names its bottleneck by the active period method (package
// bottleneck), one detector per copy fed by the stations' changes of
// activity. Result names the average bottleneck since the statistics were
// reset; a Snapshot the average over the sliding window (BottleneckWindow,
// an hour unless set) and the momentary one. Both are what the view, the
// reports and the twin show.

// ActivityChanged implements stations.ActivityObserver.
func (o *observer) ActivityChanged(st *stations.Station, active bool) {
	o.l.bn[o.c].Set(o.eng.Now(), st.Index(), active)
}

// newDetectors gives every copy of the line a bottleneck detector with the
// sliding window w (bottleneck.DefaultWindow when 0).
func (l *Line) newDetectors(w sim.Time) {
	l.bn = make([]*bottleneck.Detector, l.spec.Lines)
	for c := range l.bn {
		l.bn[c] = bottleneck.New(len(l.spec.Stations), w, l.Now())
		l.spread()
	}
	n := len(l.spec.Stations)
	l.bnSole, l.bnShift = make([]float64, n), make([]float64, n)
}

// SetBottleneckWindow sets the sliding window the snapshot's average
// bottleneck is taken over (at least a minute), and starts the window
// afresh; the total since the reset, which the Result names, is kept only
// when the window does not change. It returns an error for a window under
// a minute.
func (l *Line) SetBottleneckWindow(w sim.Time) error {
	if w < sim.Minute {
		return fmt.Errorf("bottleneck window %v: want at least 1m", w)
	}
	if w == l.bn[0].Window() {
		return nil
	}
	old := l.bn
	l.newDetectors(w)
	for c, d := range old {
		for i := range l.spec.Stations {
			if d.Active(i) {
				l.bn[c].Set(l.Now(), i, true)
			}
		}
	}
	return nil
}

// BottleneckWindow returns the sliding window of the snapshot's average
// bottleneck.
func (l *Line) BottleneckWindow() sim.Time { return l.bn[0].Window() }

// bottleneckShares fills l.bnSole and l.bnShift with each station's share
// of time as sole and as shifting bottleneck over every copy, over the
// sliding window (total: since the reset), and returns the average
// bottleneck (bottleneck.None when there is none).
func (l *Line) bottleneckShares(total bool) int {
	clear(l.bnSole)
	clear(l.bnShift)
	now := l.Now()
	var span float64
	for _, d := range l.bn {
		if total {
			span += d.TotalShares(now, l.bnSole, l.bnShift)
		} else {
			span += d.WindowShares(now, l.bnSole, l.bnShift)
		}
	}
	for i := range l.bnSole {
		l.bnSole[i] = ratio(l.bnSole[i], span)
		l.bnShift[i] = ratio(l.bnShift[i], span)
	}
	return bottleneck.Average(l.bnSole, l.bnShift)
}
