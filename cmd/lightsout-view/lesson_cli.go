package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/lesson"
)

// playFlags choose a lesson or a recorded session to play in the window.
type playFlags struct {
	lesson, replay string
	// les and log are what they name, once checked.
	les *lesson.Lesson
	log *twin.SessionLog
}

// register adds --lesson and --replay to fl.
func (f *playFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.lesson, "lesson", "", "play a lesson: an embedded one ("+strings.Join(configs.LessonNames(), ", ")+") or a lesson YAML file; its config replaces --config")
	fl.StringVar(&f.replay, "replay", "", "replay a session recorded with --record (pause, step and a time slider); its config and seed replace --config and --seed")
}

// resolve returns the line to show: the lesson's or the recording's, else
// --config's. Flag problems go to add; a config's problems come back as
// the error (a *configs.Error for the caller to list). With a lesson or a
// recording, s.play is set.
func (f *playFlags) resolve(cmd *cobra.Command, o *options, s *setup, add func(string, ...any)) (*twin.Spec, error) {
	if f.lesson == "" && f.replay == "" {
		return configs.Resolve(o.config)
	}
	flag := "--lesson"
	if f.replay != "" {
		flag = "--replay"
	}
	if f.lesson != "" && f.replay != "" {
		add("--lesson and --replay cannot be used together: play a lesson, or replay a recording")
		return nil, nil
	}
	for _, other := range []string{"config", "twin"} {
		if cmd.Flags().Changed(other) {
			add("--%s does not apply with %s: the %s names its line", other, flag, strings.TrimPrefix(flag, "--"))
		}
	}
	if f.lesson != "" {
		if cmd.Flags().Changed("record") {
			add("--record does not apply with --lesson: the lesson gives its commands itself")
		}
		ls, err := configs.LoadLesson(f.lesson)
		if err != nil {
			return nil, err
		}
		f.les = ls
		s.play = scene.NewLessonPlayback(ls)
		return ls.Spec, nil
	}
	if cmd.Flags().Changed("seed") {
		add("--seed does not apply with --replay: the recording's seed replays it")
	}
	if cmd.Flags().Changed("autopilot") {
		add("--autopilot does not apply with --replay: the recording holds the commands its autopilot gave")
	}
	return f.readReplay(o, s, add)
}

// readReplay reads the recording and its config.
func (f *playFlags) readReplay(o *options, s *setup, add func(string, ...any)) (*twin.Spec, error) {
	file, err := os.Open(f.replay)
	if err != nil {
		add("--replay: %v", err)
		return nil, nil
	}
	defer file.Close()
	log, err := twin.ReadSessionLog(file)
	var cmds []twin.TimedCommand
	if err == nil {
		cmds, err = log.Timed()
	}
	if err != nil {
		add("--replay %s: %v", f.replay, err)
		return nil, nil
	}
	spec, err := configs.Resolve(log.Config)
	if err != nil {
		var ce *configs.Error
		if !errors.As(err, &ce) {
			return nil, fmt.Errorf("--replay %s: config %q: %w", f.replay, log.Config, err)
		}
		return nil, &configs.Error{File: f.replay, Problems: prefixed("config "+log.Config+": ", ce.Lines()), Err: err}
	}
	line, err := twin.NewLine(spec, uint64(log.Seed), nil)
	if err == nil {
		for _, tc := range cmds {
			if err = line.Do(tc.Cmd); err != nil {
				break
			}
		}
	}
	if err != nil {
		add("--replay %s: %v", f.replay, err)
		return nil, nil
	}
	f.log = log
	o.config = log.Config // what --record records
	// The commands an autopilot gave are in the recording: replayed, as
	// lightsout replay-session does, without one flying the line again.
	spec.Autopilot = nil
	s.play = scene.NewReplayPlayback(filepath.Base(f.replay), cmds, log.Until)
	return spec, nil
}

// apply sets the seed and speed of a lesson or a recording, unless
// --seed and --speed were given.
func (f *playFlags) apply(cmd *cobra.Command, s *setup) {
	switch {
	case f.les != nil:
		s.seed = f.les.Seed
		if f.les.Speed > 0 && !cmd.Flags().Changed("speed") {
			s.speed = scene.Speed(f.les.Speed)
		}
	case f.log != nil:
		s.seed = uint64(f.log.Seed)
	}
}

func prefixed(p string, lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = p + l
	}
	return out
}
