package pilot

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/twintest"
)

// The twin's adapter runs the same drift detector on the counters the
// edge publishes: the slowing press raises a CycleTimeDrift on the
// mirror's clock, the observation carries it once, and the policy forecast
// forks what-ifs from the mirror and acts on it through a DCMD, with the
// deviation as its reason.
func TestTwinPassesDeviations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "slowing.yaml")
	if err := os.WriteFile(path, []byte(SlowingConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	l := twintest.MustLine(t, path, 4)
	m := l.MustMirror(mirror.Config{})
	cmds := &sink{}
	w := &devWatcher{}
	tw, err := NewTwin(m, TwinConfig{Model: mirror.Model{Spec: l.Spec}, Commands: cmds, Seed: 1, Replications: 4,
		NewPilot: func(e autopilot.Evaluator) (*autopilot.Pilot, error) {
			p, err := autopilot.New("forecast", autopilot.DefaultParams(), e)
			if err != nil {
				return nil, err
			}
			w.Policy = p
			return autopilot.NewPilot(w, autopilot.DefaultGuard())
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tw.Close)
	l.Birth()
	var sent []mirror.CommandRequest
	l.Run(12*sim.Hour, sim.Minute, func() {
		tw.Flush()
		sent = append(sent, cmds.take()...)
	})
	tw.Flush()
	sent = append(sent, cmds.take()...)
	if len(w.seen) == 0 {
		t.Fatal("no deviation reached the policy in 12 hours while the press wears")
	}
	d := w.seen[0]
	if d.Kind != "CycleTimeDrift" || d.ID != "press" || d.Line != 0 || d.Value <= d.Limit {
		t.Fatalf("first deviation %+v, want the press's cycle-time drift", d)
	}
	for i := 1; i < len(w.seen); i++ {
		if w.seen[i].At <= w.seen[i-1].At && w.seen[i].ID == w.seen[i-1].ID {
			t.Errorf("deviation %+v passed twice", w.seen[i])
		}
	}
	var acted *autopilot.Decision
	for _, dec := range tw.Pilot().Log().Since(0, nil) {
		if dec.Action.Reason == autopilot.ReasonDeviation && dec.Applied {
			acted = &dec
			break
		}
	}
	if acted == nil || acted.At < d.At {
		t.Fatalf("the policy forecast did not act on %+v: log %+v", d, tw.Pilot().Log().Since(0, nil))
	}
	if len(sent) == 0 {
		t.Fatalf("decision %+v applied, no DCMD sent", acted)
	}
	t.Logf("deviation at %v: %s; decision at %v: %v %s; %d DCMDs", d.At, d.Reason, acted.At, acted.Action.Kind, acted.Action.Target, len(sent))
}

// devWatcher is a policy that keeps the deviations it is shown and lets
// another policy decide.
type devWatcher struct {
	autopilot.Policy
	seen []autopilot.Deviation
}

func (w *devWatcher) Decide(ctx context.Context, o *autopilot.Observation, dst []autopilot.Action) ([]autopilot.Action, error) {
	w.seen = append(w.seen, o.Deviations...)
	return w.Policy.Decide(ctx, o, dst)
}
