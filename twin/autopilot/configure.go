package autopilot

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with an autopilot's settings: the field it
// is about, as a config names it ("policy", "params[1]",
// "max_actions_per_hour"), and what is wrong.
type Problem struct {
	Field, Msg string
}

// Configure checks the settings of an autopilot as a config or flags give
// them: the policy's name, parameter settings "name=value", recommend-only
// and the cap of actions per hour (0: the default). It returns the
// parameters and guard rails they describe, and every problem; they are
// good only without problems.
func Configure(policy string, settings []string, recommendOnly bool, maxPerHour int) (Params, Guard, []Problem) {
	params, guard := DefaultParams(), DefaultGuard()
	var ps []Problem
	known := false
	for _, n := range Names() {
		known = known || n == policy
	}
	if !known {
		msg := fmt.Sprintf("%q: want one of %s", policy, strings.Join(Names(), ", "))
		if policy == "" {
			msg = "missing: want one of " + strings.Join(Names(), ", ")
		}
		ps = append(ps, Problem{"policy", msg})
	}
	set := true
	for i, p := range settings {
		name, value, ok := strings.Cut(p, "=")
		field := fmt.Sprintf("params[%d]", i)
		if !ok {
			ps, set = append(ps, Problem{field, fmt.Sprintf("%q: want name=value, e.g. predictive.lead=6h", p)}), false
			continue
		}
		if err := params.Set(strings.TrimSpace(name), strings.TrimSpace(value)); err != nil {
			ps, set = append(ps, Problem{field, err.Error()}), false
		}
	}
	if set {
		if err := params.Validate(); err != nil {
			ps = append(ps, Problem{"params", err.Error()})
		}
	}
	guard.RecommendOnly = recommendOnly
	if maxPerHour != 0 {
		guard.MaxPerHour = maxPerHour
		if maxPerHour < 1 || maxPerHour > MaxActionsPerHour {
			ps = append(ps, Problem{"max_actions_per_hour", fmt.Sprintf("%d: want 1 to %d", maxPerHour, MaxActionsPerHour)})
		}
	}
	return params, guard, ps
}
