// Package scene is what lightsout-view shows and how it is steered,
// without ebiten: where every station, buffer, arm and dock sits on the
// floor (Lay), the camera over it, the pose of each arm and where units
// are drawn, where labels, tags and panels go, the throughput chart's
// scale, the words of the panels, how much simulated time a tick runs
// (Pacer, Speed), what the person asked for in a tick (Intents) and the
// commands that asks of the selection.
//
// Everything here is plain values and functions of a twin.Snapshot and
// the line's twin.Spec: the window (package main) reads the keys and the
// mouse into Intents, and paints what this package places. It builds and
// tests with no X display; it must never import ebiten.
package scene
