package pilot

import (
	"fmt"
	"strings"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
)

// FromSpec returns a pilot maker for Attach or Control that makes the
// pilot a describes, or an error naming every problem with it.
func FromSpec(a *twin.AutopilotSpec) (func(autopilot.Evaluator) (*autopilot.Pilot, error), error) {
	params, guard, ps := autopilot.Configure(a.Policy, a.Params, a.RecommendOnly, a.MaxActionsPerHour)
	if len(ps) > 0 {
		msgs := make([]string, len(ps))
		for i, p := range ps {
			msgs[i] = "autopilot." + p.Field + ": " + p.Msg
		}
		return nil, fmt.Errorf("%s", strings.Join(msgs, "; "))
	}
	name := a.Policy
	return func(eval autopilot.Evaluator) (*autopilot.Pilot, error) {
		p, err := autopilot.New(name, params, eval)
		if err != nil {
			return nil, err
		}
		return autopilot.NewPilot(p, guard)
	}, nil
}

// SpecControl returns the twin.Options.Control that flies the autopilot
// of spec on each replication, nil when spec has none, or an error naming
// the problems of its autopilot block.
func SpecControl(spec *twin.Spec) (func(*twin.Line) (func(*twin.Result), error), error) {
	if spec.Autopilot == nil {
		return nil, nil
	}
	mk, err := FromSpec(spec.Autopilot)
	if err != nil {
		return nil, err
	}
	return Control(mk), nil
}
