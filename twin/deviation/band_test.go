package deviation

import (
	"math"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// One event per excursion: the output's path goes inside, below, stays
// below, returns, goes above, crosses straight below.
func TestOutputBandExcursions(t *testing.T) {
	o := NewOutputBand("line1")
	band := Band{P10: 100, P90: 120}
	steps := []struct {
		output float64
		band   Band
		want   string // reason of the event, "" for none
		side   int
	}{
		{110, band, "", 0},
		{100, band, "", 0}, // edges are inside
		{99, band, "good output 99 is below the forecast band [100, 120] (P10)", -1},
		{90, band, "", -1},
		{95, Band{P10: 90, P90: 110}, "", 0}, // back inside a new forecast
		{121, band, "good output 121 is above the forecast band [100, 120] (P90)", 1},
		{130, band, "", 1},
		{50, band, "good output 50 is below the forecast band [100, 120] (P10)", -1},
		{math.NaN(), band, "", -1},              // ignored
		{110, Band{P10: 130, P90: 120}, "", -1}, // inverted band ignored
		{110, band, "", 0},
	}
	var events []Event
	for i, st := range steps {
		e, ok := o.Observe(sim.Time(i)*sim.Minute, st.output, st.band)
		got := ""
		if ok {
			got = e.Reason
			events = append(events, e)
		}
		if got != st.want || o.Outside() != st.side {
			t.Errorf("step %d (output %v): event %q side %d, want %q side %d", i, st.output, got, o.Outside(), st.want, st.side)
		}
	}
	if len(events) != 3 || events[0].Limit != 100 || events[1].Limit != 120 || events[1].Value != 121 ||
		events[1].Device != "line1" || events[1].Kind != OutputOutsideBand || events[1].Time != 5*sim.Minute {
		t.Errorf("events:\n%v", strings.Join(func() []string {
			var s []string
			for _, e := range events {
				s = append(s, e.String())
			}
			return s
		}(), "\n"))
	}
}
