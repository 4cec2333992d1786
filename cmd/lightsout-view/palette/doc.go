// Package palette holds the colours of lightsout-view: a dark floor, calm
// panels, and one saturated hue per state so that a machine's state reads
// at a glance. Defects are pink everywhere (units, heat, counts), the
// bottleneck gold, sensors red when they fire.
//
// Every colour is a premultiplied color.RGBA, as ebiten's vertex colours
// want them. The package uses image/color only: it builds and tests
// without a display.
package palette
