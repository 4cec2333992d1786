package twin

import (
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sensor"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// observer is the Line as its stations see it: the stations.Observer that
// gathers the line-wide statistics, feeds the view's history and the
// sensors. It is the same memory as the Line (a conversion, not a wrapper),
// so the calls cost what methods on *Line would, while the callbacks stay
// out of Line's API.
type observer Line

// Detailed implements stations.Selective: PhaseChanged and Processed only
// feed the sensors, so the stations skip them when no trace is written.
func (o *observer) Detailed() bool { return o.sensors != nil }

// Created implements stations.Observer.
func (o *observer) Created(id stations.UnitID, u *stations.Unit) {
	l := (*Line)(o)
	l.wipChange(1)
	l.stats.started++
}

// Entered implements stations.Observer.
func (o *observer) Entered(st *stations.Station, id stations.UnitID) {
	l := (*Line)(o)
	l.view.lastIn[l.slot(st)] = l.eng.Now()
	if l.sensors != nil {
		l.sensors.Observe(l.eng.Now(), sensor.Reading{Line: st.Line(), Device: st.ID(), Kind: sensor.PhotoEyeIn, Value: 1})
	}
}

// Taken implements stations.Observer.
func (o *observer) Taken(st *stations.Station, id stations.UnitID) {
	l := (*Line)(o)
	l.view.lastOut[l.slot(st)] = l.eng.Now()
	if l.sensors != nil {
		l.sensors.Observe(l.eng.Now(), sensor.Reading{Line: st.Line(), Device: st.ID(), Kind: sensor.PhotoEyeOut, Value: 1})
	}
}

// Processed implements stations.Observer.
func (o *observer) Processed(st *stations.Station, id stations.UnitID, cycle sim.Time) {
	l := (*Line)(o)
	if l.sensors != nil {
		now := l.eng.Now()
		l.sensors.Observe(now, sensor.Reading{Line: st.Line(), Device: st.ID(), Kind: sensor.CycleTime, Value: cycle.Seconds()})
		l.sensors.Observe(now, sensor.Reading{Line: st.Line(), Device: st.ID(), Kind: sensor.Counter, Value: float64(st.Count())})
	}
}

// Inspected implements stations.Observer.
func (o *observer) Inspected(st *stations.Station, id stations.UnitID, pass bool) {
	l := (*Line)(o)
	i := l.slot(st)
	l.view.lastCheck[i], l.view.lastPass[i] = l.eng.Now(), pass
	if l.sensors != nil {
		v := 0.0
		if pass {
			v = 1
		}
		l.sensors.Observe(l.eng.Now(), sensor.Reading{Line: st.Line(), Device: st.ID(), Kind: sensor.Vision, Value: v})
	}
}

// PhaseChanged implements stations.Observer.
func (o *observer) PhaseChanged(st *stations.Station, k int, p stations.Phase) {
	l := (*Line)(o)
	if l.sensors != nil {
		l.sensors.Observe(l.eng.Now(), sensor.Reading{Line: st.Line(), Device: st.ID(), Server: k, Kind: sensor.State, Value: float64(p), Label: p.String()})
	}
}

// Departed implements stations.Observer.
func (o *observer) Departed(st *stations.Station, id stations.UnitID, u *stations.Unit, how stations.Departure) {
	l := (*Line)(o)
	now := l.eng.Now()
	s := &l.stats
	l.wipChange(-1)
	s.departures++
	s.flowSum += (now - u.Born).Seconds()
	if u.Reworks > 0 {
		s.reworked++
	}
	kind, count := sensor.Shipped, int64(0)
	switch how {
	case stations.Shipped:
		v := &l.view
		v.advance(now)
		b := v.bucket % HistoryLen
		v.shipped[b]++
		if !u.Defective {
			v.good[b]++
		}
		s.shipped++
		if u.Defective {
			s.escaped++
		} else {
			s.good++
			if !u.Flawed {
				s.firstPass++
			}
		}
		s.shippedTotal++
		count = s.shippedTotal
		if l.series != nil {
			l.series.ship(now, !u.Defective)
		}
	case stations.Scrapped:
		s.scrapped++
		s.scrappedTotal++
		kind, count = sensor.Scrap, s.scrappedTotal
	}
	if l.sensors != nil {
		l.sensors.Observe(now, sensor.Reading{Line: st.Line(), Device: "line", Kind: kind, Value: float64(count)})
	}
}

// Condition implements stations.ConditionObserver: a worn station's
// condition reading goes into the trace, arriving when the model drew.
func (o *observer) Condition(st *stations.Station, k int, arrives sim.Time, value float64) {
	l := (*Line)(o)
	l.keepCondition(st, k, arrives, value)
	if l.sensors == nil {
		return
	}
	kind := sensor.Vibration
	if st.Spec().Wear.Sensor.Kind == stations.ConditionTemperature {
		kind = sensor.Temperature
	}
	l.sensors.Push(l.eng.Now(), sensor.Reading{T: arrives, Event: l.eng.Now(), Line: st.Line(), Device: st.ID(),
		Server: k, Kind: kind, Value: value})
}

// armCondition hears a worn arm's condition reading: into the trace,
// arriving when the model drew, and kept for a controller.
func (o *observer) armCondition(a *robots.Arm, arrives sim.Time, value float64) {
	l := (*Line)(o)
	l.keepArmCondition(a, arrives, value)
	if l.sensors == nil {
		return
	}
	kind := sensor.Vibration
	if a.Spec().Wear.Sensor.Kind == robots.ConditionTemperature {
		kind = sensor.Temperature
	}
	l.sensors.Push(l.eng.Now(), sensor.Reading{T: arrives, Event: l.eng.Now(), Line: a.Line(), Device: a.ID(),
		Kind: kind, Value: value})
}
