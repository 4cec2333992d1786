package main

import (
	"fmt"
	"image"
	"image/png"
	"io"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/internal/atomicfile"
)

// Pixels reads img back into an RGBA image (it must be called while the
// game runs: ebiten cannot read pixels before RunGame starts).
func Pixels(img *ebiten.Image) *image.RGBA {
	b := img.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	img.ReadPixels(rgba.Pix)
	return rgba
}

// SavePNG writes img as a PNG file at path, through a temporary file in
// the same directory so a reader never sees half a picture.
func SavePNG(img *ebiten.Image, path string) error {
	rgba := Pixels(img)
	if err := atomicfile.Write(path, func(w io.Writer) error { return png.Encode(w, rgba) }); err != nil {
		return fmt.Errorf("screenshot %s: %w", path, err)
	}
	return nil
}
