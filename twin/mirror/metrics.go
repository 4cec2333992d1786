package mirror

import "github.com/lightsout-sim/lightsout/twin/sparkplug/host"

// metrics indexes one node's or device's metrics by name.
type metrics map[string]host.MetricView

func indexMetrics(ms []host.MetricView) metrics {
	out := make(metrics, len(ms))
	for _, m := range ms {
		out[m.Name] = m
	}
	return out
}

// int returns a numeric metric as an integer.
func (ms metrics) int(name string) (int64, bool) {
	m, ok := ms[name]
	if !ok || m.IsNull {
		return 0, false
	}
	if i, ok := m.Value.Int64(); ok {
		return i, true
	}
	if f, ok := m.Value.Number(); ok {
		return int64(f), true
	}
	return 0, false
}

// number returns a numeric metric as a float.
func (ms metrics) number(name string) (float64, bool) {
	m, ok := ms[name]
	if !ok || m.IsNull {
		return 0, false
	}
	return m.Value.Number()
}

// text returns a string metric.
func (ms metrics) text(name string) (string, bool) {
	m, ok := ms[name]
	if !ok || m.IsNull {
		return "", false
	}
	return m.Value.Text()
}

// flag returns a boolean metric (a number counts as true when not 0).
func (ms metrics) flag(name string) (bool, bool) {
	m, ok := ms[name]
	if !ok || m.IsNull {
		return false, false
	}
	if b, ok := m.Value.Boolean(); ok {
		return b, true
	}
	if f, ok := m.Value.Number(); ok {
		return f != 0, true
	}
	return false, false
}
