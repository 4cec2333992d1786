package main

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/palette"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/robots"
)

// drawArm paints arm j in its pose: base, upper arm, elbow, forearm,
// gripper, and the unit it carries. Its joints show its state (teal when
// moving, red when down); a broken arm is tinted red all over.
func (g *Game) drawArm(dst *ebiten.Image, j int) {
	p := &g.poses[j]
	st := &g.sess.Snap.Arms[j]
	sh := g.smooth
	z := g.cam.Zoom
	accent := palette.Arm(st.Phase)
	link := palette.ArmLink
	if st.Phase == robots.Down || st.Broken {
		link = palette.Mix(palette.ArmLink, palette.ArmDown, 0.55)
	}
	if mk := g.twinArm(j); mk != nil && mk.Stale {
		accent, link = colStale, palette.Mix(palette.ArmLink, colStale, 0.7)
	}
	base, elbow, hand := g.ws(p.Base), g.ws(p.Elbow), g.ws(p.Hand)
	if g.sel.Kind == scene.SelArm && g.sel.Slot == j {
		sh.Circle(dst, base, 15*z, palette.Select)
	}
	sh.Circle(dst, base, 12*z, palette.ArmBase)
	sh.Ring(dst, base, 12*z, 2*z, accent)
	sh.Line(dst, base, elbow, 8*z, palette.ArmJoint)
	sh.Line(dst, base, elbow, 6*z, link)
	sh.Circle(dst, base, 5*z, palette.ArmJoint)
	sh.Line(dst, elbow, hand, 5*z, link)
	sh.Circle(dst, elbow, 4.5*z, accent)
	if p.Carry {
		g.unit(dst, p.Hand, 9, p.Defective, sh)
	}
	// The gripper: two fingers across the forearm, closing as it grips.
	dx, dy := hand.X-elbow.X, hand.Y-elbow.Y
	l := math.Hypot(dx, dy)
	if l < 1e-6 {
		dx, dy, l = 0, -1, 1
	}
	ux, uy := dx/l, dy/l
	open := (7 - 3.5*p.Grip) * z
	for _, s := range [2]float64{-1, 1} {
		a := scene.Pt(hand.X-uy*open*s, hand.Y+ux*open*s)
		b := scene.Pt(a.X+ux*5*z, a.Y+uy*5*z)
		sh.Line(dst, a, b, 2.4*z, accent)
	}
	sh.Line(dst, scene.Pt(hand.X-uy*open, hand.Y+ux*open), scene.Pt(hand.X+uy*open, hand.Y-ux*open), 2.4*z, accent)
	g.drawArmHealth(dst, j)
}
