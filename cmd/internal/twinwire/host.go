package twinwire

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/pilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Config configures a [Host].
type Config struct {
	// Mirror configures the mirror (host id, group, recording, clock).
	Mirror mirror.Config
	// Model is the modelled line, if any; its Group defaults to
	// Mirror.Group.
	Model mirror.Model
	// Site names the ISA-95 site (see monitor.Config).
	Site string
	// Forecast sets the forecasts' seed, replications, shift and workers;
	// its Model and Now are the host's. Used only with a model.
	Forecast forecast.Config
	// BandHorizon is the simulated time of each output-band check; 0
	// means forecast.DefaultBandHorizon. Used only with a model.
	BandHorizon time.Duration
	// Autopilot, if set, makes the pilot that flies the modelled line
	// (it needs a model): see pilot.Twin. Its what-ifs take Forecast's
	// seed and shift, and pilot.DefaultReplications replications a
	// candidate, as in the simulator.
	Autopilot func(autopilot.Evaluator) (*autopilot.Pilot, error)
	// Replay says the host replays a recording: its autopilot decides
	// and logs as the live one did, but sends no command.
	Replay bool
}

// A Host is the twin's host side: the mirror, its monitor and, with a
// model, its forecaster and output-band check. Feed it through
// [Host.Connect] (a broker) or its mirror (a replay, a test).
type Host struct {
	Mirror   *mirror.Mirror
	Monitor  *monitor.Monitor
	Forecast *forecast.Forecaster // nil without a model
	Pilot    *pilot.Twin          // nil without an autopilot
	History  *mirror.History      // the line's output history; nil without a model

	log  *zap.Logger
	band *forecast.Band // nil without a model; used by Tick's goroutine

	mu   sync.Mutex // guards conn
	conn publisher
	done bool
}

// A publisher is what Host needs of a broker connection.
type publisher interface {
	Publish(ctx context.Context, m sparkplug.Message) error
}

// New builds the host's parts and has the monitor and the forecaster
// observe the mirror.
func New(cfg Config) (*Host, error) {
	m, err := mirror.New(cfg.Mirror)
	if err != nil {
		return nil, err
	}
	return Around(m, cfg)
}

// Around builds a host around a mirror made elsewhere (a replay's), with
// cfg's model, site, forecast and band settings; cfg.Mirror is not used.
func Around(m *mirror.Mirror, cfg Config) (*Host, error) {
	mc := m.Config()
	if cfg.Model.Spec != nil {
		if cfg.Model.Group == "" {
			cfg.Model.Group = mc.Group
		}
		if cfg.Model.Prefix == "" {
			cfg.Model.Prefix = cfg.Model.Spec.Name
		}
	}
	mon, err := monitor.New(monitor.Config{Model: cfg.Model, Site: cfg.Site, Log: mc.Log})
	if err != nil {
		return nil, err
	}
	h := &Host{Mirror: m, Monitor: mon, log: mc.Log}
	m.Observe(mon)
	if cfg.Model.Spec == nil {
		if cfg.Autopilot != nil {
			return nil, fmt.Errorf("autopilot: %w", mirror.ErrNoModel)
		}
		return h, nil
	}
	h.History = mirror.NewHistory(cfg.Model)
	m.Observe(h.History)
	if cfg.Autopilot != nil {
		if h.Pilot, err = h.newPilot(m, cfg); err != nil {
			return nil, err
		}
	}
	fc := cfg.Forecast
	fc.Model, fc.Now = cfg.Model, mc.Now
	if h.Forecast, err = forecast.New(fc, m); err != nil {
		return nil, err
	}
	m.Observe(h.Forecast)
	horizon := cfg.BandHorizon
	if horizon == 0 {
		horizon = forecast.DefaultBandHorizon
	}
	if h.band, err = forecast.NewBand(h.Forecast, horizon); err != nil {
		return nil, err
	}
	return h, nil
}

// newPilot makes the autopilot of cfg fly the mirrored line, sending its
// commands through the host's connection and logging each.
func (h *Host) newPilot(m *mirror.Mirror, cfg Config) (*pilot.Twin, error) {
	shift := cfg.Forecast.Shift
	if shift == 0 {
		shift = 8 * time.Hour
	}
	var cmds pilot.Commander = h
	if cfg.Replay {
		cmds = nil
	}
	return pilot.NewTwin(m, pilot.TwinConfig{Model: cfg.Model, NewPilot: cfg.Autopilot, Commands: cmds,
		Seed: cfg.Forecast.Seed, Shift: sim.Time(shift),
		Report: func(a autopilot.Action, topic string, err error) {
			switch {
			case cfg.Replay:
				h.log.Debug("twin: autopilot command (replay: not sent)", zap.Stringer("action", a))
				return
			case err != nil:
				h.log.Warn("twin: autopilot command not sent", zap.Stringer("action", a), zap.Error(err))
				return
			}
			h.log.Info("twin: autopilot command sent", zap.Stringer("action", a), zap.String("topic", topic),
				zap.String("reason", a.Reason))
		}})
}

// Handler returns the twin's HTTP API under the policy p (see
// api.Handler), sending commands through the host's connection.
func (h *Host) Handler(p api.Policy) (http.Handler, error) {
	t := api.Twin{Mirror: h.Mirror, Monitor: h.Monitor, Forecast: h.Forecast, Commands: h, History: h.History}
	if h.Pilot != nil {
		t.Autopilot = h.Pilot
	}
	return api.Handler(t, p)
}

// Tick does the host's periodic work once: it reports nodes that fell
// silent (monitor.Monitor.CheckStale) and, with a model, runs the
// output-band check, raising its event on the monitor. It returns the
// forecast's error, if any. Call it about once a second, from one
// goroutine ([Host.Watch] does).
func (h *Host) Tick() error {
	v := h.Mirror.View()
	h.Monitor.CheckStale(&v, h.Mirror.Config().Now())
	if h.band == nil {
		return nil
	}
	ev, err := h.band.Check()
	if ev != nil {
		h.Monitor.Add(*ev)
	}
	return err
}

// BandChecks returns how many output-band windows Tick has closed.
func (h *Host) BandChecks() int {
	if h.band == nil {
		return 0
	}
	return h.band.Checks()
}

// Watch calls [Host.Tick] every interval until ctx ends, logging its
// errors (a failing forecast is retried at the next tick).
func (h *Host) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := h.Tick(); err != nil {
				h.log.Warn("twin: periodic check", zap.Error(err))
			}
		}
	}
}

// Await returns the first view of the mirror for which cond holds,
// checked now and after every change of the mirror, or ctx's error with
// the last view.
func (h *Host) Await(ctx context.Context, cond func(v *mirror.View) bool) (mirror.View, error) {
	for {
		changed := h.Mirror.Changed()
		v := h.Mirror.View()
		if cond(&v) {
			return v, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return v, ctx.Err()
		}
	}
}

// SendCommand implements api.Commander: it builds the DCMD of r with the
// mirror and publishes it at QoS 0 on the host's connection, returning
// its topic. It fails with mirror.ErrNotConnected without a connection.
func (h *Host) SendCommand(ctx context.Context, r mirror.CommandRequest) (sparkplug.Topic, error) {
	m, err := h.Mirror.Command(r)
	if err != nil {
		return sparkplug.Topic{}, err
	}
	return m.Topic, h.publish(ctx, m)
}

// Command publishes a DCMD (device set) or NCMD writing values to an edge
// node or device, built with mirror.Mirror.BuildCommand.
func (h *Host) Command(ctx context.Context, group, node, device string, writes ...sparkplug.NamedValue) error {
	m, err := h.Mirror.BuildCommand(group, node, device, writes...)
	if err != nil {
		return err
	}
	return h.publish(ctx, m)
}

// publish sends a command on the connection.
func (h *Host) publish(ctx context.Context, m sparkplug.Message) error {
	h.mu.Lock()
	conn := h.conn
	h.mu.Unlock()
	if conn == nil {
		return mirror.ErrNotConnected
	}
	if err := conn.Publish(ctx, m); err != nil {
		return fmt.Errorf("publishing %s: %w", m.Topic, err)
	}
	h.log.Info("twin: command sent", zap.String("topic", m.Topic.String()))
	return nil
}

// errClosed is returned by Connect after Close.
var errClosed = errors.New("twin: already connected or closed")
