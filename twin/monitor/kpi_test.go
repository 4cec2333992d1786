package monitor_test

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// shippedLog records copy 0's shipped count after each step, by simulated
// ms: what the recent throughput is checked against.
type shippedLog map[uint64]int64

// record notes the line's shipped count now.
func (s shippedLog) record(l *twintest.Line) {
	snap := l.Line.Snapshot()
	st := snap.Stations[len(l.Spec.Stations)-1].Counts
	s[uint64(l.Line.Now()/sim.Millisecond)] = st.Out - st.Reworked - st.Scrapped
}

// run runs the line for d, recording the shipped count after each step.
func (s shippedLog) run(l *twintest.Line, d sim.Time) {
	l.Run(d, trackStep, func() { s.record(l) })
}

// compareKPIs checks the host's KPIs of the line's copy 0 against the
// line's own Snapshot. episodes bounds the number of down periods (failures
// and breaks) of each station, by id.
//
// Tolerances. Counters are published as they stand at each update, so
// counts and rates from them agree exactly (up to float rounding) when the
// host saw the whole run. States are sampled at each update: a down period
// is seen to start and to end up to one step late, and one shorter than
// a step may be missed, so the host's down time of a machine is within
// episodes x step of the simulator's. Availability and performance share
// the run time, so each may be off by that much relative to the run time,
// and OEE by the sum. The design speed is a Float (float32): 1e-7
// relative. ProdDefectiveCount is Defects + Caught, which counts twice a
// unit that gained a defect at a station and was caught by that station's
// own inspection; the simulator counts it once: host quality is lower by
// at most min(Defects, Caught) / Processed (exact where no station both
// creates and catches defects).
//
// The host's performance is against the published design speed, the
// simulator's against the ideal cycle (arm moves included): the expected
// OEE is the simulator's scaled by their ratio.
func compareKPIs(t *testing.T, l *twintest.Line, shipped shippedLog, k monitor.LineKPI, episodes map[string]int64) {
	t.Helper()
	snap := l.Line.Snapshot()
	per := len(l.Spec.Stations)
	elapsed := snap.Line.Elapsed.Seconds()
	step := trackStep.Seconds()
	near := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol+1e-7*math.Abs(want)+1e-9 {
			t.Errorf("%s: host %v, line %v (tolerance %v)", what, got, want, tol)
		}
	}
	if k.ObservedS != elapsed {
		t.Fatalf("observed %v s, line elapsed %v s", k.ObservedS, elapsed)
	}
	if len(k.Stations) != per {
		t.Fatalf("%d stations, want %d", len(k.Stations), per)
	}
	// slack returns the down time the host may have missed per server, and
	// the tolerances of availability and performance it implies.
	slack := func(s monitor.StationKPI) (tolA, tolP float64) {
		sl := float64(episodes[s.ID]) * step / float64(s.Servers)
		return sl / s.PlannedS, s.Performance * sl / (s.RunS - sl)
	}
	availability := func(st twin.StationState) float64 {
		return (1 - st.Maintenance - st.Down) / (1 - st.Maintenance)
	}
	for i, s := range k.Stations {
		st := snap.Stations[i] // copy 0
		if s.ID != st.ID || s.Servers != len(st.Servers) {
			t.Fatalf("station %d: %s with %d servers, want %s with %d", i, s.ID, s.Servers, st.ID, len(st.Servers))
		}
		if s.Processed != st.Counts.Processed {
			t.Errorf("%s: processed %d, line %d", s.ID, s.Processed, st.Counts.Processed)
		}
		near(s.ID+" throughput/h", s.ThroughputPerHour, float64(st.Counts.Processed)/(elapsed/3600), 0)
		servers := float64(len(st.Servers))
		if st.Conveyor {
			servers = 1
		}
		scale := 60 * servers / s.DesignPerMin / st.IdealCycle.Seconds()
		if l.Spec.Stations[i].Arm == nil && math.Abs(scale-1) > 1e-7 || scale <= 0 || scale > 1+1e-7 {
			t.Errorf("%s: design speed %v/min, ideal cycle %v", s.ID, s.DesignPerMin, st.IdealCycle)
		}
		tolA, tolP := slack(s)
		tolQ := float64(min(st.Counts.Defects, st.Counts.Caught)) / float64(st.Counts.Processed)
		near(s.ID+" availability", s.Availability, availability(st), tolA)
		near(s.ID+" OEE", s.OEE, st.OEE*scale, tolA+tolP+tolQ)
	}

	// Line figures of copy 0: Line/Shipped is what its last station handed
	// out of the line; WIP what its stations hold.
	last := snap.Stations[per-1].Counts
	out := last.Out - last.Reworked - last.Scrapped
	near("throughput/h", k.ThroughputPerHour, float64(out)/(elapsed/3600), 0)
	wip := 0
	for _, st := range snap.Stations[:per] {
		wip += st.Buffer + st.Inside
		for _, v := range st.Servers {
			if v.Unit && !st.Conveyor {
				wip++
			}
		}
	}
	if k.WIP != int64(wip) {
		t.Errorf("WIP %d, copy 0 holds %d", k.WIP, wip)
	}
	c := l.Spec.Constraint()
	if k.Constraint != l.Spec.Stations[c].ID {
		t.Fatalf("constraint %q, want %q", k.Constraint, l.Spec.Stations[c].ID)
	}
	tolA, tolP := slack(k.Stations[c])
	near("line availability", k.Availability, availability(snap.Stations[c]), tolA)
	if snap.Lines == 1 {
		if k.Shipped != snap.Line.Shipped || !k.HasGood {
			t.Errorf("shipped %d, line %d; has good %v", k.Shipped, snap.Line.Shipped, k.HasGood)
		}
		near("good/h", k.GoodPerHour, snap.Line.GoodPerHour, 0)
		near("yield", k.Yield, snap.Line.Yield, 0)
		near("line availability", k.Availability, snap.Line.Availability, tolA)
		near("line quality", k.Quality, snap.Line.Quality, 0)
		near("line OEE", k.OEE, snap.Line.OEE, tolA+tolP)
	}

	// The recent rate is the shipped count over the span the host reports.
	now := uint64(l.Line.Now() / sim.Millisecond)
	from := now - uint64(math.Round(k.RecentS*1000))
	then, ok := shipped[from]
	if !ok || k.RecentS < monitor.RecentWindow.Seconds()-60 || k.RecentS > monitor.RecentWindow.Seconds() {
		t.Fatalf("recent window %v s (from %d ms: recorded %v)", k.RecentS, from, ok)
	}
	near("recent throughput/h", k.RecentPerHour, float64(shipped[now]-then)/k.RecentS*3600, 0)
}

// failures returns each station's failure count on copy 0.
func failures(snap *twin.Snapshot, per int) map[string]int64 {
	out := map[string]int64{}
	for _, st := range snap.Stations[:per] {
		out[st.ID] = st.Counts.Failures
	}
	return out
}

func TestKPIsAgreeWithTheLine(t *testing.T) {
	l, h := newTrack(t, "demo-line", true)
	shipped := shippedLog{}
	shipped.record(l)
	shipped.run(l, sim.Hour)
	// A commanded break of the printer for 20 minutes: Aborted time.
	l.Do(twin.Command{Kind: twin.BreakStation, Target: "printer"})
	shipped.run(l, 20*sim.Minute)
	l.Do(twin.Command{Kind: twin.RepairStation, Target: "printer"})
	shipped.run(l, 4*sim.Hour+40*sim.Minute)

	k := lineKPIs(t, l, h)
	episodes := failures(l.Line.Snapshot(), len(l.Spec.Stations))
	episodes["printer"]++ // the break
	compareKPIs(t, l, shipped, k, episodes)

	printer := k.Stations[0]
	if printer.Availability > 1-1200.0/k.ObservedS+0.01 || printer.Availability < 0.5 {
		t.Errorf("printer availability %v after a 20 min break in %v s", printer.Availability, k.ObservedS)
	}
	if k.OEE <= 0.5 || k.OEE > 1 || k.Quality <= 0.9 || !k.HasGood {
		t.Errorf("line OEE %v quality %v", k.OEE, k.Quality)
	}
	// KPIs and TreeAndKPIs agree.
	v := h.Mirror.View()
	if alone := h.Monitor.KPIs(&v); len(alone.Lines) != 1 || alone.Lines[0].OEE != k.OEE || alone.Lines[0].Shipped != k.Shipped {
		t.Errorf("KPIs %+v, TreeAndKPIs %+v", alone.Lines, k)
	}
}

func TestKPIsMultiServerStations(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates hours of a large line")
	}
	l, h := newTrack(t, "phone-factory", true)
	shipped := shippedLog{}
	shipped.run(l, 3*sim.Hour)
	k := lineKPIs(t, l, h)
	eps := failures(l.Line.Snapshot(), len(l.Spec.Stations))
	multi, down := 0, int64(0)
	for _, s := range k.Stations {
		if s.Servers > 1 {
			multi++
			down += eps[s.ID]
		}
	}
	if multi == 0 || down == 0 {
		t.Fatalf("%d multi-server stations measured per server, %d failures among them", multi, down)
	}
	compareKPIs(t, l, shipped, k, eps)
}

// After speed changes (faster and slower, several stations) and a hold,
// the host's KPIs agree with the line's and no OEE or performance is above
// 1: a speed-up raises the ideal rate for the time it lasts, a slow-down
// is a speed loss, and a hold is a planned stop, not an availability loss.
func TestKPIsAfterSpeedChangesAndAHold(t *testing.T) {
	l, h := newTrack(t, "demo-line", true)
	shipped := shippedLog{}
	shipped.record(l)
	shipped.run(l, 30*sim.Minute)
	l.Do(twin.Command{Kind: twin.SetSpeed, Target: "test", Speed: 2.5})
	l.Do(twin.Command{Kind: twin.SetSpeed, Target: "printer", Speed: 0.8})
	shipped.run(l, 90*sim.Minute)
	l.Do(twin.Command{Kind: twin.HoldStation, Target: "pack"})
	shipped.run(l, 20*sim.Minute)
	l.Do(twin.Command{Kind: twin.UnholdStation, Target: "pack"})
	l.Do(twin.Command{Kind: twin.SetSpeed, Target: "placer", Speed: 3})
	shipped.run(l, 2*sim.Hour)

	k := lineKPIs(t, l, h)
	eps := failures(l.Line.Snapshot(), len(l.Spec.Stations))
	// The host sees a hold and a speed change up to a sample late: each
	// counts as an episode, twice for a speed-up of up to 3x (its time
	// weighs up to 3 design seconds), on the stations whose ideal rate it
	// changes; the line's ideal rate follows every change.
	eps["pack"]++
	eps["test"] += 2
	eps["printer"]++
	eps["placer"] += 2
	eps[k.Constraint] += 2 * 3
	compareKPIs(t, l, shipped, k, eps)
	if k.OEE > 1 || k.Performance > 1 || k.OEE <= 0 {
		t.Errorf("line OEE %v, performance %v: want in (0, 1]", k.OEE, k.Performance)
	}
	for _, s := range k.Stations {
		if s.OEE > 1 || s.Performance > 1 {
			t.Errorf("%s: OEE %v, performance %v: want at most 1", s.ID, s.OEE, s.Performance)
		}
		if s.ID == "pack" && s.PlannedS > k.ObservedS-20*60+30 {
			t.Errorf("pack's planned time %v s of %v s observed: the 20 min hold is not a planned stop", s.PlannedS, k.ObservedS)
		}
	}
}

// The host names the bottleneck the line names (the active period method
// over the last hour) from the states the edge publishes, and follows a
// speed-up of the bottleneck within the hour.
func TestKPIsNameTheLinesBottleneck(t *testing.T) {
	l, h := newTrack(t, "demo-line", true)
	name := func(i int) string {
		if i < len(l.Spec.Stations) {
			return l.Spec.Stations[i].ID
		}
		return ""
	}
	l.Run(2*sim.Hour, trackStep, nil)
	k := lineKPIs(t, l, h)
	if want := name(l.Line.Snapshot().Line.Bottleneck); k.Bottleneck != want || want != "test" {
		t.Errorf("host's bottleneck %q, line's %q: want both test", k.Bottleneck, want)
	}
	l.Do(twin.Command{Kind: twin.SetSpeed, Target: "test", Speed: 2.5})
	l.Run(sim.Hour, trackStep, nil)
	k = lineKPIs(t, l, h)
	want := name(l.Line.Snapshot().Line.Bottleneck)
	if k.Bottleneck != want || want == "test" || want == "" {
		t.Errorf("an hour after test's speed-up: host's bottleneck %q, line's %q; want the same, not test", k.Bottleneck, want)
	}
	if k.MomentaryBottleneck == "" {
		t.Error("no momentary bottleneck")
	}
}

// A bottleneck window under a minute is refused.
func TestBottleneckWindowUnderAMinute(t *testing.T) {
	if _, err := monitor.New(monitor.Config{BottleneckWindow: 30 * sim.Second}); err == nil {
		t.Error("a 30 s bottleneck window accepted")
	}
	if _, err := monitor.New(monitor.Config{BottleneckWindow: 10 * sim.Minute}); err != nil {
		t.Errorf("a 10 min window: %v", err)
	}
}
