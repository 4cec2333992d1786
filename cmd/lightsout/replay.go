package main

import (
	"encoding/json"
	"errors"
	"os"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin"
)

func newReplaySessionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "replay-session FILE",
		Short: "Replay a session recorded by lightsout-view --record, headless",
		Long: `replay-session reads a session log written by lightsout-view --record: the
config, the seed, every command given in the window (break, repair, buffer
changes, hold, unhold, reset, speed) with its simulated time, and when the
session ended. It rebuilds
the line, gives it the same commands at the same simulated times and runs
it to the same end, then prints the KPIs of that run as JSON (the same
fields as one of batch's runs, measured from the start). The same log always
gives the same result.

A bad log (unknown command, times going backwards, a station the config
does not have) is reported with the command's position, exit status 2.

Example:
  lightsout-view --config demo-line --record session.json
  lightsout replay-session session.json`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return badInput("%v", err)
			}
			defer f.Close()
			log, err := twin.ReadSessionLog(f)
			if err != nil {
				return badInput("%s: %v", args[0], err)
			}
			cmds, err := log.Timed()
			if err != nil {
				return badInput("%s: %v", args[0], err)
			}
			spec, err := configs.Resolve(log.Config)
			if err != nil {
				var ce *configs.Error
				if errors.As(err, &ce) {
					return configProblem(err)
				}
				return badInput("%s: config %q: %v", args[0], log.Config, err)
			}
			line, err := twin.NewLine(spec, uint64(log.Seed), nil)
			if err != nil {
				return badInput("%s: %v", args[0], err)
			}
			if err := line.Replay(cmds, log.Until); err != nil {
				return badInput("%s: %v", args[0], err)
			}
			res := line.Result()
			res.Seed = uint64(log.Seed)
			enc := json.NewEncoder(a.stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(res)
		}),
	}
}
