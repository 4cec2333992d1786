package twin

import (
	"unsafe"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Memory is an estimate of the most memory one run of a line holds at
// once, in bytes, made from its spec before anything is built (see
// Spec.RunMemory). It bounds what it counts from above: units in process
// as if every finite buffer, machine and conveyor were full. It leaves out
// what nothing but the run bounds: units in unbounded buffers and rework
// queues, and sensor readings waiting out their latency.
type Memory struct {
	// Machines is the stations with their servers, statistics, random
	// streams and pending events, and the arms, of every copy.
	Machines float64
	// Units is the units in process when every finite buffer, machine and
	// conveyor is full.
	Units float64
	// Series is the run's output series, while recorded (by every copy)
	// and in its Result.
	Series float64
	// Lines is the number of copies of the line, Servers their servers in
	// all (a conveyor counts one), MaxUnits the units in process counted
	// in Units, and Buckets the series' buckets.
	Lines                      int
	Servers, MaxUnits, Buckets int64
}

// RunOverhead is what a run holds whatever its size, in bytes: the
// engine's initial room, the trace's buffer, the line's statistics.
const RunOverhead = 128 << 10

// Total returns the estimate in bytes.
func (m Memory) Total() float64 { return RunOverhead + m.Machines + m.Units + m.Series }

// RunMemory estimates the memory of one run of the line in s with opt:
// see Memory. s must have passed Validate. It allocates nothing in
// proportion to the line, so it is safe to call on a spec far too big to
// run.
func (s *Spec) RunMemory(opt Options) Memory {
	m := Memory{Lines: s.Lines}
	var bytes, events float64
	armWaiting := make(map[string]int64, len(s.Arms))
	for i := range s.Stations {
		st := &s.Stations[i]
		b, units := st.Footprint()
		servers := int64(st.Servers)
		if st.Conveyor != nil {
			servers = 1
		}
		bytes += float64(b)
		m.Servers += servers
		m.MaxUnits += units
		events += float64(2*servers + 2) // each server's end or failure, and its repair; the calendar
		if st.Arm != nil {
			armWaiting[st.Arm.ID] += servers
		}
	}
	for j := range s.Arms {
		bytes += float64(s.Arms[j].Footprint(armWaiting[s.Arms[j].ID]))
		events += 2
	}
	// The line's own slices: pointers to the stations and arms; each
	// copy's statistics. (The times a snapshot shows are the stations'
	// own, in their footprint.)
	perStation := float64(2 * unsafe.Sizeof(uintptr(0)))
	bytes += float64(len(s.Stations))*perStation + float64(len(s.Arms))*float64(unsafe.Sizeof(uintptr(0))) +
		float64(unsafe.Sizeof(lineCopy{}))
	lines := float64(s.Lines)
	if s.Lines > 1 && opt.CopyWorkers > 1 {
		bytes += 3 * gapBytes() // the gaps that keep copies run at once apart (copies.go)
	}
	m.Machines = lines * (bytes + (events+1)*float64(sim.EventBytes))
	m.Servers *= int64(s.Lines)
	m.MaxUnits *= int64(s.Lines)
	// Each copy has its own pool of units, which may keep up to twice the
	// room its units need as it grows.
	m.Units = float64(m.MaxUnits) * float64(stations.UnitBytes+int64(unsafe.Sizeof(stations.Unit{})))
	if opt.SeriesBucket >= 0 && opt.Duration > 0 {
		m.Buckets = int64(opt.Duration/seriesBucket(opt.Duration, opt.SeriesBucket)) + 1
		// Each copy's recorder's three slices, then the Result's three
		// and the merge's one.
		m.Series = float64(m.Buckets) * float64(3*s.Lines+4) * 8
	}
	return m
}

// ResultBytes returns about how many bytes the Result of one run of the
// line in s with opt takes: what a batch keeps of each replication.
func (s *Spec) ResultBytes(opt Options) float64 {
	b := float64(unsafe.Sizeof(Result{})) +
		float64(len(s.Stations))*float64(unsafe.Sizeof(StationResult{})) +
		float64(len(s.Arms))*float64(unsafe.Sizeof(ArmResult{}))
	if opt.SeriesBucket >= 0 && opt.Duration > 0 {
		b += float64(unsafe.Sizeof(Series{})) + 3*8*float64(opt.Duration/seriesBucket(opt.Duration, opt.SeriesBucket)+1)
	}
	return b
}
