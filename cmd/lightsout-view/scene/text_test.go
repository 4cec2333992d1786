package scene

import (
	"math"
	"testing"

	"github.com/lightsout-sim/lightsout/configs/configstest"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestNumbersForPeople(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Thousands(0), "0"},
		{Thousands(999), "999"},
		{Thousands(1000), "1,000"},
		{Thousands(-1234567), "-1,234,567"},
		{Percent(0.795), "79.5%"},
		{Percent(math.NaN()), "-"},
		{PerHour(1141.6), "1,142/h"},
		{PerHour(math.Inf(1)), "-"},
		{Clock(-5 * sim.Second), "day 1 00:00:00"},
		{Clock(2*sim.Day + 14*sim.Hour + 5*sim.Minute + 12*sim.Second), "day 3 14:05:12"},
		{Ago(10*sim.Second, -1), "never"},
		{Ago(10*sim.Second, 8800*sim.Millisecond), "1.2 s ago"},
		{Ago(sim.Hour, 57*sim.Minute), "3 min ago"},
		{Ago(5*sim.Hour, sim.Hour+30*sim.Minute), "3.5 h ago"},
		{Tidy("lognormal(8m0s,4m0s)"), "lognormal(8m,4m)"},
		{Tidy("24h0m0s"), "24h"},
		{CapacityText(stations.Inf), "∞"},
		{Duration(5808333333), "5.81 s"}, // demo-line's test: 5.808333333s
		{Duration(250 * sim.Millisecond), "250 ms"},
		{Duration(45 * sim.Second), "45 s"},
		{Duration(0), "0 s"},
		{Duration(8*sim.Minute + 30*sim.Second), "8.5 min"},
		{Duration(4 * sim.Hour), "4 h"},
		{Duration(90 * sim.Minute), "1.5 h"},
		{Duration(3 * sim.Day), "3 d"},
		{Duration(-2 * sim.Second), "-2 s"},
		{DistText(mustDist(t, "lognormal(8m,4m)")), "lognormal(8 min, 4 min)"},
		{DistText(mustDist(t, "2.8s")), "2.8 s"},
		{DistText(mustDist(t, "weibull(1.5,8h)")), "weibull(1.5, 8 h)"},
		{CapacityText(12), "12"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// mustDist parses a distribution in config syntax.
func mustDist(t *testing.T, s string) sim.Dist {
	t.Helper()
	d, err := sim.ParseDist(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSpeedWords(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{SpeedText(0), "unknown"},
		{SpeedText(0.63), "0.63x"},
		{SpeedDetail(-1), "unknown (not published)"},
		{SpeedDetail(1), "1x (nominal)"},
		{SpeedDetail(0.5), "0.5x nominal: cycles take 2x as long"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestStationTagAndHeld(t *testing.T) {
	for _, tc := range []struct {
		ss        twin.StationState
		tag, held string
		isHeld    bool
	}{
		{twin.StationState{Speed: 1}, "", "no", false},
		{twin.StationState{Speed: 0}, "", "no", false}, // unknown speed: no tag
		{twin.StationState{Speed: 0.8}, "0.8x", "no", false},
		{twin.StationState{Speed: 1, Held: true}, "HELD", "HELD: starts no new unit", true},
		{twin.StationState{Speed: 2, Held: true, Servers: []stations.ServerView{{}, {Unit: true}}}, "HELD 2x", "HELD: finishing its units, then starts none", true},
		{twin.StationState{Speed: 1, Held: true, Conveyor: true, Inside: 3, Servers: []stations.ServerView{{}}}, "HELD", "HELD: finishing its units, then starts none", true},
	} {
		tag, held := StationTag(&tc.ss)
		if tag != tc.tag || held != tc.isHeld {
			t.Errorf("%+v: tag %q held %v, want %q %v", tc.ss, tag, held, tc.tag, tc.isHeld)
		}
		if got := HeldDetail(&tc.ss); got != tc.held {
			t.Errorf("%+v: held %q, want %q", tc.ss, got, tc.held)
		}
	}
}

func TestServerStates(t *testing.T) {
	ss := &twin.StationState{Servers: []stations.ServerView{
		{Phase: stations.Working, Progress: 0.42},
		{Phase: stations.Starved},
		{Phase: stations.Working},
		{Phase: stations.Down, Broken: true},
		{Phase: stations.Phase(stations.NumPhases)}, // a twin's unknown
	}}
	for _, tc := range []struct {
		clicked int
		want    string
	}{
		{-1, "1 Starved, 2 Working, 1 Down, 1 unknown (1 broken)"},
		{0, "server 1 of 5: Working, 42% done"},
		{3, "server 4 of 5: Down (broken by command)"},
		{9, "1 Starved, 2 Working, 1 Down, 1 unknown (1 broken)"},
	} {
		if got := ServerStates(ss, tc.clicked); got != tc.want {
			t.Errorf("clicked %d: %q, want %q", tc.clicked, got, tc.want)
		}
	}
	one := &twin.StationState{Servers: []stations.ServerView{{Phase: stations.Blocked}}}
	if got := ServerStates(one, -1); got != "Blocked" {
		t.Errorf("one server: %q", got)
	}
}

func TestSpecWords(t *testing.T) {
	spec := configstest.Parse(t, `name: x
source: {}
stations:
  - {id: a, servers: 3, cycle: "normal(4s,100ms)", mtbf: exp(4h), mttr: "lognormal(15m,8m)"}
  - {id: oven, conveyor: {dwell: 5m, pitch: 5s}}
`)
	for _, tc := range []struct{ got, want string }{
		{CycleText(&spec.Stations[0]), " (normal(4 s, 100 ms) on 3 servers)"},
		{CycleText(&spec.Stations[1]), " (dwell 5 min, pitch 5 s, holds 60)"},
		{FailureText(&spec.Stations[0]), "exp(4 h) / lognormal(15 min, 8 min)"},
		{FailureText(&spec.Stations[1]), "never fails"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestDefectText(t *testing.T) {
	for _, tc := range []struct {
		c    twin.StationCounts
		want string
	}{
		{twin.StationCounts{}, ""},
		{twin.StationCounts{Defects: 3, Caught: 5}, "▲3 ●5"},
		{twin.StationCounts{Caught: 1200, Scrapped: 7}, "●1,200 ×7"},
	} {
		if got := DefectText(&tc.c); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestShortCount(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 9999: "9,999", 10000: "10k", 17432: "17k", 999_499: "999k", 999_500: "1M", 1_249_999: "1.2M", 17_432_123: "17M", 3_000_000_000: "3G", -12500: "-13k"} {
		if got := ShortCount(n); got != want {
			t.Errorf("ShortCount(%d) = %q, want %q", n, got, want)
		}
	}
}
