package twin_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// TestRunMemoryBoundsTheHeap builds and runs lines until their buffers are
// full and checks that RunMemory's estimate is at least the heap they hold
// and not far above it: the estimate guards a batch against exhausting
// memory, so it must not be low, and must not refuse what would fit.
func TestRunMemoryBoundsTheHeap(t *testing.T) {
	for _, tc := range []struct {
		lines, stations, servers int
		buffer                   stations.Capacity
	}{
		{1, 500, 40, 0},   // many servers
		{20, 10, 2, 300},  // full buffers
		{200, 3, 1, 1000}, // many copies
	} {
		t.Run(fmt.Sprintf("%d lines x %d stations x %d servers, buffer %v", tc.lines, tc.stations, tc.servers, tc.buffer), func(t *testing.T) {
			spec := &twin.Spec{Lines: tc.lines}
			for i := range tc.stations {
				spec.Stations = append(spec.Stations, stations.Spec{ID: fmt.Sprint("s", i),
					Servers: tc.servers, Buffer: tc.buffer, Cycle: sim.ExpDist(sim.Second)})
			}
			spec.Stations[tc.stations-1].Cycle = sim.ConstDist(1000 * sim.Hour) // everything backs up
			spec.Defaults()
			opt := twin.Options{Duration: 100 * sim.Hour, SeriesBucket: sim.Minute, CopyWorkers: 2}
			m := spec.RunMemory(opt)

			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			// As a batch builds it: each copy on its own engine, run at once.
			l, err := twin.NewLineWith(spec, 1, twin.LineOptions{CopyEngines: true, Workers: opt.CopyWorkers})
			if err != nil {
				t.Fatal(err)
			}
			l.RecordSeries(opt.SeriesBucket, opt.Duration)
			l.RunUntil(sim.Time(tc.stations*int(tc.buffer)+tc.stations) * 2 * sim.Second)
			s := l.Series()
			runtime.GC()
			runtime.ReadMemStats(&after)
			live := float64(after.HeapAlloc) - float64(before.HeapAlloc)
			runtime.KeepAlive(l)
			runtime.KeepAlive(s)
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			t.Logf("live heap %.1f MB, estimate %.1f MB: %+v", live/1e6, m.Total()/1e6, m)
			if m.Total() < live || m.Total() > 3*live+2e6 {
				t.Errorf("estimate %.0f bytes for a live heap of %.0f", m.Total(), live)
			}
		})
	}
}

// TestRunMemoryOfHugeSpecs checks that the estimate of a spec far too big
// to run is made, and large, without allocating in proportion to it.
func TestRunMemoryOfHugeSpecs(t *testing.T) {
	spec := &twin.Spec{Lines: twin.MaxLines, Stations: make([]stations.Spec, 100)}
	for i := range spec.Stations {
		spec.Stations[i] = stations.Spec{ID: fmt.Sprint("s", i), Servers: stations.MaxServers,
			Buffer: stations.MaxCapacity, Cycle: sim.ExpDist(sim.Second)}
	}
	var m twin.Memory
	allocs := testing.AllocsPerRun(1, func() { m = spec.RunMemory(twin.Options{Duration: sim.MaxSpan}) })
	if allocs > 10 {
		t.Errorf("%v allocations", allocs)
	}
	if m.Servers != 1e9 || m.MaxUnits != 1000*100*(1e6+1e4) || m.Total() < 1e12 {
		t.Errorf("estimate %+v: want 1e9 servers, 1.01e11 units, over a terabyte", m)
	}
	if r := spec.ResultBytes(twin.Options{Duration: sim.MaxSpan}); r > 1e5 {
		t.Errorf("ResultBytes = %v: a result is a few kB", r)
	}
}
