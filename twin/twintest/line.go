package twintest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/edge"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Epoch is the wall time, in ms since the Unix epoch, of simulated time 0
// on a [Line]: its edge nodes stamp metrics with Epoch plus the simulated
// time, and its host clock follows the line from there.
const Epoch = 1_700_000_000_000

// A Line is a modelled line published by one edge node per copy (copy k
// is edge node packml.NodeID(Spec.Name, k), as 'lightsout edge' names
// them) straight into the mirrors it feeds, without MQTT. Its host clock
// follows the simulated time: every step sets it to Epoch plus the line's
// time, and the messages of the step carry that time. Set Group before
// its first Birth; Hide, Drop and Strict apply from the next delivery. It
// belongs to one goroutine.
type Line struct {
	Spec *twin.Spec
	Line *twin.Line
	// Group is the Sparkplug group of the edge nodes: "g" unless changed
	// before the first Birth.
	Group string
	// Clock is the host clock: the Now of the mirrors the line makes, and
	// the time of the messages it publishes. A test may move it.
	Clock *Clock
	// Nodes holds each copy's edge node, from the first Birth on; Wills
	// their NDEATHs registered at their last Birth.
	Nodes []*edge.Node
	Wills []sparkplug.Message
	// Hide names the devices whose Status/Speed the mirrors must not see
	// in data messages: a station slowed "by wear", not by command.
	Hide map[string]bool
	// Drop, if set, is asked about every message the line delivers; when
	// it answers true the message is lost on its way to every mirror.
	Drop func(sparkplug.Message) bool
	// Strict fails the test when a mirror rejects a message the line
	// delivers.
	Strict bool
	// Delivered counts the messages delivered (each once, whatever the
	// number of mirrors).
	Delivered int

	tb         testing.TB
	mirrors    []*mirror.Mirror
	rejected   *rejections
	speedAlias map[string]uint64 // device -> alias of its Status/Speed
}

// MustLine builds the line of an embedded config (or a config file) with
// seed; nothing is published until [Line.Birth].
func MustLine(tb testing.TB, config string, seed uint64) *Line {
	tb.Helper()
	spec, err := configs.Resolve(config)
	if err != nil {
		tb.Fatal(err)
	}
	line, err := twin.NewLine(spec, seed, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &Line{Spec: spec, Line: line, Group: "g", Clock: NewClock(time.UnixMilli(Epoch)),
		Hide: map[string]bool{}, tb: tb, rejected: &rejections{}, speedAlias: map[string]uint64{}}
}

// NodeID returns the edge node id of copy k (from 0).
func (l *Line) NodeID(k int) string { return packml.NodeID(l.Spec.Name, k) }

// Feed makes the line deliver everything it publishes from now on to m
// too, and observes m for the messages it rejects (see Strict).
func (l *Line) Feed(m *mirror.Mirror) {
	m.Observe(l.rejected)
	l.mirrors = append(l.mirrors, m)
}

// MustMirror returns a new mirror fed by the line. Zero fields of cfg
// take the line's defaults: host id "h", a zaptest logger, the line's
// clock.
func (l *Line) MustMirror(cfg mirror.Config) *mirror.Mirror {
	l.tb.Helper()
	if cfg.HostID == "" {
		cfg.HostID = "h"
	}
	if cfg.Log == nil {
		cfg.Log = zaptest.NewLogger(l.tb)
	}
	if cfg.Now == nil {
		cfg.Now = l.Clock.Now
	}
	m, err := mirror.New(cfg)
	if err != nil {
		l.tb.Fatal(err)
	}
	l.Feed(m)
	return m
}

// Now returns the host clock in ms since the Unix epoch.
func (l *Line) Now() uint64 { return l.Clock.Ms() }

// Birth starts a new MQTT session of every copy's edge node (creating
// them the first time) and delivers their birth sequences.
func (l *Line) Birth() {
	l.tb.Helper()
	for k := range l.Spec.Lines {
		if k == len(l.Nodes) {
			n, err := edge.New(l.Line, edge.Config{Group: l.Group, EdgeNode: l.NodeID(k), Copy: k, Epoch: Epoch})
			if err != nil {
				l.tb.Fatal(err)
			}
			l.Nodes = append(l.Nodes, n)
			l.Wills = append(l.Wills, sparkplug.Message{})
		}
		will, err := l.Nodes[k].Connect(l.Now())
		if err != nil {
			l.tb.Fatal(err)
		}
		l.Wills[k] = will
		msgs, err := l.Nodes[k].Birth(l.Now())
		if err != nil {
			l.tb.Fatal(err)
		}
		l.Deliver(msgs...)
	}
}

// Step runs the line for span, sets the clock to the line's time and
// returns what every node publishes, without delivering it.
func (l *Line) Step(span sim.Time) []sparkplug.Message {
	l.tb.Helper()
	l.Line.RunFor(span)
	l.follow()
	var out []sparkplug.Message
	for _, n := range l.Nodes {
		msgs, err := n.Update(l.Now())
		if err != nil {
			l.tb.Fatal(err)
		}
		out = append(out, msgs...)
	}
	return out
}

// follow sets the clock to the line's time.
func (l *Line) follow() {
	l.Clock.Set(time.UnixMilli(Epoch + int64(l.Line.Now()/sim.Millisecond)))
}

// Run advances the line by d in steps of step, delivering what the nodes
// publish after each step, then calling each (if not nil).
func (l *Line) Run(d, step sim.Time, each func()) {
	l.tb.Helper()
	for end := l.Line.Now() + d; l.Line.Now() < end; {
		l.Deliver(l.Step(min(step, end-l.Line.Now()))...)
		if each != nil {
			each()
		}
	}
}

// Pass advances the line by d unseen: the nodes publish nothing (they are
// dead, or their messages lost); the clock follows.
func (l *Line) Pass(d sim.Time) {
	l.Line.RunFor(d)
	l.follow()
}

// Deliver gives msgs to every mirror the line feeds, in order, less those
// Drop loses and the Status/Speed of hidden devices.
func (l *Line) Deliver(msgs ...sparkplug.Message) {
	l.tb.Helper()
	l.rejected.begin()
	for _, m := range msgs {
		if l.Drop != nil && l.Drop(m) {
			continue
		}
		payload := m.Payload
		switch m.Topic.Type {
		case sparkplug.DBIRTH:
			l.learnAliases(m)
		case sparkplug.DDATA:
			if l.Hide[m.Topic.Device] {
				payload = l.withoutSpeed(m.Topic.Device, payload)
			}
		}
		for _, mr := range l.mirrors {
			mr.Receive(m.Topic.String(), payload)
		}
		l.Delivered++
	}
	if n, first := l.rejected.since(); l.Strict && n > 0 {
		l.tb.Fatalf("the mirrors rejected %d message(s), first %s", n, first)
	}
}

// rejections is an observer of the mirrors a line feeds that counts the
// messages they rejected and keeps the first since the current delivery
// began (it keeps no more: a test may flood the mirrors).
type rejections struct {
	mu    sync.Mutex
	n     int    // rejections so far
	mark  int    // n when the current delivery began
	first string // the first rejection since mark
}

// Observe implements mirror.Observer.
func (r *rejections) Observe(u *mirror.Update) {
	if u.Err == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	if r.n == r.mark+1 {
		r.first = u.Topic.String() + ": " + u.Err.Error()
	}
}

// begin starts a delivery.
func (r *rejections) begin() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mark, r.first = r.n, ""
}

// since returns the number of rejections since the delivery began, and
// the first of them.
func (r *rejections) since() (int, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n - r.mark, r.first
}

// learnAliases notes the alias of a device's Status/Speed from its birth.
func (l *Line) learnAliases(m sparkplug.Message) {
	var p sparkplug.Payload
	if err := sparkplug.Unmarshal(m.Payload, &p); err != nil {
		l.tb.Fatal(err)
	}
	for _, mt := range p.Metrics {
		if mt.Name == packml.MetricSpeed && mt.HasAlias {
			l.speedAlias[m.Topic.Device] = mt.Alias
		}
	}
}

// withoutSpeed returns payload without the device's Status/Speed metric.
func (l *Line) withoutSpeed(device string, payload []byte) []byte {
	var p sparkplug.Payload
	if err := sparkplug.Unmarshal(payload, &p); err != nil {
		l.tb.Fatal(err)
	}
	alias, hasAlias := l.speedAlias[device]
	p.Metrics = slices.DeleteFunc(p.Metrics, func(m sparkplug.Metric) bool {
		return m.Name == packml.MetricSpeed || hasAlias && m.HasAlias && m.Alias == alias
	})
	b, err := sparkplug.Marshal(&p)
	if err != nil {
		l.tb.Fatal(err)
	}
	return b
}

// Die delivers the Will of copy k's edge node, as the broker does when
// the node's connection is lost.
func (l *Line) Die(k int) {
	l.tb.Helper()
	l.Deliver(l.Wills[k])
}

// Do gives the line a command, as the simulator's own user would (not
// through the edge node).
func (l *Line) Do(c twin.Command) {
	l.tb.Helper()
	if err := l.Line.Do(c); err != nil {
		l.tb.Fatal(err)
	}
}

// Command hands a command message (an NCMD or DCMD a mirror built) to the
// edge node it is addressed to, as a broker would, and delivers what the
// node answers. It fails the test when the node rejects it.
func (l *Line) Command(m sparkplug.Message) {
	l.tb.Helper()
	for _, n := range l.Nodes {
		if n.Config().Group != m.Topic.Group || n.Config().EdgeNode != m.Topic.EdgeNode {
			continue
		}
		out, err := n.HandleCommand(m.Topic.String(), m.Payload, l.Now())
		if err != nil {
			l.tb.Fatalf("the edge node rejected %v: %v", m.Topic, err)
		}
		l.Deliver(out...)
		return
	}
	l.tb.Fatalf("no edge node for %v", m.Topic)
}

// Station returns a station of copy 0 as the line itself has it.
func (l *Line) Station(id string) twin.StationState {
	l.tb.Helper()
	for _, st := range l.Line.Snapshot().Stations {
		if st.Line == 0 && st.ID == id {
			return st
		}
	}
	l.tb.Fatalf("no station %q", id)
	return twin.StationState{}
}

// Mirrored returns a metric of a device of copy 0 as m mirrors it.
func (l *Line) Mirrored(m *mirror.Mirror, device, name string) sparkplug.Value {
	l.tb.Helper()
	v := m.View()
	mv, ok := v.Metric(l.Group, l.NodeID(0), device, name)
	if !ok {
		l.tb.Fatalf("no metric %s/%s in the mirror", device, name)
	}
	return mv.Value
}

// StationAt returns a station of a state, nil if it has none.
func StationAt(st *twin.State, line int, id string) *twin.StationAt {
	for i := range st.Stations {
		if st.Stations[i].Line == line && st.Stations[i].ID == id {
			return &st.Stations[i]
		}
	}
	return nil
}
