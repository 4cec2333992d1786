package twintest

import (
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/deviation"
	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/monitor"
)

// A Host is a mirror of a [Line] with its monitor and, when the twin has a
// model of the line, its forecaster, both observing the mirror, as the
// twin wires them.
type Host struct {
	Mirror   *mirror.Mirror
	Monitor  *monitor.Monitor
	Forecast *forecast.Forecaster // nil without a model
}

// HostConfig configures a [Host].
type HostConfig struct {
	// Mirror configures the mirror; zero fields take the defaults of
	// [Line.MustMirror].
	Mirror mirror.Config
	// NoModel leaves the twin without a model of the line: the monitor
	// knows no spec and there is no forecaster.
	NoModel bool
	// Prefix is the model's edge node prefix; empty means the spec's name.
	Prefix string
	// Site is the monitor's ISA-95 site.
	Site string
	// Forecast configures the forecaster; its Model and Now are the
	// host's.
	Forecast forecast.Config
}

// MustHost returns a host fed by the line. Its model of the line is the
// line's spec in the mirror's group (any group when the mirror has none),
// as the twin's wiring makes it.
func (l *Line) MustHost(cfg HostConfig) *Host {
	l.tb.Helper()
	m := l.MustMirror(cfg.Mirror)
	mc := m.Config()
	var model mirror.Model
	if !cfg.NoModel {
		model = mirror.Model{Spec: l.Spec, Group: mc.Group, Prefix: cfg.Prefix}
		if model.Prefix == "" {
			model.Prefix = l.Spec.Name
		}
	}
	mon, err := monitor.New(monitor.Config{Model: model, Site: cfg.Site, Log: mc.Log})
	if err != nil {
		l.tb.Fatal(err)
	}
	m.Observe(mon)
	h := &Host{Mirror: m, Monitor: mon}
	if cfg.NoModel {
		return h
	}
	fc := cfg.Forecast
	fc.Model, fc.Now = model, mc.Now
	if h.Forecast, err = forecast.New(fc, m); err != nil {
		l.tb.Fatal(err)
	}
	m.Observe(h.Forecast)
	return h
}

// OfKind returns the deviations of kind k that mon keeps, oldest first.
func OfKind(mon *monitor.Monitor, k deviation.Kind) []monitor.Deviation {
	var out []monitor.Deviation
	for _, d := range mon.Deviations() {
		if d.Kind == k {
			out = append(out, d)
		}
	}
	return out
}

// TreeAndKPIs returns the monitor's tree and KPIs of the mirror as it is.
func (h *Host) TreeAndKPIs() (monitor.Tree, monitor.KPIs) {
	v := h.Mirror.View()
	return h.Monitor.TreeAndKPIs(&v)
}

// CheckStale runs the monitor's check for silent nodes at the host clock
// time now.
func (h *Host) CheckStale(now time.Time) {
	v := h.Mirror.View()
	h.Monitor.CheckStale(&v, now)
}

// TreeLine returns the only line of a tree, failing tb when the tree has
// not exactly one area with one line.
func TreeLine(tb testing.TB, tr monitor.Tree) monitor.LineNode {
	tb.Helper()
	if len(tr.Areas) != 1 || len(tr.Areas[0].Lines) != 1 {
		tb.Fatalf("tree has %d areas, want 1 with 1 line: %+v", len(tr.Areas), tr)
	}
	return tr.Areas[0].Lines[0]
}

// TreeDevices returns every device of a line node by id (an arm that
// serves several cells once).
func TreeDevices(ln monitor.LineNode) map[string]monitor.DeviceNode {
	out := map[string]monitor.DeviceNode{}
	for _, c := range ln.Cells {
		for _, d := range c.Devices {
			out[d.ID] = d
		}
	}
	return out
}
