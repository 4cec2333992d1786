package main

import (
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

// The helpers below forward to twin/textfmt for whatif.go, which is being
// rewired onto the new twin packages; new code calls textfmt directly.

// formatSpan writes a simulated span as configs do; see textfmt.Span.
func formatSpan(t sim.Time) string { return textfmt.Span(t) }

// grouped writes x with its thousands grouped; see textfmt.Grouped.
func grouped(x float64, decimals int) string { return textfmt.Grouped(x, decimals) }
