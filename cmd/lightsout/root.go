package main

import (
	"context"
	"io"
	"os"

	"github.com/spf13/cobra"
	"go.uber.org/zap"
	"golang.org/x/term"

	"github.com/lightsout-sim/lightsout/cmd/internal/logging"
)

// app holds what every command shares: the output streams, the global
// flags and the logger built from them. There is one per execution; tests
// make their own with buffers for streams.
type app struct {
	version string
	stdout  io.Writer
	// stderr carries logs, error messages and the progress bar; see console.
	stderr *console
	// tty says whether stderr is a terminal (then batch draws a progress bar).
	tty bool

	logFormat, logLevel string
	log                 *zap.Logger
}

// execute runs lightsout with the given arguments (without the program
// name) and returns the exit status.
func execute(args []string, stdout, stderr io.Writer, version string) int {
	a := &app{
		version: version,
		stdout:  stdout,
		stderr:  &console{w: stderr},
		tty:     isTerminal(stderr),
		log:     zap.NewNop(),
	}
	root := newRootCmd(a)
	collectFlagErrors(root, args)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(context.Background())
	_ = a.log.Sync()
	return report(a.stderr, cmd, err)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newRootCmd builds the lightsout command tree around a.
func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "lightsout",
		Short: "Simulate a lights-out smartphone factory line, headless",
		Long: `lightsout simulates a fully automated (lights-out, 24/7) smartphone factory
line described by a YAML config: stations, buffers, robot arms, failures,
maintenance, inspection and rework. It runs batches of independent
replications and reports throughput, OEE, yield, flow time and bottlenecks
with 95% confidence intervals. Every run is reproducible from (config, seed).

Logs go to stderr; results go to stdout or --out.

Exit status: 0 success, 1 failure (I/O), 2 bad input (flags, configs),
130 interrupted.

Example:
  lightsout batch --config phone-factory --duration 7d --replications 10
  lightsout validate my-line.yaml
  lightsout configs show phone-factory > my-line.yaml`,
		Version:       a.version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			log, err := logging.New(a.stderr, a.logFormat, a.logLevel)
			if err != nil {
				return badInput("%v", err)
			}
			a.log = log
			return nil
		},
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return withHint(cmd, err.Error())
	})
	root.SetVersionTemplate("{{.Name}} {{.Version}}\n")
	root.CompletionOptions.HiddenDefaultCmd = true
	pf := root.PersistentFlags()
	pf.StringVar(&a.logFormat, "log-format", "console", "log format on stderr: console (for people) or json")
	pf.StringVar(&a.logLevel, "log-level", "info", "least severe log level shown: debug, info, warn or error")

	root.AddCommand(
		newBatchCmd(a),
		newValidateCmd(a),
		newVersionCmd(a),
		newConfigsCmd(a),
		newLessonsCmd(a),
		newReplaySessionCmd(a),
		newEdgeCmd(a),
		newTwinCmd(a),
		newDemoTwinCmd(a),
		newReplayLogCmd(a),
		newWhatIfCmd(a),
		newCommandCmd(a),
		newSweepCmd(a),
		newMergeCmd(a),
		newBenchCmd(a),
	)
	return root
}
