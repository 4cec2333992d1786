// Package scene is what lightsout-view shows and how it is steered,
// without ebiten: where every station, buffer, arm and dock sits on the
// floor (Lay), the camera over it, the pose of each arm and where units
// are drawn, where labels, tags and panels go, the throughput chart's
// scale, the words of the panels, how much simulated time a tick runs
// (Pacer, Speed), what the person asked for in a tick (Intents) and the
// commands that asks of the selection; the health bars of worn machines
// and their condition readings over time (HealthBars, Trends), where each
// crew member stands or walks (CrewSpots), and the autopilot's decisions:
// where their markers go and how they fade (Markers), the words of the
// decision list (FormatDecision) and where they come from (PilotSource).
//
// Everything here is plain values and functions of a twin.Snapshot and
// the line's twin.Spec: the window (package main) reads the keys and the
// mouse into Intents, and paints what this package places. It builds and
// tests with no X display; it must never import ebiten.
package scene
