package monitor

import (
	"fmt"
	"sync"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
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
	// BottleneckWindow is the sliding window of the line clock over which
	// the KPIs name a modelled line's average bottleneck; 0 means
	// bottleneck.DefaultWindow (an hour), and less than a minute is an
	// error.
	BottleneckWindow sim.Time
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
	if w := cfg.BottleneckWindow; w != 0 && w < sim.Minute {
		return nil, fmt.Errorf("monitor: bottleneck window %v: want at least 1m (or 0 for an hour)", w)
	}
	m := &Monitor{cfg: cfg}
	m.track.init(&m.cfg.Model, cfg.BottleneckWindow)
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
