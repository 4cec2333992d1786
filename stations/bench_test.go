package stations_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

type nopObs struct{}

func (nopObs) Created(stations.UnitID, *stations.Unit)                                         {}
func (nopObs) Entered(*stations.Station, stations.UnitID)                                      {}
func (nopObs) Taken(*stations.Station, stations.UnitID)                                        {}
func (nopObs) Processed(*stations.Station, stations.UnitID, sim.Time)                          {}
func (nopObs) Inspected(*stations.Station, stations.UnitID, bool)                              {}
func (nopObs) PhaseChanged(*stations.Station, int, stations.Phase)                             {}
func (nopObs) Departed(*stations.Station, stations.UnitID, *stations.Unit, stations.Departure) {}

// BenchmarkEightStationLine measures the stations alone: eight exponential
// stations with small buffers, failures and defects, observed by no one.
func BenchmarkEightStationLine(b *testing.B) {
	eng := sim.NewEngine(16)
	units := &stations.Units{}
	specs := []stations.Spec{}
	for i := 0; i < 8; i++ {
		d, _ := sim.ParseDist("exp(6s)")
		f, _ := sim.ParseDist("exp(2h)")
		r, _ := sim.ParseDist("exp(5m)")
		specs = append(specs, stations.Spec{ID: string(rune('a' + i)), Cycle: d, Buffer: 5, MTBF: f, MTTR: r, DefectRate: 0.01})
	}
	var sts []*stations.Station
	for i := range specs {
		specs[i].Defaults()
		sts = append(sts, stations.New(stations.Config{Spec: &specs[i], Index: i, Engine: eng, Units: units, Obs: nopObs{},
			Streams: stations.Streams{Cycle: sim.NewStream(1, specs[i].ID+"c"), Fail: sim.NewStream(1, specs[i].ID+"f"), Quality: sim.NewStream(1, specs[i].ID+"q")}}))
	}
	for i := range sts {
		if i+1 < len(sts) {
			sts[i].SetNext(sts[i+1])
		}
	}
	sts[0].SetUnlimited()
	for _, st := range sts {
		st.Start()
	}
	eng.RunUntil(sim.Hour)
	b.ReportAllocs()
	n0 := eng.Events()
	for b.Loop() {
		eng.Step()
	}
	b.ReportMetric(float64(eng.Events()-n0)/b.Elapsed().Seconds(), "events/s")
}
