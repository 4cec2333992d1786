package twin_test

import (
	"bytes"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// A snapshot shows when each station's photo-eyes and inspection last
// fired, the same whether the line writes a trace (the stations then tell
// the observer each time) or not (the stations keep the times themselves).
func TestSnapshotLastSensorTimes(t *testing.T) {
	spec, err := configs.Embedded(configs.Default)
	if err != nil {
		t.Fatal(err)
	}
	lean, err := twin.NewLine(spec, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	var trace bytes.Buffer
	traced, err := twin.NewLine(spec, 3, &trace)
	if err != nil {
		t.Fatal(err)
	}
	lean.RunFor(sim.Hour)
	traced.RunFor(sim.Hour)
	a, b := lean.Snapshot(), traced.Snapshot()
	if trace.Len() == 0 {
		t.Fatal("the traced line wrote no trace")
	}
	inspected := 0
	for i, ss := range a.Stations {
		tt := b.Stations[i]
		if ss.LastIn != tt.LastIn || ss.LastOut != tt.LastOut || ss.LastCheck != tt.LastCheck || ss.LastPass != tt.LastPass {
			t.Errorf("%s (copy %d): last in/out/check/pass %v %v %v %v without a trace, %v %v %v %v with one",
				ss.ID, ss.Line, ss.LastIn, ss.LastOut, ss.LastCheck, ss.LastPass, tt.LastIn, tt.LastOut, tt.LastCheck, tt.LastPass)
		}
		if ss.LastIn < 0 || ss.LastIn > a.Now || ss.LastOut < 0 || ss.LastOut > a.Now {
			t.Errorf("%s (copy %d): last in %v, last out %v; want both within the hour run", ss.ID, ss.Line, ss.LastIn, ss.LastOut)
		}
		if ss.Inspects {
			if ss.LastCheck < 0 {
				t.Errorf("%s (copy %d) inspects but shows no inspection in an hour", ss.ID, ss.Line)
			}
			inspected++
		} else if ss.LastCheck != -1 {
			t.Errorf("%s (copy %d) does not inspect but shows one at %v", ss.ID, ss.Line, ss.LastCheck)
		}
	}
	if inspected == 0 {
		t.Error("no station of the default factory inspects")
	}
}
