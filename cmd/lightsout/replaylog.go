package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/mirror"
)

type replayLogFlags struct {
	log    string
	speed  float64
	hostID string
	group  string
	http   string
	json   bool
	model  modelFlags
	limits limitFlags
}

func newReplayLogCmd(a *app) *cobra.Command {
	var f replayLogFlags
	cmd := &cobra.Command{
		Use:   "replay",
		Short: "Feed a recording of 'lightsout twin --record' into a twin host, offline",
		Long: `replay reads a recording written by 'lightsout twin --record FILE' (one JSON
line {"time","topic","payload"} per message received, and one
{"time","event"} each time the twin lost or regained its broker connection)
and gives every message and event to a twin host, in order, with the
host's clock set to the time it was recorded: the mirror at the end is the one the live twin had when it
stopped recording, host times included (use the live twin's --host-id, and
its --config for the model-based features). No broker is involved.

It checks the whole recording first: a bad line is reported with its
number and nothing is replayed (exit status 2). Then it replays as fast as
possible, or with --speed X keeps the recorded gaps divided by X (1: real
time), and prints a summary of the mirror, or with --json the /api/state
document. With --http it serves the twin's HTTP API during the replay and
afterwards, until Ctrl-C.

Examples:
  lightsout twin --embedded --record run.jsonl
  lightsout replay --log run.jsonl
  lightsout replay --log run.jsonl --json > state.json
  lightsout replay --log run.jsonl --speed 10 --http 127.0.0.1:8080`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runReplayLog(ctx, a, cmd, &f)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.log, "log", "", "the recording to replay (written by 'lightsout twin --record'); required")
	fl.Float64Var(&f.speed, "speed", 0, "recorded time per wall-clock time, e.g. 10; 0: as fast as possible")
	fl.StringVar(&f.hostID, "host-id", "lightsout-twin", "Sparkplug host application id (the live twin's, for an identical mirror)")
	fl.StringVar(&f.group, "group", "", "the live twin's --group, if it had one")
	fl.StringVar(&f.http, "http", "", "address of the HTTP API, served until Ctrl-C; empty: none")
	fl.BoolVar(&f.json, "json", false, "print the mirror as the /api/state JSON document instead of a summary")
	f.model.register(cmd)
	f.limits.register(cmd)
	return cmd
}

func runReplayLog(ctx context.Context, a *app, cmd *cobra.Command, f *replayLogFlags) error {
	var problems []string
	switch {
	case f.log == "":
		problems = append(problems, "--log is required: the recording to replay")
	case math.IsNaN(f.speed) || math.IsInf(f.speed, 0) || f.speed < 0 || f.speed > 1e6:
		problems = append(problems, fmt.Sprintf("--speed %v: want 0 (as fast as possible) or a number above 0, at most 1000000", f.speed))
	}
	var limits mirror.Config
	problems = append(problems, f.limits.check(&limits)...)
	cfg, err := hostConfig(cmd, a, f.hostID, f.group, &f.model, problems)
	if err != nil {
		return err
	}
	cfg.Mirror.Limits, cfg.Mirror.EvictAfter = limits.Limits, limits.EvictAfter
	rec, sum, err := openRecording(f.log)
	if err != nil {
		return err
	}
	defer rec.Close()
	r, err := mirror.NewReplayer(cfg.Mirror)
	if err != nil {
		return badInput("%v", err)
	}
	h, err := twinwire.Around(r.Mirror(), cfg)
	if err != nil {
		return badInput("%v", err)
	}
	stopHTTP, err := serveHTTP(a, f.http, h)
	if err != nil {
		return err
	}
	defer stopHTTP()
	a.log.Info("replay: starting", zap.String("log", f.log), zap.Int("messages", sum.Messages),
		zap.Duration("recorded", sum.Span()), zap.Float64("speed", f.speed))
	start := time.Now()
	done, err := r.Replay(ctx, rec, f.speed)
	switch {
	case err != nil && ctx.Err() != nil:
		return &exitError{code: exitInterrupted, lines: []string{
			fmt.Sprintf("lightsout: replay interrupted after %d of %d messages", done.Messages, sum.Messages)}}
	case err != nil:
		return recordingProblem(f.log, err)
	}
	if err := printReplay(a.stdout, h, f.json, done, time.Since(start)); err != nil {
		return failure(err)
	}
	if f.http == "" {
		return nil
	}
	a.log.Info("replay: done; serving the HTTP API until Ctrl-C", zap.String("addr", f.http))
	<-ctx.Done()
	return nil
}

// openRecording opens the recording at path and checks it whole; it
// returns it rewound, with what it holds.
func openRecording(path string) (*os.File, mirror.RecordingSummary, error) {
	rec, err := os.Open(path)
	if err != nil {
		return nil, mirror.RecordingSummary{}, badInput("--log: %v", err)
	}
	sum, err := mirror.CheckRecording(rec)
	if err == nil {
		_, err = rec.Seek(0, io.SeekStart)
	}
	if err != nil {
		rec.Close()
		return nil, sum, recordingProblem(path, err)
	}
	return rec, sum, nil
}

// printReplay writes the mirror after a replay: the /api/state document
// with asJSON, else a summary.
func printReplay(out io.Writer, h *twinwire.Host, asJSON bool, done mirror.RecordingSummary, took time.Duration) error {
	v := h.Mirror.View()
	if !asJSON {
		_, err := io.WriteString(out, replaySummary(&v, done, took))
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ") // as GET /api/state
	return enc.Encode(api.StateOf(&v))
}

// recordingProblem reports a recording that cannot be replayed: a bad line
// is bad input (status 2), a failure to read it a failure (status 1).
func recordingProblem(file string, err error) error {
	var re *mirror.RecordingError
	if errors.As(err, &re) {
		return badInput("--log %s: %v", file, re)
	}
	return failure(fmt.Errorf("--log %s: %w", file, err))
}

// replaySummary describes the mirror after a replay: one line for the
// replay, one per edge node, one for the session's statistics.
func replaySummary(m *mirror.View, s mirror.RecordingSummary, took time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "replay: %d messages", s.Messages)
	if s.Messages > 0 {
		const stamp = "2006-01-02T15:04:05.000Z07:00"
		fmt.Fprintf(&b, " recorded %s to %s (%v)", s.First.UTC().Format(stamp), s.Last.UTC().Format(stamp),
			s.Span().Round(time.Millisecond))
	}
	fmt.Fprintf(&b, ", replayed in %v\n", took.Round(time.Millisecond))
	if len(m.Nodes) == 0 {
		b.WriteString("no edge node mirrored\n")
	}
	for _, n := range m.Nodes {
		status := "offline"
		switch {
		case n.Stale:
			status = "STALE"
		case n.Online:
			status = "online"
		}
		stale := 0
		for _, d := range n.Devices {
			if d.Stale {
				stale++
			}
		}
		fmt.Fprintf(&b, "node %s/%s: %s, %d metrics, %d devices (%d stale), %d messages\n",
			n.Group, n.EdgeNode, status, len(n.Metrics), len(n.Devices), stale, m.Messages(n.Group, n.EdgeNode))
	}
	st := m.Stats
	fmt.Fprintf(&b, "host: %d messages received, %d protocol errors (%d seq gaps), %d malformed, %d bad topics, %d rebirth requests\n",
		m.Received, st.ProtocolErrors, st.SeqGaps, st.Malformed, st.BadTopics, st.RebirthRequests)
	if m.LastError != "" {
		fmt.Fprintf(&b, "last error: %s\n", m.LastError)
	}
	return b.String()
}
