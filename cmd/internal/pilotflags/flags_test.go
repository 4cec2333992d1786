package pilotflags

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

func parse(t *testing.T, args ...string) (Config, []string) {
	t.Helper()
	var f Flags
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	f.Register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f.Check()
}

func TestCheckGood(t *testing.T) {
	c, problems := parse(t, "--autopilot", "predictive", "--autopilot-param", "predictive.lead=6h", "--max-actions-per-hour", "3", "--recommend-only")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if !c.Guard.RecommendOnly || c.Guard.MaxPerHour != 3 {
		t.Errorf("guard %+v", c.Guard)
	}
	if got := c.Params.Predictive.Lead; got != 6*sim.Hour {
		t.Errorf("lead %v, want 6h", got)
	}
	if _, err := c.New(nil); err != nil {
		t.Fatal(err)
	}
}

func TestCheckReportsEveryProblem(t *testing.T) {
	_, problems := parse(t, "--autopilot", "magic", "--autopilot-param", "nonsense", "--autopilot-param", "predictive.lead=-1h", "--max-actions-per-hour", "0")
	want := []string{"--autopilot \"magic\"", "--autopilot-param \"nonsense\"", "predictive.lead", "--max-actions-per-hour 0"}
	all := strings.Join(problems, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("problems lack %q:\n%s", w, all)
		}
	}
}

func TestFlagsWithoutAutopilot(t *testing.T) {
	_, problems := parse(t, "--recommend-only", "--autopilot-param", "predictive.lead=6h")
	if len(problems) != 2 {
		t.Fatalf("want 2 problems, got %q", problems)
	}
	if _, problems := parse(t); len(problems) != 0 {
		t.Fatalf("no flags: %q", problems)
	}
}
