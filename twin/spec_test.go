package twin_test

import (
	"math"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// TestValidateLimits checks the bounds and the NaNs of a line's spec built
// in code, which no config decoding has checked: a NaN target would have
// been read as none, an infinite noise as any.
func TestValidateLimits(t *testing.T) {
	ok := func() twin.Spec {
		s := twin.Spec{Stations: []stations.Spec{{ID: "a", Cycle: sim.ConstDist(sim.Second)}}}
		s.Defaults()
		return s
	}
	for _, tc := range []struct {
		mod  func(*twin.Spec)
		want string
	}{
		{func(s *twin.Spec) { s.Lines = twin.MaxLines + 1 }, "lines: 1001: at most 1000"},
		{func(s *twin.Spec) { s.TargetPerHour = math.NaN() }, "target_per_hour: NaN: want a finite number of units per hour"},
		{func(s *twin.Spec) { s.TargetPerHour = math.Inf(1) }, "target_per_hour: +Inf: want a finite number of units per hour"},
		{func(s *twin.Spec) { s.Sensors.Noise = math.Inf(1) }, "sensors.noise: +Inf: want a relative standard deviation, 0 or more"},
		{func(s *twin.Spec) { s.Run.Replications = twin.MaxReplications + 1 }, "run.replications: 100001: at most 100000"},
		{func(s *twin.Spec) { s.Run.Duration = sim.Forever }, "run.duration: forever is longer than the limit of 100 years (36500d)"},
		{func(s *twin.Spec) { s.Sensors.Latency = sim.ExpDist(sim.MaxSpan + sim.Second) }, "sensors.latency: 36500d1s is longer than the limit"},
		{func(s *twin.Spec) { s.Stations[0].Servers = stations.MaxServers + 1 }, "stations[0].servers: 10001: at most 10000"},
	} {
		s := ok()
		tc.mod(&s)
		if err := s.Validate(); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Validate = %v, want %q", err, tc.want)
		}
	}
	at := ok()
	at.Lines, at.Run.Replications, at.Run.Duration = twin.MaxLines, twin.MaxReplications, sim.MaxSpan
	if err := at.Validate(); err != nil {
		t.Errorf("at the limits: %v", err)
	}
}
