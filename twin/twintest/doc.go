// Package twintest runs a modelled line as Sparkplug edge nodes straight
// into the twin's mirrors, without MQTT, for the tests of the twin's host
// side (mirror, monitor, forecast, api and their wiring): a [Line] is a
// twin.Line published by one edge.Node per copy, delivered to every
// mirror it feeds, with a host [Clock] that follows the simulated time
// and options to hide metrics from the mirrors or drop messages. A [Host]
// is a mirror of a Line with its monitor and forecaster, wired as the
// twin wires them. A [HeldSource] holds a forecast at its start until the
// test releases it.
//
// Only _test.go files import it: it fails the test it is given instead
// of returning errors.
package twintest
