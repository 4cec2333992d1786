package scene

import (
	"math"
	"testing"
	"unicode/utf8"

	"github.com/lightsout-sim/lightsout/configs/configstest"
)

// fixedWidth measures every character as 0.6 of the size (0.7 bold).
type fixedWidth struct{}

func (fixedWidth) Width(s string, size float64, bold bool) float64 {
	w := 0.6
	if bold {
		w = 0.7
	}
	return float64(utf8.RuneCountInString(s)) * size * w
}

func (m fixedWidth) Fit(s string, size float64, bold bool, width float64) string {
	rs := []rune(s)
	for n := len(rs); n > 0; n-- {
		cut := string(rs[:n])
		if n < len(rs) {
			cut += "…"
		}
		if m.Width(cut, size, bold) <= width {
			return cut
		}
	}
	return ""
}

func TestFloorTextSize(t *testing.T) {
	for _, tc := range []struct{ base, z, want float64 }{
		{12, 1, 12}, {12, 1.2, 14.4}, {12, 3, 16.8}, {12, 0.25, 6},
	} {
		if got := FloorTextSize(tc.base, tc.z); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("FloorTextSize(%v, %v) = %v, want %v", tc.base, tc.z, got, tc.want)
		}
	}
}

func TestLabelPlace(t *testing.T) {
	f := Lay(configstest.Embedded(t, "inspection-heavy"), 1280, 574)
	cam := FitCamera(f, FloorView(1280, 800, true))
	var m fixedWidth
	for i := range f.Stations {
		sb := &f.Stations[i]
		for _, id := range []string{"a", "a-station-id-far-too-long-for-its-band"} {
			x, icon, ok := LabelPlace(m, cam, sb, id, true)
			if !ok {
				t.Fatalf("station %d: no label at zoom %.2f", i, cam.Zoom)
			}
			size := FloorTextSize(LabelSize, cam.Zoom)
			w := m.Width(m.Fit(id, size, true, LabelRoom(cam, sb)), size, true)
			band := cam.RectToScreen(sb.Label)
			if x-w/2 < band.X-1e-9 || x+w/2 > band.X+band.W+1e-9 {
				t.Errorf("station %d %q: text from %.1f to %.1f outside its band %v", i, id, x-w/2, x+w/2, band)
			}
			if sb.Inspects && (!icon.Inside(band.Inset(-1)) || icon.X+icon.W > x-w/2) {
				t.Errorf("station %d: camera icon %v not before the text at %.1f in %v", i, icon, x-w/2, band)
			}
			if len(id) == 1 && !sb.Inspects && math.Abs(x-cam.ToScreen(sb.Box.Center()).X) > 1e-9 {
				t.Errorf("station %d: a short id is not centred over the box", i)
			}
		}
	}
	if _, _, ok := LabelPlace(m, Camera{Zoom: 0.2}, &f.Stations[0], "a", false); ok {
		t.Error("a label at zoom 0.2 is drawn")
	}
}

func TestTagPlace(t *testing.T) {
	f := Lay(configstest.Embedded(t, "demo-line"), 1280, 574)
	var m fixedWidth
	cam := Camera{Zoom: 1}
	for i := range f.Stations {
		sb := &f.Stations[i]
		box, info := cam.RectToScreen(sb.Box), cam.RectToScreen(sb.InfoBox)
		r, size, text, ok := TagPlace(m, cam, sb, "HELD 0.5x", true, "")
		if !ok || !text || size <= 0 {
			t.Fatalf("station %d: no tag (%v %v %v)", i, ok, text, size)
		}
		if c := r.Center(); math.Abs(c.X-box.Center().X) > 1e-9 || math.Abs(c.Y-box.Y) > 1e-9 {
			t.Errorf("station %d: tag %v not centred on the top edge of %v", i, r, box)
		}
		// Beside defect counts, the tag moves away from them where there
		// is room, and stays over its box where there is not.
		for _, defects := range []string{"▲3", "▲12 ●3 ×1"} {
			dw := m.Width(defects, FloorTextSize(InfoSize, 1), true)
			r, _, _, _ = TagPlace(m, cam, sb, "0.5x", false, defects)
			if r.X < box.X-1e-9 || r.X+r.W > box.X+box.W+1e-9 {
				t.Errorf("station %d: tag %v outside its box %v", i, r, box)
			}
			room := dw+r.W < info.W
			if room && (sb.DefectsAtStart() && r.X < info.X+dw || !sb.DefectsAtStart() && r.X+r.W > info.X+info.W-dw) {
				t.Errorf("station %d (dir %v): tag %v over the defect counts %.1f wide in %v", i, sb.Dir, r, dw, info)
			}
		}
	}
	sb := &f.Stations[0]
	if _, _, _, ok := TagPlace(m, cam, sb, "", false, ""); ok {
		t.Error("an empty tag is drawn")
	}
	small := Camera{Zoom: 0.3}
	if _, _, _, ok := TagPlace(m, small, sb, "0.5x", false, ""); ok {
		t.Error("a speed too small to read is drawn")
	}
	if r, _, text, ok := TagPlace(m, small, sb, "HELD", true, ""); !ok || text || r.W < PauseW(r.H) {
		t.Errorf("a held station zoomed out: shown %v, text %v, pill %v", ok, text, r)
	}
}
