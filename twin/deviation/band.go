package deviation

import (
	"fmt"
	"math"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Band is a forecast band for cumulative good output at some time: the
// forecast's 10th and 90th percentiles.
type Band struct {
	P10, P90 float64
}

// OutputBand flags cumulative good output that leaves the forecast band,
// once per excursion: an event when the output first falls below P10 or
// rises above P90, nothing more until it returns inside the band (or crosses
// straight to the other side, which is a new excursion). The zero value
// watches an unnamed scope; set Device or use NewOutputBand. Not safe for
// concurrent use.
type OutputBand struct {
	// Device names what the output belongs to (a line or a station).
	Device string
	side   int8 // -1 below, 0 inside, +1 above
}

// NewOutputBand returns a band watcher for device.
func NewOutputBand(device string) *OutputBand { return &OutputBand{Device: device} }

// Outside reports whether the last observation was outside its band, and on
// which side (-1 below P10, +1 above P90, 0 inside).
func (o *OutputBand) Outside() int { return int(o.side) }

// Observe compares output at time t with band. It returns an event when an
// excursion starts. A band with P10 > P90 or NaN values is ignored (no
// event, state kept). The band's edges are inside it.
func (o *OutputBand) Observe(t sim.Time, output float64, band Band) (Event, bool) {
	if math.IsNaN(output) || math.IsNaN(band.P10) || math.IsNaN(band.P90) || band.P10 > band.P90 {
		return Event{}, false
	}
	var side int8
	switch {
	case output < band.P10:
		side = -1
	case output > band.P90:
		side = 1
	}
	if side == o.side {
		return Event{}, false
	}
	o.side = side
	if side == 0 {
		return Event{}, false
	}
	edge, dir, word := band.P10, "below", "P10"
	if side > 0 {
		edge, dir, word = band.P90, "above", "P90"
	}
	return Event{
		Time:   t,
		Device: o.Device,
		Kind:   OutputOutsideBand,
		Reason: fmt.Sprintf("good output %.0f is %s the forecast band [%.0f, %.0f] (%s)", output, dir, band.P10, band.P90, word),
		Value:  output,
		Limit:  edge,
	}, true
}
