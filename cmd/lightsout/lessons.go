package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

func newLessonsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lessons",
		Short: "List the lessons for trainers built into lightsout",
		Long: `lessons lists the lessons embedded in the binary: their names, lengths in
simulated time and titles. A lesson is a line and a timeline of events: commands
given to the line at set times (break the placer at 0:20), callouts next to
stations, pauses that wait for the trainer and questions for the class. Open
one in the window with lightsout-view --lesson NAME. "lessons show NAME" prints
one, a start for a lesson of your own; "lessons validate FILE" checks one.

Examples:
  lightsout lessons
  lightsout lessons show blocking-and-starvation > my-lesson.yaml
  lightsout lessons validate my-lesson.yaml
  lightsout-view --lesson my-lesson.yaml`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			tw := textfmt.NewTable(a.stdout)
			for _, name := range configs.LessonNames() {
				ls, err := configs.LoadLesson(name)
				if err != nil {
					tw.Row(name, "", fmt.Sprintf("(invalid: run 'lightsout lessons validate %s')", name))
					continue
				}
				tw.Row(name, textfmt.Span(ls.Length), ls.Title)
			}
			return tw.FlushLeft()
		}),
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show NAME",
		Short: "Print the YAML of an embedded lesson",
		Long: `show prints the YAML text of the embedded lesson NAME on stdout, comments
included, so it can be saved and edited.

Example:
  lightsout lessons show bottleneck-and-buffers > my-lesson.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			src, err := configs.LessonSource(args[0])
			if err != nil {
				return configProblem(err)
			}
			_, err = a.stdout.Write(src)
			return err
		}),
	}, &cobra.Command{
		Use:   "validate FILE|NAME",
		Short: "Check a lesson file and report every problem",
		Long: `validate reads a lesson file (or an embedded lesson), checks it as
lightsout-view --lesson would (its config, every event's time, station and
command) and reports every problem at once, each with the field it is about;
exit status 2 if there are any. A valid lesson prints its events in time order.

Example:
  lightsout lessons validate my-lesson.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			ls, err := configs.LoadLesson(args[0])
			if err != nil {
				return configProblem(err)
			}
			fmt.Fprintf(a.stdout, "%s: ok: %q on %s (seed %d), %s, %d events\n", args[0], ls.Title, ls.Config,
				ls.Seed, textfmt.Span(ls.Length), len(ls.Events))
			for i := range ls.Events {
				fmt.Fprintf(a.stdout, "  %v\n", &ls.Events[i])
			}
			return nil
		}),
	})
	return cmd
}

// listLessons writes the lessons section of "lightsout configs".
func listLessons(a *app) error {
	fmt.Fprintln(a.stdout, "\nLessons (lightsout-view --lesson NAME; see lightsout lessons):")
	tw := textfmt.NewTable(a.stdout)
	for _, name := range configs.LessonNames() {
		title := "(invalid: run 'lightsout lessons validate " + name + "')"
		if ls, err := configs.LoadLesson(name); err == nil {
			title = ls.Title + " (" + ls.Config + ")"
		}
		tw.Row("  "+name, title)
	}
	return tw.FlushLeft()
}
