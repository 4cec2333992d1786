// Command lightsout-view is the desktop window of Lightsout: it shows a
// simulated line working, in real time or accelerated, with throughput,
// defect and OEE overlays, and lets a person poke it (pause, change the
// speed, break and repair machines and arms, resize buffers, hold, reset
// and slow down or speed up stations).
//
// It is a thin view over twin.Line: each Update advances the line by
// (speed x tick) of simulated time within a wall-time budget, takes a
// twin.Snapshot, and Draw paints only from that snapshot. Commands go
// through Line.Do, so a session replays headless. The model never sees an
// ebiten type.
//
// What is shown and how it is steered, with no ebiten in it, lives in
// packages of its own, which build and test without a display:
//
//	scene      the floor's layout (Lay), the camera, arm poses and where units
//	           are drawn, where labels, tags and panels go, the chart's scale,
//	           the panels' words, pacing and speeds (Pacer, Speed), intents and
//	           the commands they give the selection
//	palette    the colours, and the colour of each state
//	mesh       shapes as batches of coloured triangles
//	twinmode   twin mode: the host mirroring the edge nodes (Link), the
//	           snapshot filled from its mirror, the output history and the
//	           deviation marks, commands sent as DCMDs, the words of its
//	           panels and banner; the twin host's autopilot read over HTTP
//	           (AutopilotPoll)
//
// This package reads the keys and the mouse, paints with ebiten and wires
// it all together:
//
//	main.go, cli.go                flags, config check, logger, wiring
//	window.go                      opens the window, prints --stats
//	game.go, controls.go           the ebiten.Game: Update, Draw, Layout; intents acted on
//	session.go                     the line or the twin's link, its snapshot, commands, reset
//	input.go                       keys and mouse into scene.Intents
//	floor.go, floor_parts.go       painting the floor: stations, buffers, oven, sensors, docks
//	floor_text.go, arms.go         the floor's labels; the arms
//	stationctl.go                  a station's HELD / speed tag
//	hud.go, dashboard.go           top bar; OEE, defects and legend panels
//	chart_draw.go                  the throughput chart
//	panel.go, help.go              the detail panel; the key help
//	shapes.go, fonts.go            shapes batched onto the GPU; text drawn once, then copied
//	screenshot.go                  --screenshot
//	twinflags.go                   --twin, its group and node (the MQTT flags: cmd/internal/mqttflags)
//	twindraw.go                    twin mode's marks: stale, deviations, waiting, the TWIN badge
//	upkeep_draw.go                 health bars of worn machines; the crew and its depots
//	autopilot_draw.go              the autopilot's decision markers and list (--autopilot, --twin-http)
//
// With --twin the window runs no line: a twinwire.Host mirrors the line's
// Sparkplug edge nodes over MQTT and each frame is drawn from a snapshot
// that mirror.Filler fills from the mirror (see twinmode.Link).
//
// This package is the only one of Lightsout that imports ebiten: it needs
// an X display and the X11 and GL headers (`make deps` installs them; see
// the README), and so do its tests.
package main
