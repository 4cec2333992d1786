package monitor

import (
	"fmt"
	"sync"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/mirror"
)

// Config configures a [Monitor].
type Config struct {
	// Model is the line the twin has a model of, if any (Spec nil: none).
	// With it the monitor places arms in the ISA-95 tree, orders stations
	// in flow order, measures line OEE on the modelled constraint, falls
	// back on the model's design speed and checks cycle times against the
	// model.
	Model mirror.Model
	// Site names the ISA-95 site above the Sparkplug groups (areas);
	// empty means "site".
	Site string
	// Log receives the deviations raised; nil discards them.
	Log *zap.Logger
}

// A Monitor follows a mirror as its [mirror.Observer] and keeps what
// every message feeds: the time each device spent in each PackML state,
// the counters behind the KPIs, and the deviation detectors with the
// events they raised. Give it to the mirror with Mirror.Observe before
// the mirror is fed. Its methods are safe for concurrent use.
type Monitor struct {
	cfg Config

	mu    sync.Mutex
	track trackState // track.go, tree.go, kpi.go
	watch watchState // deviations.go
}

type nodeKey struct{ group, node string }

// New returns a monitor that has seen nothing yet. It fails when a
// station's cycle model gives no valid drift detector.
func New(cfg Config) (*Monitor, error) {
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.Site == "" {
		cfg.Site = "site"
	}
	m := &Monitor{cfg: cfg}
	m.track.init(&m.cfg.Model)
	if err := m.watch.init(&m.cfg.Model, cfg.Log); err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	return m, nil
}

// Config returns the monitor's configuration, defaults filled in.
func (m *Monitor) Config() Config { return m.cfg }

// Observe implements mirror.Observer: it updates the tracks and the
// detectors after one message or connection event, and forgets what it
// keeps of an edge node the mirror forgot. It keeps state only for the
// nodes the mirror holds, so the mirror's limits bound it too.
func (m *Monitor) Observe(u *mirror.Update) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch u.Event {
	case "":
		m.track.observe(u)
		m.watch.observe(u)
	case mirror.EventConnectionLost:
		m.track.connectionLost()
	case mirror.EventEvicted:
		k := nodeKey{u.Topic.Group, u.Topic.EdgeNode}
		delete(m.track.lines, k)
		m.watch.forget(k)
	}
}
