package main

import (
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/twin/host"
)

// attemptWatcher returns a test logger for the edge's connections and a
// channel that receives a value (when it has room) for each connection
// attempt the link logs as failed.
func attemptWatcher(t *testing.T) (*zap.Logger, <-chan struct{}) {
	failed := make(chan struct{}, 64)
	hook := zap.Hooks(func(e zapcore.Entry) error {
		if e.Message == "MQTT connection attempt failed" {
			select {
			case failed <- struct{}{}:
			default:
			}
		}
		return nil
	})
	return zaptest.NewLogger(t, zaptest.WrapOptions(hook)), failed
}

// checkOutage stops the broker until the edge has failed to reconnect
// several times, then starts it again: the edge node is born again with
// the next bdSeq, not one per attempt (Sparkplug counts bdSeq by MQTT
// sessions, tck-id-topics-nbirth-bdseq-increment).
func checkOutage(t *testing.T, lb *loopback) {
	p := lb.r.pubs[0]
	before := lb.quiet()
	n0, _ := before.Node(testGroup, p.id)
	for len(lb.edgeAttemptFailed) > 0 {
		<-lb.edgeAttemptFailed // from earlier subtests
	}
	const attempts = 4
	lb.restartBrokerAfter(func() {
		for range attempts {
			select {
			case <-lb.edgeAttemptFailed:
			case <-lb.ctx.Done():
				t.Fatalf("the edge did not try to reconnect %d times", attempts)
			}
		}
	})
	m := lb.waitFor("the node born again", func(m *host.Mirror) bool {
		n, ok := m.Node(testGroup, p.id)
		return ok && n.Online && n.BdSeq != n0.BdSeq
	})
	n, _ := m.Node(testGroup, p.id)
	if want := (n0.BdSeq + 1) % 256; n.BdSeq != want {
		t.Errorf("after %d failed attempts the NBIRTH has bdSeq %d, want %d (was %d)", attempts, n.BdSeq, want, n0.BdSeq)
	}
	lb.r.mu.Lock()
	sess := p.node.Session().BdSeq()
	lb.r.mu.Unlock()
	if uint64(sess) != n.BdSeq {
		t.Errorf("edge session bdSeq %d, host saw %d", sess, n.BdSeq)
	}
	m = lb.quiet()
	lb.checkMirror(&m)
}
