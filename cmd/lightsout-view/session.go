package main

import (
	"errors"
	"fmt"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/twinmode"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/pilot"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Session is the running line the window shows, and its latest snapshot.
// It is the view's only door to the model: it runs the line, takes
// snapshots and gives commands, nothing else. Reset starts the line afresh
// from the same spec and seed.
//
// In twin mode (Twin set) there is no local line: the snapshots come from
// the host's mirror of the edge nodes, Run does nothing, Reset is refused
// and Do sends the command to the edge node as a DCMD.
type Session struct {
	Spec *twin.Spec
	Seed uint64
	Snap twin.Snapshot
	Twin *twinmode.Link
	// Pilot, when set, is the autopilot flying the local line (made
	// afresh with the line on Reset); nil without one, and in twin mode.
	Pilot *pilot.Sim
	// Source, when set and no local Pilot flies, is an autopilot read
	// from elsewhere: in twin mode with --twin-http, the twin host's.
	Source scene.PilotSource

	line     *twin.Line
	newPilot func(autopilot.Evaluator) (*autopilot.Pilot, error)
	log      *zap.Logger
}

// NewTwinSession returns a session that shows what tl mirrors of its
// spec's line.
func NewTwinSession(tl *twinmode.Link, log *zap.Logger) *Session {
	s := &Session{Spec: tl.Spec, Twin: tl, log: log}
	s.Refresh()
	return s
}

// twinModeControls is what Reset and the time controls answer in twin mode.
const twinModeControls = "twin mode: the edge nodes run the line; pause, speed, step and reset do not apply here (P, C, Z and X act on a station)"

// NewSession builds the line and takes its first snapshot. newPilot,
// when not nil, makes the autopilot that flies the line (see pilot.Attach).
func NewSession(spec *twin.Spec, seed uint64, newPilot func(autopilot.Evaluator) (*autopilot.Pilot, error), log *zap.Logger) (*Session, error) {
	s := &Session{Spec: spec, Seed: seed, newPilot: newPilot, log: log}
	if err := s.Reset(); err != nil {
		return nil, err
	}
	return s, nil
}

// Reset builds a new line with the same spec and seed, and a new
// autopilot to fly it when the session has one.
func (s *Session) Reset() error {
	if s.Twin != nil {
		return errors.New(twinModeControls)
	}
	l, err := twin.NewLine(s.Spec, s.Seed, nil)
	if err != nil {
		return fmt.Errorf("building the line: %w", err)
	}
	var ps *pilot.Sim
	if s.newPilot != nil {
		if ps, err = pilot.Attach(l, s.newPilot); err != nil {
			return fmt.Errorf("autopilot: %w", err)
		}
	}
	s.line, s.Pilot = l, ps
	s.Refresh()
	return nil
}

// Run advances the line by d of simulated time.
// In twin mode it does nothing: the edge nodes run the line.
func (s *Session) Run(d sim.Time) {
	if s.line != nil {
		s.line.RunFor(d)
	}
}

// Refresh takes a new snapshot into Snap (reusing its slices); in twin
// mode, from the mirror.
func (s *Session) Refresh() {
	if s.Twin != nil {
		s.Twin.Refresh(&s.Snap)
		return
	}
	s.line.SnapshotInto(&s.Snap)
}

// Do gives the line a command. It applies at the current simulated time,
// after the events already due then, and goes into the line's log, so the
// session replays headless (Line.Replay). Do runs the line for zero time so
// that the command takes effect even while paused; it returns the error the
// command was refused with, or met when it applied ("server 1 is not down").
//
// In twin mode Do sends the command to the edge node and returns at once;
// whether it was sent comes later from Twin.Result, and its effect shows
// when the edge node publishes it.
func (s *Session) Do(c twin.Command) error {
	if s.Twin != nil {
		return s.Twin.Send(c)
	}
	if err := s.line.Do(c); err != nil {
		s.log.Warn("command refused", zap.String("command", c.String()), zap.Error(err))
		return err
	}
	s.line.RunFor(0)
	log := s.line.Log()
	if e := log[len(log)-1].Err; e != "" {
		s.log.Warn("command failed", zap.String("command", c.String()), zap.String("error", e))
		return fmt.Errorf("%v: %s", c, e)
	}
	s.log.Info("command", zap.String("command", c.String()), zap.String("at", scene.Clock(s.line.Now())))
	s.Refresh()
	return nil
}

// Commands returns the commands given so far, with their times and outcomes.
// In twin mode the edge nodes keep the log: it returns none.
func (s *Session) Commands() []twin.TimedCommand {
	if s.line == nil {
		return nil
	}
	return s.line.Log()
}

// PilotSource returns where the view reads the autopilot: the local
// pilot, else Source (the twin's), or nil.
func (s *Session) PilotSource() scene.PilotSource {
	switch {
	case s.Pilot != nil:
		return scene.LocalPilot{P: s.Pilot.Pilot()}
	case s.Source != nil:
		return s.Source
	}
	return nil
}

// HoldPilot holds the local autopilot, or releases it when held, at the
// line's time, and says which it did. It fails without a local autopilot.
func (s *Session) HoldPilot() (string, error) {
	if s.Pilot == nil {
		if s.Twin != nil {
			return "", errors.New("twin mode: the twin's autopilot is held and released at the twin host")
		}
		return "", errors.New("no autopilot flies this line: start the view with --autopilot NAME")
	}
	p, now := s.Pilot.Pilot(), s.line.Now()
	if p.Held() {
		p.Release(now, "released by the operator in the view")
		s.log.Info("autopilot released", zap.String("at", scene.Clock(now)))
		return "autopilot released: it acts again from its next epoch", nil
	}
	p.Hold(now, "held by the operator in the view")
	s.log.Info("autopilot held", zap.String("at", scene.Clock(now)))
	return "autopilot held: it decides nothing until released (A)", nil
}
