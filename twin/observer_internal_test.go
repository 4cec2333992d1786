package twin

import (
	"reflect"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
)

// The stations' callbacks are the observer's, not Line's API, and the
// observer tells the stations to skip the sensor-only calls when there is
// no trace.
func TestObserverIsNotLineAPI(t *testing.T) {
	obs := reflect.TypeFor[stations.Observer]()
	line := reflect.TypeFor[*Line]()
	for i := range obs.NumMethod() {
		if m, ok := line.MethodByName(obs.Method(i).Name); ok {
			t.Errorf("*Line has the observer method %s", m.Name)
		}
	}
	if _, ok := line.MethodByName("Detailed"); ok {
		t.Error("*Line has the observer method Detailed")
	}
	var o any = (*observer)(&lineCopy{l: &Line{}})
	sel, ok := o.(stations.Selective)
	if !ok {
		t.Fatal("observer does not implement stations.Selective: the stations would make every call")
	}
	if sel.Detailed() {
		t.Error("a line without a trace asks for detailed calls")
	}
}
