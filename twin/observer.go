package twin

import (
	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sensor"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// observer is one copy of the line as its stations see it: the
// stations.Observer that gathers the copy's statistics, feeds the view's
// history and the sensors. It is the same memory as the lineCopy (a
// conversion, not a wrapper), so the calls cost what methods on it would,
// while the callbacks stay out of Line's API. It touches only its copy's
// data (and the line's sensors, which only a line on one engine has).
type observer lineCopy

// Detailed implements stations.Selective: Entered, Taken, Processed,
// Inspected and PhaseChanged only feed the sensors (the stations keep the
// times a snapshot shows themselves), so the stations skip them when no
// trace is written.
func (o *observer) Detailed() bool { return o.l.sensors != nil }

// Created implements stations.Observer.
func (o *observer) Created(id stations.UnitID, u *stations.Unit) {
	lc := (*lineCopy)(o)
	lc.wipChange(1)
	lc.stats.started++
}

// Entered implements stations.Observer.
func (o *observer) Entered(st *stations.Station, id stations.UnitID) {
	if l := o.l; l.sensors != nil {
		l.sensors.Observe(o.eng.Now(), sensor.Reading{Line: st.Line(), Device: st.ID(), Kind: sensor.PhotoEyeIn, Value: 1})
	}
}

// Taken implements stations.Observer.
func (o *observer) Taken(st *stations.Station, id stations.UnitID) {
	if l := o.l; l.sensors != nil {
		l.sensors.Observe(o.eng.Now(), sensor.Reading{Line: st.Line(), Device: st.ID(), Kind: sensor.PhotoEyeOut, Value: 1})
	}
}

// Processed implements stations.Observer.
func (o *observer) Processed(st *stations.Station, id stations.UnitID, cycle sim.Time) {
	if l := o.l; l.sensors != nil {
		now := o.eng.Now()
		l.sensors.Observe(now, sensor.Reading{Line: st.Line(), Device: st.ID(), Kind: sensor.CycleTime, Value: cycle.Seconds()})
		l.sensors.Observe(now, sensor.Reading{Line: st.Line(), Device: st.ID(), Kind: sensor.Counter, Value: float64(st.Count())})
	}
}

// Inspected implements stations.Observer.
func (o *observer) Inspected(st *stations.Station, id stations.UnitID, pass bool) {
	if l := o.l; l.sensors != nil {
		v := 0.0
		if pass {
			v = 1
		}
		l.sensors.Observe(o.eng.Now(), sensor.Reading{Line: st.Line(), Device: st.ID(), Kind: sensor.Vision, Value: v})
	}
}

// PhaseChanged implements stations.Observer.
func (o *observer) PhaseChanged(st *stations.Station, k int, p stations.Phase) {
	if l := o.l; l.sensors != nil {
		l.sensors.Observe(o.eng.Now(), sensor.Reading{Line: st.Line(), Device: st.ID(), Server: k, Kind: sensor.State, Value: float64(p), Label: p.String()})
	}
}

// Departed implements stations.Observer.
func (o *observer) Departed(st *stations.Station, id stations.UnitID, u *stations.Unit, how stations.Departure) {
	lc := (*lineCopy)(o)
	now := o.eng.Now()
	s := &o.stats
	lc.wipChange(-1)
	s.departures++
	s.flowSum += (now - u.Born).Seconds()
	if u.Reworks > 0 {
		s.reworked++
	}
	kind := sensor.Shipped
	switch how {
	case stations.Shipped:
		v := &o.view
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
		if o.series != nil {
			o.series.ship(now, !u.Defective)
		}
	case stations.Scrapped:
		s.scrapped++
		s.scrappedTotal++
		kind = sensor.Scrap
	}
	if l := o.l; l.sensors != nil {
		// The line's counter: every copy's together (they share the engine).
		var count int64
		for _, c := range l.copies {
			if kind == sensor.Shipped {
				count += c.stats.shippedTotal
			} else {
				count += c.stats.scrappedTotal
			}
		}
		l.sensors.Observe(now, sensor.Reading{Line: st.Line(), Device: "line", Kind: kind, Value: float64(count)})
	}
}

// Condition implements stations.ConditionObserver: a worn station's
// condition reading goes into the trace, arriving when the model drew.
func (o *observer) Condition(st *stations.Station, k int, arrives sim.Time, value float64) {
	l := o.l
	l.keepCondition(st, k, arrives, value)
	if l.sensors == nil {
		return
	}
	kind := sensor.Vibration
	if st.Spec().Wear.Sensor.Kind == stations.ConditionTemperature {
		kind = sensor.Temperature
	}
	l.sensors.Push(o.eng.Now(), sensor.Reading{T: arrives, Event: o.eng.Now(), Line: st.Line(), Device: st.ID(),
		Server: k, Kind: kind, Value: value})
}

// armCondition hears a worn arm's condition reading: into the trace,
// arriving when the model drew, and kept for a controller.
func (o *observer) armCondition(a *robots.Arm, arrives sim.Time, value float64) {
	l := o.l
	l.keepArmCondition(a, arrives, value)
	if l.sensors == nil {
		return
	}
	kind := sensor.Vibration
	if a.Spec().Wear.Sensor.Kind == robots.ConditionTemperature {
		kind = sensor.Temperature
	}
	l.sensors.Push(o.eng.Now(), sensor.Reading{T: arrives, Event: o.eng.Now(), Line: a.Line(), Device: a.ID(),
		Kind: kind, Value: value})
}
