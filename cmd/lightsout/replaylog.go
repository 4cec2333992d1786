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

	"github.com/lightsout-sim/lightsout/cmd/internal/twinhttp"
	"github.com/lightsout-sim/lightsout/cmd/internal/twinwire"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

type replayLogFlags struct {
	log    string
	speed  float64
	hostID string
	group  string
	api    twinhttp.ServerFlags
	json   bool
	strict bool
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
number and nothing is replayed (exit status 2). The one exception is the
last line: a crash or a full disk while the twin was writing can cut it
short, so a bad last line is left out with a warning naming it, and the
lines before it are replayed; --strict refuses such a recording too. Only
the end of a recording can be cut: a bad line with lines after it is
damage of another kind. Then it replays as fast as
possible, or with --speed X keeps the recorded gaps divided by X (1: real
time), and prints a summary of the mirror, or with --json the /api/state
document. With --config and --autopilot NAME (and the live twin's other
autopilot flags), or a --config with an autopilot: block, the autopilot
flies the replay as it flew the live twin:
it makes the same decisions, from the same messages in the same order,
and the summary lists them ("autopilot: ..." lines, as demo-twin prints
them); it sends no command. With --http it serves the twin's HTTP API during the replay and
afterwards, until Ctrl-C, with the flags and rules of 'lightsout twin'
(token, Host names, TLS, forecast limits).

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
	f.api.Register(fl, "")
	fl.BoolVar(&f.json, "json", false, "print the mirror as the /api/state JSON document instead of a summary")
	fl.BoolVar(&f.strict, "strict", false, "refuse a recording whose last line is cut short or bad, instead of replaying the lines before it")
	f.model.register(cmd)
	f.limits.register(cmd)
	return cmd
}

func runReplayLog(ctx context.Context, a *app, cmd *cobra.Command, f *replayLogFlags) error {
	web, problems := f.api.Settings()
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
	rec, sum, err := openRecording(f.log, f.strict)
	if err != nil {
		return err
	}
	defer rec.Close()
	if t := sum.Tail; t != nil {
		a.log.Warn(fmt.Sprintf("--log %s: %s", f.log, leftOut(t)))
	}
	cfg.Replay = true
	r, err := mirror.NewReplayer(cfg.Mirror)
	if err != nil {
		return badInput("%v", err)
	}
	h, err := twinwire.Around(r.Mirror(), cfg)
	if err != nil {
		return badInput("%v", err)
	}
	stopHTTP, err := serveHTTP(a, web, h)
	if err != nil {
		return err
	}
	defer stopHTTP()
	a.log.Info("replay: starting", zap.String("log", f.log), zap.Int("messages", sum.Messages),
		zap.Float64("recorded_s", sum.Span().Seconds()), zap.Float64("speed", f.speed))
	start := time.Now()
	done, err := r.ReplayFrom(ctx, reader(rec, f.strict), f.speed)
	switch {
	case err != nil && ctx.Err() != nil:
		return interrupted("replay interrupted after %d of %d messages", done.Messages, sum.Messages)
	case err != nil:
		return recordingProblem(f.log, err)
	}
	if h.Pilot != nil {
		h.Pilot.Flush()
	}
	if err := printReplay(a.stdout, h, f.json, done, time.Since(start)); err != nil {
		return failure(err)
	}
	if web.Addr == "" {
		return nil
	}
	a.log.Info("replay: done; serving the HTTP API until Ctrl-C", zap.String("addr", web.Addr))
	<-ctx.Done()
	return interrupted("replay: interrupted; stopped serving the HTTP API")
}

// openRecording opens the recording at path and checks it whole (a bad
// last line too when strict); it returns it rewound, with what it holds.
func openRecording(path string, strict bool) (*os.File, mirror.RecordingSummary, error) {
	rec, err := os.Open(path)
	if err != nil {
		return nil, mirror.RecordingSummary{}, badInput("--log: %v", err)
	}
	sum, err := reader(rec, strict).Check()
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
		if _, err := io.WriteString(out, replaySummary(&v, done, took)); err != nil {
			return err
		}
		if h.Pilot != nil {
			st := h.Pilot.Pilot().Stats()
			if _, err := fmt.Fprintf(out, "autopilot %s: %d epochs, %d decisions (%d applied, %d recommended, %d capped, %d held, %d invalid), %d errors; its commands were not sent\n",
				h.Pilot.Pilot().Policy().Name(), st.Epochs, st.Actions, st.Applied, st.Recommended, st.Capped, st.Held, st.Invalid, st.Errors); err != nil {
				return err
			}
		}
		printDecisions(out, h, 0)
		return nil
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ") // as GET /api/state
	return enc.Encode(api.StateOf(&v))
}

// reader returns a reader of the recording r: lenient about its last line
// unless strict.
func reader(r io.Reader, strict bool) *mirror.RecordingReader {
	rr := mirror.NewRecordingReader(r)
	if !strict {
		rr.Lenient()
	}
	return rr
}

// recordingProblem reports a recording that cannot be replayed: a bad line
// is bad input (status 2), a failure to read it a failure (status 1).
func recordingProblem(file string, err error) error {
	var re *mirror.RecordingError
	if errors.As(err, &re) {
		return badInput("--log %s: %s", file, badLine(re))
	}
	return failure(fmt.Errorf("--log %s: %w", file, err))
}

// badLine says what is wrong with a line of a recording, for people.
func badLine(e *mirror.RecordingError) string {
	n := textfmt.Grouped(float64(e.Line), 0)
	if e.Cut {
		return "line " + n + " is cut short (the recording ends mid-line)"
	}
	return "line " + n + ": " + e.Err.Error()
}

// leftOut says which bad last line a replay leaves out, and what it
// replays.
func leftOut(e *mirror.RecordingError) string {
	what := "line " + textfmt.Grouped(float64(e.Line), 0) + ", the last, is bad (" + e.Err.Error() + ")"
	if e.Cut {
		what = badLine(e)
	}
	switch before := e.Line - 1; before {
	case 0:
		return what + ": nothing to replay"
	case 1:
		return what + ": replayed the one line before it"
	default:
		return what + ": replayed the " + textfmt.Grouped(float64(before), 0) + " lines before it"
	}
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
