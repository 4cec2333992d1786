package twin_test

import (
	"encoding/json"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// copiesRun is what a run of a multi-copy line shows, for comparing runs.
type copiesRun struct {
	Result   []byte // the Result as JSON
	Series   *twin.Series
	Snapshot *twin.Snapshot
	State    twin.State
	Log      []twin.TimedCommand
	Events   uint64
}

// runCopies runs the default factory (two copies) for 18 simulated hours
// in uneven steps, with a warm-up, a series and commands on both copies
// (speed changes among them), and returns what it shows.
func runCopies(t *testing.T, opt twin.LineOptions) copiesRun {
	t.Helper()
	spec, err := configs.Embedded(configs.Default)
	if err != nil {
		t.Fatal(err)
	}
	if spec.Lines < 2 {
		t.Fatalf("%s has %d copies: the test needs two or more", configs.Default, spec.Lines)
	}
	l, err := twin.NewLineWith(spec, 7, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	end := 18 * sim.Hour
	l.RecordSeries(10*sim.Minute, end)
	first, last := spec.Stations[0].ID, spec.Stations[len(spec.Stations)-1].ID
	cmds := []struct {
		at  sim.Time
		cmd twin.Command
	}{
		{90 * sim.Minute, twin.Command{Kind: twin.SetSpeed, Line: 1, Target: first, Speed: 1.3}},
		{3 * sim.Hour, twin.Command{Kind: twin.BreakStation, Line: 0, Target: last}},
		{4 * sim.Hour, twin.Command{Kind: twin.HoldStation, Line: 1, Target: last}},
		{5 * sim.Hour, twin.Command{Kind: twin.RepairStation, Line: 0, Target: last}},
		{5 * sim.Hour, twin.Command{Kind: twin.UnholdStation, Line: 1, Target: last}},
		{9 * sim.Hour, twin.Command{Kind: twin.SetSpeed, Line: 0, Target: first, Speed: 0.8}},
		{12 * sim.Hour, twin.Command{Kind: twin.SetSpeed, Line: 1, Target: first, Speed: 1}},
	}
	next := 0
	for now, step := sim.Time(0), 17*sim.Minute; now < end; {
		now = min(now+step, end)
		if now > 2*sim.Hour && now-step <= 2*sim.Hour {
			l.RunUntil(2 * sim.Hour)
			l.ResetStats() // the warm-up
		}
		for next < len(cmds) && cmds[next].at <= now {
			l.RunUntil(cmds[next].at)
			if err := l.Do(cmds[next].cmd); err != nil {
				t.Fatal(err)
			}
			next++
		}
		l.RunUntil(now)
		step += 13 * sim.Minute
	}
	r := l.Result()
	r.WallSeconds = 0
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return copiesRun{Result: js, Series: l.Series(), Snapshot: l.Snapshot(), State: l.State(), Log: l.Log(), Events: l.Events()}
}

// The copies of a line that share nothing give the same run on one engine
// as each on its own, one after another or at once: each copy runs the
// same events in the same order, and every figure is gathered per copy.
func TestCopyEnginesGiveTheSameRun(t *testing.T) {
	shared := runCopies(t, twin.LineOptions{})
	for _, tc := range []struct {
		name string
		opt  twin.LineOptions
	}{
		{"own engines", twin.LineOptions{CopyEngines: true}},
		{"own engines, 2 workers", twin.LineOptions{CopyEngines: true, Workers: 2}},
		{"own engines, 5 workers", twin.LineOptions{CopyEngines: true, Workers: 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runCopies(t, tc.opt)
			if string(got.Result) != string(shared.Result) {
				t.Errorf("result differs from the shared engine's:\n%s\nwant\n%s", got.Result, shared.Result)
			}
			if got.Events != shared.Events {
				t.Errorf("%d events, want %d", got.Events, shared.Events)
			}
			for name, eq := range map[string]bool{
				"series":   reflect.DeepEqual(got.Series, shared.Series),
				"snapshot": reflect.DeepEqual(got.Snapshot, shared.Snapshot),
				"state":    reflect.DeepEqual(got.State, shared.State),
				"log":      reflect.DeepEqual(got.Log, shared.Log),
			} {
				if !eq {
					t.Errorf("%s differs from the shared engine's", name)
				}
			}
		})
	}
	if shared.Result == nil || !strings.Contains(string(shared.Result), `"shipped"`) || shared.Events == 0 {
		t.Fatal("the run shows nothing")
	}
	for _, tc := range shared.Log {
		if tc.Err != "" {
			t.Errorf("command %v failed: %s", tc.Cmd, tc.Err)
		}
	}
}

// The line uses one engine per copy only when asked and when the copies
// share nothing; twin.Run asks when no controller flies the line.
func TestCopyEnginesOnlyWhenIndependent(t *testing.T) {
	spec, err := configs.Embedded(configs.Default)
	if err != nil {
		t.Fatal(err)
	}
	engines := func(spec *twin.Spec, opt twin.LineOptions) int {
		l, err := twin.NewLineWith(spec, 1, opt)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return l.Engines()
	}
	if n := engines(spec, twin.LineOptions{}); n != 1 {
		t.Errorf("NewLine: %d engines, want 1", n)
	}
	if n := engines(spec, twin.LineOptions{CopyEngines: true}); n != spec.Lines {
		t.Errorf("CopyEngines: %d engines, want %d", n, spec.Lines)
	}
	if n := engines(spec, twin.LineOptions{CopyEngines: true, Trace: new(strings.Builder)}); n != 1 {
		t.Errorf("CopyEngines with a trace: %d engines, want 1", n)
	}
	shared := *spec
	shared.Crew = &twin.CrewSpec{Size: 2, Shared: true}
	if n := engines(&shared, twin.LineOptions{CopyEngines: true}); n != 1 {
		t.Errorf("CopyEngines with a shared crew: %d engines, want 1", n)
	}

	l, err := twin.NewLineWith(spec, 1, twin.LineOptions{CopyEngines: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(){
		"Control":        func() { l.Control(nil, 0) },
		"KeepConditions": func() { l.KeepConditions() },
	} {
		func() {
			defer func() {
				if v := recover(); v == nil || !strings.Contains(v.(string), "one engine") {
					t.Errorf("%s on a line with an engine per copy: panic %v, want one saying it needs one engine", name, v)
				}
			}()
			f()
		}()
	}
}

// twin.Run gives the same result whatever the copy workers and GOMAXPROCS.
func TestRunCopyWorkersChangeNothing(t *testing.T) {
	spec, err := configs.Embedded(configs.Default)
	if err != nil {
		t.Fatal(err)
	}
	run := func(opt twin.Options) string {
		t.Helper()
		r, err := twin.Run(spec, opt)
		if err != nil {
			t.Fatal(err)
		}
		r.WallSeconds = 0
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(js)
	}
	opt := twin.Options{Duration: 12 * sim.Hour, Warmup: 2 * sim.Hour, Seed: 5}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	one := run(opt)
	runtime.GOMAXPROCS(2)
	opt.CopyWorkers = 2
	two := run(opt)
	if one != two {
		t.Errorf("1 copy worker at GOMAXPROCS 1 and 2 at GOMAXPROCS 2 differ:\n%s\n%s", one, two)
	}
}

// A panic in a copy run by another goroutine reaches the caller of
// RunUntil, as it would with the copies run one after another.
func TestCopyWorkerPanicReachesTheCaller(t *testing.T) {
	spec, err := configs.Embedded(configs.Default)
	if err != nil {
		t.Fatal(err)
	}
	l, err := twin.NewLineWith(spec, 1, twin.LineOptions{CopyEngines: true, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	l.RunUntil(sim.Hour)
	defer func() {
		if v := recover(); v == nil || !strings.Contains(v.(string), "before now") {
			t.Errorf("panic %v, want the engines' \"before now\"", v)
		}
	}()
	l.RunUntil(sim.Minute) // before now: every engine panics
}

// BenchmarkCopyWorkersJoin times a RunUntil that has nothing to run on a
// line whose two copies run on two goroutines: the cost of handing the
// engines out and joining them, paid at every RunUntil (200 times a run).
func BenchmarkCopyWorkersJoin(b *testing.B) {
	spec, err := configs.Embedded(configs.Default)
	if err != nil {
		b.Fatal(err)
	}
	l, err := twin.NewLineWith(spec, 1, twin.LineOptions{CopyEngines: true, Workers: 2})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	l.RunUntil(sim.Hour)
	for b.Loop() {
		l.RunUntil(l.Now())
	}
}
