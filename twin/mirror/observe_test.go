package mirror_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// deadline bounds a wait that only a deadlock would make long.
const deadline = time.Minute

// within runs f in a goroutine and fails the test if it has not returned
// within the deadline (a deadlock).
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(deadline):
		t.Fatalf("%s: still blocked after %v", what, deadline)
	}
}

// seen is what an observer saw of one update, and of the mirror during
// its Observe call.
type seen struct {
	observer string
	event    string
	topic    string
	rejected bool
	received uint64 // View().Received during Observe
}

// logObserver reads the mirror from inside Observe (which must not
// deadlock) and checks that the update agrees with what it holds.
type logObserver struct {
	t    *testing.T
	name string
	m    *mirror.Mirror
	log  *[]seen
}

func (o *logObserver) Observe(u *mirror.Update) {
	v := o.m.View()
	s := seen{observer: o.name, event: u.Event, rejected: u.Err != nil, received: v.Received}
	if u.Event == "" {
		s.topic = u.Topic.String()
		o.check(u, &v)
	}
	_ = o.m.NodeMessages(u.Topic.Group, u.Topic.EdgeNode)
	_ = o.m.Changed()
	*o.log = append(*o.log, s)
}

// check compares the update's node and device with the view's.
func (o *logObserver) check(u *mirror.Update, v *mirror.View) {
	if u.Topic.Type == sparkplug.STATE {
		return
	}
	n, ok := v.Node(u.Topic.Group, u.Topic.EdgeNode)
	if ok != u.NodeKnown {
		o.t.Errorf("%s: node known %v, in the view %v", u.Topic, u.NodeKnown, ok)
		return
	}
	if ok && (u.Node.Online != n.Online || !reflect.DeepEqual(u.Node.Metrics, n.Metrics) || u.Node.Seq != n.Seq) {
		o.t.Errorf("%s: the update's node is not the mirror's after the message", u.Topic)
	}
	if u.Topic.Device == "" {
		return
	}
	d, ok := v.Device(u.Topic.Group, u.Topic.EdgeNode, u.Topic.Device)
	if ok != u.DeviceKnown || ok && !reflect.DeepEqual(u.Device, *d) {
		o.t.Errorf("%s: the update's device is not the mirror's after the message", u.Topic)
	}
}

// Observers see every message whose topic parses, and every connection
// event, once each, in order, after the mirror applied it and outside its
// lock (they may read the mirror); the first added is told first.
func TestObserversSeeEveryChangeInOrder(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 1)
	m := l.MustMirror(mirror.Config{})
	var log []seen
	m.Observe(&logObserver{t: t, name: "a", m: m, log: &log})
	m.Observe(&logObserver{t: t, name: "b", m: m, log: &log})
	within(t, "feeding a mirror whose observers read it", func() {
		l.Birth()
		l.Run(20*sim.Second, 2*sim.Second, nil)
		m.Receive("not/sparkplug", nil)                         // reaches no observer
		m.Receive("spBv1.0/g/NDATA/"+l.NodeID(0), []byte{0xff}) // rejected
		m.ConnectionLost()
		if _, _, err := m.Online(); err != nil {
			t.Error(err)
		}
		l.Run(4*sim.Second, 2*sim.Second, nil) // dropped: awaiting a rebirth
		l.Birth()
		l.Die(0)
	})

	v := m.View()
	if len(log)%2 != 0 {
		t.Fatalf("%d observations for two observers", len(log))
	}
	var received uint64
	events, rejected := 0, 0
	for i := 0; i < len(log); i += 2 {
		a, b := log[i], log[i+1]
		if a.observer != "a" || b.observer != "b" || a.topic != b.topic || a.event != b.event || a.received != b.received {
			t.Fatalf("observations %d and %d: %+v then %+v; want a then b, of the same change", i, i+1, a, b)
		}
		switch {
		case a.event != "":
			events++
			if a.received != received {
				t.Errorf("%s: the view counts %d messages, want %d", a.event, a.received, received)
			}
		case a.received == received+1:
		case a.received == received+2 && a.rejected && a.topic == "spBv1.0/g/NDATA/"+l.NodeID(0):
			// the bad topic before it reached no observer
		default:
			t.Errorf("%s: the view counts %d messages, want %d: a message missed or not yet applied", a.topic, a.received, received+1)
		}
		if a.rejected {
			rejected++
		}
		received = a.received
	}
	if received != v.Received || events != 2 || rejected == 0 {
		t.Errorf("observed up to %d messages of %d, %d events, %d rejected", received, v.Received, events, rejected)
	}
	if last := log[len(log)-1]; last.topic != l.Wills[0].Topic.String() {
		t.Errorf("last observed %+v, want the Will", last)
	}
}

// blockingObserver blocks in Observe until released, once entered is
// signalled.
type blockingObserver struct {
	entered chan struct{}
	release chan struct{}
}

func (o *blockingObserver) Observe(*mirror.Update) {
	o.entered <- struct{}{}
	<-o.release
}

// Readers of the mirror never wait for its observers, and Changed fires
// only once the observers of the change have returned.
func TestChangedFiresAfterObservers(t *testing.T) {
	l := twintest.MustLine(t, "demo-line", 1)
	m := l.MustMirror(mirror.Config{})
	o := &blockingObserver{entered: make(chan struct{}), release: make(chan struct{})}
	m.Observe(o)
	for i, change := range []func(){
		func() { l.Birth() }, // the NBIRTH, then each DBIRTH
		m.ConnectionLost,
	} {
		changed := m.Changed()
		returned := make(chan struct{})
		go func() {
			defer close(returned)
			change()
		}()
		<-o.entered
		within(t, "reading the mirror while an observer runs", func() {
			v := m.View()
			if i == 0 && v.Received != 1 {
				t.Errorf("while observed, the view counts %d messages, want the NBIRTH", v.Received)
			}
		})
		select {
		case <-changed:
			t.Fatalf("change %d: Changed fired before its observer returned", i)
		default:
		}
		o.release <- struct{}{}
		select {
		case <-changed:
		case <-time.After(deadline):
			t.Fatalf("change %d: Changed did not fire after its observer returned", i)
		}
		if i == 0 { // the DBIRTHs after the NBIRTH
			for range len(l.Spec.Stations) + len(l.Spec.Arms) {
				<-o.entered
				o.release <- struct{}{}
			}
		}
		<-returned
	}
}
