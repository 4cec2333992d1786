package main

import (
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"io"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/internal/atomicfile"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/stations"
)

// GIF recording (--gif): every gifStride-th tick's frame, halved when the
// window is wider than gifHalveAbove, mapped to a fixed palette of the
// view's own colours and an even spread of the rest, written on exit.
const (
	gifStride     = 3    // ticks per recorded frame: 20 frames a second, as the window runs
	gifHalveAbove = 1000 // window widths above this are recorded at half size
	gifMaxFrames  = 1200 // a minute of GIF: recording stops there (memory)
)

// gifRecorder collects the frames of a GIF.
type gifRecorder struct {
	path   string
	anim   gif.GIF
	pal    color.Palette
	lut    []uint8 // 15-bit RGB to palette index, 255+1 = not yet worked out
	known  []bool
	rgba   *image.RGBA // scratch: the frame read back
	next   int         // the tick the next frame is due at
	full   bool        // gifMaxFrames reached
	halved bool
}

// newGIFRecorder returns a recorder that writes to path.
func newGIFRecorder(path string) *gifRecorder {
	return &gifRecorder{path: path, pal: gifPalette(), lut: make([]uint8, 1<<15), known: make([]bool, 1<<15)}
}

// gifPalette is the view's state colours (both palettes) and surfaces,
// then a 6 x 6 x 6 cube for everything else (text edges, blends).
func gifPalette() color.Palette {
	p := color.Palette{palette.Screen, palette.Floor, palette.Text, palette.TextDim, palette.TextFade,
		palette.Machine, palette.Defect, palette.Bottleneck, palette.ChartLine, palette.TrayFull,
		palette.Applied, palette.Crew, palette.Target, palette.Grid, palette.PanelEdge, palette.Select}
	for _, name := range palette.SchemeNames() {
		s, _ := palette.NewScheme(name)
		for ph := range stations.Phase(stations.NumPhases) {
			p = append(p, s.Phase(ph))
		}
	}
	for r := 0; r < 6; r++ {
		for g := 0; g < 6; g++ {
			for b := 0; b < 6; b++ {
				p = append(p, color.RGBA{uint8(r * 51), uint8(g * 51), uint8(b * 51), 0xff})
			}
		}
	}
	opaque := p[:0]
	for _, c := range p { // the panel colours are see-through: keep opaque ones
		if _, _, _, a := c.RGBA(); a == 0xffff && len(opaque) < 256 {
			opaque = append(opaque, c)
		}
	}
	return opaque
}

// Drawn is called with each frame drawn and the ticks run so far: it
// records a frame when gifStride ticks have run since the last one (the
// first at once), so the GIF plays at the window's pace.
func (r *gifRecorder) Drawn(screen *ebiten.Image, ticks int) {
	if r.full || (len(r.anim.Image) > 0 && ticks < r.next) {
		return
	}
	r.next = ticks + gifStride
	r.Capture(screen)
}

// Capture records screen as the next frame.
func (r *gifRecorder) Capture(screen *ebiten.Image) {
	if len(r.anim.Image) >= gifMaxFrames {
		r.full = true
		return
	}
	b := screen.Bounds()
	if r.rgba == nil || r.rgba.Bounds().Size() != b.Size() {
		r.rgba = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		r.halved = b.Dx() > gifHalveAbove
	}
	screen.ReadPixels(r.rgba.Pix)
	r.anim.Image = append(r.anim.Image, r.paletted(r.rgba))
	r.anim.Delay = append(r.anim.Delay, gifStride*100/60)
}

// paletted maps src (halved when recording at half size: the mean of
// each 2 x 2 block) to the palette.
func (r *gifRecorder) paletted(src *image.RGBA) *image.Paletted {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	step := 1
	if r.halved {
		step = 2
	}
	dst := image.NewPaletted(image.Rect(0, 0, w/step, h/step), r.pal)
	for y := 0; y < h/step; y++ {
		for x := 0; x < w/step; x++ {
			var sr, sg, sb int
			for dy := 0; dy < step; dy++ {
				o := src.PixOffset(x*step, y*step+dy)
				for dx := 0; dx < step; dx++ {
					sr += int(src.Pix[o+4*dx])
					sg += int(src.Pix[o+4*dx+1])
					sb += int(src.Pix[o+4*dx+2])
				}
			}
			n := step * step
			dst.Pix[y*dst.Stride+x] = r.index(uint8(sr/n), uint8(sg/n), uint8(sb/n))
		}
	}
	return dst
}

// index returns the palette entry nearest to the colour, by way of a
// 15-bit table filled as colours are met.
func (r *gifRecorder) index(cr, cg, cb uint8) uint8 {
	k := int(cr>>3)<<10 | int(cg>>3)<<5 | int(cb>>3)
	if !r.known[k] {
		r.lut[k] = uint8(r.pal.Index(color.RGBA{cr&^7 | 4, cg&^7 | 4, cb&^7 | 4, 0xff}))
		r.known[k] = true
	}
	return r.lut[k]
}

// Frames returns the number of frames recorded.
func (r *gifRecorder) Frames() int { return len(r.anim.Image) }

// Write writes the GIF atomically (a reader never sees half of it); it
// loops forever, as slides want.
func (r *gifRecorder) Write() error {
	if len(r.anim.Image) == 0 {
		return fmt.Errorf("--gif %s: no frame was recorded", r.path)
	}
	r.anim.LoopCount = 0
	if err := atomicfile.Write(r.path, func(w io.Writer) error { return gif.EncodeAll(w, &r.anim) }); err != nil {
		return fmt.Errorf("--gif %s: %w", r.path, err)
	}
	return nil
}
