package mirror

import (
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Filters returns the topic filters the host subscribes to, at QoS 1:
// the Sparkplug namespace (or Config.Group's part of it) and, with a
// group, its own STATE topic (which the group's part does not cover).
func (m *Mirror) Filters() []string {
	if m.cfg.Group == "" {
		return []string{sparkplug.Namespace + "/#"}
	}
	return []string{sparkplug.Namespace + "/" + m.cfg.Group + "/#", sparkplug.StateTopic(m.cfg.HostID).String()}
}

// Will returns the offline STATE to register as the Will of the next MQTT
// session, and remembers its timestamp: the online STATE of that session
// carries the same one, as Sparkplug requires.
func (m *Mirror) Will() (sparkplug.Message, error) {
	m.mu.Lock()
	m.stateTS = ms(m.cfg.Now())
	ts := m.stateTS
	m.mu.Unlock()
	return sparkplug.StateMessage(m.cfg.HostID, sparkplug.State{Online: false, Timestamp: ts})
}

// Online is called once the host is connected and subscribed (see
// Filters): it returns the online STATE to publish first, then the
// rebirth requests to publish for the nodes the mirror knows that are not
// online, as far as the rebirth budget goes (Config.Limits.RebirthBurst;
// the others are asked when their data arrives), and records the event
// (EventOnline).
func (m *Mirror) Online() (state sparkplug.Message, rebirths []sparkplug.Message, err error) {
	m.mu.Lock()
	ts := m.stateTS
	m.mu.Unlock()
	state, err = sparkplug.StateMessage(m.cfg.HostID, sparkplug.State{Online: true, Timestamp: ts})
	if err != nil {
		return state, nil, err
	}
	return state, m.event(m.cfg.Now(), EventOnline), nil
}

// Offline returns the offline STATE to publish before a clean disconnect.
func (m *Mirror) Offline() (sparkplug.Message, error) {
	m.mu.Lock()
	ts := m.stateTS
	m.mu.Unlock()
	return sparkplug.StateMessage(m.cfg.HostID, sparkplug.State{Online: false, Timestamp: ts})
}
