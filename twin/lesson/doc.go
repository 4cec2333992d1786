// Package lesson is a lesson for a class: a line (a validated twin.Spec)
// and a timeline of events at simulated times: commands given to the line
// (break the placer at 20 min), narration, callouts anchored to stations,
// pauses that wait for the trainer, and questions for the class.
//
// A [Timeline] plays the events on anything that runs a line and takes its
// commands (a [Runner]: a *twin.Line, or the window's session), so the same
// lesson runs in the window and headless, and the commands go through the
// line's own command path (Line.Do), as an operator's would. Package
// configs reads lessons from YAML; the window draws them.
package lesson
