// Package mesh turns the shapes lightsout-view paints (rectangles, quads,
// lines, circles, rings, rounded rectangles and frames, in screen
// coordinates) into coloured triangles, which the window hands to the GPU
// in one call per batch: a frame of the factory is a few thousand shapes,
// far cheaper batched than drawn one by one.
//
// It knows nothing of ebiten: the window copies a Batch's vertices into
// its own, so the geometry builds and tests without a display.
package mesh
