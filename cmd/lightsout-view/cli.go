package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/cmd/internal/logging"
	"github.com/lightsout-sim/lightsout/cmd/internal/pilotflags"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/pilot"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// Exit statuses, as for the headless lightsout command.
const (
	exitOK       = 0
	exitFailure  = 1 // the window could not run, or a screenshot not be written
	exitBadInput = 2 // bad flags or config: nothing was opened
)

// The smallest window the overlays are laid out for.
const minWidth, minHeight = 800, 560

// options are the command line's settings.
type options struct {
	config              string
	seed                uint64
	speed               string
	width, height       int
	frames              int
	screenshot          string
	record              string
	stats               bool
	logFormat, logLevel string
	twin                twinFlags
	autopilot           pilotflags.Flags
	view                viewFlags // palette, UI scale, fullscreen, GIF
	play                playFlags
}

// setup is what a valid command line gives: the line to show and how.
type setup struct {
	spec  *twin.Spec
	seed  uint64
	speed scene.Speed
	log   *zap.Logger
	// pilot, when set, makes the autopilot that flies the local line:
	// --autopilot's, else the config's autopilot block.
	pilot func(autopilot.Evaluator) (*autopilot.Pilot, error)
	// twin, when set, attaches the view to a twin over MQTT instead of
	// running the line here.
	twin *twinSetup
	// play, when set, is the lesson or the recorded session played.
	play *scene.Playback
}

// usageError holds every problem with the command line, one per line.
type usageError struct{ lines []string }

func (e *usageError) Error() string { return strings.Join(e.lines, "\n") }

// newCommand builds the lightsout-view command; open runs the window once
// the flags and config are checked.
func newCommand(stderr io.Writer, open func(*options, *setup) error) *cobra.Command {
	o := &options{}
	cmd := &cobra.Command{
		Use:   "lightsout-view",
		Short: "Watch and poke a simulated lights-out factory line in a window",
		Long: `lightsout-view opens a window on a simulated line (the default phone factory,
an embedded config or a YAML file) and runs it in real time or accelerated,
with throughput, defect and OEE overlays. Press ? in the window for the keys.

It needs an X display (under a headless server: xvfb-run -a). With --frames N
it runs N ticks and exits; with --screenshot it saves the last frame as PNG.

Exit status: 0 success, 1 failure, 2 bad flags or config (nothing opened).

With --twin mqtt://host:port it runs no line itself: it attaches to a twin
over MQTT (Sparkplug B) as a host application and draws what it mirrors of
the edge nodes 'lightsout edge' publishes: copy k of --config's line is the
edge node <--twin-node>-L<k> in --twin-group.

With --autopilot NAME (none, predictive, forecast) an autopilot flies the
line here, as in 'lightsout batch --autopilot': its decisions show on the
floor where they act and in a list (G shows or hides them); A holds and
releases it. A config's own autopilot block flies it too. In twin mode the
twin host flies the autopilot: --twin-http URL reads its decisions from the
host's /api/autopilot and draws them the same way.

With --lesson NAME|FILE it plays a lesson for a class (see 'lightsout
lessons'): its line, its commands at their times, callouts next to stations,
and pauses and questions that wait for Space or Enter. With --replay FILE it
replays a session recorded with --record: Space pauses, . steps, , steps
back, End jumps to the end, and dragging along the time slider seeks.

Example:
  lightsout-view --config demo-line --speed 20
  lightsout-view --config phone-factory --autopilot predictive --speed 1000
  lightsout-view --speed 100 --frames 600 --screenshot factory.png --stats
  lightsout-view --lesson blocking-and-starvation
  lightsout-view --replay session.json
  lightsout-view --twin mqtt://127.0.0.1:1883 --config demo-line`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := check(cmd, o, stderr)
			if err != nil {
				return err
			}
			return open(o, s)
		},
	}
	cmd.SetErr(stderr)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{[]string{"lightsout-view: " + err.Error() + " (see 'lightsout-view --help')"}}
	})
	fl := cmd.Flags()
	fl.StringVar(&o.config, "config", configs.Default, "config file, or the name of an embedded config ("+strings.Join(configs.Names(), ", ")+")")
	fl.Uint64Var(&o.seed, "seed", 0, "random seed (default: the config's run.seed)")
	fl.StringVar(&o.speed, "speed", "1", "simulated time per real time: 1 (real time) to 10000, or max")
	fl.IntVar(&o.width, "width", 1280, "window width in pixels")
	fl.IntVar(&o.height, "height", 800, "window height in pixels")
	fl.IntVar(&o.frames, "frames", 0, "run this many ticks (1/60 s each) and exit; 0 runs until closed")
	fl.StringVar(&o.screenshot, "screenshot", "", "with --frames: save the last frame to this PNG file")
	fl.StringVar(&o.record, "record", "", "on exit, write the session (config, seed, commands since the last reset) to this JSON file, for lightsout replay-session")
	fl.BoolVar(&o.stats, "stats", false, "print Update, Draw and frame time percentiles on exit")
	fl.StringVar(&o.logFormat, "log-format", "console", "log format on stderr: console or json")
	fl.StringVar(&o.logLevel, "log-level", "info", "least severe log level shown: debug, info, warn or error")
	o.twin.register(fl)
	o.autopilot.Register(fl)
	o.view.register(fl)
	o.play.register(fl)
	return cmd
}

// check validates every flag and loads the config, before anything opens;
// it reports all the problems at once.
func check(cmd *cobra.Command, o *options, stderr io.Writer) (*setup, error) {
	var bad []string
	add := func(format string, a ...any) { bad = append(bad, "lightsout-view: "+fmt.Sprintf(format, a...)) }
	s := &setup{}
	sp, err := scene.ParseSpeed(o.speed)
	if err != nil {
		add("%v", err)
	}
	s.speed = sp
	if o.width < minWidth || o.width > 8192 || o.height < minHeight || o.height > 8192 {
		add("--width %d --height %d: want %d to 8192 by %d to 8192 pixels", o.width, o.height, minWidth, minHeight)
	}
	if o.frames < 0 {
		add("--frames %d: want 0 (run until closed) or more", o.frames)
	}
	if o.twin.on() {
		for _, f := range []string{"record", "seed", "speed"} {
			if cmd.Flags().Changed(f) {
				add("--%s does not apply with --twin: the edge nodes run the line", f)
			}
		}
	}
	s.twin = o.twin.check(add)
	o.view.check(add)
	pcfg, pilotProblems := o.autopilot.Check()
	for _, p := range pilotProblems {
		add("%s", p)
	}
	if o.twin.on() {
		for _, f := range []string{"autopilot", "autopilot-param", "recommend-only", "max-actions-per-hour"} {
			if cmd.Flags().Changed(f) {
				add("--%s does not apply with --twin: the twin host flies its own autopilot (see --twin-http)", f)
			}
		}
	}
	if o.record != "" {
		if fi, err := os.Stat(filepath.Dir(o.record)); err != nil || !fi.IsDir() {
			add("--record %q: no directory %q to write it in", o.record, filepath.Dir(o.record))
		}
	}
	if o.screenshot != "" {
		if o.frames <= 0 {
			add("--screenshot needs --frames N (the tick to save)")
		}
		if !strings.EqualFold(filepath.Ext(o.screenshot), ".png") {
			add("--screenshot %q: the file must end in .png", o.screenshot)
		}
		if fi, err := os.Stat(filepath.Dir(o.screenshot)); err != nil || !fi.IsDir() {
			add("--screenshot %q: no directory %q to write it in", o.screenshot, filepath.Dir(o.screenshot))
		}
	}
	log, err := logging.New(stderr, o.logFormat, o.logLevel)
	if err != nil {
		add("%v", err)
	}
	s.log = log
	spec, err := o.play.resolve(cmd, o, s, add)
	if err != nil {
		var ce *configs.Error
		if errors.As(err, &ce) {
			bad = append(bad, ce.Lines()...)
		} else {
			add("%v", err)
		}
	}
	if len(bad) > 0 {
		return nil, &usageError{bad}
	}
	s.spec, s.seed = spec, spec.Run.Seed
	o.play.apply(cmd, s)
	switch {
	case s.twin != nil:
	case o.autopilot.Enabled():
		spec.Autopilot = o.autopilot.Spec()
		s.pilot = pcfg.New
	case spec.Autopilot != nil:
		mk, err := pilot.FromSpec(spec.Autopilot)
		if err != nil {
			return nil, &usageError{[]string{"lightsout-view: " + o.config + ": " + err.Error()}}
		}
		s.pilot = mk
	}
	if s.twin != nil && s.twin.prefix == "" {
		s.twin.prefix = spec.Name
		if err := sparkplug.ValidateID("--twin-node", spec.Name); err != nil {
			return nil, &usageError{[]string{"lightsout-view: " + err.Error() + " (the config's name; set --twin-node)"}}
		}
	}
	if cmd.Flags().Changed("seed") {
		s.seed = o.seed
	}
	return s, nil
}

// execute runs lightsout-view with args (without the program name) and
// returns the exit status; open runs the window.
func execute(args []string, stderr io.Writer, open func(*options, *setup) error) int {
	cmd := newCommand(stderr, open)
	cmd.SetArgs(args)
	err := cmd.Execute()
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		for _, l := range ue.lines {
			fmt.Fprintln(stderr, l)
		}
		return exitBadInput
	}
	if strings.HasPrefix(err.Error(), "unknown command") || strings.Contains(err.Error(), "accepts 0 arg") {
		fmt.Fprintln(stderr, "lightsout-view: "+strings.SplitN(err.Error(), "\n", 2)[0]+" (see 'lightsout-view --help')")
		return exitBadInput
	}
	fmt.Fprintln(stderr, "lightsout-view: "+err.Error())
	return exitFailure
}
