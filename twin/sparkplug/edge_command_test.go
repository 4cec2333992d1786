package sparkplug_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/sparkplugtest"
)

func TestEdgeCommands(t *testing.T) {
	s := sparkplugtest.NewEdge(t, 0)
	sparkplugtest.ConnectAndBirth(t, s, t0)
	t.Run("DCMD by name and alias", func(t *testing.T) {
		alias, _ := s.Alias(sparkplugtest.Must(s.Lookup("printer", "Cycle Time")))
		p := &sparkplug.Payload{Timestamp: t0, Metrics: []sparkplug.Metric{
			{Name: "PackML/State", Value: sparkplugtest.Untyped(t, sparkplug.StringValue("Held"))},
			{Alias: alias, HasAlias: true, Value: sparkplugtest.Untyped(t, sparkplug.DoubleValue(3.5))},
		}}
		res, err := s.HandleCommand(sparkplug.DeviceTopic(sparkplugtest.Group, sparkplug.DCMD, sparkplugtest.EdgeNode, "printer"), p, t0)
		if err != nil || len(res.Messages) != 0 || len(res.Writes) != 2 {
			t.Fatalf("HandleCommand = %+v, %v", res, err)
		}
		if w := res.Writes[0]; w.Name != "PackML/State" || w.Device != "printer" || w.Value != sparkplug.StringValue("Held") {
			t.Errorf("write 0 = %+v", w)
		}
		if w := res.Writes[1]; w.Name != "Cycle Time" || w.Value != sparkplug.DoubleValue(3.5) {
			t.Errorf("write 1 = %+v", w)
		}
	})
	t.Run("tck-id-operational-behavior-data-commands-dcmd-metric-value", func(t *testing.T) {
		// Unknown names and incompatible values are protocol errors; the
		// rest still applies.
		p := &sparkplug.Payload{Metrics: []sparkplug.Metric{
			{Name: "No Such Metric", Value: sparkplug.BooleanValue(true)},
			{Name: "PackML/StateNumber", Value: sparkplugtest.Untyped(t, sparkplug.StringValue("x"))},
			{Name: "Running", Value: sparkplug.BooleanValue(true)},
		}}
		res, err := s.HandleCommand(sparkplug.DeviceTopic(sparkplugtest.Group, sparkplug.DCMD, sparkplugtest.EdgeNode, "oven"), p, t0)
		if !errors.Is(err, sparkplug.ErrProtocol) || !errors.Is(err, sparkplug.ErrBadCommand) {
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
		state, _ := s.Alias(sparkplugtest.Must(s.Lookup("printer", "PackML/State")))
		cycle, _ := s.Alias(sparkplugtest.Must(s.Lookup("printer", "Cycle Time")))
		p := &sparkplug.Payload{Metrics: []sparkplug.Metric{
			{Name: "PackML/State", Alias: state, HasAlias: true, Datatype: sparkplug.String, Value: sparkplug.StringValue("Held")},
			{Name: "PackML/State", Alias: cycle, HasAlias: true, Datatype: sparkplug.String, Value: sparkplug.StringValue("Idle")},
			{Name: "Cycle Time", Alias: cycle, HasAlias: true, Datatype: sparkplug.Float, Value: sparkplug.FloatValue(3)},
			{Alias: cycle, HasAlias: true, Datatype: sparkplug.Double, Value: sparkplug.DoubleValue(4)},
		}}
		res, err := s.HandleCommand(sparkplug.DeviceTopic(sparkplugtest.Group, sparkplug.DCMD, sparkplugtest.EdgeNode, "printer"), p, t0)
		if !errors.Is(err, sparkplug.ErrBadCommand) || !strings.Contains(err.Error(), "metrics[1]") {
			t.Fatalf("err = %v, want the disagreeing name and alias of metrics[1] reported", err)
		}
		want := []sparkplug.Write{
			{Metric: sparkplugtest.Must(s.Lookup("printer", "PackML/State")), Device: "printer", Name: "PackML/State", Value: sparkplug.StringValue("Held")},
			{Metric: sparkplugtest.Must(s.Lookup("printer", "Cycle Time")), Device: "printer", Name: "Cycle Time", Value: sparkplug.DoubleValue(4)},
		}
		if !reflect.DeepEqual(res.Writes, want) {
			t.Fatalf("writes %+v, want %+v (the Float for a Double metric skipped)", res.Writes, want)
		}
	})
	t.Run("command for another node", func(t *testing.T) {
		_, err := s.HandleCommand(sparkplug.NodeTopic(sparkplugtest.Group, sparkplug.NCMD, "line-2"), &sparkplug.Payload{}, t0)
		if !errors.Is(err, sparkplug.ErrBadCommand) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("rebirth by name, as a host sends it", func(t *testing.T) {
		// Node Control/Rebirth has no alias: a host asks by name. A request
		// by name is honoured whatever alias comes with it (a host may hold
		// aliases of an older birth). The host's own request is checked in
		// twin/sparkplug/host (TestCommandRebirth).
		for name, p := range map[string]*sparkplug.Payload{
			"name":            {Metrics: []sparkplug.Metric{{Name: sparkplug.RebirthMetric, Datatype: sparkplug.Boolean, Value: sparkplug.BooleanValue(true)}}},
			"name, old alias": {Metrics: []sparkplug.Metric{{Name: sparkplug.RebirthMetric, Alias: 77, HasAlias: true, Value: sparkplug.BooleanValue(true)}}},
		} {
			res, err := s.HandleCommand(sparkplug.NodeTopic(sparkplugtest.Group, sparkplug.NCMD, sparkplugtest.EdgeNode), p, t0)
			if err != nil || len(res.Messages) != 3 || res.Messages[0].Topic.Type != sparkplug.NBIRTH || len(res.Writes) != 0 {
				t.Errorf("rebirth by %s: %d messages, writes %+v, %v", name, len(res.Messages), res.Writes, err)
			}
		}
	})
	t.Run("rebirth false is ignored", func(t *testing.T) {
		p := &sparkplug.Payload{Metrics: []sparkplug.Metric{{Name: sparkplug.RebirthMetric, Value: sparkplug.BooleanValue(false)}}}
		res, err := s.HandleCommand(sparkplug.NodeTopic(sparkplugtest.Group, sparkplug.NCMD, sparkplugtest.EdgeNode), p, t0)
		if err != nil || len(res.Messages) != 0 || len(res.Writes) != 0 {
			t.Fatalf("HandleCommand = %+v, %v", res, err)
		}
	})
}
