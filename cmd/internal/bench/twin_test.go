package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestRunTwinMeasuresTheHost(t *testing.T) {
	spec, err := configs.Embedded("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	opt := DefaultTwinOptions()
	opt.Config, opt.Spec, opt.Lines, opt.Duration, opt.LagFor, opt.Speed = "demo-line", spec, 3, 5*sim.Minute, time.Second, 60
	rep, err := RunTwin(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteTwinJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var r TwinReport
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("output is not one twin bench report: %v\n%s", err, buf.String())
	}
	in, l, m := r.Ingest, r.Lag, r.Memory
	// Each of the 3 nodes publishes its births (1 NBIRTH, 8 DBIRTHs) and
	// then data every step.
	if r.Lines != 3 || in.Messages < 3*9+300 || !(in.MessagesPerSecond > 0) || !(in.BusyS > 0) || in.SimulatedS != 300 || in.Rebirths != 0 {
		t.Errorf("ingest = %+v", in)
	}
	if l.Messages == 0 || !(l.P50Ms > 0) || l.P99Ms < l.P50Ms || l.MaxMs < l.P99Ms || l.Speed != 60 || l.Rebirths != 0 {
		t.Errorf("lag = %+v", l)
	}
	if m.Peak.Bytes == 0 || m.HeapInUse == 0 || m.MirrorBytes <= 0 {
		t.Errorf("memory = %+v", m)
	}
	buf.Reset()
	if err := WriteTwinText(&buf, rep); err != nil {
		t.Fatal(err)
	}
	for _, label := range []string{"machine", "lines", "ingest", "lag", "memory"} {
		if !strings.Contains(buf.String(), "\n"+label+" ") && !strings.HasPrefix(buf.String(), label+" ") {
			t.Errorf("no %q line in\n%s", label, buf.String())
		}
	}
}

func TestRunTwinRefusesBadOptions(t *testing.T) {
	_, err := RunTwin(context.Background(), TwinOptions{Lines: 0, Speed: -1})
	for _, want := range []string{"no line", "0 lines", "unpaced run", "paced run"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to say %q", err, want)
		}
	}
}
