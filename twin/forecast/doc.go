// Package forecast forks the simulation from the state the twin mirrors.
// [Run] forks replications of a line from a twin.State and summarises
// their output (P10, P50, P90); a [Forecaster] takes the state from a
// mirror (mirror.View.State) and forecasts the good output to the end of
// the shift, compares two forks with common random numbers
// ([Forecaster.WhatIf]), and with a [Band] checks the line's output
// against a forecast made an hour before. The same mirrored state and
// seed give the same forecast, whatever the number of workers.
//
// Forecasts run in the caller's goroutine, one at a time, without holding
// the mirror, and stop when the caller's context ends (between
// replications and every simulated minute within one); requests are
// capped in replications and horizon (Config.MaxReplications,
// Config.MaxHorizon). The forecaster follows the mirror as its observer
// only to know each copy's output at the start of the shift.
package forecast
