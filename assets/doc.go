// Package assets holds the fonts and sprites made for Lightsout's desktop
// view, embedded in the binary. It imports only "embed"; the headless
// command never needs it. It is empty so far: the view draws its machines,
// arms and units as shapes in code and writes with the Go fonts that
// golang.org/x/image provides.
package assets
