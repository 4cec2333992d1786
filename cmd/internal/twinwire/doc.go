// Package twinwire wires the twin's host side together for the two
// programs that run it ('lightsout twin', 'demo-twin', 'replay' and the
// window in twin mode): a [Host] is a mirror.Mirror with its
// monitor.Monitor and, given a model, its forecast.Forecaster and
// output-band check, connected to an MQTT broker through twin/link, and
// served over HTTP by twin/api. It holds no analytics of its own.
package twinwire
