package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/cmd/internal/twinhttp"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/forecast"
)

// whatIfTimeout bounds one what-if request: the twin forks and runs the
// replications before it answers.
const whatIfTimeout = 10 * time.Minute

type whatIfFlags struct {
	client        twinhttp.ClientFlags
	buffer        string
	repairArm     string
	repairStation string
	line          int
	stationSpeed  string
	replications  int
	seed          uint64
	until         durationFlag
	json          bool
	seedSet       bool // --seed given
}

// newWhatIfCmd returns 'lightsout whatif', which asks a running twin's
// HTTP API what a change would do to the shift's output.
func newWhatIfCmd(a *app) *cobra.Command {
	var f whatIfFlags
	cmd := &cobra.Command{
		Use:   "whatif",
		Short: "Ask a running twin what a change would do to the output (forked forecast)",
		Long: `whatif asks a running twin (lightsout twin --config …, its --http API) to fork
its mirrored state twice, the line as it is and with the changes given, run
both with the same random numbers to the end of the shift (or --until) and
compare their good output: P10, P50 and P90 of each, and of the difference
replication by replication (a paired difference is much tighter than the
two bands suggest).

Changes (at least one; several apply together):
  --buffer STATION=N        input buffer capacity (N units, or inf); it must
                            hold the units waiting there now
  --repair-arm ARM          repair an arm that is down or broken
  --repair-station STATION  repair a station's servers that are down
  --station-speed STATION=F run a station F times as fast (cycle times / F)
  --line K                  limit repairs to copy K of the line

--until is a simulated time from the start of the run (8h is the end of the
first 8-hour shift). --json prints the twin's answer as it is.

A what-if costs the twin CPU: it needs the twin's API token, read from
--api-token-file or $LIGHTSOUT_API_TOKEN. The twin runs a few at a time
(a busy twin answers "try again later") and within its time limit.

Examples:
  lightsout whatif --buffer assembly=8
  lightsout whatif --twin http://twin.plant:8080 --repair-arm arm-1 --replications 100
  lightsout whatif --station-speed test=1.2 --until 16h --json`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			f.seedSet = cmd.Flags().Changed("seed")
			req, client, err := f.request()
			if err != nil {
				return err
			}
			return runWhatIf(cmd.Context(), a, &f, client, req)
		}),
	}
	fl := cmd.Flags()
	f.client.Register(fl)
	fl.StringVar(&f.buffer, "buffer", "", "change a buffer: STATION=CAPACITY (a number or inf)")
	fl.StringVar(&f.repairArm, "repair-arm", "", "repair this arm")
	fl.StringVar(&f.repairStation, "repair-station", "", "repair this station's servers")
	fl.IntVar(&f.line, "line", 0, "repair on this copy of the line only (from 1; default: every copy)")
	fl.StringVar(&f.stationSpeed, "station-speed", "", "change a station's speed: STATION=FACTOR (1.2 is 20% faster)")
	fl.IntVar(&f.replications, "replications", 0, "replications (default: the twin's)")
	fl.Uint64Var(&f.seed, "seed", 0, "base random seed (default: the twin's)")
	// The names of earlier releases, hidden: --reps is --replications and
	// --speed (which elsewhere paces wall-clock time) is --station-speed.
	fl.IntVar(&f.replications, "reps", 0, "replications")
	fl.StringVar(&f.stationSpeed, "speed", "", "change a station's speed")
	_ = fl.MarkDeprecated("reps", "use --replications")
	_ = fl.MarkDeprecated("speed", "use --station-speed (--speed paces wall-clock time in the other commands)")
	fl.Var(&f.until, "until", "forecast to this simulated time (default: the end of the shift)")
	fl.BoolVar(&f.json, "json", false, "print the twin's JSON answer")
	return cmd
}

// request builds the what-if request and the twin's client from the
// flags.
func (f *whatIfFlags) request() (forecast.WhatIfRequest, *twinhttp.Client, error) {
	req := forecast.WhatIfRequest{RepairArm: f.repairArm, RepairStation: f.repairStation, Line: f.line, Replications: f.replications}
	client, problems := f.client.Client()
	if f.buffer != "" {
		st, v, ok := strings.Cut(f.buffer, "=")
		var c stations.Capacity
		if err := c.UnmarshalText([]byte(strings.TrimSpace(v))); !ok || st == "" || err != nil {
			problems = append(problems, fmt.Sprintf("--buffer %q: want STATION=CAPACITY, e.g. assembly=8 or assembly=inf", f.buffer))
		} else {
			req.Buffer = &forecast.BufferChange{Station: st, Capacity: forecast.BufferLimit(c)}
		}
	}
	if f.stationSpeed != "" {
		st, v, ok := strings.Cut(f.stationSpeed, "=")
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok || st == "" || err != nil || !(x > 0) {
			problems = append(problems, fmt.Sprintf("--station-speed %q: want STATION=FACTOR with a factor above 0, e.g. test=1.2", f.stationSpeed))
		} else {
			req.Speed = &forecast.SpeedChange{Station: st, Factor: x}
		}
	}
	if req.Buffer == nil && req.Speed == nil && req.RepairArm == "" && req.RepairStation == "" && len(problems) == 0 {
		problems = append(problems, "no change given: use --buffer, --repair-arm, --repair-station or --station-speed (see 'lightsout whatif --help')")
	}
	if f.line < 0 {
		problems = append(problems, fmt.Sprintf("--line %d: want a copy of the line from 1", f.line))
	}
	if f.replications < 0 || f.replications > forecast.MaxReplications {
		problems = append(problems, fmt.Sprintf("--replications %d: want 1 to %d", f.replications, forecast.MaxReplications))
	}
	if f.seedSet {
		s := twin.Seed(f.seed)
		req.Seed = &s
	}
	if f.until.set {
		if f.until.t == 0 {
			problems = append(problems, "--until 0s: want a time after the twin's")
		}
		req.Until = f.until.t
	}
	if len(problems) > 0 {
		return req, nil, badInputs(problems)
	}
	return req, client, nil
}

// runWhatIf posts req to the twin and prints the answer.
func runWhatIf(ctx context.Context, a *app, f *whatIfFlags, client *twinhttp.Client, req forecast.WhatIfRequest) error {
	status, raw, err := client.Post(ctx, "api/whatif", req, whatIfTimeout, 16<<20)
	if err != nil {
		return twinError(err)
	}
	if status != http.StatusOK {
		var e struct{ Error string }
		if json.Unmarshal(raw, &e) != nil || e.Error == "" {
			e.Error = strings.TrimSpace(string(raw))
		}
		if status == http.StatusBadRequest {
			return badInput("the twin rejected the what-if: %s", e.Error)
		}
		return fmt.Errorf("the twin at %s answered %d %s: %s", client.Base, status, http.StatusText(status), e.Error)
	}
	if f.json {
		_, err := a.stdout.Write(raw)
		return err
	}
	var w forecast.WhatIfJSON
	if err := json.Unmarshal(raw, &w); err != nil {
		return fmt.Errorf("the twin's answer is not a what-if result: %w", err)
	}
	return printWhatIf(a.stdout, &w)
}

// printWhatIf writes the comparison as text.
func printWhatIf(out io.Writer, w *forecast.WhatIfJSON) error {
	b := &w.Base
	fmt.Fprintf(out, "What-if: %s\n", strings.Join(w.Changes, "; "))
	fmt.Fprintf(out, "Window: %s to %s of simulated time (%d replications, seed %d, same random numbers in both)\n\n",
		formatSpan(b.From), formatSpan(b.Until), b.Replications, b.Seed)
	num := func(x float64) string { return grouped(x, 1) }
	signed := func(x float64) string {
		if x > 0 {
			return "+" + num(x)
		}
		return num(x)
	}
	t := newTable(out)
	t.row("good units in the window", "P10", "P50", "P90")
	t.row("base", num(b.Good.P10), num(b.Good.P50), num(b.Good.P90))
	t.row("what-if", num(w.WhatIf.Good.P10), num(w.WhatIf.Good.P50), num(w.WhatIf.Good.P90))
	t.row("paired difference", signed(w.Paired.P10), signed(w.Paired.P50), signed(w.Paired.P90))
	if b.ShiftTotal != nil && w.WhatIf.ShiftTotal != nil {
		t.row("shift total, base", num(b.ShiftTotal.P10), num(b.ShiftTotal.P50), num(b.ShiftTotal.P90))
		s := w.WhatIf.ShiftTotal
		t.row("shift total, what-if", num(s.P10), num(s.P50), num(s.P90))
	}
	if err := t.flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, "\nP50 of the what-if minus P50 of the base: %s good units (the paired difference's P50 above is the\nbetter estimate of the change: it compares replication with replication)\n", signed(w.DeltaP50))
	return err
}
