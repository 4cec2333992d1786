package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/internal/atomicfile"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/twinmode"
	"github.com/lightsout-sim/lightsout/twin"
)

// openWindow runs the window on a checked setup until it is closed, Q is
// pressed or --frames ticks have run; with --stats it then prints the
// frame times on out.
func openWindow(o *options, s *setup, out io.Writer) error {
	defer func() { _ = s.log.Sync() }()
	sess, closeTwin, err := newWindowSession(s)
	if err != nil {
		return err
	}
	defer closeTwin()
	g, err := NewGame(sess, s.speed, o.width, o.height, s.log)
	if err != nil {
		return err
	}
	if o.frames > 0 {
		g.Script(o.frames, o.screenshot)
	}
	o.view.apply(g)
	if o.view.fullscreen {
		ebiten.SetFullscreen(true)
	}
	g.Play(s.play)
	ebiten.SetWindowSize(o.width, o.height)
	title := "Lightsout: " + s.spec.Name
	if s.twin != nil {
		title = "Lightsout twin: " + s.spec.Name + " on " + s.twin.broker
	}
	ebiten.SetWindowTitle(title)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetWindowSizeLimits(minWidth, minHeight, -1, -1)
	ebiten.SetScreenClearedEveryFrame(false) // Draw paints every pixel
	s.log.Info("opening window", zap.String("config", s.spec.Name), zap.Uint64("seed", s.seed),
		zap.String("speed", s.speed.String()), zap.Int("width", o.width), zap.Int("height", o.height))
	runErr := ebiten.RunGame(g)
	s.log.Info("window closed", zap.String("at", scene.Clock(sess.Snap.Now)), zap.Int("commands", len(sess.Commands())),
		zap.String("real speed", scene.FormatSpeed(g.pacer.Real())))
	if o.stats {
		fmt.Fprintf(out, "frame times: %s, %dx%d, speed %s (real %s), %d ticks, simulated %s\n",
			s.spec.Name, o.width, o.height, s.speed, scene.FormatSpeed(g.pacer.Real()), g.ticks, scene.Clock(sess.Snap.Now))
		if err := g.Times.Report(out); err != nil {
			return err
		}
	}
	if o.record != "" && sess.line != nil {
		if err := writeSession(o.record, sess.line.SessionLog(o.config)); err != nil {
			return err
		}
		s.log.Info("session recorded", zap.String("file", o.record), zap.Int("commands", len(sess.Commands())))
	}
	if runErr != nil {
		return runErr
	}
	if g.x.gif != nil {
		if err := g.x.gif.Write(); err != nil {
			return err
		}
		s.log.Info("gif written", zap.String("file", o.view.gif), zap.Int("frames", g.x.gif.Frames()))
	}
	return g.Err()
}

// newWindowSession returns the session the window shows: a local line, or
// in twin mode a host attached to the broker (connecting in the
// background); close releases it.
func newWindowSession(s *setup) (*Session, func(), error) {
	if s.twin == nil {
		sess, err := NewSession(s.spec, s.seed, s.pilot, s.log)
		return sess, func() {}, err
	}
	hostID := "lightsout-view-" + strconv.Itoa(os.Getpid())
	tl, err := twinmode.New(twinmode.Config{Spec: s.spec, Group: s.twin.group, Prefix: s.twin.prefix,
		HostID: hostID, Broker: s.twin.broker, Log: s.log})
	if err != nil {
		return nil, nil, err
	}
	tl.Connect(s.twin.link)
	s.log.Info("twin mode", zap.String("broker", s.twin.broker), zap.String("group", s.twin.group),
		zap.String("nodes", s.twin.prefix+"-L<k>"), zap.String("host", hostID))
	sess := NewTwinSession(tl, s.log)
	var poll *twinmode.AutopilotPoll
	if s.twin.http != "" {
		if poll, err = twinmode.NewAutopilotPoll(s.twin.http, time.Second, nil); err != nil {
			return nil, nil, fmt.Errorf("--twin-http %w", err)
		}
		poll.Start()
		sess.Source = poll
		if err := tl.BackfillFrom(s.twin.http, nil); err != nil {
			return nil, nil, fmt.Errorf("--twin-http %w", err)
		}
		s.log.Info("twin autopilot", zap.String("url", s.twin.http+"/api/autopilot"))
	}
	return sess, func() {
		if poll != nil {
			poll.Close()
		}
		if err := tl.Close(); err != nil {
			s.log.Warn("twin: disconnect", zap.Error(err))
		}
	}, nil
}

// writeSession writes the session log to path atomically.
func writeSession(path string, log *twin.SessionLog) error {
	if err := atomicfile.Write(path, func(w io.Writer) error { return twin.WriteSessionLog(w, log) }); err != nil {
		return fmt.Errorf("--record: %w", err)
	}
	return nil
}
