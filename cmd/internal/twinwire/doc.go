// Package twinwire wires the twin to MQTT for the programs that run it
// ('lightsout edge', 'twin', 'demo-twin', 'replay' and the window in twin
// mode). A [Host] is the twin's host side: a mirror.Mirror with its
// monitor.Monitor and, given a model, its forecast.Forecaster and
// output-band check, connected to a broker through twin/link and served
// over HTTP by twin/api. An [Edge] connects an edge.Runner's nodes to a
// broker, one connection per node. It holds no analytics of its own.
package twinwire
