package robots_test

import (
	"math"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

func TestSpecValidate(t *testing.T) {
	d := func(s string) sim.Dist { return dist(t, s) }
	tests := []struct {
		name string
		edit func(s *robots.Spec)
		want []string // each an error line's start; none means valid
	}{
		{"valid", func(s *robots.Spec) {}, nil},
		{"valid with failures", func(s *robots.Spec) { s.MTBF, s.MTTR = d("exp(8h)"), d("exp(5m)") }, nil},
		{"zero grip and release", func(s *robots.Spec) { s.Grip, s.Release = 0, 0 }, nil},
		{"missing id", func(s *robots.Spec) { s.ID = "" }, []string{"id: missing"}},
		{"zero speed", func(s *robots.Spec) { s.Speed = 0 }, []string{"speed: 0:"}},
		{"negative speed", func(s *robots.Spec) { s.Speed = -1 }, []string{"speed: -1:"}},
		{"NaN speed", func(s *robots.Spec) { s.Speed = math.NaN() }, []string{"speed: NaN:"}},
		{"zero accel", func(s *robots.Spec) { s.Accel = 0 }, []string{"accel: 0:"}},
		{"NaN accel", func(s *robots.Spec) { s.Accel = math.NaN() }, []string{"accel: NaN:"}},
		{"infinite speed", func(s *robots.Spec) { s.Speed = math.Inf(1) }, []string{"speed: +Inf:"}},
		{"infinite accel", func(s *robots.Spec) { s.Accel = math.Inf(1) }, []string{"accel: +Inf:"}},
		{"grip past the limit", func(s *robots.Spec) { s.Grip = sim.MaxSpan + 1 }, []string{"grip: 36500d0.000000001s is longer than the limit of 100 years"}},
		{"mtbf past the limit", func(s *robots.Spec) { s.MTBF, s.MTTR = sim.ConstDist(sim.Forever), d("exp(5m)") },
			[]string{"mtbf: forever is longer than the limit of 100 years"}},
		{"negative grip", func(s *robots.Spec) { s.Grip = -1 }, []string{"grip: "}},
		{"negative release", func(s *robots.Spec) { s.Release = -1 }, []string{"release: "}},
		{"mtbf without mttr", func(s *robots.Spec) { s.MTBF = d("exp(8h)") }, []string{"mttr: missing or zero"}},
		{"mtbf with zero mttr", func(s *robots.Spec) { s.MTBF, s.MTTR = d("exp(8h)"), d("const(0s)") }, []string{"mttr: missing or zero"}},
		{"mtbf with zero mean", func(s *robots.Spec) { s.MTBF, s.MTTR = d("uniform(0s,0s)"), d("exp(5m)") }, []string{"mtbf: mean must be positive"}},
		{"mttr without mtbf", func(s *robots.Spec) { s.MTTR = d("exp(5m)") }, []string{"mttr: set without mtbf"}},
		{"everything wrong", func(s *robots.Spec) {
			*s = robots.Spec{Speed: -1, Accel: -2, Grip: -1, MTTR: d("1s")}
		}, []string{"id: missing", "speed: -1:", "accel: -2:", "grip: ", "mttr: set without mtbf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := robots.Spec{ID: "arm", Speed: 1.5, Accel: 3, Grip: 200 * sim.Millisecond, Release: 150 * sim.Millisecond}
			tt.edit(&s)
			err := s.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want errors %q", tt.want)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Errorf("Validate() gave %d errors, want %d: %q", len(lines), len(tt.want), lines)
			}
			for i, w := range tt.want {
				if i < len(lines) && !strings.HasPrefix(lines[i], w) {
					t.Errorf("error %d is %q, want it to start with %q", i, lines[i], w)
				}
			}
		})
	}
}

// TestFootprint checks that an arm counts its queue towards a run's memory.
func TestFootprint(t *testing.T) {
	s := robots.Spec{ID: "arm"}
	if a, b := s.Footprint(0), s.Footprint(100); a <= 0 || b <= a {
		t.Errorf("Footprint: %d with no request waiting, %d with 100", a, b)
	}
}
