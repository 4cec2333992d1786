package edge_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

func TestUpdateWithNothingChanged(t *testing.T) {
	f := MustFixture(t, "demo-line", 0)
	f.step(t, sim.Minute)
	msgs, err := f.node.Update(f.now())
	if err != nil || len(msgs) != 0 {
		t.Fatalf("Update at the same time: %d messages, %v", len(msgs), err)
	}
}

func TestSeqIncrementsAndWraps(t *testing.T) {
	f := MustFixture(t, "demo-line", 0)
	want := uint64(1 + len(f.line.Spec().Stations) + len(f.line.Spec().Arms)) // after the births
	wrapped := false
	var p sparkplug.Payload
	for range 200 {
		for _, m := range f.step(t, 2*sim.Second) {
			if err := sparkplug.Unmarshal(m.Payload, &p); err != nil {
				t.Fatal(err)
			}
			if !p.HasSeq || p.Seq != want%256 {
				t.Fatalf("%s seq = %d, want %d", m.Topic, p.Seq, want%256)
			}
			wrapped = wrapped || want%256 == 0
			want++
		}
	}
	if !wrapped {
		t.Fatalf("seq never wrapped (%d messages)", want)
	}
	if st := f.host.Stats(); st.SeqGaps != 0 {
		t.Errorf("host saw %d seq gaps", st.SeqGaps)
	}
	f.checkMirror(t)
}

func TestMetricTimestampsAreSimulatedTime(t *testing.T) {
	f := MustFixture(t, "demo-line", 0)
	f.step(t, 90*sim.Second)
	m, _ := f.host.Metric(group, f.id, "", packml.MetricSimTime)
	if m.Timestamp != epoch+90_000 {
		t.Errorf("timestamp = %d, want epoch + 90 s", m.Timestamp)
	}
}

func TestNewRejects(t *testing.T) {
	spec, err := configs.Embedded("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	line, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []edge.Config{
		{Group: "", EdgeNode: "n"},
		{Group: "g", EdgeNode: "a/b"},
		{Group: "g+", EdgeNode: "n"},
		{Group: "g", EdgeNode: "n", Copy: 1},
		{Group: "g", EdgeNode: "n", Copy: -1},
	} {
		if _, err := edge.New(line, cfg); err == nil {
			t.Errorf("New(%+v) gave no error", cfg)
		}
	}
	if _, err := edge.New(nil, edge.Config{Group: "g", EdgeNode: "n"}); err == nil {
		t.Error("New(nil) gave no error")
	}
	n, err := edge.New(line, edge.Config{Group: "g", EdgeNode: "n"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Birth(0); err == nil {
		t.Error("Birth before Connect gave no error")
	}
	if _, err := n.Update(0); err == nil {
		t.Error("Update before Birth gave no error")
	}
}
