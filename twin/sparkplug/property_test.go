package sparkplug

import (
	"math/rand/v2"
	"testing"
)

// TestMirrorConvergesUnderLoss drives an edge node through random changes,
// device deaths and births, reconnects and lost messages, feeding the
// host's rebirth requests back to it. Whatever was lost, once messages flow
// again the host asks for a rebirth and its mirror equals the edge node's
// current values.
func TestMirrorConvergesUnderLoss(t *testing.T) {
	var total HostStats
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		edge := newTestEdge(t, uint8(seed))
		host := NewHostSession(HostConfig{RebirthInterval: 1, RebirthBurst: 1 << 20}) // no overall budget: rebirths are what makes it converge
		now := t0
		var pendingWill Message
		var send func(msgs []Message, lossy bool)
		send = func(msgs []Message, lossy bool) {
			for _, m := range msgs {
				if lossy && rng.IntN(20) == 0 {
					continue
				}
				act, _ := host.Receive(m.Topic.String(), m.Payload, now)
				if act.Kind != ActionRebirth || (lossy && rng.IntN(4) == 0) {
					continue // sometimes the request is lost too
				}
				res, err := edge.HandleCommand(act.Request.Topic, mustUnmarshal(t, act.Request.Payload), now)
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				send(res.Messages, lossy)
			}
		}
		will, births := connectAndBirth(t, edge, now)
		send(births, true)
		ids := stationMetricIDs(t, edge)
		temp := must(edge.Lookup("oven", "Temperature"))
		node := must(edge.Lookup("", "Line/Good Count"))
		for step := range 400 {
			now += 10
			switch r := rng.IntN(100); {
			case r < 80:
				var cs []Change
				if edge.devices[1].born {
					cs = append(cs, Change{Metric: temp, Value: FloatValue(float32(rng.IntN(300)))})
				}
				cs = append(cs,
					Change{Metric: ids[0], Value: Int64Value(int64(step))},
					Change{Metric: node, Value: Int64Value(int64(rng.IntN(5)))})
				send(data(t, edge, now, cs...), true)
			case r < 88:
				if edge.devices[1].born {
					dd, _ := edge.DeviceDeath("oven", now)
					send([]Message{dd}, true)
				} else {
					db, _ := edge.DeviceBirth("oven", now)
					send([]Message{db}, true)
				}
			case r < 92:
				// The connection drops; the broker may deliver the Will late.
				pendingWill = will
				will, births = connectAndBirth(t, edge, now)
				send(births, true)
			case r < 96:
				if pendingWill.Payload != nil {
					send([]Message{pendingWill}, false)
					pendingWill = Message{}
				}
			default:
				send(data(t, edge, now, Change{Metric: ids[2], Value: StringValue([]string{"Idle", "Execute", "Held"}[rng.IntN(3)])}), true)
			}
		}
		// Quiet point: the network heals, one more change flows.
		now += 10
		if !edge.devices[1].born {
			db, _ := edge.DeviceBirth("oven", now)
			send([]Message{db}, false)
		}
		send(data(t, edge, now, Change{Metric: ids[0], Value: Int64Value(-1)}), false)
		send(data(t, edge, now, Change{Metric: ids[0], Value: Int64Value(-2)}), false)
		n, ok := host.Node(testGroup, testNode)
		if !ok || !n.Online || n.Stale || n.AwaitingRebirth {
			t.Fatalf("seed %d: node %+v", seed, n)
		}
		for _, id := range []MetricID{ids[0], ids[1], ids[2], temp, node} {
			em := edge.metrics[id]
			device := ""
			if em.device >= 0 {
				device = edge.devices[em.device].id
			}
			hm, ok := host.Metric(testGroup, testNode, device, em.name)
			if !ok || hm.Stale || hm.Value != edge.Value(id) {
				t.Fatalf("seed %d: %s/%s mirror %+v, edge %v", seed, device, em.name, hm, edge.Value(id))
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
