package deviation

import (
	"fmt"
	"math"

	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Model is what the twin's model says a device's cycle time should be: its
// mean and standard deviation, in seconds.
type Model struct {
	Mean float64
	SD   float64
}

// Validate reports whether the model is usable: a positive, finite mean and a
// non-negative, finite standard deviation.
func (m Model) Validate() error {
	if !(m.Mean > 0) || math.IsInf(m.Mean, 0) {
		return fmt.Errorf("deviation: model mean %v s must be positive and finite", m.Mean)
	}
	if !(m.SD >= 0) || math.IsInf(m.SD, 0) {
		return fmt.Errorf("deviation: model sd %v s must be non-negative and finite", m.SD)
	}
	return nil
}

// ModelOf returns the mean and standard deviation of a cycle-time
// distribution. sim.Dist exposes its mean but not its parameters, so the
// parameters are read back from its config syntax (Dist.String); a
// Dist.StdDev method in package sim would make this a one-liner. For normal
// the sd is the parameter itself (truncation at zero is ignored, as
// Dist.Mean ignores it).
func ModelOf(d sim.Dist) (Model, error) {
	if d.Kind > sim.Weibull {
		return Model{}, fmt.Errorf("deviation: unknown distribution kind %v", d.Kind)
	}
	m := Model{Mean: d.Mean(), SD: d.StdDev()}
	return m, m.Validate()
}
