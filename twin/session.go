package twin

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// SessionLog is all it takes to replay an interactive session headless:
// the config, the seed, the commands with their simulated times, and the
// time the session ended. Its JSON form is what `lightsout-view --record`
// writes and `lightsout replay-session` reads.
type SessionLog struct {
	Config   string          `json:"config"`
	Seed     Seed            `json:"seed"`
	Until    sim.Time        `json:"until_s"`
	Commands []LoggedCommand `json:"commands"`
}

// LoggedCommand is one command of a SessionLog. Line and Server count from
// 1, as people do; times are simulated seconds, written to the
// nanosecond (sim.Time's JSON), so replays are exact.
type LoggedCommand struct {
	At       sim.Time `json:"at_s"`
	Kind     string   `json:"kind"`
	Line     int      `json:"line"`
	Target   string   `json:"target"`
	Server   int      `json:"server,omitempty"`
	Capacity string   `json:"capacity,omitempty"`
	// Speed is the relative speed of a "speed" command.
	Speed float64 `json:"speed,omitempty"`
	// Err is the error the command met when it applied ("" if none); it is
	// informative only: a replay meets the same one.
	Err string `json:"err,omitempty"`
}

// Seed returns the seed the line was built with.
func (l *Line) Seed() uint64 { return l.seed }

// SessionLog returns the line's session so far, for config.
func (l *Line) SessionLog(config string) *SessionLog {
	s := &SessionLog{Config: config, Seed: Seed(l.seed), Until: l.Now(), Commands: []LoggedCommand{}}
	for _, tc := range l.log {
		c := tc.Cmd
		lc := LoggedCommand{At: tc.At, Kind: c.Kind.String(), Line: c.Line + 1, Target: c.Target, Err: tc.Err}
		switch c.Kind {
		case BreakStation, RepairStation, MaintainStation, DispatchCrew:
			lc.Server = c.Server + 1
		case SetBuffer:
			lc.Capacity = c.Capacity.String()
		case SetSpeed:
			lc.Speed = c.Speed
		}
		s.Commands = append(s.Commands, lc)
	}
	return s
}

// WriteSessionLog writes s as indented JSON.
func WriteSessionLog(w io.Writer, s *SessionLog) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// ReadSessionLog reads a session log, strictly: unknown fields, unknown
// command kinds, times that go backwards and bad numbers are errors that
// name the command.
func ReadSessionLog(r io.Reader) (*SessionLog, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var s SessionLog
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("session log: %w", err)
	}
	if s.Config == "" {
		return nil, fmt.Errorf("session log: config: missing")
	}
	if _, err := s.Timed(); err != nil {
		return nil, err
	}
	return &s, nil
}

// Timed returns the commands as TimedCommands for Line.Replay.
func (s *SessionLog) Timed() ([]TimedCommand, error) {
	out := make([]TimedCommand, 0, len(s.Commands))
	var last sim.Time
	for i, lc := range s.Commands {
		bad := func(format string, a ...any) error {
			return fmt.Errorf("session log: commands[%d]: %s", i, fmt.Sprintf(format, a...))
		}
		kind := -1
		for k, name := range commandNames {
			if name == lc.Kind {
				kind = k
			}
		}
		switch {
		case kind < 0:
			return nil, bad("unknown kind %q (want one of %s)", lc.Kind, strings.Join(commandNames[:], ", "))
		case lc.At < 0:
			return nil, bad("at_s %s is negative", secs(lc.At))
		case lc.At < last:
			return nil, bad("at_s %s is before the previous command's %s", secs(lc.At), secs(last))
		case lc.Line < 1:
			return nil, bad("line %d: lines count from 1", lc.Line)
		case lc.Target == "":
			return nil, bad("target: missing")
		}
		last = lc.At
		c := Command{Kind: CommandKind(kind), Line: lc.Line - 1, Target: lc.Target}
		switch c.Kind {
		case BreakStation, RepairStation, MaintainStation, DispatchCrew:
			if lc.Server < 1 {
				return nil, bad("server %d: servers count from 1", lc.Server)
			}
			c.Server = lc.Server - 1
		case SetBuffer:
			var capacity stations.Capacity
			if err := capacity.UnmarshalText([]byte(lc.Capacity)); err != nil {
				return nil, bad("capacity: %v", err)
			}
			c.Capacity = capacity
		case SetSpeed:
			if err := stations.CheckSpeed(lc.Speed); err != nil {
				return nil, bad("%v", err)
			}
			c.Speed = lc.Speed
		}
		out = append(out, TimedCommand{At: lc.At, Cmd: c})
	}
	if s.Until < last {
		return nil, fmt.Errorf("session log: until_s %s is before the last command (%s)", secs(s.Until), secs(last))
	}
	return out, nil
}

// secs writes t as its JSON does, in seconds.
func secs(t sim.Time) string {
	b, _ := t.MarshalJSON()
	return string(b)
}
