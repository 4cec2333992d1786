package mirror

import (
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// sweepLocked forgets the edge nodes silent for longer than EvictAfter.
// It looks at most once per sixtieth of EvictAfter (and at least a second)
// of host time, so a node goes at most that much late; it runs as
// messages and events arrive, on their host time, so that a replay
// forgets the nodes the live host forgot. m.mu is held.
func (m *Mirror) sweepLocked(now time.Time) {
	after := m.cfg.EvictAfter
	if after < 0 {
		return
	}
	if d := now.Sub(m.swept); !m.swept.IsZero() && d >= 0 && d < max(after/60, time.Second) {
		return
	}
	m.swept = now
	m.sess.EvictIdle(ms(now), uint64(after/time.Millisecond))
}

// forgetLocked drops the mirror's counters of the nodes the session
// removed since the last call and returns them; the slice is reused by
// the next call. m.mu and m.feed are held.
func (m *Mirror) forgetLocked() []host.NodeID {
	m.gone = m.sess.Removed(m.gone[:0])
	for _, g := range m.gone {
		k := nodeKey{g.Group, g.EdgeNode}
		delete(m.perNode, k)
		delete(m.deaths, k)
	}
	return m.gone
}

// tellGone tells the observers of the nodes forgotten at now. m.feed is
// held.
func (m *Mirror) tellGone(now time.Time, gone []host.NodeID) {
	for _, g := range gone {
		m.log.Debug("mirror: edge node forgotten", zap.String("group", g.Group), zap.String("node", g.EdgeNode))
		m.tell(&Update{Time: now, Event: EventEvicted,
			Topic: sparkplug.Topic{Namespace: sparkplug.Namespace, Group: g.Group, EdgeNode: g.EdgeNode}})
	}
}
