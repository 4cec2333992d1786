// Package assets holds the fonts and sprites made for Lightsout's desktop
// view, embedded in the binary. It imports only "embed"; the headless
// command never needs it. (Empty until the view lands.)
package assets
