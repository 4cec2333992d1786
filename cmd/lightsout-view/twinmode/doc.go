// Package twinmode is what lightsout-view does in twin mode, without
// ebiten: instead of running a line, the window shows a twin of one over
// MQTT. A [Link] is a twinwire.Host mirroring the line's Sparkplug edge
// nodes; each [Link.Refresh] fills the twin.Snapshot the window draws from
// a copy of the mirror (mirror.Filler: arms drawn at the point of the
// moves the edge publishes), with the output history the chart shows
// counted as the view sees the counter grow (and, with [Link.BackfillFrom],
// the hours before the view attached from the twin host's /api/history)
// and the host's live KPIs put in. [Link.Send] gives the window's commands to the edge nodes as
// DCMDs.
//
// What the window shows about the twin itself is a [Status]: the broker
// and the edge nodes, a [Mark] for each station and arm (known, stale, its
// latest recent deviation), what the view waits for, and the words of
// twin mode's panels and banner.
//
// The window (package main) paints all this; this package builds and
// tests with no X display and must never import ebiten.
package twinmode
