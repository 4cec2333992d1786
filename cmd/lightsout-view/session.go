package main

import (
	"fmt"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Session is the running line the window shows, and its latest snapshot.
// It is the view's only door to the model: it runs the line, takes
// snapshots and gives commands, nothing else. Reset starts the line afresh
// from the same spec and seed.
type Session struct {
	Spec *twin.Spec
	Seed uint64
	Snap twin.Snapshot

	line *twin.Line
	log  *zap.Logger
}

// NewSession builds the line and takes its first snapshot.
func NewSession(spec *twin.Spec, seed uint64, log *zap.Logger) (*Session, error) {
	s := &Session{Spec: spec, Seed: seed, log: log}
	if err := s.Reset(); err != nil {
		return nil, err
	}
	return s, nil
}

// Reset builds a new line with the same spec and seed.
func (s *Session) Reset() error {
	l, err := twin.NewLine(s.Spec, s.Seed, nil)
	if err != nil {
		return fmt.Errorf("building the line: %w", err)
	}
	s.line = l
	s.Refresh()
	return nil
}

// Run advances the line by d of simulated time.
func (s *Session) Run(d sim.Time) { s.line.RunFor(d) }

// Refresh takes a new snapshot into Snap (reusing its slices).
func (s *Session) Refresh() { s.line.SnapshotInto(&s.Snap) }

// Do gives the line a command. It applies at the current simulated time,
// after the events already due then, and goes into the line's log, so the
// session replays headless (Line.Replay). Do runs the line for zero time so
// that the command takes effect even while paused; it returns the error the
// command was refused with, or met when it applied ("server 1 is not down").
func (s *Session) Do(c twin.Command) error {
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
	s.log.Info("command", zap.String("command", c.String()), zap.String("at", clock(s.line.Now())))
	s.Refresh()
	return nil
}

// Commands returns the commands given so far, with their times and outcomes.
func (s *Session) Commands() []twin.TimedCommand { return s.line.Log() }
