package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/configs"
)

func newValidateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check config files and report every problem",
		Long: `validate loads each config file (or embedded config name), checks it the way
batch would, and prints "FILE: ok" on stdout for each good one. For a bad
one it prints every problem on stderr, one per line, starting with the file
name and the path of the field ("line.yaml: stations[3].buffer: ..."), and
the exit status is 2. All files are checked even when one is bad.

Examples:
  lightsout validate my-line.yaml
  lightsout validate configs/*.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			var bad []string
			for _, file := range args {
				if _, err := configs.Resolve(file); err != nil {
					bad = append(bad, configProblem(err).lines...)
					continue
				}
				if _, err := fmt.Fprintf(a.stdout, "%s: ok\n", file); err != nil {
					return err
				}
			}
			if len(bad) > 0 {
				return &exitError{code: exitBadInput, lines: bad}
			}
			return nil
		}),
	}
}
