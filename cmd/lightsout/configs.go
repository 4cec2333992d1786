package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

func newConfigsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "configs",
		Short: "List the line configs built into lightsout",
		Long: `configs lists the line configs embedded in the binary, with their
descriptions; the default one (used when batch has no --config) is marked.
Any of these names can be given to --config; "configs show NAME" prints one,
a good start for a config of your own. The lessons for trainers follow in
their own section (see "lightsout lessons"); "configs show LESSON" prints one.

Examples:
  lightsout configs
  lightsout configs show phone-factory > my-line.yaml`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			tw := textfmt.NewTable(a.stdout)
			for _, name := range configs.Names() {
				mark := ""
				if name == configs.Default {
					mark = "(default)"
				}
				tw.Row(name, mark, describe(name))
			}
			if err := tw.FlushLeft(); err != nil {
				return err
			}
			return listLessons(a)
		}),
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show NAME",
		Short: "Print the YAML of an embedded config",
		Long: `show prints the YAML text of the embedded config (or lesson) NAME on
stdout, comments included, so it can be saved and edited.

Example:
  lightsout configs show phone-factory > my-line.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			src, err := configs.Source(args[0])
			if err != nil && configs.IsLesson(args[0]) {
				src, err = configs.LessonSource(args[0])
			}
			if err != nil {
				return configProblem(err)
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
