package configs

import (
	"errors"
	"fmt"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
)

// checkAutopilot returns every problem with the spec's autopilot block,
// each naming its field ("autopilot.policy: ..."), joined; nil without a
// block.
func checkAutopilot(spec *twin.Spec) error {
	a := spec.Autopilot
	if a == nil {
		return nil
	}
	_, _, ps := autopilot.Configure(a.Policy, a.Params, a.RecommendOnly, a.MaxActionsPerHour)
	var errs []error
	for _, p := range ps {
		errs = append(errs, fmt.Errorf("autopilot.%s: %s", p.Field, p.Msg))
	}
	return errors.Join(errs...)
}
