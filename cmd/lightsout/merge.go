package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/twin/experiment"
)

// newMergeCmd builds "lightsout merge".
func newMergeCmd(a *app) *cobra.Command {
	var out, reportDir string
	cmd := &cobra.Command{
		Use:   "merge DIR... --out DIR",
		Short: "Combine the shards of a sweep into the files of one unsharded run",
		Long: `merge reads the outputs of the shards of one sweep ('lightsout sweep --shard
i/N --out DIR'), checks that they come from the same sweep file, base config,
settings and lightsout build, and that together they cover every point once
with every replication, then writes into --out the runs.csv, summary.json and
manifest.json that one run without --shard writes, byte for byte.

Each DIR is a shard's directory (it holds manifest.json), or a directory
whose shard-<i>-of-<N> subdirectories are shards (the DIR given to
'sweep --shard --out'; other subdirectories, such as a merged output, are
skipped).
timing.json files are ignored.

Exit status: 0 ok, 1 I/O failure, 2 shards that do not make one sweep.

Examples:
  lightsout merge results --out results/all
  lightsout merge node1/shard-1-of-2 node2/shard-2-of-2 --out all`,
		Args: cobra.MinimumNArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return withHint(cmd, "--out DIR is required")
			}
			dirs, err := experiment.ShardDirs(args)
			if err != nil {
				return badInput("%v", err)
			}
			m, runs, err := experiment.Merge(dirs)
			if err != nil {
				return badInput("%v", err)
			}
			if p := checkReportDir(reportDir); len(p) > 0 {
				return badInputs(p)
			}
			o, err := openSweepOut(out, reportDir)
			if err != nil {
				return err
			}
			defer o.abort()
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			sum := experiment.Summarize(m, runs)
			if err := writeSweepResults(ctx, a, o, experiment.Files(m, runs), reportDir, sum); err != nil {
				return err
			}
			return experiment.WriteSummaryText(a.stdout, sum)
		}),
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "directory to write the merged runs.csv, summary.json and manifest.json into")
	cmd.Flags().StringVar(&reportDir, "report", "", "write the sweep's HTML report (each KPI against the varied parameter) into this directory")
	return cmd
}
