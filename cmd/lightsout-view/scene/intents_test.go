package scene

import (
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
)

func TestOverlays(t *testing.T) {
	all := AllOverlays()
	for o, on := range all {
		if !on {
			t.Errorf("%d is hidden at start", o)
		}
	}
	if !all.Dashboard() {
		t.Error("the dashboard is hidden with every overlay shown")
	}
	var s Overlays
	s[OverlayWIP], s[OverlayClock], s[OverlaySpeed], s[OverlayBottleneck] = true, true, true, true
	if s.Dashboard() {
		t.Error("overlays of the top bar and floor show the dashboard")
	}
	for _, o := range []Overlay{OverlayChart, OverlayOEE, OverlayDefects, OverlayLegend} {
		var one Overlays
		one[o] = true
		if !o.OnDashboard() || !one.Dashboard() {
			t.Errorf("overlay %d alone does not show the dashboard", o)
		}
	}
}

func TestTypedCharacters(t *testing.T) {
	for _, tc := range []struct {
		typed string
		shift bool
		want  Intents
	}{
		{"?", false, Intents{Help: true}},
		{"=", false, Intents{Faster: true}},
		{"_", true, Intents{Slower: true}},
		{".", false, Intents{Step: true}},
		{">", true, Intents{Step: true, BigStep: true}},
		{"]]", false, Intents{BufferUp: 2}},
		{"{", true, Intents{BufferDown: 5}},
		{"xq", false, Intents{}}, // letters come as keys
	} {
		var it Intents
		for _, r := range tc.typed {
			it.Type(r, tc.shift)
		}
		if it != tc.want {
			t.Errorf("typed %q (shift %v): %+v, want %+v", tc.typed, tc.shift, it, tc.want)
		}
	}
}

func TestIntentsCommand(t *testing.T) {
	sel := Selection{Kind: SelStation, Slot: 0, Server: -1}
	snap := snapWith(4, 0, stations.Working)
	snap.Stations[0].Speed = 1
	for _, tc := range []struct {
		it   Intents
		kind twin.CommandKind
	}{
		{Intents{Break: true, Repair: true, Hold: true}, twin.BreakStation},
		{Intents{BufferUp: 5}, twin.SetBuffer},
		{Intents{BufferDown: 1, Hold: true}, twin.SetBuffer},
		{Intents{Hold: true, ResetStation: true}, twin.HoldStation},
		{Intents{StationSlower: true}, twin.SetSpeed},
	} {
		cmd, ok, err := tc.it.Command(sel, snap)
		if !ok || err != nil || cmd.Kind != tc.kind {
			t.Errorf("%+v: %v, %v, %v; want a %v", tc.it, cmd, ok, err, tc.kind)
		}
	}
	if cmd, _, _ := (&Intents{BufferDown: 1}).Command(sel, snap); cmd.Capacity != 3 {
		t.Errorf("buffer down: capacity %v, want 3", cmd.Capacity)
	}
	if _, ok, err := (&Intents{Pause: true, Faster: true}).Command(sel, snap); ok || err != nil {
		t.Errorf("no command asked, yet ok %v err %v", ok, err)
	}
	if _, ok, err := (&Intents{Repair: true}).Command(sel, snap); !ok || err == nil {
		t.Errorf("repairing a working station: ok %v err %v", ok, err)
	}
}

func TestSteer(t *testing.T) {
	view := Rect{0, 40, 1280, 574}
	cam := Camera{Zoom: 1, Offset: Point{10, 50}}
	if _, moved := (&Intents{Cursor: Point{100, 100}}).Steer(cam, view, 1); moved {
		t.Error("no wheel, drag or arrow moved the camera")
	}
	if _, moved := (&Intents{Wheel: 1, Cursor: Point{100, 20}}).Steer(cam, view, 1); moved {
		t.Error("the wheel over the top bar zoomed the floor")
	}
	it := &Intents{Wheel: 1, Cursor: Point{300, 200}}
	got, moved := it.Steer(cam, view, 1)
	if !moved || got.Zoom != 1.15 || !near(got.ToScreen(cam.ToWorld(it.Cursor)), it.Cursor) {
		t.Errorf("a wheel step: %+v (moved %v)", got, moved)
	}
	if got, _ := (&Intents{Wheel: 100, Cursor: Point{300, 200}}).Steer(cam, view, 0.5); got.Zoom != 0.5*MaxZoomFactor {
		t.Errorf("zoomed in far: %v, want the limit %v", got.Zoom, 0.5*MaxZoomFactor)
	}
	if got, _ := (&Intents{Wheel: -100, Cursor: Point{300, 200}}).Steer(cam, view, 0.5); got.Zoom != 0.5*MinZoomFactor {
		t.Errorf("zoomed out far: %v, want the limit %v", got.Zoom, 0.5*MinZoomFactor)
	}
	got, moved = (&Intents{DragX: 5, DragY: -3, PanX: 14}).Steer(cam, view, 1)
	if !moved || got.Offset != (Point{29, 47}) || got.Zoom != 1 {
		t.Errorf("drag and pan: %+v", got)
	}
}

func TestPointerTellsClicksFromDrags(t *testing.T) {
	type tick struct {
		cur            Point
		down, released bool
	}
	for _, tc := range []struct {
		name   string
		ticks  []tick
		click  bool
		dragsX float64 // the drags' total movement
	}{
		{"click", []tick{{Point{10, 10}, true, false}, {Point{12, 11}, true, false}, {Point{12, 11}, false, true}}, true, 0},
		{"drag", []tick{{Point{10, 10}, true, false}, {Point{20, 10}, true, false}, {Point{25, 10}, true, false}, {Point{25, 10}, false, true}}, false, 15},
		{"right button", []tick{{Point{10, 10}, true, false}, {Point{10, 10}, false, false}}, false, 0},
		{"no press", []tick{{Point{10, 10}, false, true}}, false, 0},
	} {
		var p Pointer
		click, dx := false, 0.0
		for _, k := range tc.ticks {
			var it Intents
			p.Track(&it, k.cur, k.down, k.released)
			if it.Cursor != k.cur {
				t.Errorf("%s: cursor %v, want %v", tc.name, it.Cursor, k.cur)
			}
			click = click || it.Click
			dx += it.DragX
		}
		if click != tc.click || dx != tc.dragsX {
			t.Errorf("%s: click %v, drag %v; want %v, %v", tc.name, click, dx, tc.click, tc.dragsX)
		}
	}
}
