package main

import (
	"strconv"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/twinmode"
	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// memTwin is a line published by edge nodes straight into a view's twin
// link, without MQTT: what the host would receive from a broker.
type memTwin struct {
	line  *twin.Line
	nodes []*edge.Node
	tl    *twinmode.Link
	ms    uint64 // the host-side clock of the messages, ms
	// also are other mirrors that hear every message (a twin host's);
	// step is the simulated time between two publications (0: 2 s).
	also []*mirror.Mirror
	step sim.Time
}

// newMemTwin builds config's line (seed 1), one edge node per copy in
// group "lightsout" named <config>-L<k>, and a twin link over the config
// that sends its commands with publish (nil: over MQTT, which it lacks).
func newMemTwin(t *testing.T, config string, publish twinmode.Publisher) *memTwin {
	t.Helper()
	spec := configstest.Embedded(t, config)
	line, err := twin.NewLine(spec, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := twinmode.New(twinmode.Config{Spec: spec, Group: "lightsout", Prefix: spec.Name,
		HostID: "view-test", Broker: "mem://test", Log: zaptest.NewLogger(t), Publish: publish})
	if err != nil {
		t.Fatal(err)
	}
	mt := &memTwin{line: line, tl: tl, ms: 1}
	for k := range spec.Lines {
		n, err := edge.New(line, edge.Config{Group: "lightsout", EdgeNode: spec.Name + "-L" + strconv.Itoa(k+1), Copy: k})
		if err != nil {
			t.Fatal(err)
		}
		mt.nodes = append(mt.nodes, n)
	}
	return mt
}

// deliver hands messages to the host.
func (mt *memTwin) deliver(msgs []sparkplug.Message) {
	for _, m := range msgs {
		mt.tl.Host.Mirror.Receive(m.Topic.String(), m.Payload)
		for _, o := range mt.also {
			o.Receive(m.Topic.String(), m.Payload)
		}
	}
}

// birth connects and births every node.
func (mt *memTwin) birth(t *testing.T) {
	t.Helper()
	for _, n := range mt.nodes {
		if _, err := n.Connect(mt.ms); err != nil {
			t.Fatal(err)
		}
		msgs, err := n.Birth(mt.ms)
		if err != nil {
			t.Fatal(err)
		}
		mt.deliver(msgs)
	}
}

// run advances the line by d in steps of 2 s (or mt.step), publishing
// every node's changes after each step.
func (mt *memTwin) run(t *testing.T, d sim.Time) {
	t.Helper()
	step := mt.step
	if step <= 0 {
		step = 2 * sim.Second
	}
	for end := mt.line.Now() + d; mt.line.Now() < end; {
		mt.line.RunFor(min(step, end-mt.line.Now()))
		mt.ms++
		for _, n := range mt.nodes {
			msgs, err := n.Update(mt.ms)
			if err != nil {
				t.Fatal(err)
			}
			mt.deliver(msgs)
		}
	}
}
