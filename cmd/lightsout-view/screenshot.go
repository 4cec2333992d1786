package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"

	"github.com/hajimehoshi/ebiten/v2"
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
	tmp, err := os.CreateTemp(filepath.Dir(path), ".shot-*.png")
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("screenshot: %w", err)
	}
	if err := png.Encode(tmp, rgba); err != nil {
		tmp.Close()
		return fmt.Errorf("screenshot %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("screenshot %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	return nil
}
