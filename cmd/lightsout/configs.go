package main

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

func newConfigsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "configs",
		Short: "List the line configs, sweeps and lessons built into lightsout",
		Long: `configs lists what is embedded in the binary, with descriptions: the line
configs (the default one, used when batch has no --config, is marked),
which any --config takes by name; the sweeps, which 'lightsout sweep'
takes by name; and the lessons for trainers, which 'lightsout-view --lesson'
takes by name (see "lightsout lessons"). "configs show NAME" prints any of
them, comments included: a good start for a config, sweep or lesson of your own.

Examples:
  lightsout configs
  lightsout configs show phone-factory > my-line.yaml
  lightsout configs show demo-buffer > my-sweep.yaml`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(a.stdout, "Line configs (--config NAME):")
			tw := textfmt.NewTable(a.stdout)
			for _, name := range configs.Names() {
				mark := ""
				if name == configs.Default {
					mark = "(default)"
				}
				tw.Row("  "+name, mark, describe(name))
			}
			if err := tw.FlushLeft(); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, "\nSweeps (lightsout sweep NAME):")
			tw = textfmt.NewTable(a.stdout)
			for _, name := range configs.SweepNames() {
				tw.Row("  "+name, describeSweep(name))
			}
			if err := tw.FlushLeft(); err != nil {
				return err
			}
			if err := listLessons(a); err != nil {
				return err
			}
			_, err := fmt.Fprintln(a.stdout, "\n'lightsout configs show NAME' prints one, to start your own from it.")
			return err
		}),
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show NAME",
		Short: "Print the YAML of an embedded config, sweep or lesson",
		Long: `show prints the YAML text of the embedded line config, sweep or lesson NAME on
stdout, comments included, so it can be saved and edited.

Examples:
  lightsout configs show phone-factory > my-line.yaml
  lightsout configs show demo-buffer > my-sweep.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			src, err := configs.Source(args[0])
			if errors.Is(err, fs.ErrNotExist) {
				if sw, serr := configs.SweepSource(args[0]); serr == nil {
					src, err = sw, nil
				} else if configs.IsLesson(args[0]) {
					src, err = configs.LessonSource(args[0])
				}
			}
			if err != nil {
				return badInput("%s: no embedded config, sweep or lesson of that name (configs: %s; sweeps: %s; lessons: %s)",
					args[0], strings.Join(configs.Names(), ", "), strings.Join(configs.SweepNames(), ", "), strings.Join(configs.LessonNames(), ", "))
			}
			_, err = a.stdout.Write(src)
			return err
		}),
	})
	return cmd
}

// describe returns the first line of an embedded config's description, or
// what is wrong with it.
func describe(name string) string {
	title, err := configs.Title(name)
	if err != nil {
		return fmt.Sprintf("(invalid: %d problems; run 'lightsout validate %s')", len(configProblem(err).lines), name)
	}
	return title
}

// describeSweep returns an embedded sweep's description, or what is wrong
// with it.
func describeSweep(name string) string {
	sw, err := configs.LoadSweep(name)
	if err != nil {
		return fmt.Sprintf("(invalid: run 'lightsout sweep %s --check')", name)
	}
	return sw.Description
}
