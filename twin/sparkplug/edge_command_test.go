package sparkplug

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestEdgeCommands(t *testing.T) {
	s := newTestEdge(t, 0)
	connectAndBirth(t, s, t0)
	t.Run("DCMD by name and alias", func(t *testing.T) {
		alias, _ := s.Alias(must(s.Lookup("printer", "Cycle Time")))
		p := &Payload{Timestamp: t0, Metrics: []Metric{
			{Name: "PackML/State", Value: Value{kind: kindString, str: "Held"}},
			{Alias: alias, HasAlias: true, Value: Value{kind: kindDouble, bits: DoubleValue(3.5).bits}},
		}}
		res, err := s.HandleCommand(DeviceTopic(testGroup, DCMD, testNode, "printer"), p, t0)
		if err != nil || len(res.Messages) != 0 || len(res.Writes) != 2 {
			t.Fatalf("HandleCommand = %+v, %v", res, err)
		}
		if w := res.Writes[0]; w.Name != "PackML/State" || w.Device != "printer" || w.Value != StringValue("Held") {
			t.Errorf("write 0 = %+v", w)
		}
		if w := res.Writes[1]; w.Name != "Cycle Time" || w.Value != DoubleValue(3.5) {
			t.Errorf("write 1 = %+v", w)
		}
	})
	t.Run("tck-id-operational-behavior-data-commands-dcmd-metric-value", func(t *testing.T) {
		// Unknown names and incompatible values are protocol errors; the
		// rest still applies.
		p := &Payload{Metrics: []Metric{
			{Name: "No Such Metric", Value: BooleanValue(true)},
			{Name: "PackML/StateNumber", Value: Value{kind: kindString, str: "x"}},
			{Name: "Running", Value: BooleanValue(true)},
		}}
		res, err := s.HandleCommand(DeviceTopic(testGroup, DCMD, testNode, "oven"), p, t0)
		if !errors.Is(err, ErrProtocol) || !errors.Is(err, ErrBadCommand) {
			t.Fatalf("err = %v", err)
		}
		if len(res.Writes) != 1 || res.Writes[0].Name != "Running" {
			t.Fatalf("writes %+v", res.Writes)
		}
	})
	t.Run("name, alias and datatype must agree", func(t *testing.T) {
		// A command may give name, alias and datatype together (our host
		// does, as Tahu-based applications need); they must all describe
		// the same metric.
		state, _ := s.Alias(must(s.Lookup("printer", "PackML/State")))
		cycle, _ := s.Alias(must(s.Lookup("printer", "Cycle Time")))
		p := &Payload{Metrics: []Metric{
			{Name: "PackML/State", Alias: state, HasAlias: true, Datatype: String, Value: StringValue("Held")},
			{Name: "PackML/State", Alias: cycle, HasAlias: true, Datatype: String, Value: StringValue("Idle")},
			{Name: "Cycle Time", Alias: cycle, HasAlias: true, Datatype: Float, Value: FloatValue(3)},
			{Alias: cycle, HasAlias: true, Datatype: Double, Value: DoubleValue(4)},
		}}
		res, err := s.HandleCommand(DeviceTopic(testGroup, DCMD, testNode, "printer"), p, t0)
		if !errors.Is(err, ErrBadCommand) || !strings.Contains(err.Error(), "metrics[1]") {
			t.Fatalf("err = %v, want the disagreeing name and alias of metrics[1] reported", err)
		}
		want := []Write{
			{Metric: must(s.Lookup("printer", "PackML/State")), Device: "printer", Name: "PackML/State", Value: StringValue("Held")},
			{Metric: must(s.Lookup("printer", "Cycle Time")), Device: "printer", Name: "Cycle Time", Value: DoubleValue(4)},
		}
		if !reflect.DeepEqual(res.Writes, want) {
			t.Fatalf("writes %+v, want %+v (the Float for a Double metric skipped)", res.Writes, want)
		}
	})
	t.Run("command for another node", func(t *testing.T) {
		_, err := s.HandleCommand(NodeTopic(testGroup, NCMD, "line-2"), &Payload{}, t0)
		if !errors.Is(err, ErrBadCommand) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("rebirth by name, as the host sends it", func(t *testing.T) {
		// Node Control/Rebirth has no alias: a host asks by name. A request
		// by name is honoured whatever alias comes with it (a host may hold
		// aliases of an older birth).
		host := NewHostSession(HostConfig{})
		_, births := connectAndBirth(t, s, t0)
		deliver(t, host, t0, births...)
		fromHost, err := host.Command(testGroup, testNode, "", t0, NamedValue{Name: RebirthMetric, Value: BooleanValue(true)})
		if err != nil {
			t.Fatal(err)
		}
		for name, p := range map[string]*Payload{
			"name":                {Metrics: []Metric{{Name: RebirthMetric, Datatype: Boolean, Value: BooleanValue(true)}}},
			"name, old alias":     {Metrics: []Metric{{Name: RebirthMetric, Alias: 77, HasAlias: true, Value: BooleanValue(true)}}},
			"HostSession.Command": decodeMessage(t, fromHost),
		} {
			res, err := s.HandleCommand(NodeTopic(testGroup, NCMD, testNode), p, t0)
			if err != nil || len(res.Messages) != 3 || res.Messages[0].Topic.Type != NBIRTH || len(res.Writes) != 0 {
				t.Errorf("rebirth by %s: %d messages, writes %+v, %v", name, len(res.Messages), res.Writes, err)
			}
		}
		if m := metricNamed(t, decodeMessage(t, fromHost), RebirthMetric); m.HasAlias || m.Datatype != Boolean {
			t.Errorf("host's rebirth command %+v, want the name, no alias, and Boolean", m)
		}
	})
	t.Run("rebirth false is ignored", func(t *testing.T) {
		p := &Payload{Metrics: []Metric{{Name: RebirthMetric, Value: BooleanValue(false)}}}
		res, err := s.HandleCommand(NodeTopic(testGroup, NCMD, testNode), p, t0)
		if err != nil || len(res.Messages) != 0 || len(res.Writes) != 0 {
			t.Fatalf("HandleCommand = %+v, %v", res, err)
		}
	})
}
