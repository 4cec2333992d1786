package api

import (
	"net/http"
	"slices"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// collector is the prometheus.Collector of the twin: it reads the mirror's
// view, the tree and the KPIs at scrape time.
type collector struct {
	mirror  *mirror.Mirror
	monitor *monitor.Monitor

	received, badTopics, malformed, protocol, seqGaps, rebirths, dropped *prometheus.Desc
	suppressed, limitHits, evicted, nodes, bytes                         *prometheus.Desc

	lineOnline, lineObserved, lineShipped, lineScrapped, lineGood *prometheus.Desc
	lineThroughput, lineRecent, lineWIP, lineYield                *prometheus.Desc
	lineOEE, lineAvailability, linePerformance, lineQuality       *prometheus.Desc
	stState, stProcessed, stDefective, stThroughput               *prometheus.Desc
	stOEE, stAvailability, stPerformance, stQuality               *prometheus.Desc
	devStale, devStateSeconds                                     *prometheus.Desc
	deviations                                                    *prometheus.Desc
}

// MetricsHandler returns the twin's Prometheus endpoint (GET /metrics of
// [Handler]), served from a registry of its own. Every metric name starts
// with lightsout_twin_:
//
//	messages_received_total          MQTT messages received
//	bad_topics_total                 messages on non-Sparkplug topics
//	malformed_total                  payloads that failed to decode
//	protocol_errors_total            Sparkplug rules broken by edge nodes
//	seq_gaps_total                   sequence number gaps
//	rebirth_requests_total           rebirth requests asked for
//	dropped_total                    data dropped while awaiting a rebirth
//	                                 or from a refused node
//	rebirths_suppressed_total        rebirth requests withheld by the budget
//	limit_hits_total                 messages refused at a limit (label
//	                                 limit: payload, nodes, devices,
//	                                 metrics, memory)
//	evictions_total                  edge nodes the mirror forgot
//	mirror_nodes                     edge nodes mirrored now
//	mirror_bytes                     memory the mirror takes (its estimate)
//	deviations_total                 deviation events raised (label kind)
//
// per edge node, labels {group, node}:
//
//	line_online                      1 while online
//	line_observed_seconds            observed time, on the line's clock
//	line_shipped_total               units shipped (observed time)
//	line_scrapped_total              units scrapped
//	line_good_total                  good units (nodes with Line/Good)
//	line_throughput_per_hour         shipped per observed hour
//	line_recent_throughput_per_hour  shipped per hour over the recent window
//	line_wip                         units in the line
//	line_yield                       good / (shipped + scrapped) (with Line/Good)
//	line_oee, line_availability,     line OEE and its factors, on the
//	line_performance, line_quality   constraint station (when known)
//
// per station, labels {group, node, station}:
//
//	station_state                    PackML state number (PackTags v3.0)
//	station_processed_total          units processed (observed time)
//	station_defective_total          defective units
//	station_throughput_per_hour      processed per observed hour
//	station_oee, station_availability,
//	station_performance, station_quality
//
// per device, labels {group, node, device}:
//
//	device_stale                     1 while its data may be out of date
//	device_state_seconds_total       time in each PackML state (label state)
//
// See monitor.KPIs for how the figures are computed.
//
// more are further collectors to serve on the same registry.
func MetricsHandler(mir *mirror.Mirror, mon *monitor.Monitor, more ...prometheus.Collector) (http.Handler, error) {
	reg := prometheus.NewRegistry()
	for _, c := range append([]prometheus.Collector{newCollector(mir, mon)}, more...) {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), nil
}

// newCollector returns the collector of the twin's metrics.
func newCollector(mir *mirror.Mirror, mon *monitor.Monitor) *collector {
	line := []string{"group", "node"}
	station := []string{"group", "node", "station"}
	device := []string{"group", "node", "device"}
	d := func(name, help string, labels []string) *prometheus.Desc {
		return prometheus.NewDesc("lightsout_twin_"+name, help, labels, nil)
	}
	c := &collector{
		mirror:     mir,
		monitor:    mon,
		received:   d("messages_received_total", "MQTT messages the host received (Sparkplug, STATE and commands seen).", nil),
		badTopics:  d("bad_topics_total", "Messages on topics that are not Sparkplug B.", nil),
		malformed:  d("malformed_total", "Payloads that failed to decode.", nil),
		protocol:   d("protocol_errors_total", "Sparkplug rules broken by edge nodes.", nil),
		seqGaps:    d("seq_gaps_total", "Sequence number gaps.", nil),
		rebirths:   d("rebirth_requests_total", "Rebirth requests the host asked for.", nil),
		dropped:    d("dropped_total", "Data messages dropped while waiting for a rebirth, or from a refused edge node.", nil),
		suppressed: d("rebirths_suppressed_total", "Rebirth requests withheld because the host's rebirth budget was spent.", nil),
		limitHits:  d("limit_hits_total", "Messages refused at one of the host's limits.", []string{"limit"}),
		evicted:    d("evictions_total", "Edge nodes the mirror forgot: silent too long, or holding nothing at the node limit.", nil),
		nodes:      d("mirror_nodes", "Edge nodes the mirror holds.", nil),
		bytes:      d("mirror_bytes", "Memory the mirror's nodes, devices and metrics take, as the host estimates it (bounded by --max-mirror-memory).", nil),

		lineOnline:       d("line_online", "1 while the edge node is online.", line),
		lineObserved:     d("line_observed_seconds", "Time the line was observed, on its own clock.", line),
		lineShipped:      d("line_shipped_total", "Units shipped over the observed time.", line),
		lineScrapped:     d("line_scrapped_total", "Units scrapped over the observed time.", line),
		lineGood:         d("line_good_total", "Good units shipped over the observed time (nodes that publish Line/Good).", line),
		lineThroughput:   d("line_throughput_per_hour", "Units shipped per observed hour.", line),
		lineRecent:       d("line_recent_throughput_per_hour", "Units shipped per hour over the recent window.", line),
		lineWIP:          d("line_wip", "Units in the line now.", line),
		lineYield:        d("line_yield", "Good / (shipped + scrapped).", line),
		lineOEE:          d("line_oee", "Line OEE on the constraint station (ISO 22400-2).", line),
		lineAvailability: d("line_availability", "Line availability (the constraint's).", line),
		linePerformance:  d("line_performance", "Line performance: units out over the constraint's design speed x run time.", line),
		lineQuality:      d("line_quality", "Line quality: good over units out.", line),

		stState:        d("station_state", "PackML state number (PackTags v3.0) of the station.", station),
		stProcessed:    d("station_processed_total", "Units processed over the observed time.", station),
		stDefective:    d("station_defective_total", "Defective units over the observed time.", station),
		stThroughput:   d("station_throughput_per_hour", "Units processed per observed hour.", station),
		stOEE:          d("station_oee", "Station OEE (ISO 22400-2); 0 when the design speed is unknown.", station),
		stAvailability: d("station_availability", "Station availability: run time over planned time.", station),
		stPerformance:  d("station_performance", "Station performance: processed over design speed x run time.", station),
		stQuality:      d("station_quality", "Station quality: good over processed.", station),

		devStale:        d("device_stale", "1 while the device's metrics may be out of date.", device),
		devStateSeconds: d("device_state_seconds_total", "Time the device spent in each PackML state.", append(device, "state")),
		deviations:      d("deviations_total", "Deviation events raised, by kind.", []string{"kind"}),
	}
	return c
}

// Describe implements prometheus.Collector.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.received, c.badTopics, c.malformed, c.protocol, c.seqGaps,
		c.rebirths, c.dropped, c.suppressed, c.limitHits, c.evicted, c.nodes, c.bytes, c.lineOnline, c.lineObserved, c.lineShipped, c.lineScrapped, c.lineGood,
		c.lineThroughput, c.lineRecent, c.lineWIP, c.lineYield, c.lineOEE, c.lineAvailability,
		c.linePerformance, c.lineQuality, c.stState, c.stProcessed, c.stDefective, c.stThroughput,
		c.stOEE, c.stAvailability, c.stPerformance, c.stQuality, c.devStale, c.devStateSeconds, c.deviations} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	v := c.mirror.View()
	received, stats := v.Received, v.Stats
	devs := c.monitor.DeviationCounts()
	tree, kpis := c.monitor.TreeAndKPIs(&v)

	emit := func(d *prometheus.Desc, t prometheus.ValueType, v float64, labels ...string) {
		m, err := prometheus.NewConstMetric(d, t, v, labels...)
		if err != nil {
			m = prometheus.NewInvalidMetric(d, err)
		}
		ch <- m
	}
	counter := func(d *prometheus.Desc, v uint64) { emit(d, prometheus.CounterValue, float64(v)) }
	counter(c.received, received)
	counter(c.badTopics, stats.BadTopics)
	counter(c.malformed, stats.Malformed)
	counter(c.protocol, stats.ProtocolErrors)
	counter(c.seqGaps, stats.SeqGaps)
	counter(c.rebirths, stats.RebirthRequests)
	counter(c.dropped, stats.Dropped)
	counter(c.suppressed, stats.RebirthsSuppressed)
	counter(c.evicted, stats.Evicted)
	for l := host.LimitPayload; l <= host.LimitMemory; l++ {
		emit(c.limitHits, prometheus.CounterValue, float64(stats.Hits(l)), l.String())
	}
	emit(c.nodes, prometheus.GaugeValue, float64(v.Size.Nodes))
	emit(c.bytes, prometheus.GaugeValue, float64(v.Size.Bytes))
	for k, n := range devs {
		emit(c.deviations, prometheus.CounterValue, float64(n), k.String())
	}

	for _, l := range kpis.Lines {
		g, n := l.Group, l.EdgeNode
		gauge := func(d *prometheus.Desc, v float64) { emit(d, prometheus.GaugeValue, v, g, n) }
		gauge(c.lineOnline, trackBool(l.Online))
		gauge(c.lineObserved, l.ObservedS)
		emit(c.lineShipped, prometheus.CounterValue, float64(l.Shipped), g, n)
		emit(c.lineScrapped, prometheus.CounterValue, float64(l.Scrapped), g, n)
		if l.HasGood {
			emit(c.lineGood, prometheus.CounterValue, float64(l.Good), g, n)
			gauge(c.lineYield, l.Yield)
		}
		gauge(c.lineThroughput, l.ThroughputPerHour)
		gauge(c.lineRecent, l.RecentPerHour)
		gauge(c.lineWIP, float64(l.WIP))
		if l.Constraint != "" {
			gauge(c.lineOEE, l.OEE)
			gauge(c.lineAvailability, l.Availability)
			gauge(c.linePerformance, l.Performance)
			gauge(c.lineQuality, l.Quality)
		}
		for _, s := range l.Stations {
			sg := func(d *prometheus.Desc, t prometheus.ValueType, v float64) { emit(d, t, v, g, n, s.ID) }
			sg(c.stState, prometheus.GaugeValue, float64(s.StateNumber))
			sg(c.stProcessed, prometheus.CounterValue, float64(s.Processed))
			sg(c.stDefective, prometheus.CounterValue, float64(s.Defective))
			sg(c.stThroughput, prometheus.GaugeValue, s.ThroughputPerHour)
			sg(c.stOEE, prometheus.GaugeValue, s.OEE)
			sg(c.stAvailability, prometheus.GaugeValue, s.Availability)
			sg(c.stPerformance, prometheus.GaugeValue, s.Performance)
			sg(c.stQuality, prometheus.GaugeValue, s.Quality)
		}
	}
	seen := map[[3]string]bool{} // an arm shared by cells is listed once
	for _, a := range tree.Areas {
		for _, l := range a.Lines {
			for _, cell := range l.Cells {
				for _, dv := range cell.Devices {
					key := [3]string{a.Name, l.Name, dv.ID}
					if seen[key] {
						continue
					}
					seen[key] = true
					emit(c.devStale, prometheus.GaugeValue, trackBool(dv.Stale), a.Name, l.Name, dv.ID)
					// One series per state name, should a device ever give
					// one name two numbers.
					for i, st := range dv.TimeInState {
						if slices.ContainsFunc(dv.TimeInState[:i], func(o monitor.StateTime) bool { return o.State == st.State }) {
							continue
						}
						sum := 0.0
						for _, o := range dv.TimeInState[i:] {
							if o.State == st.State {
								sum += o.Seconds
							}
						}
						emit(c.devStateSeconds, prometheus.CounterValue, sum, a.Name, l.Name, dv.ID, st.State)
					}
				}
			}
		}
	}
}

func trackBool(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
