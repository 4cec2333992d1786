package twin_test

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func mustDist(t *testing.T, s string) sim.Dist {
	t.Helper()
	d, err := sim.ParseDist(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The upkeep KPIs of a case worked by hand: one machine with a 1 s cycle
// fails after every 100 s of work and takes 20 s to repair; a crew of one
// walks 10 s to it the first time and stays there after. In 1,000 s:
// failures at 100, 230, 350, 470, 590, 710, 830 and 950 s; the member is
// busy 30 + 7 x 20 = 170 s of which 10 s travelling; machines waited 10 s
// for it in all.
func TestUpkeepKPIsByHand(t *testing.T) {
	spec := &twin.Spec{
		Stations: []stations.Spec{{ID: "m", Cycle: mustDist(t, "1s"), MTBF: mustDist(t, "100s"), MTTR: mustDist(t, "20s")}},
		Crew:     &twin.CrewSpec{Size: 1, Travel: mustDist(t, "10s")},
	}
	spec.Defaults()
	r, err := twin.Run(spec, twin.Options{Duration: 1000 * sim.Second, Seed: 1, SeriesBucket: -1})
	if err != nil {
		t.Fatal(err)
	}
	u := r.Upkeep
	if u == nil || u.Crew == nil {
		t.Fatalf("no upkeep KPIs: %+v", r)
	}
	c := u.Crew
	if u.Failures != 8 || c.Jobs != 8 || c.Size != 1 {
		t.Errorf("failures %d, crew jobs %d, size %d; want 8, 8, 1", u.Failures, c.Jobs, c.Size)
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("%s %v, want %v", what, got, want)
		}
	}
	near("crew utilization", c.Utilization, 0.17)
	near("travel share", c.TravelShare, 10.0/170)
	near("wait", c.WaitH, 10.0/3600)
	near("mean wait", c.MeanWaitS, 10.0/8)
	near("unplanned down", u.UnplannedDownH, 170.0/3600)
	near("people per million good", c.PeoplePerMillionGood, 1/(r.GoodPerHour*8760/1e6))
	if r.Good < 829 || r.Good > 830 {
		t.Errorf("good %d, want 830 (1,000 s less 170 s down, at 1 s a unit)", r.Good)
	}
}

// Lines without wear or a crew carry no upkeep KPIs, so their reports are
// as before.
func TestNoUpkeepWithoutWear(t *testing.T) {
	spec, err := configs.Embedded("two-machine")
	if err != nil {
		t.Fatal(err)
	}
	r, err := twin.Run(spec, twin.Options{Duration: sim.Day, Seed: 1, SeriesBucket: -1})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	if r.Upkeep != nil || bytes.Contains(b, []byte("upkeep")) || bytes.Contains(b, []byte("maintenances")) {
		t.Errorf("upkeep in a line without wear: %s", b)
	}
}

// Maintain and dispatch go through the command path: a maintenance shows
// in the snapshot and restores health; the session log replays them.
func TestMaintainAndDispatchCommands(t *testing.T) {
	spec, err := configs.Embedded("phone-factory")
	if err != nil {
		t.Fatal(err)
	}
	l, err := twin.NewLine(spec, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.RunFor(2 * sim.Hour)
	i := -1
	for j := range spec.Stations {
		if spec.Stations[j].ID == "func-test" {
			i = j
		}
	}
	snap := l.Snapshot()
	ss := snap.Stations[i]
	if !ss.CanMaintain || len(ss.Upkeep) != 8 || len(snap.Crews) != 2 || snap.Crews[0].Size != 5 {
		t.Fatalf("func-test upkeep %+v, crews %+v", ss.Upkeep, snap.Crews)
	}
	k := -1
	for s, v := range ss.Servers {
		if v.Phase == stations.Working && ss.Upkeep[s].Health < 1 {
			k = s
			break
		}
	}
	if k < 0 {
		t.Fatal("no worn tester at work")
	}
	if err := l.Do(twin.Command{Kind: twin.MaintainStation, Target: "func-test", Server: k}); err != nil {
		t.Fatal(err)
	}
	if err := l.Do(twin.Command{Kind: twin.MaintainStation, Target: "reflow"}); err == nil {
		t.Error("maintaining a conveyor was accepted")
	}
	l.RunFor(sim.Second)
	v := l.Snapshot().Stations[i]
	if v.Servers[k].Phase != stations.Maintenance || !v.Upkeep[k].Maintaining {
		t.Fatalf("after maintain: phase %v upkeep %+v", v.Servers[k].Phase, v.Upkeep[k])
	}
	// Nothing of server k waits for the crew once it is at work: the
	// dispatch is logged with its error, the line goes on.
	l.RunFor(time20m)
	if err := l.Do(twin.Command{Kind: twin.DispatchCrew, Target: "func-test", Server: k}); err != nil {
		t.Fatal(err)
	}
	l.RunFor(time20m)
	v = l.Snapshot().Stations[i]
	if v.Upkeep[k].Maintaining || v.Upkeep[k].Health < 0.999 || v.Counts.Maintenances != 1 {
		t.Errorf("after the maintenance: %+v, maintenances %d", v.Upkeep[k], v.Counts.Maintenances)
	}
	log := l.Log()
	if len(log) != 2 || log[0].Err != "" || !strings.Contains(log[1].Err, "no crew job") {
		t.Errorf("log %+v", log)
	}
	sl := l.SessionLog("phone-factory")
	cmds, err := sl.Timed()
	if err != nil {
		t.Fatal(err)
	}
	again, err := twin.NewLine(spec, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.Replay(cmds, l.Now()); err != nil {
		t.Fatal(err)
	}
	a, b := l.Result(), again.Result()
	a.WallSeconds, b.WallSeconds = 0, 0
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Error("the replayed session differs")
	}
}

const time20m = 20 * sim.Minute

// Condition readings go into the trace as vibration and temperature
// readings of one server; writing the trace changes no result.
func TestConditionTrace(t *testing.T) {
	spec, err := configs.Embedded("phone-factory")
	if err != nil {
		t.Fatal(err)
	}
	var trace bytes.Buffer
	opt := twin.Options{Duration: 2 * sim.Hour, Seed: 5, SeriesBucket: -1}
	plain, err := twin.Run(spec, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Trace = &trace
	traced, err := twin.Run(spec, opt)
	if err != nil {
		t.Fatal(err)
	}
	plain.WallSeconds, traced.WallSeconds = 0, 0
	ja, _ := json.Marshal(plain)
	jb, _ := json.Marshal(traced)
	if !bytes.Equal(ja, jb) {
		t.Error("writing the trace changed the result")
	}
	kinds := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(trace.String()), "\n") {
		var r struct {
			Sensor, Device string
			Server         *int
			Value          float64
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		if r.Sensor == "vibration" || r.Sensor == "temperature" {
			kinds[r.Sensor+" "+r.Device]++
			if r.Server == nil {
				t.Fatalf("condition reading without a server: %s", line)
			}
		}
	}
	// A reading every 10 minutes of each of 8 testers on both lines: 11 in
	// 2 h (the one taken at 2 h arrives after the end), less dropouts.
	if n := kinds["temperature func-test"]; n < 2*8*11-5 || n > 2*8*11 {
		t.Errorf("%d temperature readings of func-test, want about %d: %v", n, 2*8*11, kinds)
	}
	if kinds["vibration printer"] == 0 || kinds["vibration mount-chips"] == 0 {
		t.Errorf("no vibration readings: %v", kinds)
	}
}
