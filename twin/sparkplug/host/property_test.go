package host

import (
	"math/rand/v2"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/sparkplugtest"
)

// TestMirrorConvergesUnderLoss drives an edge node through random changes,
// device deaths and births, reconnects and lost messages, feeding the
// host's rebirth requests back to it. Whatever was lost, once messages flow
// again the host asks for a rebirth and its mirror equals the edge node's
// current values.
func TestMirrorConvergesUnderLoss(t *testing.T) {
	var total Stats
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		edge := sparkplugtest.NewEdge(t, uint8(seed))
		host := NewSession(Config{RebirthInterval: 1, RebirthBurst: 1 << 20}) // no overall budget: rebirths are what makes it converge
		now := t0
		var pendingWill sparkplug.Message
		// ovenBorn follows the oven's DBIRTHs and DDEATHs in the order the
		// edge node builds them (all go through send): whether it may
		// report data, and whether it dies or is born next.
		ovenBorn := false
		var send func(msgs []sparkplug.Message, lossy bool)
		send = func(msgs []sparkplug.Message, lossy bool) {
			for _, m := range msgs {
				if m.Topic.Device == "oven" && (m.Topic.Type == sparkplug.DBIRTH || m.Topic.Type == sparkplug.DDEATH) {
					ovenBorn = m.Topic.Type == sparkplug.DBIRTH
				}
				if lossy && rng.IntN(20) == 0 {
					continue
				}
				act, _ := host.Receive(m.Topic.String(), m.Payload, now)
				if act.Kind != ActionRebirth || (lossy && rng.IntN(4) == 0) {
					continue // sometimes the request is lost too
				}
				res, err := edge.HandleCommand(act.Request.Topic, sparkplugtest.Decode(t, act.Request), now)
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				send(res.Messages, lossy)
			}
		}
		will, births := sparkplugtest.ConnectAndBirth(t, edge, now)
		send(births, true)
		ids := sparkplugtest.StationMetricIDs(t, edge)
		temp := sparkplugtest.Must(edge.Lookup("oven", "Temperature"))
		node := sparkplugtest.Must(edge.Lookup("", "Line/Good Count"))
		for step := range 400 {
			now += 10
			switch r := rng.IntN(100); {
			case r < 80:
				var cs []sparkplug.Change
				if ovenBorn {
					cs = append(cs, sparkplug.Change{Metric: temp, Value: sparkplug.FloatValue(float32(rng.IntN(300)))})
				}
				cs = append(cs,
					sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(int64(step))},
					sparkplug.Change{Metric: node, Value: sparkplug.Int64Value(int64(rng.IntN(5)))})
				send(sparkplugtest.Data(t, edge, now, cs...), true)
			case r < 88:
				if ovenBorn {
					dd, _ := edge.DeviceDeath("oven", now)
					send([]sparkplug.Message{dd}, true)
				} else {
					db, _ := edge.DeviceBirth("oven", now)
					send([]sparkplug.Message{db}, true)
				}
			case r < 92:
				// The connection drops; the broker may deliver the Will late.
				pendingWill = will
				will, births = sparkplugtest.ConnectAndBirth(t, edge, now)
				send(births, true)
			case r < 96:
				if pendingWill.Payload != nil {
					send([]sparkplug.Message{pendingWill}, false)
					pendingWill = sparkplug.Message{}
				}
			default:
				send(sparkplugtest.Data(t, edge, now, sparkplug.Change{Metric: ids[2], Value: sparkplug.StringValue([]string{"Idle", "Execute", "Held"}[rng.IntN(3)])}), true)
			}
		}
		// Quiet point: the network heals, one more change flows.
		now += 10
		if !ovenBorn {
			db, _ := edge.DeviceBirth("oven", now)
			send([]sparkplug.Message{db}, false)
		}
		send(sparkplugtest.Data(t, edge, now, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(-1)}), false)
		send(sparkplugtest.Data(t, edge, now, sparkplug.Change{Metric: ids[0], Value: sparkplug.Int64Value(-2)}), false)
		n, ok := host.Node(testGroup, testNode)
		if !ok || !n.Online || n.Stale || n.AwaitingRebirth {
			t.Fatalf("seed %d: node %+v", seed, n)
		}
		for _, m := range []struct{ device, name string }{
			{"printer", "Admin/ProdProcessedCount"}, {"printer", "Cycle Time"}, {"printer", "PackML/State"}, // ids
			{"oven", "Temperature"}, {"", "Line/Good Count"}, // temp, node
		} {
			id := sparkplugtest.Must(edge.Lookup(m.device, m.name))
			hm, ok := host.Metric(testGroup, testNode, m.device, m.name)
			if !ok || hm.Stale || hm.Value != edge.Value(id) {
				t.Fatalf("seed %d: %s/%s mirror %+v, edge %v", seed, m.device, m.name, hm, edge.Value(id))
			}
		}
		st := host.Stats()
		total.SeqGaps += st.SeqGaps
		total.IgnoredDeaths += st.IgnoredDeaths
		total.RebirthRequests += st.RebirthRequests
		total.Dropped += st.Dropped
	}
	// The scenario must actually exercise the recovery paths.
	if total.SeqGaps == 0 || total.IgnoredDeaths == 0 || total.RebirthRequests == 0 || total.Dropped == 0 {
		t.Fatalf("recovery paths not exercised: %+v", total)
	}
	t.Logf("over 20 seeds: %+v", total)
}
