package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and build information",
		Long: `version prints the release (set at build time), the Go version and, when
the binary was built from a version-controlled checkout, the module and
commit it was built from.

Example:
  lightsout version`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(a.stdout, versionText(a.version))
			return err
		}),
	}
}

// versionText describes the running binary.
func versionText(version string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "lightsout %s\n", version)
	fmt.Fprintf(&b, "go         %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b.String()
	}
	fmt.Fprintf(&b, "module     %s %s\n", info.Main.Path, info.Main.Version)
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision", "vcs.time", "vcs.modified":
			fmt.Fprintf(&b, "%-10s %s\n", strings.TrimPrefix(s.Key, "vcs."), s.Value)
		}
	}
	return b.String()
}

// buildIdentity names the build for sweep shards, so that merge can
// refuse shards of different builds: the release set at build time, and
// from the binary's build information the module version and the VCS
// revision (with "+dirty" for uncommitted changes), which plain "go
// build" and "go install" record without any -ldflags.
func buildIdentity(version string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	id := version
	if v := info.Main.Version; v != "" && v != "(devel)" && v != version {
		id += " " + v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" {
		id += " rev " + rev
		if dirty {
			id += "+dirty"
		}
	}
	return id
}
