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
// ebiten type; the files here adapt it:
//
//	main.go, cli.go, logging.go    flags, config check, logger, wiring
//	window.go                      opens the window, prints --stats
//	game.go, controls.go           the ebiten.Game: Update, Draw, Layout; intents acted on
//	session.go                     the line, its snapshot, commands, reset
//	pacer.go, speed.go             how much simulated time a tick runs
//	input.go, selection.go         keys and mouse as intents; hit tests, commands
//	stationctl.go                  hold, reset and speed commands; a station's HELD / speed tag
//	layout.go, layout_arms.go      where everything sits on the floor
//	camera.go                      zoom and pan
//	palette.go                     colours, state to colour
//	units.go, robot.go             unit positions, two-link arm poses
//	floor.go, floor_parts.go       painting the floor: stations, buffers, oven, sensors, docks
//	floor_text.go, arms.go         the floor's labels; the arms
//	hud.go, dashboard.go           top bar; OEE, defects and legend panels
//	chart.go, chart_draw.go        the throughput chart: scaling, then painting
//	panel.go, help.go              the detail panel; the key help
//	shapes.go, fonts.go            batched shapes; text drawn once, then copied
//	frametime.go, screenshot.go    --stats percentiles; --screenshot
//	format.go                      numbers, clock and durations for people
//	twinflags.go                   --twin, its group and node (the MQTT flags: cmd/internal/mqttflags)
//	twinlink.go, twinstatus.go     twin mode: a host mirroring the edge nodes; the status drawn
//	twinhistory.go                 twin mode: the output history the chart shows
//	twindraw.go                    twin mode's marks: stale, deviations, waiting, the TWIN badge
//
// With --twin the window runs no line: a twinwire.Host mirrors the line's
// Sparkplug edge nodes over MQTT and each frame is drawn from a snapshot
// that mirror.Filler fills from the mirror (see TwinLink).
//
// This is the only package of Lightsout that imports ebiten; it needs an X
// display (see LINUX-GUI.md), and so do its tests.
package main
